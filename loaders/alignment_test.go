package loaders_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/confluence-graph/confluence-graph/loaders"
)

// wantMissingInOneCall checks the errors of three keys whose middle one, missing, does not
// exist: a *NotFoundError naming it, none for the others, and one upstream call for all three.
func wantMissingInOneCall(t *testing.T, f *fixture, errs []error, missing string) {
	t.Helper()
	var nf *loaders.NotFoundError
	if !errors.As(errs[1], &nf) || nf.Key != missing || errs[0] != nil || errs[2] != nil {
		t.Errorf("errors = %v, want a not-found for %s only", errs, missing)
	}
	if n := f.sim.Stats().Total; n != 1 {
		t.Errorf("upstream calls = %v, want one bulk call", f.sim.Stats().ByEndpoint)
	}
}

// Users and spaces are key-aligned like pages: a key Confluence does not return gets a
// *NotFoundError naming that key, and the others keep their places, in one call.
func TestUsersAndSpacesAreKeyAligned(t *testing.T) {
	f := newFixture(t, "demo")
	alice, eve := "712020:5b1f0c3e-a7d4-4c52-9e21-0a1b2c3d4e01", "712020:5b1f0c3e-a7d4-4c52-9e21-0a1b2c3d4e05"
	t.Run("users", func(t *testing.T) {
		l := f.newLoaders(t)
		us, errs := l.Users(t.Context(), []string{eve, "712020:nobody", alice})
		if len(us) != 3 || us[0] == nil || us[0].DisplayName == nil || *us[0].DisplayName != "Eve Tanaka" || us[2] == nil || us[2].AccountID != alice || us[1] != nil {
			t.Fatalf("users = %+v, want Eve, nil, Alice", us)
		}
		wantMissingInOneCall(t, f, errs, "712020:nobody")
	})
	t.Run("spaces by key", func(t *testing.T) {
		l := f.newLoaders(t)
		keys := []string{"PIR", "NOPE", "OPS"}
		got := make([]*loaders.Space, len(keys))
		errs := make([]error, len(keys))
		var wg sync.WaitGroup
		for i, k := range keys {
			wg.Go(func() { got[i], errs[i] = l.SpaceByKey(t.Context(), k) })
		}
		wg.Wait()
		if got[0] == nil || got[0].ID != "98307" || got[2] == nil || got[2].ID != "98305" || got[1] != nil {
			t.Fatalf("spaces = %+v, want PIR, nil, OPS", got)
		}
		wantMissingInOneCall(t, f, errs, "NOPE")
	})
}

// Middleware builds fresh loaders for every request: a page one request read is read again by
// the next (no cross-request cache configured), so one request's memo never serves another.
func TestMiddlewareLoadersArePerRequest(t *testing.T) {
	f := newFixture(t, "demo")
	var (
		mu   sync.Mutex
		seen = map[*loaders.Loaders]bool{}
	)
	h := loaders.Middleware(f.config("t1", nil), http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		l := loaders.For(r.Context())
		mu.Lock()
		seen[l] = true
		mu.Unlock()
		if _, err := l.Page(r.Context(), "100003"); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
		}
	}))
	f.sim.ResetStats()
	for range 2 {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/graphql", nil))
		if rec.Code != http.StatusOK {
			t.Fatalf("status = %d: %s", rec.Code, rec.Body)
		}
	}
	if len(seen) != 2 {
		t.Errorf("distinct loaders = %d, want 2", len(seen))
	}
	if got := f.sim.Count("GET /wiki/api/v2/pages"); got != 2 {
		t.Errorf("page calls = %d, want 2 (one per request)", got)
	}
}

// The cross-request cache holds at most its size: the least recently used entry goes first.
func TestCacheIsSizeBounded(t *testing.T) {
	f := newFixture(t, "demo")
	cache := loaders.NewCache(2, time.Hour)
	read := func(id string) {
		t.Helper()
		if _, err := loaders.New(t.Context(), f.config("t1", cache)).Page(context.Background(), id); err != nil {
			t.Fatal(err)
		}
	}
	read("100003")
	read("100006")
	read("100008") // evicts 100003
	if got := cache.Len(); got != 2 {
		t.Errorf("Len() = %d, want 2", got)
	}
	f.sim.ResetStats()
	read("100008")
	read("100006")
	if got := f.sim.Stats().Total; got != 0 {
		t.Errorf("upstream calls for the two kept pages = %d, want 0", got)
	}
	read("100003")
	if got := f.sim.Stats().Total; got != 1 {
		t.Errorf("upstream calls after reading the evicted page = %d, want 1", got)
	}
}

// A TTL of 0 disables metadata caching: every request reads the page again and nothing is kept.
func TestCacheZeroTTLKeepsNoMetadata(t *testing.T) {
	f := newFixture(t, "demo")
	cache := loaders.NewCache(100, 0)
	f.sim.ResetStats()
	for range 2 {
		l := loaders.New(t.Context(), f.config("t1", cache))
		if _, err := l.Page(t.Context(), "100003"); err != nil {
			t.Fatal(err)
		}
		if _, err := l.SpaceByKey(t.Context(), "OPS"); err != nil {
			t.Fatal(err)
		}
	}
	if got := f.sim.Count("GET /wiki/api/v2/pages"); got != 2 {
		t.Errorf("page calls = %d, want 2 (one per request)", got)
	}
	if got := f.sim.Count("GET /wiki/api/v2/spaces"); got != 2 {
		t.Errorf("space calls = %d, want 2 (one per request)", got)
	}
	if got := cache.Len(); got != 0 {
		t.Errorf("Len() = %d, want 0", got)
	}
}
