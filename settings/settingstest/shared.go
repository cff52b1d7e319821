package settingstest

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/confluence-graph/confluence-graph/settings"
)

// RunShared checks two stores opened on one database, as two processes or
// replicas would hold them: what one writes the other reads, unique
// constraints hold across them, and concurrent puts through both leave one
// whole write with every credential change counted. open must return two
// handles on a fresh, empty database and close both in a t.Cleanup.
func RunShared(t *testing.T, open func(t *testing.T) (a, b settings.Store)) {
	t.Helper()
	t.Run("WritesVisibleAcrossHandles", func(t *testing.T) {
		t.Parallel()
		a, b := open(t)
		in := integration("acme", 1)
		mustPut(t, a, in)
		if diff := cmp.Diff(in, mustGet(t, b, "acme")); diff != "" {
			t.Errorf("read through the second handle (-want +got):\n%s", diff)
		}
		if err := b.DeleteIntegration(t.Context(), "acme", nil); err != nil {
			t.Fatalf("DeleteIntegration through b = %v; want nil", err)
		}
		_, err := a.GetIntegration(t.Context(), "acme")
		wantErr(t, "GetIntegration through a after delete through b", err, settings.ErrNotFound)
	})
	t.Run("EveryChangeVisibleOnTheNextRead", func(t *testing.T) {
		// A store may keep what it read while the stored row is unchanged (the read path
		// reads the integration on every request); a change through another handle must
		// still show on the very next read, whatever the first handle read before.
		t.Parallel()
		a, b := open(t)
		for n := range 4 {
			in := integration("acme", n)
			mustPut(t, b, in)
			for range 2 {
				if diff := cmp.Diff(in, mustGet(t, a, "acme")); diff != "" {
					t.Fatalf("read %d through a after a put through b (-want +got):\n%s", n, diff)
				}
			}
			if n == 2 {
				if err := b.DeleteIntegration(t.Context(), "acme", nil); err != nil {
					t.Fatalf("DeleteIntegration through b = %v; want nil", err)
				}
				_, err := a.GetIntegration(t.Context(), "acme")
				wantErr(t, "GetIntegration through a after delete through b", err, settings.ErrNotFound)
			}
		}
	})
	t.Run("UniqueAcrossHandles", func(t *testing.T) {
		t.Parallel()
		a, b := open(t)
		k, _ := mustKey(t, a, "acme", settings.RoleAdmin)
		dup, _, err := settings.NewAPIKey("other", settings.RoleReader)
		if err != nil {
			t.Fatal(err)
		}
		dup.ID = k.ID
		wantErr(t, "CreateAPIKey(duplicate) through b", b.CreateAPIKey(t.Context(), dup), settings.ErrConflict)
	})
	t.Run("ConcurrentPutsAcrossHandles", func(t *testing.T) {
		t.Parallel()
		a, b := open(t)
		const writers = 10
		byDomain := map[string]*settings.Integration{}
		ins := make([]*settings.Integration, writers)
		for i := range ins {
			ins[i] = integration("acme", 200+i)
			byDomain[ins[i].Domain] = ins[i].Clone()
		}
		Concurrently(t, "PutIntegration", writers, func(i int) error {
			return []settings.Store{a, b}[i%2].PutIntegration(t.Context(), ins[i], nil)
		})
		for _, s := range []settings.Store{a, b} {
			got := mustGet(t, s, "acme")
			w, ok := byDomain[got.Domain]
			if !ok {
				t.Fatalf("final domain %q is from none of the writes", got.Domain)
			}
			if diff := cmp.Diff(w, got, storeKept); diff != "" {
				t.Errorf("final record is not one whole write (-write +final):\n%s", diff)
			}
			if got.CredentialVersion != writers {
				t.Errorf("CredentialVersion after %d puts through two handles = %d; want %d", writers, got.CredentialVersion, writers)
			}
		}
	})
	t.Run("AuditAcrossHandles", func(t *testing.T) {
		t.Parallel()
		a, b := open(t)
		for i := range 4 {
			e := &settings.AuditEvent{TenantID: "acme", Action: fmt.Sprintf("action.%d", i), Outcome: settings.OutcomeSuccess}
			if err := []settings.Store{a, b}[i%2].AppendAudit(t.Context(), e); err != nil {
				t.Fatalf("AppendAudit = %v; want nil", err)
			}
		}
		got, err := b.ListAudit(t.Context(), "acme", settings.AuditListOptions{})
		if err != nil {
			t.Fatalf("ListAudit = %v; want nil", err)
		}
		var actions []string
		for _, e := range got {
			actions = append(actions, e.Action)
		}
		if diff := cmp.Diff([]string{"action.0", "action.1", "action.2", "action.3"}, actions); diff != "" {
			t.Errorf("audit appended through two handles (-want +got):\n%s", diff)
		}
	})
}
