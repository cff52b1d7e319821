package settingstest

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/confluence-graph/confluence-graph/settings"
)

// FailingDomain is the domain RunFailingWrite puts when it wants a write to
// fail inside the store's transaction.
const FailingDomain = "fail-inside-transaction.atlassian.net"

// FailingAction is the audit action RunFailingWrite appends with a change
// when it wants the audit insert, the last step of the change's
// transaction, to fail.
const FailingAction = "test.fail-inside-transaction"

// RunFailingWrite checks that a put which fails inside the store's
// transaction, after the store has already changed something (the
// credential version counter is bumped before the record is written),
// leaves the previous record and the version counter as they were.
//
// It also checks that a change and its audit event are one transaction:
// a change whose data write fails leaves no audit event, and a change
// whose audit insert fails leaves no change.
//
// open must return a fresh, empty store whose database refuses, from
// within the write (a trigger, a constraint), any integration row whose
// domain is FailingDomain and any audit event whose action is
// FailingAction; the store itself must not know about them. open closes
// the store in a t.Cleanup.
func RunFailingWrite(t *testing.T, open func(t *testing.T) settings.Store) {
	t.Helper()
	t.Run("ExistingRecordKept", func(t *testing.T) {
		s := open(t)
		prev := integration("acme", 1)
		mustPut(t, s, prev)

		bad := integration("acme", 2) // a new token: the version would move
		bad.Domain = FailingDomain
		err := s.PutIntegration(t.Context(), bad, nil)
		if err == nil {
			t.Fatalf("PutIntegration(%s) = nil; want the database's refusal (is the fault installed?)", FailingDomain)
		}
		if diff := cmp.Diff(prev, mustGet(t, s, "acme")); diff != "" {
			t.Errorf("record changed by a write that failed inside the transaction (-want +got):\n%s", diff)
		}
		next := integration("acme", 3)
		mustPut(t, s, next)
		if got, want := next.CredentialVersion, prev.CredentialVersion+1; got != want {
			t.Errorf("CredentialVersion after the failed put = %d; want %d (the failed put's bump rolled back)", got, want)
		}
	})
	t.Run("NoAuditWithoutChange", func(t *testing.T) {
		s := open(t)
		bad := integration("acme", 1)
		bad.Domain = FailingDomain
		if err := s.PutIntegration(t.Context(), bad, changeEvent("acme", "integration.connect")); err == nil {
			t.Fatalf("PutIntegration(%s) = nil; want the database's refusal", FailingDomain)
		}
		wantAudit(t, s, "acme")
	})
	t.Run("NoChangeWithoutAudit", func(t *testing.T) {
		s := open(t)
		prev := integration("acme", 1)
		mustPut(t, s, prev)
		err := s.PutIntegration(t.Context(), integration("acme", 2), changeEvent("acme", FailingAction))
		if err == nil {
			t.Fatalf("PutIntegration with a failing audit insert = nil; want the database's refusal")
		}
		if diff := cmp.Diff(prev, mustGet(t, s, "acme")); diff != "" {
			t.Errorf("record changed by a put whose audit insert failed (-want +got):\n%s", diff)
		}
		if err := s.DeleteIntegration(t.Context(), "acme", changeEvent("acme", FailingAction)); err == nil {
			t.Fatalf("DeleteIntegration with a failing audit insert = nil; want the database's refusal")
		}
		if diff := cmp.Diff(prev, mustGet(t, s, "acme")); diff != "" {
			t.Errorf("record changed by a delete whose audit insert failed (-want +got):\n%s", diff)
		}
		next := integration("acme", 3)
		mustPut(t, s, next)
		if next.Revision != prev.Revision+1 || next.CredentialVersion != prev.CredentialVersion+1 {
			t.Errorf("Revision, CredentialVersion after the failed changes = %d, %d; want %d, %d (their bumps rolled back)",
				next.Revision, next.CredentialVersion, prev.Revision+1, prev.CredentialVersion+1)
		}
		wantAudit(t, s, "acme")
	})
	t.Run("NewTenantNotCreated", func(t *testing.T) {
		s := open(t)
		bad := integration("fresh", 1)
		bad.Domain = FailingDomain
		if err := s.PutIntegration(t.Context(), bad, nil); err == nil {
			t.Fatalf("PutIntegration(%s) = nil; want the database's refusal", FailingDomain)
		}
		_, err := s.GetIntegration(t.Context(), "fresh")
		wantErr(t, "GetIntegration after the failed put", err, settings.ErrNotFound)
		in := integration("fresh", 2)
		mustPut(t, s, in)
		if in.CredentialVersion != 1 {
			t.Errorf("CredentialVersion of the first stored put = %d; want 1", in.CredentialVersion)
		}
	})
}
