package graph_test

import (
	"fmt"
	"strings"
	"testing"
)

// Arguments outside their documented ranges are BAD_USER_INPUT at the field, and nothing is
// asked of Confluence for a top-level field that is refused.
func TestArgumentRangesAreInputErrors(t *testing.T) {
	e := demoEnv(t)
	many := func(n int, quote bool) string {
		xs := make([]string, n)
		for i := range xs {
			xs[i] = fmt.Sprint(100000 + i)
			if quote {
				xs[i] = `"` + xs[i] + `"`
			}
		}
		return strings.Join(xs, ", ")
	}
	tests := []struct {
		name, query string
		path        string
		topLevel    bool
	}{
		{"space with key and id", `{ space(key: "OPS", id: "98305") { key } }`, "[space]", true},
		{"space with neither", `{ space { key } }`, "[space]", true},
		{"251 page ids", `{ pages(ids: [` + many(251, true) + `]) { id } }`, "[pages]", true},
		{"251 space keys", `{ spaces(keys: [` + many(251, true) + `]) { nodes { key } } }`, "[spaces]", true},
		{"descendants depth 0", `{ page(id: "100003") { descendants(depth: 0) { nodes { id } } } }`, "[page descendants]", false},
		{"descendants depth 11", `{ page(id: "100003") { descendants(depth: 11) { nodes { id } } } }`, "[page descendants]", false},
		{"pageTree maxDepth 0", `{ space(key: "OPS") { pageTree(maxDepth: 0) { truncated } } }`, "[space pageTree]", false},
		{"pageTree maxDepth 6", `{ space(key: "OPS") { pageTree(maxDepth: 6) { truncated } } }`, "[space pageTree]", false},
		{"modifiedWithinDays 0", `{ searchPages(filter: { modifiedWithinDays: 0 }) { nodes { title } } }`, "[searchPages]", true},
		{"a bad cursor", `{ search(cql: "type = page", after: "bogus") { nodes { title } } }`, "[search]", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e.sim.ResetStats()
			errs := e.do(t, tt.query, nil)
			if len(errs) != 1 {
				t.Fatalf("errors = %+v, want one", errs)
			}
			if codeOf(errs[0]) != "BAD_USER_INPUT" || fmt.Sprint(errs[0].Path) != tt.path || errs[0].Message == "" {
				t.Errorf("error = %s %q at %v, want BAD_USER_INPUT at %s", codeOf(errs[0]), errs[0].Message, errs[0].Path, tt.path)
			}
			if got := e.sim.Stats().Total; tt.topLevel && got != 0 {
				t.Errorf("upstream calls = %d, want 0", got)
			}
		})
	}
}
