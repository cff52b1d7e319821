package graph_test

import (
	"encoding/json"
	"sort"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/client"
)

// nestedQuery is the query of issue 5: the context an investigation needs, three levels deep.
const nestedQuery = `query($key: String!) { space(key: $key) { name pages(first: 25) { nodes {
    id title labels { name } author { displayName }
    children(first: 10) { nodes { id title ... on Page { labels { name } } } }
    comments(first: 5) { nodes { author { displayName } body { value } } }
    attachments(first: 5) { nodes { title mediaType } }
    versions(first: 3) { nodes { number message } } } } } }`

type nestedResp struct {
	Space struct {
		Name  string
		Pages struct {
			Nodes []struct {
				ID, Title string
				Labels    []struct{ Name string }
				Author    *struct{ DisplayName string }
				Children  struct {
					Nodes []struct {
						ID, Title string
						Labels    []struct{ Name string }
					}
				}
				Comments struct {
					Nodes []struct {
						Author *struct{ DisplayName string }
						Body   struct{ Value string }
					}
				}
				Attachments struct {
					Nodes []struct{ Title, MediaType string }
				}
				Versions struct {
					Nodes []struct {
						Number  int
						Message *string
					}
				}
			}
		}
	}
}

// naiveCalls is what a client making one REST call per node and per list spends on the same
// answer with the same endpoints: the space and its page list, then per page its labels, its
// author, its children, its footer comments, its inline comments (Confluence lists the two
// kinds separately), its attachments and its versions, per child its labels, per comment its
// author.
func naiveCalls(r nestedResp) int {
	n := 2
	for _, p := range r.Space.Pages.Nodes {
		n += 7 + len(p.Children.Nodes) + len(p.Comments.Nodes)
	}
	return n
}

// perEndpoint formats the simulator's counts for the log.
func perEndpoint(m map[string]int) string {
	var lines []string
	for k, v := range m {
		lines = append(lines, k+" = "+itoa(v))
	}
	sort.Strings(lines)
	return "  " + strings.Join(lines, "\n  ")
}

// TestNestedQueryCallCounts runs the query on the first bench space through the
// production path (loaders.ClientSource over the confluence client, as graph.SettingsSource
// wires it) and, as the baseline, with CQL batching off; it asserts the exact upstream requests
// of each. The answers must be identical: batching changes the cost, never the result.
func TestNestedQueryCallCounts(t *testing.T) {
	const clientMode = "client (v1 content search with children expansions)"
	type mode struct {
		name string
		opts envOptions
		// want is the exact number of upstream requests.
		want int
		// ratio is the least one-call-per-node / upstream calls.
		ratio float64
	}
	modes := []mode{
		// The space, its page list, one content search for the 25 pages' labels, comments
		// (with their authors) and attachments, one for their children with labels and
		// positions, one users-bulk for the pages' authors, and 25 version lists (no bulk form).
		{clientMode, envOptions{dataset: "bench"}, 30, 10},
		// An upstream without the children expansions (ExpandingUpstream): labels and children
		// still by CQL, comments (footer and inline), attachments and versions one call per page.
		// Measured at 3.0x: the 4x and 10x targets are met by the production path above,
		// this pins the fallback's cost so it does not creep up unseen.
		{"CQL batching without expansions", envOptions{dataset: "bench", noExpansions: true}, 106, 3},
		// Labels, children, comments (footer and inline) and attachments one call per page.
		{"no CQL batching (one call per page and list, the baseline)", envOptions{dataset: "bench", noCQL: true}, 228, 1},
	}
	var first []byte
	for _, m := range modes {
		t.Run(m.name, func(t *testing.T) {
			e := newEnv(t, m.opts)
			key := e.sim.Spaces()[0].Key
			e.sim.ResetStats()
			var resp nestedResp
			e.mustDo(t, nestedQuery, &resp, varKey(key))
			st := e.sim.Stats()
			pages, children, comments := len(resp.Space.Pages.Nodes), 0, 0
			for _, p := range resp.Space.Pages.Nodes {
				children += len(p.Children.Nodes)
				comments += len(p.Comments.Nodes)
			}
			naive := naiveCalls(resp)
			ratio := float64(naive) / float64(st.Total)
			t.Logf("%s on %s: %d pages, %d children, %d comments; upstream calls %d, one call per node %d, ratio %.1fx\n%s",
				m.name, key, pages, children, comments, st.Total, naive, ratio, perEndpoint(st.ByEndpoint))
			if pages != 25 || children < 50 || comments < 25 {
				t.Fatalf("the bench space is smaller than the test assumes: %d pages, %d children, %d comments", pages, children, comments)
			}
			if st.Total != m.want {
				t.Errorf("upstream calls = %d, want %d", st.Total, m.want)
			}
			if ratio < m.ratio {
				t.Errorf("ratio %.1fx, want at least %.0fx", ratio, m.ratio)
			}
			if st.Writes != 0 {
				t.Errorf("writes = %d, want 0", st.Writes)
			}
			if m.name == clientMode {
				// No field may cost one call per child node: every endpoint is called at most
				// once per parent page (25), the per-page lists that have a batched form not at
				// all, and the page lists the details came with do not repeat per page.
				for ep, n := range st.ByEndpoint {
					if n > pages {
						t.Errorf("%s called %d times for %d pages: a per-child cost", ep, n, pages)
					}
				}
				for _, ep := range []string{"GET /wiki/api/v2/pages/{id}/labels", "GET /wiki/api/v2/pages/{id}/footer-comments",
					"GET /wiki/api/v2/pages/{id}/inline-comments", "GET /wiki/api/v2/pages/{id}/attachments",
					"GET /wiki/api/v2/pages/{id}/direct-children", "POST /wiki/api/v2/users-bulk"} {
					if n, most := st.ByEndpoint[ep], map[bool]int{true: 1, false: 0}[ep == "POST /wiki/api/v2/users-bulk"]; n > most {
						t.Errorf("%s = %d, want at most %d (the batched form answers)", ep, n, most)
					}
				}
			}
			b, _ := json.Marshal(resp)
			if first == nil {
				first = b
			} else if string(b) != string(first) {
				t.Errorf("answer differs from the first mode's:\n%s\nvs\n%s", b, first)
			}
		})
	}
}

