package settingstest

import (
	"fmt"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/confluence-graph/confluence-graph/settings"
)

func testIsolationAudit(t *testing.T, s settings.Store) {
	a := &settings.AuditEvent{TenantID: "tenant-a", Action: "integration.connect", Outcome: settings.OutcomeSuccess}
	if err := s.AppendAudit(t.Context(), a); err != nil {
		t.Fatalf("AppendAudit(a) = %v; want nil", err)
	}
	got, err := s.ListAudit(t.Context(), "tenant-b", settings.AuditListOptions{})
	if err != nil {
		t.Fatalf("ListAudit(tenant-b) = %v; want nil", err)
	}
	if len(got) != 0 {
		t.Errorf("ListAudit(tenant-b) = %v; want no events", got)
	}
}

func appendEvents(t *testing.T, s settings.Store, events []*settings.AuditEvent) {
	t.Helper()
	for _, e := range events {
		if err := s.AppendAudit(t.Context(), e); err != nil {
			t.Fatalf("AppendAudit(%s) = %v; want nil", e.Action, err)
		}
		if e.ID <= 0 {
			t.Errorf("AppendAudit set ID = %d; want > 0", e.ID)
		}
		checkStoreTime(t, "At", e.At)
	}
}

func testAuditOrder(t *testing.T, s settings.Store) {
	events := []*settings.AuditEvent{
		{TenantID: "acme", ActorKeyID: "0123456789abcdef", Action: "integration.connect", Outcome: settings.OutcomeFailure, Detail: "INVALID_CREDENTIALS"},
		{TenantID: "other", Action: "apikey.create", Outcome: settings.OutcomeSuccess},
		{TenantID: "acme", ActorKeyID: "0123456789abcdef", Action: "integration.connect", Outcome: settings.OutcomeSuccess, Detail: "hint …abcd"},
		{TenantID: "acme", Action: "integration.disconnect", Outcome: settings.OutcomeSuccess},
	}
	appendEvents(t, s, events)

	var want []settings.AuditEvent
	for _, e := range events {
		if e.TenantID == "acme" {
			want = append(want, *e)
		}
	}
	got, err := s.ListAudit(t.Context(), "acme", settings.AuditListOptions{})
	if err != nil {
		t.Fatalf("ListAudit(acme) = %v; want nil", err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ListAudit(acme) (-want +got):\n%s", diff)
	}
	for i := 1; i < len(got); i++ {
		if got[i].ID <= got[i-1].ID || got[i].At.Before(got[i-1].At) {
			t.Errorf("event %d (id %d, at %v) is not after event %d (id %d, at %v)",
				i, got[i].ID, got[i].At, i-1, got[i-1].ID, got[i-1].At)
		}
	}
}

func testAuditWindow(t *testing.T, s settings.Store) {
	var events []*settings.AuditEvent
	for i := range 5 {
		events = append(events, &settings.AuditEvent{TenantID: "acme", Action: fmt.Sprintf("action.%d", i), Outcome: settings.OutcomeSuccess})
	}
	appendEvents(t, s, events)

	actions := func(evs []settings.AuditEvent) []string {
		var out []string
		for _, e := range evs {
			out = append(out, e.Action)
		}
		return out
	}
	tests := []struct {
		name string
		opts settings.AuditListOptions
		want []string
	}{
		{"all", settings.AuditListOptions{}, []string{"action.0", "action.1", "action.2", "action.3", "action.4"}},
		{"limit", settings.AuditListOptions{Limit: 2}, []string{"action.0", "action.1"}},
		{"after", settings.AuditListOptions{AfterID: events[2].ID}, []string{"action.3", "action.4"}},
		{"after and limit", settings.AuditListOptions{AfterID: events[0].ID, Limit: 3}, []string{"action.1", "action.2", "action.3"}},
		{"after the last", settings.AuditListOptions{AfterID: events[4].ID}, nil},
	}
	for _, tt := range tests {
		got, err := s.ListAudit(t.Context(), "acme", tt.opts)
		if err != nil {
			t.Fatalf("%s: ListAudit = %v; want nil", tt.name, err)
		}
		if diff := cmp.Diff(tt.want, actions(got)); diff != "" {
			t.Errorf("%s: ListAudit actions (-want +got):\n%s", tt.name, diff)
		}
	}
}

func testAuditInvalid(t *testing.T, s settings.Store) {
	tests := []struct {
		name string
		e    *settings.AuditEvent
	}{
		{"nil", nil},
		{"empty tenant", &settings.AuditEvent{Action: "a", Outcome: "success"}},
		{"empty action", &settings.AuditEvent{TenantID: "acme", Outcome: "success"}},
		{"empty outcome", &settings.AuditEvent{TenantID: "acme", Action: "a"}},
		{"a megabyte of detail", &settings.AuditEvent{TenantID: "acme", Action: "integration.test", Outcome: "success", Detail: strings.Repeat("alias ", 1<<18)}},
		{"action of client text", &settings.AuditEvent{TenantID: "acme", Action: "graphql.my alias\n", Outcome: "success"}},
	}
	for _, tt := range tests {
		wantErr(t, tt.name, s.AppendAudit(t.Context(), tt.e), settings.ErrInvalid)
	}
	_, err := s.ListAudit(t.Context(), "", settings.AuditListOptions{})
	wantErr(t, "ListAudit(\"\")", err, settings.ErrInvalid)
	got, err := s.ListAudit(t.Context(), "acme", settings.AuditListOptions{})
	if err != nil {
		t.Fatalf("ListAudit(acme) = %v; want nil", err)
	}
	if len(got) != 0 {
		t.Errorf("ListAudit(acme) after rejected appends = %d events; want 0", len(got))
	}
}

func testAuditConcurrent(t *testing.T, s settings.Store) {
	const n = 16
	Concurrently(t, "AppendAudit", n, func(i int) error {
		e := &settings.AuditEvent{TenantID: "acme", Action: fmt.Sprintf("action.%02d", i), Outcome: settings.OutcomeSuccess}
		return s.AppendAudit(t.Context(), e)
	})
	got, err := s.ListAudit(t.Context(), "acme", settings.AuditListOptions{})
	if err != nil {
		t.Fatalf("ListAudit = %v; want nil", err)
	}
	seen := map[string]bool{}
	for i, e := range got {
		seen[e.Action] = true
		if i > 0 && e.ID <= got[i-1].ID {
			t.Errorf("event %d id %d not greater than previous %d", i, e.ID, got[i-1].ID)
		}
	}
	if len(got) != n || len(seen) != n {
		t.Errorf("ListAudit after %d concurrent appends = %d events (%d distinct); want %d", n, len(got), len(seen), n)
	}
}

// auditMutator matches method names that would change or remove audit
// events.
var auditMutator = regexp.MustCompile(`(?i)(update|delete|remove|edit|purge|truncate|clear|replace|put|set).*audit|audit.*(update|delete|remove|edit|purge|truncate|clear|replace|put|set)`)

func testAuditAppendOnly(t *testing.T, s settings.Store) {
	typ := reflect.TypeOf(s)
	for i := range typ.NumMethod() {
		if name := typ.Method(i).Name; auditMutator.MatchString(name) {
			t.Errorf("%v has method %s; the audit log must be append-only", typ, name)
		}
	}
}

// RunAppendOnly checks that the database behind s keeps its audit log
// append-only also for SQL that bypasses the store (an operator's shell):
// it appends one event, runs each of stmts (which change or remove audit
// rows) through exec, a plain connection to the same database, wants each
// refused with an error naming "append-only", and the event unchanged.
func RunAppendOnly(t *testing.T, s settings.Store, exec func(stmt string) error, stmts ...string) {
	t.Helper()
	e := &settings.AuditEvent{TenantID: "acme", Action: "integration.connect", Outcome: settings.OutcomeSuccess}
	if err := s.AppendAudit(t.Context(), e); err != nil {
		t.Fatalf("AppendAudit = %v", err)
	}
	for _, stmt := range stmts {
		if err := exec(stmt); err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s: error = %v; want the append-only trigger to refuse", stmt, err)
		}
	}
	got, err := s.ListAudit(t.Context(), "acme", settings.AuditListOptions{})
	if err != nil {
		t.Fatalf("ListAudit = %v", err)
	}
	if len(got) != 1 || got[0] != *e {
		t.Errorf("ListAudit after refused changes = %+v; want the one original event %+v", got, *e)
	}
}
