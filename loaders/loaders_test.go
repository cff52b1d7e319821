package loaders_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/confluence-graph/confluence-graph/confluence"
	"github.com/confluence-graph/confluence-graph/confluence/confluencetest"
	"github.com/confluence-graph/confluence-graph/loaders"
)

type fixture struct {
	sim     *confluencetest.Server
	up      loaders.Upstream
	sources atomic.Int32
}

func newFixture(t *testing.T, dataset string, opts ...confluencetest.Option) *fixture {
	return newFixtureAs(t, "classic", dataset, opts...)
}

// newFixtureAs connects as one of the simulator's demo accounts (scoped ones through its gateway).
func newFixtureAs(t *testing.T, account, dataset string, opts ...confluencetest.Option) *fixture {
	t.Helper()
	sim := confluencetest.NewServer(append([]confluencetest.Option{confluencetest.WithDataset(dataset)}, opts...)...)
	t.Cleanup(sim.Close)
	return &fixture{sim: sim, up: loaders.NewClientUpstream(clientAs(t, sim, account))}
}

// clientAs returns a client of the simulator's demo account (a scoped one through its gateway).
func clientAs(t *testing.T, sim *confluencetest.Server, account string) *confluence.Client {
	t.Helper()
	acc := sim.Account(account)
	o := confluence.Options{Site: sim.Host(), Email: acc.Email, Token: acc.Token,
		TokenType: confluence.TokenClassic, AllowedDevHost: sim.Host(), RateLimit: -1, MaxConcurrency: 16, MaxRetries: -1}
	if acc.Type == confluencetest.TokenScoped {
		o.TokenType, o.GatewayURL, o.CloudID = confluence.TokenScoped, sim.URL(), sim.CloudID()
	}
	c, err := confluence.NewClient(o)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// newLoaders returns fresh request loaders of tenant t1 without a cross-request cache, with the
// simulator's request counts reset, so a test counts only the calls it makes.
func (f *fixture) newLoaders(t *testing.T) *loaders.Loaders {
	l := loaders.New(t.Context(), f.config("t1", nil))
	f.sim.ResetStats()
	return l
}

func (f *fixture) config(tenant string, cache *loaders.Cache) loaders.Config {
	return loaders.Config{
		Source: func(context.Context) (loaders.Upstream, error) {
			f.sources.Add(1)
			return f.up, nil
		},
		Tenant: func(context.Context) string { return tenant },
		Cache:  cache,
		Wait:   100 * time.Millisecond,
	}
}

func TestPagesAreKeyAligned(t *testing.T) {
	f := newFixture(t, "demo")
	l := f.newLoaders(t)
	ps, errs := l.Pages(t.Context(), []string{"100021", "999999", "100003", "100021"})
	if len(ps) != 4 || ps[0] == nil || ps[0].ID != "100021" || ps[2] == nil || ps[2].Title != "Deployment Runbook" || ps[3] == nil || ps[3].ID != "100021" {
		t.Fatalf("pages = %+v, want them in key order", ps)
	}
	var nf *loaders.NotFoundError
	if !errors.As(errs[1], &nf) || nf.Key != "999999" || !errors.Is(errs[1], confluence.ErrNotFound) || errs[0] != nil || errs[2] != nil {
		t.Errorf("errors = %v, want a not-found for the missing key only", errs)
	}
	if got := f.sim.Count("GET /wiki/api/v2/pages"); got != 1 || f.sim.Stats().Total != 1 {
		t.Errorf("upstream calls = %v, want one bulk call", f.sim.Stats().ByEndpoint)
	}
}

func TestBatchCapacityIs250(t *testing.T) {
	f := newFixture(t, "bench", confluencetest.WithBenchSize(1, 300))
	ids := f.sim.PageIDs(f.sim.Spaces()[0].Key)
	if len(ids) < 300 {
		t.Fatalf("bench space has %d pages, want 300", len(ids))
	}
	l := f.newLoaders(t)
	ps, errs := l.Pages(t.Context(), ids[:300])
	for i := range ps {
		if errs[i] != nil || ps[i].ID != ids[i] {
			t.Fatalf("page %d = %+v, %v; want %s", i, ps[i], errs[i], ids[i])
		}
	}
	if got := f.sim.Count("GET /wiki/api/v2/pages"); got != 2 {
		t.Errorf("bulk calls = %d, want 2 (250 + 50)", got)
	}
}

func TestConcurrentLoadsShareOneCall(t *testing.T) {
	f := newFixture(t, "demo")
	l := f.newLoaders(t)
	var wg sync.WaitGroup
	ids := []string{"100001", "100002", "100003", "100006", "100008", "100021"}
	labels := make([][]loaders.Label, len(ids))
	for i, id := range ids {
		wg.Go(func() {
			ls, err := l.Labels(t.Context(), id)
			if err != nil {
				t.Errorf("labels(%s): %v", id, err)
			}
			labels[i] = ls
		})
	}
	wg.Wait()
	if len(labels[2]) != 2 || labels[2][0].Name != "runbook" || len(labels[4]) != 3 {
		t.Errorf("labels = %+v", labels)
	}
	if st := f.sim.Stats(); st.Total != 1 || st.ByEndpoint["GET /wiki/rest/api/content/search"] != 1 {
		t.Errorf("upstream calls = %v, want one CQL content search", st.ByEndpoint)
	}
}

func TestSourceIsLazyAndNotConnectedIsPerCall(t *testing.T) {
	f := newFixture(t, "demo")
	l := f.newLoaders(t)
	if f.sources.Load() != 0 {
		t.Fatalf("source called before any load")
	}
	if _, err := l.Page(t.Context(), "100003"); err != nil {
		t.Fatal(err)
	}
	if _, err := l.Page(t.Context(), "100021"); err != nil {
		t.Fatal(err)
	}
	if got := f.sources.Load(); got != 1 {
		t.Errorf("source calls = %d, want 1", got)
	}
	nc := loaders.New(t.Context(), loaders.Config{Source: func(context.Context) (loaders.Upstream, error) {
		return nil, errors.Join(loaders.ErrNotConnected)
	}})
	if _, err := nc.Page(t.Context(), "100003"); !errors.Is(err, loaders.ErrNotConnected) {
		t.Errorf("err = %v, want ErrNotConnected", err)
	}
	var none *loaders.Loaders
	if _, err := none.Page(t.Context(), "1"); !errors.Is(err, loaders.ErrNoLoaders) {
		t.Errorf("nil loaders: err = %v, want ErrNoLoaders", err)
	}
}

func TestListsPrimeThePageLoader(t *testing.T) {
	f := newFixture(t, "demo")
	l := f.newLoaders(t)
	list, err := l.SpacePages(t.Context(), loaders.SpacePagesRequest{SpacePagesQuery: loaders.SpacePagesQuery{SpaceID: "98305"}, First: 50})
	if err != nil || len(list.Items) != 14 || list.More { // 12 in the page tree, 2 inside folders
		t.Fatalf("space pages = %d items, more %v, %v; want 14", len(list.Items), list.More, err)
	}
	f.sim.ResetStats()
	p, err := l.Page(t.Context(), "100008")
	if err != nil || p.Title != "Database Failover" {
		t.Fatalf("page = %+v, %v", p, err)
	}
	if f.sim.Stats().Total != 0 {
		t.Errorf("upstream calls = %v, want 0 (primed by the list)", f.sim.Stats().ByEndpoint)
	}
}

func TestCrossRequestCache(t *testing.T) {
	f := newFixture(t, "demo")
	cache, now := clockedCache(time.Minute)
	load := func(tenant string) {
		t.Helper()
		l := loaders.New(t.Context(), f.config(tenant, cache))
		if p, err := l.Page(t.Context(), "100003"); err != nil || p.Title != "Deployment Runbook" {
			t.Fatalf("page = %+v, %v", p, err)
		}
	}
	calls := func() int { return f.sim.Count("GET /wiki/api/v2/pages") }
	f.sim.ResetStats()
	load("t1")
	load("t1")
	if calls() != 1 {
		t.Errorf("after two requests of t1: %d calls, want 1 (metadata cached)", calls())
	}
	load("t2")
	if calls() != 2 {
		t.Errorf("t2 reused t1's entry: %d calls, want 2", calls())
	}
	*now = now.Add(2 * time.Minute)
	load("t1")
	if calls() != 3 {
		t.Errorf("after the TTL: %d calls, want 3", calls())
	}
	cache.DropTenant("t1")
	load("t1")
	if calls() != 4 {
		t.Errorf("after DropTenant: %d calls, want 4", calls())
	}

	// A body at a version never changes: kept across requests even with a zero TTL.
	immutable := loaders.NewCache(100, 0)
	body := func() string {
		l := loaders.New(t.Context(), f.config("t1", immutable))
		p, err := l.Body(t.Context(), loaders.BodyRequest{PageID: "100003", Version: 2, Format: "storage"})
		if err != nil {
			t.Fatal(err)
		}
		return p.Body
	}
	f.sim.ResetStats()
	first, second := body(), body()
	if first != second || first == "" || f.sim.Count("GET /wiki/api/v2/pages/{id}") != 1 {
		t.Errorf("version body read %d times, want 1", f.sim.Count("GET /wiki/api/v2/pages/{id}"))
	}
	immutable.DropTenant("t1")
	if immutable.Len() != 0 {
		t.Errorf("entries after DropTenant = %d, want 0", immutable.Len())
	}
}

func TestBatchedReadsFallBackOnlyWhenRefused(t *testing.T) {
	ids := []string{"100003", "100006", "100008"}
	loadAll := func(t *testing.T, l *loaders.Loaders) ([][]loaders.Label, []error) {
		labels := make([][]loaders.Label, len(ids))
		errs := make([]error, len(ids))
		var wg sync.WaitGroup
		for i, id := range ids {
			wg.Go(func() { labels[i], errs[i] = l.Labels(t.Context(), id) })
		}
		wg.Wait()
		return labels, errs
	}
	t.Run("token without the search scope", func(t *testing.T) {
		f := newFixtureAs(t, "scoped-nosearch", "demo")
		l := f.newLoaders(t)
		labels, errs := loadAll(t, l)
		for i := range ids {
			if errs[i] != nil || len(labels[i]) == 0 {
				t.Errorf("labels(%s) = %v, %v; want them through the per-page endpoint", ids[i], labels[i], errs[i])
			}
		}
		st := f.sim.Stats()
		if st.ByEndpoint["GET /wiki/rest/api/content/search"] != 1 || st.ByEndpoint["GET /wiki/api/v2/pages/{id}/labels"] != 3 {
			t.Errorf("upstream calls = %v, want one refused search and three per-page reads", st.ByEndpoint)
		}
	})
	t.Run("rate limited", func(t *testing.T) {
		f := newFixture(t, "demo")
		f.sim.InjectFaults(confluencetest.Fault{Kind: confluencetest.FaultStatus, Status: 429, RetryAfter: "5", PathPrefix: "/wiki/rest/api/content/search"})
		l := f.newLoaders(t)
		_, errs := loadAll(t, l)
		for i := range ids {
			var rl *confluence.RateLimitError
			if !errors.As(errs[i], &rl) || rl.RetryAfter != 5*time.Second {
				t.Errorf("labels(%s) error = %v, want the rate limit with its Retry-After", ids[i], errs[i])
			}
		}
		if n := f.sim.Stats().ByEndpoint["GET /wiki/api/v2/pages/{id}/labels"]; n != 0 {
			t.Errorf("per-page label calls = %d, want 0 (no fan-out while rate limited)", n)
		}
	})
}
