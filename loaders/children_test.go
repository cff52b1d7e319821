package loaders_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/confluence-graph/confluence-graph/confluence"
	"github.com/confluence-graph/confluence-graph/confluence/confluencetest"
	"github.com/confluence-graph/confluence-graph/loaders"
)

// rowCounter counts the rows ("results") of the children reads that pass through it.
type rowCounter struct {
	rows atomic.Int64
}

func (c *rowCounter) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil || !strings.Contains(req.URL.Path, "/content/search") && !strings.HasSuffix(req.URL.Path, "/direct-children") {
		return resp, err
	}
	body, err := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if err != nil {
		return nil, err
	}
	var page struct{ Results []json.RawMessage }
	if json.Unmarshal(body, &page) == nil {
		c.rows.Add(int64(len(page.Results)))
	}
	resp.Body = io.NopCloser(strings.NewReader(string(body)))
	return resp, nil
}

// seedParents adds three pages under a space root of the demo dataset, each with kids children
// whose child order (position) is the reverse of their id order.
func seedParents(t *testing.T, sim *confluencetest.Server, kids int) []string {
	t.Helper()
	at := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	var ds confluencetest.Dataset
	var parents []string
	id := 910000
	for p := range 3 {
		parent := fmt.Sprint(id)
		id++
		parents = append(parents, parent)
		ds.Pages = append(ds.Pages, confluencetest.Page{ID: parent, SpaceKey: "OPS", Title: fmt.Sprintf("Parent %d", p), CreatedAt: at})
		for k := range kids {
			ds.Pages = append(ds.Pages, confluencetest.Page{ID: fmt.Sprint(id), SpaceKey: "OPS", ParentID: parent,
				Position: kids - k, Title: fmt.Sprintf("Child %d of %d", k, p), CreatedAt: at})
			id++
		}
	}
	if err := sim.Seed(ds); err != nil {
		t.Fatal(err)
	}
	return parents
}

// TestBatchedChildrenReadNoMoreThanAsked checks that children(first: n) of several parents
// reads about n+1 rows per parent, not every child: one search when every child fits in it,
// else the search's rows plus one direct-children read of n+1 per parent, in child order.
// Before, the batch read all 900 children of three parents to answer five of each.
func TestBatchedChildrenReadNoMoreThanAsked(t *testing.T) {
	for _, tc := range []struct {
		name                   string
		kids                   int
		wantSearches, wantEach int
		mostRows               int64
	}{
		{"every child fits in one call", 20, 1, 0, 60},
		{"more children than the batch asks for", 300, 1, 3, 250 + 3*6},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sim := confluencetest.NewServer(confluencetest.WithDataset("demo"))
			t.Cleanup(sim.Close)
			parents := seedParents(t, sim, tc.kids)
			acc := sim.Account("classic")
			counter := &rowCounter{}
			c, err := confluence.NewClient(confluence.Options{Site: sim.Host(), Email: acc.Email, Token: acc.Token,
				TokenType: confluence.TokenClassic, AllowedDevHost: sim.Host(), RateLimit: -1, MaxRetries: -1, Transport: counter})
			if err != nil {
				t.Fatal(err)
			}
			f := &fixture{sim: sim, up: loaders.NewClientUpstream(c)}
			l := f.newLoaders(t)
			got := make([]loaders.List[loaders.Page], len(parents))
			var wg sync.WaitGroup
			for i, p := range parents {
				wg.Go(func() {
					list, err := l.Children(t.Context(), p, 5)
					if err != nil {
						t.Error(err)
					}
					got[i] = list
				})
			}
			wg.Wait()
			st := sim.Stats()
			if n := st.ByEndpoint["GET /wiki/rest/api/content/search"]; n != tc.wantSearches {
				t.Errorf("content searches = %d, want %d (%v)", n, tc.wantSearches, st.ByEndpoint)
			}
			if n := st.ByEndpoint["GET /wiki/api/v2/pages/{id}/direct-children"]; n != tc.wantEach {
				t.Errorf("direct-children reads = %d, want %d (%v)", n, tc.wantEach, st.ByEndpoint)
			}
			if n := counter.rows.Load(); n > tc.mostRows {
				t.Errorf("rows read = %d, want at most %d", n, tc.mostRows)
			}
			for i, p := range parents {
				alone, err := f.newLoaders(t).Children(t.Context(), p, 5)
				if err != nil {
					t.Fatal(err)
				}
				ids := func(l loaders.List[loaders.Page]) []string {
					var out []string
					for _, pg := range l.Items {
						out = append(out, pg.ID)
					}
					return out
				}
				if !slices.Equal(ids(got[i]), ids(alone)) || !got[i].More || len(alone.Items) != 5 {
					t.Errorf("children of %s batched %v (more %v), alone %v", p, ids(got[i]), got[i].More, ids(alone))
				}
			}
		})
	}
}
