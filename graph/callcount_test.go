package graph_test

import (
	"sort"
	"strings"
	"testing"
)

// nestedQuery is the query of issue 5: the context an investigation needs, three levels deep.
const nestedQuery = `query($key: String!) { space(key: $key) { name pages(first: 25) { nodes {
    id title labels { name } author { displayName }
    children(first: 10) { nodes { id title labels { name } } }
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

// naiveCalls is what a client making one REST call per node and per list would spend on the
// same answer: the space, the page list, then per page its labels, author, children list,
// comments list, attachments list and versions list, per child its labels, per comment its
// author.
func naiveCalls(r nestedResp) int {
	n := 2
	for _, p := range r.Space.Pages.Nodes {
		n += 6
		n += len(p.Children.Nodes)
		n += len(p.Comments.Nodes)
	}
	return n
}

func TestNestedQueryCallCounts(t *testing.T) {
	e := newEnv(t, envOptions{dataset: "bench"})
	key := e.sim.Spaces()[0].Key
	e.sim.ResetStats()
	var resp nestedResp
	e.mustDo(t, nestedQuery, &resp, varKey(key))
	st := e.sim.Stats()
	var lines []string
	for k, v := range st.ByEndpoint {
		lines = append(lines, k+"="+itoa(v))
	}
	sort.Strings(lines)
	t.Logf("upstream calls: %d\n  %s", st.Total, strings.Join(lines, "\n  "))
	pages := len(resp.Space.Pages.Nodes)
	children := 0
	for _, p := range resp.Space.Pages.Nodes {
		children += len(p.Children.Nodes)
	}
	naive := naiveCalls(resp)
	t.Logf("pages %d, children %d, naive one-call-per-node %d, ratio %.1fx", pages, children, naive, float64(naive)/float64(st.Total))
}
