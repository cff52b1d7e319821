package settings_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/confluence-graph/confluence-graph/envelope"
	"github.com/confluence-graph/confluence-graph/envelope/awskms"
	"github.com/confluence-graph/confluence-graph/envelope/localkmstest"
	"github.com/confluence-graph/confluence-graph/graph"
	"github.com/confluence-graph/confluence-graph/settings"
)

// TestKeyServiceDown runs the service on AWS KMS (local-kms), then stops
// KMS: a connect reports ENCRYPTION_UNAVAILABLE and writes nothing, and a
// fresh process cannot open the stored token (audited).
func TestKeyServiceDown(t *testing.T) {
	for _, kind := range storeKinds() {
		t.Run(kind.name, func(t *testing.T) {
			kms := localkmstest.Start(t)
			ks, err := awskms.Open(t.Context(), awskms.Config{
				KeyID:       localkmstest.Alias,
				Endpoint:    kms.Endpoint,
				Timeout:     time.Second,
				MaxAttempts: 1,
				LoadOptions: localkmstest.LoadOptions(),
			})
			if err != nil {
				t.Fatal(err)
			}
			e := newEnv(t, kind, func(c *settings.ServiceConfig) { c.Sealer = envelope.New(ks) })
			ctx := t.Context()
			before := e.mustConnect(t, "acme", "classic")
			if _, err := e.svc.Client(ctx, "acme"); err != nil {
				t.Fatalf("Client with KMS up = %v", err)
			}

			kms.Stop()

			for _, tc := range []struct{ name, tenant, account string }{
				{"NewTenant", "fresh", "classic"},
				{"Reconnect", "acme", "scoped"},
			} {
				t.Run(tc.name, func(t *testing.T) {
					res := e.connect(t, tc.tenant, tc.account)
					if !slices.Equal(codesOf(res), []settings.ErrorCode{settings.CodeEncryptionUnavailable}) {
						t.Fatalf("codes = %v; want [ENCRYPTION_UNAVAILABLE]", codesOf(res))
					}
					if res.Integration != nil {
						t.Errorf("Integration = %v; want nil", res.Integration)
					}
				})
			}
			if _, err := e.store.GetIntegration(ctx, "fresh"); !errors.Is(err, settings.ErrNotFound) {
				t.Errorf("GetIntegration(fresh) = %v; want ErrNotFound (nothing written)", err)
			}
			stored, err := e.store.GetIntegration(ctx, "acme")
			if err != nil {
				t.Fatal(err)
			}
			if stored.CredentialVersion != before.CredentialVersion || stored.TokenType != settings.TokenClassic {
				t.Errorf("stored after failed reconnect = %v; want the classic credential v%d unchanged", stored, before.CredentialVersion)
			}

			// A second process (empty token cache) cannot open the token.
			now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
			other := mustService(t, settings.ServiceConfig{Store: e.store, Sealer: envelope.New(ks),
				Client: devClient(e.sim.URL(), e.sim.Host()), Now: func() time.Time { return now }})
			// Every request fails while KMS is down; the audit log gets one
			// decrypt event per minute, not one per request.
			for range 3 {
				_, err := other.Client(ctx, "acme")
				if !errors.Is(err, envelope.ErrKeyServiceUnavailable) || !errors.Is(err, settings.ErrEncryptionUnavailable) {
					t.Errorf("Client with KMS down = %v; want ErrEncryptionUnavailable and ErrKeyServiceUnavailable", err)
				}
			}
			now = now.Add(2 * time.Minute)
			if _, err := other.Client(ctx, "acme"); !errors.Is(err, envelope.ErrKeyServiceUnavailable) {
				t.Errorf("Client with KMS down = %v; want ErrKeyServiceUnavailable", err)
			}
			res, err := other.Test(ctx, "acme", "k")
			if err != nil || !slices.Equal(codesOf(res), []settings.ErrorCode{settings.CodeEncryptionUnavailable}) {
				t.Errorf("Test with KMS down = %v, %v; want [ENCRYPTION_UNAVAILABLE]", codesOf(res), err)
			}
			events, err := e.store.ListAudit(ctx, "acme", settings.AuditListOptions{})
			if err != nil {
				t.Fatal(err)
			}
			var actions []string
			for _, ev := range events {
				actions = append(actions, ev.Action+":"+ev.Outcome)
			}
			want := []string{"integration.connect:success", "integration.connect:failure", "integration.decrypt:failure", "integration.decrypt:failure", "integration.test:failure"}
			if !slices.Equal(actions, want) {
				t.Errorf("audit = %v; want %v", actions, want)
			}
			if len(events) > 1 && !strings.Contains(events[1].Detail, "ENCRYPTION_UNAVAILABLE") {
				t.Errorf("failed connect detail = %q; want the code", events[1].Detail)
			}
		})
	}
}

// switchSealer is a Sealer whose key service can be taken down: while
// down, every call fails as a KMS outage does.
type switchSealer struct {
	settings.Sealer
	down atomic.Bool
}

func (s *switchSealer) Decrypt(ctx context.Context, blob []byte, c envelope.Context) ([]byte, error) {
	if s.down.Load() {
		return nil, fmt.Errorf("fake kms: %w", envelope.ErrKeyServiceUnavailable)
	}
	return s.Sealer.Decrypt(ctx, blob, c)
}

// TestReadPathKeyServiceDown: a reader's query while the key service is
// down (the token not cached in this process) gets ENCRYPTION_UNAVAILABLE,
// retryable, not INTERNAL.
func TestReadPathKeyServiceDown(t *testing.T) {
	var sealer *switchSealer
	e := newEnv(t, storeKinds()[0], func(c *settings.ServiceConfig) {
		sealer = &switchSealer{Sealer: c.Sealer}
		c.Sealer = sealer
	})
	e.mustConnect(t, "acme", "classic")
	sealer.down.Store(true)
	// Another replica: nothing cached.
	e.svc = mustService(t, settings.ServiceConfig{Store: e.store, Sealer: sealer, Client: devClient(e.sim.URL(), e.sim.Host())})

	_, err := e.svc.Client(t.Context(), "acme")
	if !errors.Is(err, settings.ErrEncryptionUnavailable) || !errors.Is(err, envelope.ErrKeyServiceUnavailable) {
		t.Errorf("Client with the key service down = %v; want ErrEncryptionUnavailable wrapping ErrKeyServiceUnavailable", err)
	}
	g := newGQL(t, e)
	reader := graph.Caller{TenantID: "acme", KeyID: "k-reader", Role: graph.RoleReader}
	errs := g.as(reader, `{ spaces(first: 1) { nodes { key } } }`, nil)
	if len(errs) != 1 || codeOf(errs) != graph.CodeEncryptionUnavailable {
		t.Fatalf("query errors = %+v; want one ENCRYPTION_UNAVAILABLE", errs)
	}
	ext := errs[0].Extensions
	if ext["retryable"] != true || ext["retryAfterSeconds"] == nil || strings.Contains(errs[0].Message, "acme") ||
		!strings.Contains(errs[0].Message, "temporarily") {
		t.Errorf("error = %q %v; want a temporary, retryable error without the tenant", errs[0].Message, ext)
	}

	sealer.down.Store(false)
	if errs := g.as(reader, `{ spaces(first: 1) { nodes { key } } }`, nil); len(errs) != 0 {
		t.Errorf("query after the key service is back = %+v; want no error", errs)
	}
}
