package graph_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/confluence-graph/confluence-graph/internal/testquery"
	"github.com/confluence-graph/confluence-graph/loaders"
)

// TestRepeatedNestedQueryCallCounts runs the reference query (testquery.Nested) twice through
// GraphQL with the cross-request cache. Within the TTL the repeat costs no upstream call (the
// promise is at most 2): the space, its page list, the batched CQL reads (details, children with
// their labels), the authors and the version lists are all cached. With a TTL of 0 only bodies
// at a version are kept, so the repeat costs what the first query did.
func TestRepeatedNestedQueryCallCounts(t *testing.T) {
	for _, tt := range []struct {
		name          string
		ttl           time.Duration
		first, repeat int
	}{
		{"TTL one minute", time.Minute, 30, 0},
		{"TTL 0 disables the metadata cache", 0, 30, 30},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, envOptions{dataset: "bench", cache: loaders.NewCache(0, tt.ttl)})
			key := e.sim.Spaces()[0].Key
			var answers [2]string
			for i, want := range []int{tt.first, tt.repeat} {
				e.sim.ResetStats()
				var resp nestedResp
				e.mustDo(t, testquery.Nested, &resp, varKey(key))
				st := e.sim.Stats()
				t.Logf("run %d: %d upstream calls\n%s", i+1, st.Total, perEndpoint(st.ByEndpoint))
				if st.Total != want {
					t.Errorf("run %d: upstream calls = %d, want %d", i+1, st.Total, want)
				}
				if len(resp.Space.Pages.Nodes) != 25 {
					t.Fatalf("run %d: %d pages, want 25", i+1, len(resp.Space.Pages.Nodes))
				}
				b, _ := json.Marshal(resp)
				answers[i] = string(b)
			}
			if answers[0] != answers[1] {
				t.Errorf("the repeat answered differently:\n%s\nvs\n%s", answers[1], answers[0])
			}
		})
	}
}
