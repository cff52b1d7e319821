package settingstest

import (
	"errors"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/confluence-graph/confluence-graph/settings"
)

// changeEvent is the audit event of a change of tenant's integration.
func changeEvent(tenant, action string) *settings.AuditEvent {
	return &settings.AuditEvent{TenantID: tenant, ActorKeyID: "0123456789abcdef", Action: action, Outcome: settings.OutcomeSuccess}
}

// auditRevisions lists the (action, revision, credential version) of the
// tenant's audit events in order.
func auditRevisions(t *testing.T, s settings.Store, tenant string) []string {
	t.Helper()
	events, err := s.ListAudit(t.Context(), tenant, settings.AuditListOptions{})
	if err != nil {
		t.Fatalf("ListAudit(%s) = %v; want nil", tenant, err)
	}
	out := []string{}
	for _, e := range events {
		out = append(out, fmt.Sprintf("%s r%d c%d", e.Action, e.Revision, e.CredentialVersion))
	}
	return out
}

// wantAudit fails unless the tenant's audit log is want (see auditRevisions).
func wantAudit(t *testing.T, s settings.Store, tenant string, want ...string) {
	t.Helper()
	if want == nil {
		want = []string{}
	}
	if diff := cmp.Diff(want, auditRevisions(t, s, tenant)); diff != "" {
		t.Errorf("audit log of %s (-want +got):\n%s", tenant, diff)
	}
}

func testCompareAndSet(t *testing.T, s settings.Store) {
	first := integration("acme", 1)
	mustPut(t, s, first)
	if first.Revision != 1 {
		t.Errorf("Revision after the first put = %d; want 1", first.Revision)
	}
	read := mustGet(t, s, "acme")
	if read.Revision != 1 {
		t.Errorf("read Revision = %d; want 1", read.Revision)
	}

	// A write based on the read succeeds and moves the revision on.
	next := integration("acme", 2)
	next.Revision = read.Revision
	mustPut(t, s, next)
	if next.Revision != 2 {
		t.Errorf("Revision after a put based on revision 1 = %d; want 2", next.Revision)
	}

	// A second write based on the same (now stale) read is refused.
	stale := integration("acme", 3)
	stale.Revision = read.Revision
	err := s.PutIntegration(t.Context(), stale, changeEvent("acme", "integration.test"))
	wantErr(t, "PutIntegration based on a stale revision", err, settings.ErrStale)
	if diff := cmp.Diff(next, mustGet(t, s, "acme")); diff != "" {
		t.Errorf("record changed by a stale put (-want +got):\n%s", diff)
	}

	// A write based on a record that was deleted since is refused too,
	// and the next revision is never one handed out before.
	if err := s.DeleteIntegration(t.Context(), "acme", nil); err != nil {
		t.Fatalf("DeleteIntegration = %v; want nil", err)
	}
	stale = integration("acme", 4)
	stale.Revision = next.Revision
	wantErr(t, "PutIntegration based on a deleted record", s.PutIntegration(t.Context(), stale, nil), settings.ErrStale)
	_, err = s.GetIntegration(t.Context(), "acme")
	wantErr(t, "GetIntegration after a stale put on a deleted record", err, settings.ErrNotFound)
	again := integration("acme", 5)
	mustPut(t, s, again)
	if again.Revision != 4 {
		t.Errorf("Revision of a put after put, put, delete = %d; want 4 (the delete took 3)", again.Revision)
	}
	// Nor is a write based on a revision never stored.
	never := integration("other", 6)
	never.Revision = 7
	wantErr(t, "PutIntegration based on a revision of nothing stored", s.PutIntegration(t.Context(), never, nil), settings.ErrStale)
	wantAudit(t, s, "acme")
}

