package loaders_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/confluence-graph/confluence-graph/loaders"
)

// TestCacheStats counts every lookup of the cross-request cache once: a hit when the entry
// answers, a miss when it is absent, expired or dropped; a request without a tenant does not
// use the cache at all.
func TestCacheStats(t *testing.T) {
	f := newFixture(t, "demo")
	cache, now := clockedCache(time.Minute)
	steps := []struct {
		name         string
		tenant       string
		before       func()
		hits, misses uint64
	}{
		{"first read of a page misses", "t1", nil, 0, 1},
		{"the next request hits", "t1", nil, 1, 1},
		{"another tenant misses", "t2", nil, 1, 2},
		{"an expired entry misses", "t1", func() { *now = now.Add(2 * time.Minute) }, 1, 3},
		{"a dropped tenant misses", "t1", func() { cache.DropTenant("t1") }, 1, 4},
		{"no tenant: no lookup", "", nil, 1, 4},
		{"and hits again after the refill", "t1", nil, 2, 4},
	}
	for _, s := range steps {
		if s.before != nil {
			s.before()
		}
		l := loaders.New(t.Context(), f.config(s.tenant, cache))
		if p, err := l.Page(t.Context(), "100003"); err != nil || p.Title != "Deployment Runbook" {
			t.Fatalf("%s: page = %+v, %v", s.name, p, err)
		}
		if hits, misses := cache.Stats(); hits != s.hits || misses != s.misses {
			t.Errorf("%s: Stats() = %d hits, %d misses; want %d, %d", s.name, hits, misses, s.hits, s.misses)
		}
	}
	var none *loaders.Cache
	if hits, misses := none.Stats(); hits != 0 || misses != 0 {
		t.Errorf("nil cache Stats() = %d, %d; want 0, 0", hits, misses)
	}
}

// TestCacheDropDuringRequestIsNotRefilled: a request that was running when the tenant's
// credential changed (DropTenant) read with the old token; nothing it writes afterwards may be
// served to a later request. Each read kind the cache holds is checked: page and space metadata,
// a user, and a body at a version (immutable).
func TestCacheDropDuringRequestIsNotRefilled(t *testing.T) {
	reads := []struct {
		name string
		read func(ctx context.Context, l *loaders.Loaders) error
	}{
		{"page", func(ctx context.Context, l *loaders.Loaders) error { _, err := l.Page(ctx, "100003"); return err }},
		{"space by key", func(ctx context.Context, l *loaders.Loaders) error { _, err := l.SpaceByKey(ctx, "ENG"); return err }},
		{"body at a version", func(ctx context.Context, l *loaders.Loaders) error {
			_, err := l.Body(ctx, loaders.BodyRequest{PageID: "100003", Version: 1, Format: "storage"})
			return err
		}},
	}
	for _, r := range reads {
		t.Run(r.name, func(t *testing.T) {
			f := newFixture(t, "demo")
			cache := loaders.NewCache(100, time.Hour)
			cfg := f.config("t1", cache)
			old := cfg.Source
			// The credential changes after the request has started but before its upstream
			// answer is written to the cache.
			cfg.Source = func(ctx context.Context) (loaders.Upstream, error) {
				up, err := old(ctx)
				cache.DropTenant("t1")
				return up, err
			}
			if err := r.read(t.Context(), loaders.New(t.Context(), cfg)); err != nil {
				t.Fatalf("read across the drop: %v", err)
			}
			f.sim.ResetStats()
			if err := r.read(t.Context(), loaders.New(t.Context(), f.config("t1", cache))); err != nil {
				t.Fatalf("read after the drop: %v", err)
			}
			if got := f.sim.Stats().Total; got == 0 {
				t.Errorf("upstream calls after the drop = %d, want the read to reach Confluence, not the old credential's cache entry", got)
			}
			if hits, _ := cache.Stats(); hits != 0 {
				t.Errorf("cache hits = %d, want 0", hits)
			}
			// The refill under the new generation is served.
			f.sim.ResetStats()
			if err := r.read(t.Context(), loaders.New(t.Context(), f.config("t1", cache))); err != nil {
				t.Fatal(err)
			}
			if got := f.sim.Stats().Total; got != 0 {
				t.Errorf("upstream calls of the third read = %d, want 0 (served from the cache)", got)
			}
		})
	}
}

