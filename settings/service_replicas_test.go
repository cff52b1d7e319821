package settings_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"testing"

	"github.com/confluence-graph/confluence-graph/confluence/confluencetest"
	"github.com/confluence-graph/confluence-graph/settings"
	"github.com/confluence-graph/confluence-graph/settings/settingstest"
)

// change runs one random change of tenant through svc: connect (either
// account), update to either account's credential, test, or disconnect.
// Expected refusals (CONFLICT, NOT_CONNECTED) are results, not errors.
func change(ctx context.Context, svc *settings.Service, sim *confluencetest.Server, tenant, actor string, rnd *rand.Rand) error {
	a := sim.Account([]string{"classic", "scoped"}[rnd.IntN(2)])
	host := sim.Host()
	var err error
	switch rnd.IntN(4) {
	case 0:
		_, err = svc.Connect(ctx, tenant, actor, settings.ConnectInput{Domain: host, Email: a.Email, APIToken: a.Token})
	case 1:
		_, err = svc.Update(ctx, tenant, actor, settings.UpdateInput{Domain: &host, Email: &a.Email, APIToken: &a.Token})
	case 2:
		_, err = svc.Test(ctx, tenant, actor)
	default:
		_, err = svc.Disconnect(ctx, tenant, actor)
	}
	return err
}

// checkTrail checks that the tenant's stored integration and audit log
// agree: the events of changes (Revision > 0) carry every revision from 1
// to the last exactly once, in audit order (no change without its event,
// no event without its change), and every other success is a disconnect
// with nothing stored; credential versions never decrease and grow
// with every connect, update and rekey; after a disconnect the next change
// is a connect (no lost disconnect); and the stored state is the last change's.
func checkTrail(t *testing.T, store settings.Store, tenant string) (changes int) {
	t.Helper()
	ctx := context.Background()
	events, err := store.ListAudit(ctx, tenant, settings.AuditListOptions{})
	if err != nil {
		t.Fatalf("ListAudit = %v", err)
	}
	var last settings.AuditEvent
	for _, e := range events {
		if e.Revision == 0 {
			if e.Outcome == settings.OutcomeSuccess && e.Action != settings.ActionDisconnect {
				t.Errorf("event %d: %s success without a change", e.ID, e.Action)
			}
			continue // a refusal, or a disconnect with nothing stored
		}
		changes++
		if e.Outcome == settings.OutcomeFailure && e.Action != settings.ActionTest || e.Outcome == settings.OutcomeDenied {
			t.Errorf("event %d %s %s records a change; only successes and probe outcomes do", e.ID, e.Action, e.Outcome)
		}
		if e.Revision != last.Revision+1 {
			t.Errorf("event %d (%s) has revision %d after revision %d; want %d (every change audited, once, in order)",
				e.ID, e.Action, e.Revision, last.Revision, last.Revision+1)
		}
		switch e.Action {
		case settings.ActionConnect, settings.ActionUpdate, settings.ActionRekey:
			if e.CredentialVersion <= last.CredentialVersion {
				t.Errorf("event %d (%s) credential version %d after %d; want it to grow", e.ID, e.Action, e.CredentialVersion, last.CredentialVersion)
			}
			if e.Action != settings.ActionConnect && (last.Revision == 0 || last.Action == settings.ActionDisconnect) {
				t.Errorf("event %d: %s with nothing stored (revision %d) brought the integration back", e.ID, e.Action, last.Revision)
			}
		case settings.ActionTest, settings.ActionDisconnect:
			if last.Revision == 0 || last.Action == settings.ActionDisconnect {
				t.Errorf("event %d (%s) at revision %d changes nothing stored (after %q)", e.ID, e.Action, e.Revision, last.Action)
			}
			if e.CredentialVersion != last.CredentialVersion {
				t.Errorf("event %d (%s) credential version %d; want the stored %d", e.ID, e.Action, e.CredentialVersion, last.CredentialVersion)
			}
		default:
			t.Errorf("event %d: unexpected change action %q", e.ID, e.Action)
		}
		last = e
	}
	got, err := store.GetIntegration(ctx, tenant)
	switch {
	case errors.Is(err, settings.ErrNotFound):
		if last.Revision != 0 && last.Action != settings.ActionDisconnect {
			t.Errorf("nothing stored, but the last audited change is %s at revision %d", last.Action, last.Revision)
		}
	case err != nil:
		t.Fatalf("GetIntegration = %v", err)
	case got.Revision != last.Revision || got.CredentialVersion != last.CredentialVersion:
		t.Errorf("stored revision %d, credential version %d; the last audited change (%s) has %d, %d",
			got.Revision, got.CredentialVersion, last.Action, last.Revision, last.CredentialVersion)
	}
	return changes
}

// TestRacingReplicasAgreeWithTheAuditTrail races connect, update, test and
// disconnect of one tenant from many goroutines across two Services, each
// with its own store on one SQLite file or one PostgreSQL database (two
// replicas), then checks the stored record against the audit trail.
func TestRacingReplicasAgreeWithTheAuditTrail(t *testing.T) {
	const goroutines, perGoroutine = 6, 8
	for _, db := range sharedDatabases(t) {
		t.Run(db.name, func(t *testing.T) {
			sim := confluencetest.NewServer(confluencetest.WithDataset("demo"))
			t.Cleanup(sim.Close)
			keyFile := filepath.Join(t.TempDir(), "master.key")
			a, store := replica(t, t.Context(), db.url, sim, keyFile)
			b, _ := replica(t, t.Context(), db.url, sim, keyFile)
			settingstest.Concurrently(t, "change", goroutines, func(i int) error {
				svc := []*settings.Service{a, b}[i%2]
				rnd := rand.New(rand.NewPCG(uint64(i), 7))
				for range perGoroutine {
					if err := change(t.Context(), svc, sim, "acme", fmt.Sprintf("k%d", i), rnd); err != nil {
						return err
					}
				}
				return nil
			})
			if n := checkTrail(t, store, "acme"); n < goroutines {
				t.Errorf("%d audited changes from %d calls; want at least %d", n, goroutines*perGoroutine, goroutines)
			}
		})
	}
}
