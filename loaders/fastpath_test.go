package loaders_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/confluence-graph/confluence-graph/loaders"
	"github.com/confluence-graph/confluence-graph/readpolicy"
)

// A space or page the cross-request cache holds is answered without an upstream call and
// counted once as a hit (a miss is counted once too), and the read policy of the reading
// request still applies to it: a space the policy hides is not found even when cached.
func TestCachedReadsAnswerAtOnceAndKeepThePolicy(t *testing.T) {
	f := newFixture(t, "demo")
	cache := loaders.NewCache(0, time.Minute)
	space := f.sim.Spaces()[0]
	pageID := f.sim.PageIDs(space.Key)[0]
	read := func(cfg loaders.Config) (*loaders.Space, *loaders.Page, error) {
		l := loaders.New(t.Context(), cfg)
		s, err := l.SpaceByKey(t.Context(), space.Key)
		if err != nil {
			return nil, nil, err
		}
		if _, err := l.SpaceByID(t.Context(), s.ID); err != nil {
			return nil, nil, err
		}
		p, err := l.Page(t.Context(), pageID)
		return s, p, err
	}
	cfg := f.config("t1", cache)
	f.sim.ResetStats()
	if _, _, err := read(cfg); err != nil {
		t.Fatal(err)
	}
	first := f.sim.Stats().Total
	hits0, misses0 := cache.Stats()

	f.sim.ResetStats()
	s, p, err := read(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if s.Key != space.Key || p.ID != pageID {
		t.Errorf("cached reads = space %q, page %q; want %q, %q", s.Key, p.ID, space.Key, pageID)
	}
	if st := f.sim.Stats(); st.Total != 0 {
		t.Errorf("cached reads made %d upstream calls (%v), want 0 (first reads: %d)", st.Total, st.ByEndpoint, first)
	}
	hits, misses := cache.Stats()
	if hits-hits0 != 3 || misses != misses0 {
		t.Errorf("cache hits +%d, misses +%d; want +3, +0", hits-hits0, misses-misses0)
	}

	// The same cache, read by a request whose policy allows another space only.
	hidden := f.config("t1", cache)
	inner := hidden.Source
	hidden.Source = func(ctx context.Context) (loaders.Upstream, error) {
		up, err := inner(ctx)
		return loaders.WithReadPolicy(up, readpolicy.Policy{AllowedSpaces: []string{"NOSUCHSPACE"}}), err
	}
	l := loaders.New(t.Context(), hidden)
	var nf *loaders.NotFoundError
	if _, err := l.SpaceByKey(t.Context(), space.Key); !errors.As(err, &nf) {
		t.Errorf("cached space hidden by the policy: err = %v, want a NotFoundError", err)
	}
	if _, err := l.Page(t.Context(), pageID); !errors.As(err, &nf) {
		t.Errorf("cached page hidden by the policy: err = %v, want a NotFoundError", err)
	}
}
