package app_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/confluence-graph/confluence-graph/confluence/confluencetest"
	"github.com/confluence-graph/confluence-graph/internal/testsupport"
	"github.com/confluence-graph/confluence-graph/settings"
)

// BenchmarkCachedSpaceName measures the cached path of `space(key){name}` through the whole
// handler as serve builds it (API key check, admission, logging, metrics, gqlgen, loaders, the
// cross-request cache), without the network: every request after the first is answered from
// the cache. Run with -benchmem (allocations per request) and -cpuprofile.
func BenchmarkCachedSpaceName(b *testing.B) {
	sim := testsupport.StartSim(b, confluencetest.WithDataset("bench"), confluencetest.WithBenchSize(1, 30))
	a := testsupport.NewService(b, testsupport.Config(b, sim.Host(), nil))
	testsupport.Connect(b, a.Settings(), "t1", sim.Host(), sim.Account("classic"))
	key := testsupport.MustKey(b, a.Store(), "t1", settings.RoleReader)
	body := `{"query":"query($k: String!) { space(key: $k) { name } }","variables":{"k":"` + sim.Spaces()[0].Key + `"}}`
	h := a.Handler()
	do := func() *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+key)
		req.Header.Set("Content-Type", "application/json")
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		return w
	}
	if w := do(); w.Code != http.StatusOK || !strings.Contains(w.Body.String(), `"name"`) {
		b.Fatalf("warm-up: %d %s", w.Code, w.Body)
	}
	sim.ResetStats()
	b.ReportAllocs()
	b.SetParallelism(25) // 50 concurrent requests on 2 cores, as the load check's 50 clients
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if w := do(); w.Code != http.StatusOK {
				b.Errorf("status %d: %s", w.Code, w.Body)
				return
			}
		}
	})
	b.StopTimer()
	if st := sim.Stats(); st.Total != 0 {
		b.Errorf("upstream calls = %d, want 0 (cached)", st.Total)
	}
}