// TestCacheDropIsPerTenant: dropping one tenant keeps the other's entries.
func TestCacheDropIsPerTenant(t *testing.T) {
	f := newFixture(t, "demo")
	cache := loaders.NewCache(100, time.Hour)
	for _, tenant := range []string{"t1", "t2"} {
		if _, err := loaders.New(t.Context(), f.config(tenant, cache)).Page(t.Context(), "100003"); err != nil {
			t.Fatal(err)
		}
	}
	cache.DropTenant("t1")
	f.sim.ResetStats()
	if _, err := loaders.New(t.Context(), f.config("t2", cache)).Page(t.Context(), "100003"); err != nil {
		t.Fatal(err)
	}
	if got := f.sim.Stats().Total; got != 0 {
		t.Errorf("upstream calls for t2 after dropping t1 = %d, want 0", got)
	}
	if got, want := cache.Len(), 1; got != want {
		t.Errorf("Len() = %d, want %d (t1's entry swept)", got, want)
	}
}

// credUpstream is an Upstream bound to credential version v.
type credUpstream struct {
	loaders.Upstream
	v int64
}

func (u credUpstream) CredentialVersion() int64 { return u.v }

// TestCacheKeyedByCredential: another replica's credential change never reaches this process's
// DropTenant, so the cache must tell credentials apart itself. The Source is asked before any
// cache read: a tenant that is no longer connected gets ErrNotConnected even for cached items,
// and entries read with an older credential version are not served to requests bound to a newer
// one (nor the other way round).
func TestCacheKeyedByCredential(t *testing.T) {
	f := newFixture(t, "demo")
	cache := loaders.NewCache(100, time.Hour)
	var source func() (loaders.Upstream, error)
	cfg := f.config("t1", cache)
	cfg.Source = func(context.Context) (loaders.Upstream, error) { return source() }
	read := func(step string, wantCalls int) {
		t.Helper()
		f.sim.ResetStats()
		p, err := loaders.New(t.Context(), cfg).Page(t.Context(), "100003")
		if err != nil || p.Title != "Deployment Runbook" {
			t.Fatalf("%s: page = %+v, %v", step, p, err)
		}
		if got := f.sim.Stats().Total; got != wantCalls {
			t.Errorf("%s: upstream calls = %d, want %d", step, got, wantCalls)
		}
	}
	source = func() (loaders.Upstream, error) { return credUpstream{f.up, 1}, nil }
	read("first read with credential 1", 1)
	read("second read with credential 1 (cached)", 0)

	source = func() (loaders.Upstream, error) { return nil, loaders.ErrNotConnected }
	if _, err := loaders.New(t.Context(), cfg).Page(t.Context(), "100003"); !errors.Is(err, loaders.ErrNotConnected) {
		t.Errorf("read after the integration is gone = %v, want ErrNotConnected although the page is cached", err)
	}
	bodies, errs := loaders.New(t.Context(), cfg).PagesWithBody(t.Context(), []string{"100003"}, "storage")
	if !errors.Is(errs[0], loaders.ErrNotConnected) || bodies[0] != nil {
		t.Errorf("body read after the integration is gone = %v, %v; want ErrNotConnected", bodies[0], errs[0])
	}

	source = func() (loaders.Upstream, error) { return credUpstream{f.up, 2}, nil }
	read("first read with credential 2", 1)
	read("second read with credential 2 (cached)", 0)
}

// TestListsCachedForTheTTL: a page's version list, children, comments and attachments and a
// space's page list are read once per TTL; a version list is keyed by the page's current
// version, so a request that has seen an edit reads it again; a caller may reorder what it got
// without changing what the next request gets.
func TestListsCachedForTheTTL(t *testing.T) {
	f := newFixture(t, "demo")
	cache, now := clockedCache(time.Minute)
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
	*now = now.Add(2 * time.Minute)
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

// clockedCache returns a cache of 100 entries keeping metadata for ttl, on a clock the test moves
// by changing *now.
func clockedCache(ttl time.Duration) (*loaders.Cache, *time.Time) {
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	cache := loaders.NewCache(100, ttl)
	cache.SetClock(func() time.Time { return now })
	return cache, &now
}
