package graph_test

import (
	"fmt"
	"testing"
)

// Every connection refuses first outside 1..100 with the same clear BAD_USER_INPUT at its path.
func TestEveryConnectionCapsFirst(t *testing.T) {
	e := demoEnv(t)
	fields := []struct {
		name, query string
		path        []any
	}{
		{"spaces", `{ spaces(first: %d) { nodes { key } } }`, []any{"spaces"}},
		{"search", `{ search(cql: "type = page", first: %d) { nodes { title } } }`, []any{"search"}},
		{"searchPages", `{ searchPages(filter: { text: "x" }, first: %d) { nodes { title } } }`, []any{"searchPages"}},
		{"Space.pages", `{ space(key: "OPS") { pages(first: %d) { nodes { id } } } }`, []any{"space", "pages"}},
		{"Page.children", `{ page(id: "100003") { children(first: %d) { nodes { id } } } }`, []any{"page", "children"}},
		{"Page.descendants", `{ page(id: "100003") { descendants(first: %d) { nodes { id } } } }`, []any{"page", "descendants"}},
		{"Page.comments", `{ page(id: "100003") { comments(first: %d) { nodes { id } } } }`, []any{"page", "comments"}},
		{"Page.versions", `{ page(id: "100003") { versions(first: %d) { nodes { number } } } }`, []any{"page", "versions"}},
		{"Page.attachments", `{ page(id: "100003") { attachments(first: %d) { nodes { id } } } }`, []any{"page", "attachments"}},
		{"Comment.replies", `{ page(id: "100003") { comments(first: 1) { nodes { replies(first: %d) { nodes { id } } } } } }`, []any{"page", "comments", "nodes", float64(0), "replies"}},
	}
	for _, f := range fields {
		for _, n := range []int{0, 101} {
			t.Run(fmt.Sprintf("%s first %d", f.name, n), func(t *testing.T) {
				errs := e.do(t, fmt.Sprintf(f.query, n), nil)
				if len(errs) != 1 {
					t.Fatalf("errors = %+v, want one", errs)
				}
				ge := errs[0]
				want := fmt.Sprintf("first must be between 1 and 100, got %d", n)
				if codeOf(ge) != "BAD_USER_INPUT" || ge.Message != want {
					t.Errorf("error = %s %q, want BAD_USER_INPUT %q", codeOf(ge), ge.Message, want)
				}
				if fmt.Sprint(ge.Path) != fmt.Sprint(f.path) {
					t.Errorf("path = %v, want %v", ge.Path, f.path)
				}
			})
		}
	}
}
