package attack_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/confluence-graph/confluence-graph/server"
	"github.com/confluence-graph/confluence-graph/settings"
)

// refusedFast asserts that query is refused with code, quickly and before anything is sent to
// Confluence, and that the refusal names the limit.
func refusedFast(t *testing.T, g *target, key, query string, vars map[string]any, code, limit string) {
	t.Helper()
	g.sim.ResetStats()
	began := time.Now()
	got := g.post(t, key, query, vars)
	if took := time.Since(began); took > 3*time.Second {
		t.Errorf("refusal took %v; the cost check must not expand the document", took)
	}
	if got.code() != code {
		t.Fatalf("code %q, want %s; %.300s", got.code(), code, got.Raw)
	}
	if limit != "" && !strings.Contains(got.Errors[0].Message, limit) {
		t.Errorf("message %q does not name the limit %s", got.Errors[0].Message, limit)
	}
	if n := g.sim.Stats().Total; n != 0 {
		t.Errorf("%d Confluence calls for a refused document, want 0", n)
	}
}

// A 1.5 KB document of 39 fragment levels, each spreading the one below twice (2^39 fields once
// expanded), is refused before validation.
func TestFragmentBombRefused(t *testing.T) {
	g := start(t)
	g.connect(t, "acme", "classic")
	key := g.key(t, "acme", settings.RoleReader)
	var b strings.Builder
	b.WriteString("query { ...L39 }\nfragment L0 on Query { page(id: \"100003\") { title } }\n")
	for i := 1; i <= 39; i++ {
		fmt.Fprintf(&b, "fragment L%d on Query { ...L%d ...L%d }\n", i, i-1, i-1)
	}
	refusedFast(t, g, key, b.String(), nil, server.CodeFieldLimit, fmt.Sprint(server.DefaultFieldLimit))
}

// 10,000 copies of one field (quadratic to validate) are refused before validation.
func TestTenThousandFieldsRefused(t *testing.T) {
	g := start(t)
	key := g.key(t, "acme", settings.RoleReader)
	refusedFast(t, g, key, "{"+strings.Repeat(" __typename", 10000)+" }", nil, server.CodeFieldLimit, fmt.Sprint(server.DefaultFieldLimit))
}

// _entities with 12,000 representations is priced per representation and refused by the
// complexity limit, with nothing sent to Confluence.
func TestEntitiesWithThousandsOfRepresentationsRefused(t *testing.T) {
	g := start(t)
	g.connect(t, "acme", "classic")
	key := g.key(t, "acme", settings.RoleReader)
	reps := make([]map[string]any, 12000)
	for i := range reps {
		reps[i] = map[string]any{"__typename": "Page", "id": fmt.Sprint(100000 + i)}
	}
	refusedFast(t, g, key, `query($r: [_Any!]!) { _entities(representations: $r) { ... on Page { title } } }`,
		map[string]any{"r": reps}, server.CodeComplexityLimit, fmt.Sprint(server.DefaultComplexityLimit))
}

// A reader's refused mutations under 30 KB alias names reach the audit log as the fixed action
// of the schema field, once each and without the aliases: at most a few hundred bytes.
func TestAliasesIntoAuditBounded(t *testing.T) {
	g := start(t)
	reader := g.key(t, "acme", settings.RoleReader)
	fields := []string{"connectConfluence: disconnectConfluence { disconnected }"}
	for i := range 20 {
		fields = append(fields, strings.Repeat("A", 30000)+fmt.Sprint(i)+": testConfluenceConnection { userErrors { code } }")
	}
	if got := g.post(t, reader, "mutation { "+strings.Join(fields, "\n")+" }", nil); got.code() != "FORBIDDEN" {
		t.Fatalf("reader mutation: code %q, want FORBIDDEN; %.300s", got.code(), got.Raw)
	}
	events, err := g.app.Store().ListAudit(context.Background(), "acme", settings.AuditListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	size := 0
	for _, e := range events {
		size += len(e.Action) + len(e.Detail)
		if e.Action != settings.ActionDisconnect && e.Action != settings.ActionTest {
			t.Errorf("audit action %q chosen by the request", e.Action)
		}
	}
	if len(events) != 2 || size > 300 {
		t.Errorf("%d audit events of %d bytes, want 2 small ones (one per schema field)", len(events), size)
	}
}

// The request limits hold: a body over 1 MiB (413), nesting past the depth limit, more aliases
// than the alias limit, more tokens than the parser's limit.
func TestLimitsBodyDepthAliases(t *testing.T) {
	g := start(t)
	key := g.key(t, "acme", settings.RoleReader)
	big := []byte(`{"query":"{ __typename }","variables":{"pad":"` + strings.Repeat("x", server.DefaultMaxBodyBytes+1) + `"}}`)
	if got := g.postRaw(t, "Bearer "+key, big, false); got.Status != 413 || got.code() != server.CodeBodyTooLarge {
		t.Errorf("oversized body: %d %q, want 413 %s", got.Status, got.code(), server.CodeBodyTooLarge)
	}
	deep := `{ page(id: "1") {` + strings.Repeat(" children { nodes { ... on Page {", 8) + " id" + strings.Repeat(" } } }", 8) + " } }"
	refusedFast(t, g, key, deep, nil, server.CodeDepthLimit, "")
	var b strings.Builder
	b.WriteString("{")
	for i := range server.DefaultAliasLimit + 1 {
		fmt.Fprintf(&b, ` a%d: page(id: "1") { id }`, i)
	}
	b.WriteString(" }")
	refusedFast(t, g, key, b.String(), nil, server.CodeAliasLimit, "")
	tokens := `{ pages(ids: [` + strings.Repeat(`"1" `, server.DefaultParserTokenLimit) + `]) { id } }`
	refusedFast(t, g, key, tokens, nil, "GRAPHQL_PARSE_FAILED", "")
}