// TestLabelsOfManyNodesCostNoCallPerNode asks the labels of a few hundred pages at two levels:
// they must come from a handful of CQL reads, not one call per page.
func TestLabelsOfManyNodesCostNoCallPerNode(t *testing.T) {
	e := newEnv(t, envOptions{dataset: "bench"})
	key := e.sim.Spaces()[0].Key
	e.sim.ResetStats()
	var r struct {
		Space struct {
			Pages struct {
				Nodes []struct {
					Labels   []struct{ Name string }
					Children struct {
						Nodes []struct {
							Labels []struct{ Name string }
						}
					}
				}
			}
		}
	}
	e.mustDo(t, `query($key: String!) { space(key: $key) { pages(depth: ALL, first: 100) { nodes {
	  labels { name } children(first: 10) { nodes { ... on Page { labels { name } } } } } } } }`, &r, varKey(key))
	nodes, labelled := 0, 0
	for _, p := range r.Space.Pages.Nodes {
		nodes++
		labelled += min(len(p.Labels), 1)
		for _, c := range p.Children.Nodes {
			nodes++
			labelled += min(len(c.Labels), 1)
		}
	}
	st := e.sim.Stats()
	t.Logf("%d pages with labels (%d labelled), upstream calls %d:\n%s", nodes, labelled, st.Total, perEndpoint(st.ByEndpoint))
	if nodes < 250 || labelled < nodes/2 {
		t.Fatalf("only %d nodes (%d labelled); the test needs at least 250", nodes, labelled)
	}
	if n := st.ByEndpoint["GET /wiki/api/v2/pages/{id}/labels"]; n != 0 {
		t.Errorf("per-page label calls = %d, want 0", n)
	}
	// The space, its pages, one CQL read of the 100 pages' labels (a labels-only search: the
	// details search that also brings comments holds 50 pages), two CQL reads of their 290
	// children (250 a page) with the children's labels and positions.
	if st.Total != 5 {
		t.Errorf("upstream calls = %d for %d pages' labels, want 5", st.Total, nodes)
	}
}

