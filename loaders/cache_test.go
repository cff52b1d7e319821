package loaders_test

import (
	"testing"
	"time"

	"github.com/confluence-graph/confluence-graph/loaders"
)

// TestCacheStats counts every lookup of the cross-request cache once: a hit when the entry
// answers, a miss when it is absent, expired or dropped; a request without a tenant does not
// use the cache at all.
func TestCacheStats(t *testing.T) {
	f := newFixture(t, "demo")
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	cache := loaders.NewCache(100, time.Minute)
	cache.SetClock(func() time.Time { return now })
	steps := []struct {
		name         string
		tenant       string
		before       func()
		hits, misses uint64
	}{
		{"first read of a page misses", "t1", nil, 0, 1},
		{"the next request hits", "t1", nil, 1, 1},
		{"another tenant misses", "t2", nil, 1, 2},
		{"an expired entry misses", "t1", func() { now = now.Add(2 * time.Minute) }, 1, 3},
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
