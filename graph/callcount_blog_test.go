package graph_test

import (
	"testing"
)

// Blog posts are batched like pages: N blog posts with their bodies, labels, comments,
// attachments and versions cost the same calls as N pages, whatever N.
func TestBlogPostCallCounts(t *testing.T) {
	e := newEnv(t, envOptions{dataset: "bench", benchSpaces: 2, benchPages: 20})
	const q = `{ space(key: "BENCH1") { blogPosts(first: 5) { nodes { title body { value } labels { name }
	  comments { nodes { body { value } } } attachments { nodes { title } } versions(first: 3) { nodes { number } } } } } }`
	var r struct {
		Space struct {
			BlogPosts struct {
				Nodes []struct {
					Title    string
					Body     struct{ Value string }
					Labels   []struct{ Name string }
					Comments struct {
						Nodes []struct{ Body struct{ Value string } }
					}
					Attachments struct{ Nodes []struct{ Title string } }
					Versions    struct{ Nodes []struct{ Number int } }
				}
			}
		}
	}
	e.sim.ResetStats()
	e.mustDo(t, q, &r)
	nodes := r.Space.BlogPosts.Nodes
	if len(nodes) != 5 {
		t.Fatalf("blog posts = %d, want 5", len(nodes))
	}
	for _, n := range nodes {
		if n.Body.Value == "" || len(n.Comments.Nodes) != 1 || len(n.Attachments.Nodes) != 1 || len(n.Versions.Nodes) == 0 {
			t.Errorf("%s: %+v", n.Title, n)
		}
	}
	st := e.sim.Stats()
	want := map[string]int{
		"GET /wiki/api/v2/spaces":                  1, // the space by key
		"GET /wiki/api/v2/spaces/{id}/blogposts":   1, // the list
		"GET /wiki/api/v2/blogposts":               1, // the five current bodies in one bulk read
		"GET /wiki/rest/api/content/search":        1, // labels, comments and attachments of the five
		"GET /wiki/api/v2/blogposts/{id}/versions": 5, // no bulk form, as for pages
	}
	total := 0
	for route, n := range want {
		total += n
		if got := st.ByEndpoint[route]; got != n {
			t.Errorf("%s = %d, want %d", route, got, n)
		}
	}
	if st.Total != total {
		t.Errorf("upstream calls = %d, want %d:\n%s", st.Total, total, perEndpoint(st.ByEndpoint))
	}
}
