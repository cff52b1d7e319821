package settings_test

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/confluence-graph/confluence-graph/confluence/confluencetest"
	"github.com/confluence-graph/confluence-graph/settings"
)

// TestConnectUpstreamFaults: rate limits, server errors and hangs during
// validation become user errors and store nothing.
func TestConnectUpstreamFaults(t *testing.T) {
	cases := []struct {
		name      string
		fault     confluencetest.Fault
		want      settings.ErrorCode
		wantHint  string
		hangLimit bool
	}{
		{"RateLimitedWithRetryAfter", confluencetest.Fault{Kind: confluencetest.FaultStatus, Status: 429, RetryAfter: "7"},
			settings.CodeRateLimited, "Wait 7 seconds", false},
		{"ServerErrorIsConnectionTimeout", confluencetest.Fault{Kind: confluencetest.FaultStatus, Status: 503},
			settings.CodeConnectionTimeout, "Verify your domain", false},
		{"ResetIsConnectionTimeout", confluencetest.Fault{Kind: confluencetest.FaultReset},
			settings.CodeConnectionTimeout, "Verify your domain", false},
		{"HangIsConnectionTimeout", confluencetest.Fault{Kind: confluencetest.FaultHang},
			settings.CodeConnectionTimeout, "Verify your domain", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, storeKinds()[0], func(c *settings.ServiceConfig) {
				if tc.hangLimit {
					c.ValidationTimeout = 300 * time.Millisecond
				}
			})
			e.sim.InjectFaults(tc.fault)
			res := e.connect(t, "acme", "classic")
			if !slices.Equal(codesOf(res), []settings.ErrorCode{tc.want}) {
				t.Fatalf("codes = %v (%+v); want [%s]", codesOf(res), res.UserErrors, tc.want)
			}
			if hints := strings.Join(userError(res, tc.want).Hints, " "); !strings.Contains(hints, tc.wantHint) {
				t.Errorf("hints %q lack %q", hints, tc.wantHint)
			}
			if e.sim.PendingFaults() != 0 {
				t.Errorf("the fault was not used")
			}
			if _, err := e.store.GetIntegration(t.Context(), "acme"); !errors.Is(err, settings.ErrNotFound) {
				t.Errorf("GetIntegration = %v; want ErrNotFound", err)
			}
		})
	}
}

// TestTestWhileRateLimitedKeepsStatus: a rate-limited re-validation cannot
// judge the credential, so status and capabilities stay as they were.
func TestTestWhileRateLimitedKeepsStatus(t *testing.T) {
	e := newEnv(t, storeKinds()[0])
	before := e.mustConnect(t, "acme", "classic")
	e.sim.InjectFaults(confluencetest.Fault{Kind: confluencetest.FaultStatus, Status: 429, RetryAfter: "3"})
	res, err := e.svc.Test(t.Context(), "acme", "k")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(codesOf(res), []settings.ErrorCode{settings.CodeRateLimited}) {
		t.Fatalf("codes = %v; want [RATE_LIMITED]", codesOf(res))
	}
	got := res.Integration
	if got == nil || got.Status != settings.StatusConnected || len(got.Capabilities) != len(before.Capabilities) ||
		!got.LastValidatedAt.Equal(before.LastValidatedAt) {
		t.Errorf("after rate-limited Test = %v; want status, capabilities and validation time of %v", got, before)
	}
	if got != nil && got.LastError == "" {
		t.Errorf("LastError is empty; want the rate-limit message")
	}
}

// TestTestDetectsUnreachableSite: a site that stops answering is stored as
// UNREACHABLE with CONNECTION_TIMEOUT.
func TestTestDetectsUnreachableSite(t *testing.T) {
	e := newEnv(t, storeKinds()[0])
	e.mustConnect(t, "acme", "classic")
	e.sim.InjectFaults(confluencetest.Fault{Kind: confluencetest.FaultStatus, Status: 502})
	res, err := e.svc.Test(t.Context(), "acme", "k")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(codesOf(res), []settings.ErrorCode{settings.CodeConnectionTimeout}) || res.Integration.Status != settings.StatusUnreachable {
		t.Errorf("Test = %v, status %s; want [CONNECTION_TIMEOUT], UNREACHABLE", codesOf(res), res.Integration.Status)
	}
}
