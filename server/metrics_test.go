package server_test

import (
	"io"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/confluence-graph/confluence-graph/server"
)

// TestCacheStatsSeries checks the cache hit and miss series:
// RegisterCacheStats reads the counts at each scrape.
func TestCacheStatsSeries(t *testing.T) {
	m := server.NewMetrics()
	var hits, misses atomic.Uint64
	m.RegisterCacheStats(func() (uint64, uint64) { return hits.Load(), misses.Load() })
	scrape := func() string {
		rec := httptest.NewRecorder()
		m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
		b, _ := io.ReadAll(rec.Body)
		return string(b)
	}
	for _, step := range []struct{ hits, misses uint64 }{{0, 0}, {3, 5}, {10, 6}} {
		hits.Store(step.hits)
		misses.Store(step.misses)
		body := scrape()
		for _, want := range []string{
			"# TYPE loaders_cache_hits_total counter",
			"# TYPE loaders_cache_misses_total counter",
			"loaders_cache_hits_total " + strconv.FormatUint(step.hits, 10) + "\n",
			"loaders_cache_misses_total " + strconv.FormatUint(step.misses, 10) + "\n",
		} {
			if !strings.Contains(body, want) {
				t.Errorf("after %d hits, %d misses: /metrics lacks %q", step.hits, step.misses, want)
			}
		}
	}
}
