package loaders_test

import (
	"testing"
	"time"

	"github.com/confluence-graph/confluence-graph/confluence/confluencetest"
	"github.com/confluence-graph/confluence-graph/loaders"
)

// A longer read of a space's page list resumes from the upstream cursor where the last read (of
// an earlier request, through the cache) stopped: it never reads the list from its start again.
func TestSpacePageListResumesWhereTheLastReadStopped(t *testing.T) {
	f := newFixture(t, "bench", confluencetest.WithBenchSize(1, 1000))
	cache := loaders.NewCache(0, time.Minute)
	space := f.sim.Spaces()[0].ID
	const listRoute = "GET /wiki/api/v2/spaces/{id}/pages"
	for _, tt := range []struct {
		name           string
		need, maxCalls int
		calls, items   int
		more           bool
	}{
		{"first 300: two pages of 250", 300, 0, 2, 300, true},
		{"first 400: within what was read", 400, 0, 0, 400, true},
		{"one more call at most", 0, 1, 1, 750, true},
		{"the rest", 0, 0, 1, 1000, false},
		{"all again", 0, 0, 0, 1000, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			l := loaders.New(t.Context(), f.config("t1", cache))
			f.sim.ResetStats()
			list, err := l.SpacePageList(t.Context(), space, tt.need, tt.maxCalls)
			if err != nil {
				t.Fatal(err)
			}
			st := f.sim.Stats()
			if got := st.ByEndpoint[listRoute]; got != tt.calls {
				t.Errorf("page-list calls = %d, want %d (%v)", got, tt.calls, st.ByEndpoint)
			}
			if len(list.Items) != tt.items || list.More != tt.more {
				t.Errorf("%d items, more %v; want %d, %v", len(list.Items), list.More, tt.items, tt.more)
			}
			seen := map[string]bool{}
			for _, p := range list.Items {
				if seen[p.ID] {
					t.Fatalf("page %s listed twice", p.ID)
				}
				seen[p.ID] = true
			}
		})
	}
}

// Without the cross-request cache, reads of one request still share what they read: the second,
// longer read costs only the pages the first did not read.
func TestSpacePageListSharesWithinARequestWithoutCache(t *testing.T) {
	f := newFixture(t, "bench", confluencetest.WithBenchSize(1, 1000))
	space := f.sim.Spaces()[0].ID
	l := f.newLoaders(t)
	if _, err := l.SpacePageList(t.Context(), space, 300, 0); err != nil {
		t.Fatal(err)
	}
	list, err := l.SpacePageList(t.Context(), space, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if got := f.sim.Stats().ByEndpoint["GET /wiki/api/v2/spaces/{id}/pages"]; got != 4 || len(list.Items) != 1000 || list.More {
		t.Errorf("page-list calls = %d, %d items, more %v; want 4 (2 + the 2 after them), 1000, false", got, len(list.Items), list.More)
	}
}
