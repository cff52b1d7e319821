package server_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/confluence-graph/confluence-graph/internal/testsupport"
	"github.com/confluence-graph/confluence-graph/server"
	"github.com/confluence-graph/confluence-graph/settings"
)

// A reader's refused mutations are audited with facts the server fixes: the
// action of the field's schema name, whatever alias the request gave it,
// one event per action, and nothing the request wrote.
func TestDeniedAuditRecordsFactsNotAliases(t *testing.T) {
	st := mustOpenStore(t)
	e := newEnv(t, server.Config{Keys: st, Audit: st})
	reader := testsupport.MustKey(t, st, "acme", settings.RoleReader)

	long := strings.Repeat("x", 30000)
	var b strings.Builder
	b.WriteString("mutation {\n  connectConfluence: disconnectConfluence { userErrors { code } }\n")
	for i := range 25 {
		fmt.Fprintf(&b, "  %s%d: disconnectConfluence { userErrors { code } }\n", long, i)
	}
	b.WriteString("  ...F\n}\nfragment F on Mutation { t: testConfluenceConnection { userErrors { code } } }\n")
	got := e.post(reader, b.String(), nil)
	if got.code() != "FORBIDDEN" {
		t.Fatalf("reader mutation: code %q, want FORBIDDEN; %.300s", got.code(), got.Raw)
	}

	events, err := st.ListAudit(context.Background(), "acme", settings.AuditListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	size := 0
	for _, ev := range events {
		actions = append(actions, ev.Action+":"+ev.Outcome)
		size += len(ev.Action) + len(ev.Detail)
	}
	want := []string{settings.ActionDisconnect + ":" + settings.OutcomeDenied, settings.ActionTest + ":" + settings.OutcomeDenied}
	if strings.Join(actions, ",") != strings.Join(want, ",") {
		t.Errorf("audit events %v, want %v (the schema field's action once each, never an alias)", actions, want)
	}
	if size > 200 {
		t.Errorf("audit events hold %d bytes of action and detail; the request's aliases must not reach them", size)
	}
}
