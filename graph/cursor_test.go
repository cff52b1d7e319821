package graph_test

import (
	"testing"

	"github.com/99designs/gqlgen/client"
)

type pageRun struct {
	Nodes    []struct{ ID string }
	PageInfo struct {
		HasNextPage bool
		EndCursor   *string
	}
}

// Following endCursor through a space of 3,000 pages, 100 at a time, reads every page once,
// past the old 2,500-item cap, and every page costs the space by key and one page-list read:
// the second reads the list's first 200 items exactly (the first page read 101, one to know
// whether more follow), every later one resumes at the cursor the upstream gave the one before.
func TestEndCursorResumesWithOneCall(t *testing.T) {
	e := newEnv(t, envOptions{dataset: "bench", benchSpaces: 1, benchPages: 3000})
	key := e.sim.Spaces()[0].Key
	const q = `query($key: String!, $after: String) { space(key: $key) { pages(depth: ALL, first: 100, after: $after) {
	  nodes { id } pageInfo { hasNextPage endCursor } } } }`
	seen := map[string]bool{}
	var after *string
	for n := 1; ; n++ {
		var r struct{ Space struct{ Pages pageRun } }
		e.sim.ResetStats()
		e.mustDo(t, q, &r, varKey(key), client.Var("after", after))
		st := e.sim.Stats()
		if st.Total != 2 || st.ByEndpoint["GET /wiki/api/v2/spaces/{id}/pages"] != 1 {
			t.Fatalf("page %d: upstream calls %v, want the space and one page-list read", n, st.ByEndpoint)
		}
		for _, p := range r.Space.Pages.Nodes {
			if seen[p.ID] {
				t.Fatalf("page %d: %s seen before", n, p.ID)
			}
			seen[p.ID] = true
		}
		if !r.Space.Pages.PageInfo.HasNextPage {
			break
		}
		if n > 40 {
			t.Fatal("more than 40 pages of 100")
		}
		after = r.Space.Pages.PageInfo.EndCursor
	}
	if len(seen) != 3000 {
		t.Errorf("read %d distinct pages, want 3000", len(seen))
	}
}

// A nested connection resumes the same way: the third run of a page's children costs the page
// and one children read.
func TestNestedEndCursorResumesWithOneCall(t *testing.T) {
	e := demoEnv(t)
	const q = `query($id: ID!, $after: String) { page(id: $id) { children(first: 1, after: $after) {
	  nodes { id } pageInfo { hasNextPage endCursor } } } }`
	var after *string
	var ids []string
	for n := 1; n <= 3; n++ {
		var r struct{ Page struct{ Children pageRun } }
		e.sim.ResetStats()
		e.mustDo(t, q, &r, client.Var("id", "100030"), client.Var("after", after))
		st := e.sim.Stats()
		if len(r.Page.Children.Nodes) != 1 {
			t.Fatalf("run %d: %d children, want 1 (the demo page has 5)", n, len(r.Page.Children.Nodes))
		}
		ids = append(ids, r.Page.Children.Nodes[0].ID)
		if n == 3 && (st.Total != 2 || st.ByEndpoint["GET /wiki/api/v2/pages/{id}/direct-children"] != 1) {
			t.Errorf("run 3: upstream calls %v, want the page and one children read", st.ByEndpoint)
		}
		after = r.Page.Children.PageInfo.EndCursor
	}
	if ids[0] == ids[1] || ids[1] == ids[2] || ids[0] == ids[2] {
		t.Errorf("children runs repeat: %v", ids)
	}
}

// Search results resume the same way: every run of 50 hits is one search call, from the third on
// starting at the cursor the previous run got from Confluence.
func TestSearchEndCursorResumesWithOneCall(t *testing.T) {
	e := newEnv(t, envOptions{dataset: "bench", benchSpaces: 1, benchPages: 400})
	key := e.sim.Spaces()[0].Key
	const q = `query($q: String!, $after: String) { search(cql: $q, first: 50, after: $after) {
	  nodes { title } pageInfo { hasNextPage endCursor } } }`
	var after *string
	titles := 0
	for n := 1; ; n++ {
		var r struct {
			Search struct {
				Nodes    []struct{ Title string }
				PageInfo struct {
					HasNextPage bool
					EndCursor   *string
				}
			}
		}
		e.sim.ResetStats()
		e.mustDo(t, q, &r, varQ("type = page AND space = "+key), client.Var("after", after))
		if st := e.sim.Stats(); st.Total != 1 {
			t.Errorf("run %d: upstream calls %v, want one search", n, st.ByEndpoint)
		}
		titles += len(r.Search.Nodes)
		if !r.Search.PageInfo.HasNextPage || n > 10 {
			break
		}
		after = r.Search.PageInfo.EndCursor
	}
	if titles != 400 {
		t.Errorf("read %d hits, want the space's 400 pages", titles)
	}
}
