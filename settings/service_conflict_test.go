package settings_test

import (
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/confluence-graph/confluence-graph/settings"
)

// replicas is an env whose Service (the first replica) runs during() once,
// from inside its next validation's first Confluence call, and a second
// Service on the same store and key, as another replica.
type replicas struct {
	*env
	other  *settings.Service
	during atomic.Pointer[func()]
}

func newReplicas(t *testing.T, kind storeKind) *replicas {
	t.Helper()
	r := &replicas{}
	var cfg settings.ServiceConfig
	r.env = newEnv(t, kind, func(c *settings.ServiceConfig) {
		c.Client.OnRequest = func(string, int, time.Duration) {
			if fn := r.during.Swap(nil); fn != nil {
				(*fn)()
			}
		}
		cfg = *c
	})
	cfg.Client.OnRequest = nil
	cfg.TokenCache, cfg.TenantCaches = nil, nil
	r.other = mustService(t, cfg)
	return r
}

// meanwhile arms fn to run during the first replica's next validation.
func (r *replicas) meanwhile(fn func()) { r.during.Store(&fn) }

// actions lists the tenant's audit log as "action outcome" strings.
func (r *replicas) actions(t *testing.T, tenant string) []string {
	t.Helper()
	events, err := r.store.ListAudit(t.Context(), tenant, settings.AuditListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range events {
		out = append(out, e.Action+" "+e.Outcome)
	}
	return out
}

// TestChangesDuringAProbeAreNotUndone: a change made on another replica
// while testConfluenceConnection probes Confluence is never written over
// by the probe's outcome. Before compare-and-set, Test wrote the whole
// record it had read back, undoing a disconnect or a token rotation.
func TestChangesDuringAProbeAreNotUndone(t *testing.T) {
	for _, kind := range storeKinds() {
		t.Run(kind.name, func(t *testing.T) {
			t.Run("DisconnectStays", func(t *testing.T) {
				r := newReplicas(t, kind)
				r.mustConnect(t, "acme", "classic")
				r.meanwhile(func() {
					if ok, err := r.other.Disconnect(t.Context(), "acme", "k2"); err != nil || !ok {
						t.Errorf("Disconnect on the other replica = %v, %v", ok, err)
					}
				})
				res, err := r.svc.Test(t.Context(), "acme", "k1")
				if err != nil {
					t.Fatal(err)
				}
				if !slices.Equal(codesOf(res), []settings.ErrorCode{settings.CodeConflict}) {
					t.Errorf("Test codes = %v; want [CONFLICT]", codesOf(res))
				}
				if got, err := r.store.GetIntegration(t.Context(), "acme"); err == nil {
					t.Errorf("after Test: stored %v; want the disconnect to stand", got)
				}
				want := []string{"integration.connect success", "integration.disconnect success", "integration.test failure"}
				if got := r.actions(t, "acme"); !slices.Equal(got, want) {
					t.Errorf("audit = %q; want %q", got, want)
				}
			})
			t.Run("RotatedTokenStays", func(t *testing.T) {
				r := newReplicas(t, kind)
				r.mustConnect(t, "acme", "classic")
				scoped := r.sim.Account("scoped")
				var rotated *settings.Integration
				r.meanwhile(func() {
					res, err := r.other.Update(t.Context(), "acme", "k2", settings.UpdateInput{Email: &scoped.Email, APIToken: &scoped.Token})
					if err != nil || !res.OK() {
						t.Errorf("Update on the other replica = %v, %v", res.UserErrors, err)
					}
					rotated = res.Integration
				})
				res, err := r.svc.Test(t.Context(), "acme", "k1")
				if err != nil {
					t.Fatal(err)
				}
				if !slices.Equal(codesOf(res), []settings.ErrorCode{settings.CodeConflict}) {
					t.Errorf("Test codes = %v; want [CONFLICT]", codesOf(res))
				}
				got, err := r.store.GetIntegration(t.Context(), "acme")
				if err != nil || rotated == nil {
					t.Fatal(err)
				}
				if got.Email != scoped.Email || got.CredentialVersion != rotated.CredentialVersion || got.Revision != rotated.Revision {
					t.Errorf("after Test: stored %v; want the rotated credential %v untouched", got, rotated)
				}
			})
			t.Run("StatusOnlyChangeIsReapplied", func(t *testing.T) {
				r := newReplicas(t, kind)
				r.mustConnect(t, "acme", "classic")
				r.meanwhile(func() {
					if res, err := r.other.Test(t.Context(), "acme", "k2"); err != nil || !res.OK() {
						t.Errorf("Test on the other replica = %v, %v", res.UserErrors, err)
					}
				})
				res, err := r.svc.Test(t.Context(), "acme", "k1")
				if err != nil || !res.OK() {
					t.Fatalf("Test = %v, %v; want success applied to the fresh record", res.UserErrors, err)
				}
				got, err := r.store.GetIntegration(t.Context(), "acme")
				if err != nil {
					t.Fatal(err)
				}
				if got.Revision != 3 || res.Integration.Revision != 3 || got.CredentialVersion != 1 {
					t.Errorf("stored revision %d (result %d), credential %d; want 3 (connect, other test, this test), 3, 1",
						got.Revision, res.Integration.Revision, got.CredentialVersion)
				}
			})
			t.Run("UpdateReappliedAfterAProbe", func(t *testing.T) {
				r := newReplicas(t, kind)
				r.mustConnect(t, "acme", "classic")
				scoped := r.sim.Account("scoped")
				r.meanwhile(func() {
					if res, err := r.other.Test(t.Context(), "acme", "k2"); err != nil || !res.OK() {
						t.Errorf("Test on the other replica = %v, %v", res.UserErrors, err)
					}
				})
				res, err := r.svc.Update(t.Context(), "acme", "k1", settings.UpdateInput{Email: &scoped.Email, APIToken: &scoped.Token})
				if err != nil || !res.OK() {
					t.Fatalf("Update = %v, %v; want it applied to the fresh record (only its status moved)", res.UserErrors, err)
				}
				got, err := r.store.GetIntegration(t.Context(), "acme")
				if err != nil || got.Email != scoped.Email || got.Revision != 3 || got.CredentialVersion != 2 {
					t.Errorf("stored %v, %v; want the update at revision 3, credential version 2", got, err)
				}
			})
			t.Run("UpdateDoesNotResurrect", func(t *testing.T) {
				r := newReplicas(t, kind)
				r.mustConnect(t, "acme", "classic")
				scoped := r.sim.Account("scoped")
				r.meanwhile(func() {
					if _, err := r.other.Disconnect(t.Context(), "acme", "k2"); err != nil {
						t.Errorf("Disconnect on the other replica = %v", err)
					}
				})
				res, err := r.svc.Update(t.Context(), "acme", "k1", settings.UpdateInput{Email: &scoped.Email, APIToken: &scoped.Token})
				if err != nil {
					t.Fatal(err)
				}
				if !slices.Equal(codesOf(res), []settings.ErrorCode{settings.CodeConflict}) || res.Integration != nil {
					t.Errorf("Update = %v, %v; want CONFLICT and no integration", codesOf(res), res.Integration)
				}
				if got, err := r.store.GetIntegration(t.Context(), "acme"); err == nil {
					t.Errorf("after Update: stored %v; want the disconnect to stand", got)
				}
			})
		})
	}
}
