package graph_test

import (
	"testing"
	"time"

	"github.com/99designs/gqlgen/client"

	"github.com/confluence-graph/confluence-graph/loaders"
)

// A tree of more than 2,000 entries says it is truncated and its endCursor returns the rest. The
// first call reads the whole page list (12 calls of 250: fewer than one descendants call per
// top-level page) and the top-level list (2 calls) to decide so; the continuation reads nothing
// again: the list, the space's other content and the space come from the cache.
func TestPageTreeTruncatedContinues(t *testing.T) {
	e := newEnv(t, envOptions{dataset: "bench", benchSpaces: 1, benchPages: 3000, cache: loaders.NewCache(0, time.Minute)})
	key := e.sim.Spaces()[0].Key
	const q = `query($key: String!, $after: String) { space(key: $key) { pageTree(maxDepth: 5, after: $after) {
	  entries { content { id } depth } truncated endCursor } } }`
	type tree struct {
		Space struct {
			PageTree struct {
				Entries   []struct{ Content struct{ ID string } }
				Truncated bool
				EndCursor *string
			}
		}
	}
	var first, rest tree
	e.sim.ResetStats()
	e.mustDo(t, q, &first, varKey(key))
	firstStats := e.sim.Stats()
	t.Logf("first call: %v", firstStats.ByEndpoint)
	got := first.Space.PageTree
	if len(got.Entries) != 2000 || !got.Truncated || got.EndCursor == nil {
		t.Fatalf("first call: %d entries, truncated %v, endCursor %v; want 2000, true and a cursor", len(got.Entries), got.Truncated, got.EndCursor)
	}
	if firstStats.Total != 16 || firstStats.ByEndpoint["GET /wiki/api/v2/spaces/{id}/pages"] != 14 || firstStats.ByEndpoint["GET /wiki/api/v2/pages/{id}/descendants"] != 0 {
		t.Errorf("first call: upstream calls %v, want 16: the space, 14 page-list reads, 1 content search, no descendants", firstStats.ByEndpoint)
	}
	e.sim.ResetStats()
	e.mustDo(t, q, &rest, varKey(key), client.Var("after", *got.EndCursor))
	if st := e.sim.Stats(); st.Total != 0 {
		t.Errorf("continuation: upstream calls %v, want none (the tree's reads are cached)", st.ByEndpoint)
	}
	more := rest.Space.PageTree
	if len(more.Entries) == 0 || more.Truncated || more.EndCursor != nil {
		t.Fatalf("continuation: %d entries, truncated %v, endCursor %v; want the rest, false, null", len(more.Entries), more.Truncated, more.EndCursor)
	}
	seen := map[string]bool{}
	for _, en := range append(got.Entries, more.Entries...) {
		if seen[en.Content.ID] {
			t.Fatalf("page %s listed twice", en.Content.ID)
		}
		seen[en.Content.ID] = true
	}
	t.Logf("tree of %d entries in two calls", len(seen))
}
