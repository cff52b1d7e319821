package settings_test

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/confluence-graph/confluence-graph/envelope"
	"github.com/confluence-graph/confluence-graph/envelope/awskms"
	"github.com/confluence-graph/confluence-graph/envelope/localkmstest"
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