// The other shapes Annie uses cost the fewest calls Confluence's endpoints allow.
func TestQueryShapesCallCounts(t *testing.T) {
	e := demoEnv(t)
	tests := []struct {
		name  string
		query string
		want  map[string]int
	}{
		{"search with page bodies: the bodies come with the hits (users: the @mentions' names; links: one search for every body's pages, one list of the runbook's files for its image)",
			`{ search(cql: "type = page AND space = OPS", first: 10) { nodes { page { id title body { value } } } } }`,
			map[string]int{"GET /wiki/rest/api/search": 2, "POST /wiki/api/v2/users-bulk": 1, "GET /wiki/api/v2/pages/{id}/attachments": 1}},
		{"search hits' pages without bodies cost nothing more",
			`{ search(cql: "type = page AND label = runbook") { edges { node { title page { id title } } } } }`,
			map[string]int{"GET /wiki/rest/api/search": 1}},
		{"diff: the page with its current body, then the previous version",
			`{ page(id: "100008") { title diff { linesAdded unified } } }`,
			map[string]int{"GET /wiki/api/v2/pages": 1, "GET /wiki/api/v2/pages/{id}": 1}},
		{"versions with their bodies: one list call (users: the @mentions' names; links: one search for the pages, one list of the page's files)",
			`{ page(id: "100003") { versions(first: 3) { nodes { number body { value } } } } }`,
			map[string]int{"GET /wiki/api/v2/pages": 1, "GET /wiki/api/v2/pages/{id}/versions": 1, "POST /wiki/api/v2/users-bulk": 1,
				"GET /wiki/rest/api/search": 1, "GET /wiki/api/v2/pages/{id}/attachments": 1}},
		{"entities with authors: one bulk read each",
			`{ _entities(representations: [{__typename: "Page", id: "100003"}, {__typename: "Page", id: "100006"}, {__typename: "Page", id: "100021"}]) { ... on Page { title author { displayName } } } }`,
			map[string]int{"GET /wiki/api/v2/pages": 1, "POST /wiki/api/v2/users-bulk": 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e.sim.ResetStats()
			var r json.RawMessage
			e.mustDo(t, tt.query, &r)
			if strings.Contains(string(r), "null") {
				t.Errorf("answer has nulls: %s", r)
			}
			got := e.sim.Stats().ByEndpoint
			if len(got) != len(tt.want) {
				t.Errorf("upstream calls = %v, want %v", got, tt.want)
			}
			for ep, n := range tt.want {
				if got[ep] != n {
					t.Errorf("%s = %d, want %d (all: %v)", ep, got[ep], n, got)
				}
			}
		})
	}
}

// A space's page tree comes from its page list (250 pages a call), not one call per page, and
// agrees with the tree below one of its pages read through the descendants endpoint.
func TestPageTreeCallsAndAgreement(t *testing.T) {
	e := newEnv(t, envOptions{dataset: "bench"})
	key := e.sim.Spaces()[0].Key
	type entry struct {
		Content     struct{ ID string }
		Depth       int
		ParentID    *string
		HasChildren bool
	}
	var whole struct {
		Space struct{ PageTree struct{ Entries []entry } }
	}
	e.sim.ResetStats()
	e.mustDo(t, `query($key: String!) { space(key: $key) { pageTree(maxDepth: 3) { entries { content { id } depth parentId hasChildren } } } }`, &whole, varKey(key))
	st := e.sim.Stats()
	tree := whole.Space.PageTree.Entries
	if len(tree) < 200 {
		t.Fatalf("tree has %d entries, want a few hundred", len(tree))
	}
	// The space by key, then its 1000 pages 250 at a time, and one CQL search for its folders
	// and whiteboard (the tree's other kinds).
	if st.Total != 6 || st.ByEndpoint["GET /wiki/api/v2/spaces/{id}/pages"] != 4 || st.ByEndpoint["GET /wiki/rest/api/content/search"] != 1 {
		t.Errorf("upstream calls = %v, want the space, 4 page-list reads and 1 content search", st.ByEndpoint)
	}
	// Pick the first top page with children and compare its subtree.
	var root string
	var sub []entry
	for i, en := range tree {
		if root == "" && en.Depth == 1 && en.HasChildren {
			root = en.Content.ID
			for _, c := range tree[i+1:] {
				if c.Depth == 1 {
					break
				}
				c.Depth--
				sub = append(sub, c)
			}
		}
	}
	var below struct {
		Space struct{ PageTree struct{ Entries []entry } }
	}
	e.mustDo(t, `query($key: String!, $root: ID) { space(key: $key) { pageTree(rootId: $root, maxDepth: 2) { entries { content { id } depth parentId hasChildren } } } }`,
		&below, varKey(key), client.Var("root", root))
	got, _ := json.Marshal(below.Space.PageTree.Entries)
	want, _ := json.Marshal(sub)
	if string(got) != string(want) {
		t.Errorf("subtree of %s through descendants =\n%s\nwant (from the space tree)\n%s", root, got, want)
	}
}
