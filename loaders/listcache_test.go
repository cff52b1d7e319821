package loaders_test

import (
	"testing"
	"time"

	"github.com/confluence-graph/confluence-graph/loaders"
)

// TestListsCachedForTheTTL: a page's version list, children, comments and attachments and a
// space's page list are read once per TTL; a version list is keyed by the page's current
// version, so a request that has seen an edit reads it again; a caller may reorder what it got
// without changing what the next request gets.
func TestListsCachedForTheTTL(t *testing.T) {
	f := newFixture(t, "demo")
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	cache := loaders.NewCache(100, time.Minute)
	cache.SetClock(func() time.Time { return now })
	read := func(current int) (first loaders.List[loaders.Page]) {
		t.Helper()
		ctx := t.Context()
		l := loaders.New(ctx, f.config("t1", cache))
		if _, err := l.Versions(ctx, loaders.VersionsRequest{VersionsQuery: loaders.VersionsQuery{PageID: "100003"}, First: 3, Current: current}); err != nil {
			t.Fatal(err)
		}
		kids, err := l.Children(ctx, "100001", 10)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := l.Comments(ctx, "100003", "", 5); err != nil {
			t.Fatal(err)
		}
		if _, err := l.Attachments(ctx, "100003", "", 5); err != nil {
			t.Fatal(err)
		}
		sp, err := l.SpaceByKey(ctx, "OPS")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := l.SpacePages(ctx, loaders.SpacePagesRequest{SpacePagesQuery: loaders.SpacePagesQuery{SpaceID: sp.ID}, First: 10}); err != nil {
			t.Fatal(err)
		}
		return kids
	}
	f.sim.ResetStats()
	kids := read(3)
	cold := f.sim.Stats().Total
	if cold < 6 || len(kids.Items) < 2 {
		t.Fatalf("cold read: %d calls, %d children; the test needs at least 6 calls and 2 children", cold, len(kids.Items))
	}
	want := kids.Items[0].ID
	kids.Items[0], kids.Items[1] = kids.Items[1], kids.Items[0] // a caller sorting its copy
	f.sim.ResetStats()
	if again := read(3); again.Items[0].ID != want {
		t.Errorf("cached children start with %s after a caller reordered its copy, want %s", again.Items[0].ID, want)
	}
	if st := f.sim.Stats(); st.Total != 0 {
		t.Errorf("warm read: %d calls, want 0: %v", st.Total, st.ByEndpoint)
	}
	f.sim.ResetStats()
	read(4)
	if st := f.sim.Stats(); st.Total != 1 || st.ByEndpoint["GET /wiki/api/v2/pages/{id}/versions"] != 1 {
		t.Errorf("after an edit (current version 4): %v, want the version list only", st.ByEndpoint)
	}
	now = now.Add(2 * time.Minute)
	f.sim.ResetStats()
	read(4)
	if st := f.sim.Stats(); st.Total != cold {
		t.Errorf("after the TTL: %d calls, want %d (all again)", st.Total, cold)
	}
	cache.DropTenant("t1")
	f.sim.ResetStats()
	read(4)
	if st := f.sim.Stats(); st.Total != cold {
		t.Errorf("after DropTenant: %d calls, want %d (all again)", st.Total, cold)
	}
}