func testChangeAudited(t *testing.T, s settings.Store) {
	in := integration("acme", 1)
	ev := changeEvent("acme", "integration.connect")
	if err := s.PutIntegration(t.Context(), in, ev); err != nil {
		t.Fatalf("PutIntegration with audit = %v; want nil", err)
	}
	if ev.ID <= 0 || ev.Revision != in.Revision || ev.CredentialVersion != in.CredentialVersion {
		t.Errorf("audit event after put = %+v; want an ID and the record's revision %d and credential version %d",
			ev, in.Revision, in.CredentialVersion)
	}
	checkStoreTime(t, "audit At", ev.At)

	same := integration("acme", 2)
	same.EncryptedToken = in.EncryptedToken
	same.Revision = in.Revision
	if err := s.PutIntegration(t.Context(), same, changeEvent("acme", "integration.test")); err != nil {
		t.Fatalf("PutIntegration with audit = %v; want nil", err)
	}
	if err := s.DeleteIntegration(t.Context(), "acme", changeEvent("acme", "integration.disconnect")); err != nil {
		t.Fatalf("DeleteIntegration with audit = %v; want nil", err)
	}
	// Refused changes write no event.
	wantErr(t, "DeleteIntegration(nothing stored)", s.DeleteIntegration(t.Context(), "acme", changeEvent("acme", "integration.disconnect")), settings.ErrNotFound)
	bad := []struct {
		name string
		ev   *settings.AuditEvent
	}{
		{"no action", &settings.AuditEvent{TenantID: "acme", Outcome: settings.OutcomeSuccess}},
		{"another tenant", changeEvent("other", "integration.connect")},
	}
	for _, b := range bad {
		wantErr(t, "PutIntegration with audit event of "+b.name, s.PutIntegration(t.Context(), integration("acme", 3), b.ev), settings.ErrInvalid)
	}
	_, err := s.GetIntegration(t.Context(), "acme")
	wantErr(t, "GetIntegration after refused puts", err, settings.ErrNotFound)
	wantAudit(t, s, "acme", "integration.connect r1 c1", "integration.test r2 c1", "integration.disconnect r3 c1")
	wantAudit(t, s, "other")

	// An event appended on its own records no change, whatever it says.
	lone := &settings.AuditEvent{TenantID: "acme", Action: "integration.test", Outcome: settings.OutcomeFailure, Revision: 9, CredentialVersion: 9}
	if err := s.AppendAudit(t.Context(), lone); err != nil {
		t.Fatalf("AppendAudit = %v; want nil", err)
	}
	if lone.Revision != 0 || lone.CredentialVersion != 0 {
		t.Errorf("AppendAudit kept Revision, CredentialVersion = %d, %d; want 0, 0", lone.Revision, lone.CredentialVersion)
	}
}

// testConcurrentCompareAndSet races writers that all read one revision:
// exactly one may write, each of the others gets ErrStale, and the audit
// log holds exactly the winner's event.
func testConcurrentCompareAndSet(t *testing.T, s settings.Store) {
	base := integration("acme", 1)
	mustPut(t, s, base)
	const writers = 8
	errs := make([]error, writers)
	Concurrently(t, "PutIntegration (ErrStale filtered)", writers, func(i int) error {
		in := integration("acme", 10+i)
		in.Revision = base.Revision
		errs[i] = s.PutIntegration(t.Context(), in, changeEvent("acme", fmt.Sprintf("integration.w%d", i)))
		if errors.Is(errs[i], settings.ErrStale) {
			return nil
		}
		return errs[i]
	})
	won := -1
	for i, err := range errs {
		if err == nil {
			if won >= 0 {
				t.Errorf("writers %d and %d both wrote on revision %d", won, i, base.Revision)
			}
			won = i
		}
	}
	if won < 0 {
		t.Fatalf("no writer wrote; want exactly one")
	}
	got := mustGet(t, s, "acme")
	if got.Domain != integration("acme", 10+won).Domain || got.Revision != 2 {
		t.Errorf("stored %v; want writer %d's record at revision 2", got, won)
	}
	wantAudit(t, s, "acme", fmt.Sprintf("integration.w%d r2 c2", won))
}

func testListIntegrations(t *testing.T, s settings.Store) {
	got, err := s.ListIntegrations(t.Context(), "", 0)
	if err != nil || len(got) != 0 {
		t.Fatalf("ListIntegrations(empty store) = %v, %v; want none", got, err)
	}
	var want []settings.Integration
	for i, tenant := range []string{"c", "a", "b", "d"} {
		in := integration(tenant, i)
		mustPut(t, s, in)
		want = append(want, *in)
	}
	if err := s.DeleteIntegration(t.Context(), "d", nil); err != nil {
		t.Fatal(err)
	}
	want = []settings.Integration{want[1], want[2], want[0]} // a, b, c; d deleted
	got, err = s.ListIntegrations(t.Context(), "", 0)
	if err != nil {
		t.Fatalf("ListIntegrations = %v", err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ListIntegrations (-want +got):\n%s", diff)
	}
	var paged []settings.Integration
	for after := ""; ; {
		page, err := s.ListIntegrations(t.Context(), after, 2)
		if err != nil {
			t.Fatalf("ListIntegrations(after %q) = %v", after, err)
		}
		if len(page) == 0 {
			break
		}
		if len(page) > 2 {
			t.Fatalf("ListIntegrations(limit 2) = %d records", len(page))
		}
		paged = append(paged, page...)
		after = page[len(page)-1].TenantID
	}
	if diff := cmp.Diff(want, paged); diff != "" {
		t.Errorf("ListIntegrations by pages of 2 (-want +got):\n%s", diff)
	}
}
