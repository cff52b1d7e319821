package server_test

import (
	"strings"
	"testing"

	"github.com/confluence-graph/confluence-graph/internal/testquery"
	"github.com/confluence-graph/confluence-graph/server"
	"github.com/confluence-graph/confluence-graph/settings"
)

// The default complexity limit admits the reference nested query at 100 pages (priced by its
// upstream calls and items, about 3,450) and refuses children nested 100 x 100 x 100 (over a
// million items).
func TestDefaultComplexityLimitAdmitsNestedQueryAt100Pages(t *testing.T) {
	e := newEnv(t, server.Config{})
	key := e.key("acme", settings.RoleReader)
	q100 := strings.Replace(testquery.Nested, "pages(first: 25)", "pages(first: 100)", 1)
	if q100 == testquery.Nested {
		t.Fatal("testquery.Nested no longer reads pages(first: 25)")
	}
	if got := e.post(key, q100, map[string]any{"key": "BENCH1"}); got.code() == server.CodeComplexityLimit {
		t.Errorf("nested query at 100 pages refused: %s", got.message())
	}
	huge := `{ space(key: "A") { pages(first: 100) { nodes { children(first: 100) { nodes { children(first: 100) { nodes { id } } } } } } } }`
	if got := e.post(key, huge, nil); got.code() != server.CodeComplexityLimit {
		t.Errorf("100 x 100 x 100 children: code %q, want %s; %.300s", got.code(), server.CodeComplexityLimit, got.Raw)
	}
}
