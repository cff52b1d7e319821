package bench_test

import (
	"testing"
	"time"

	"github.com/confluence-graph/confluence-graph/bench"
)

// TestNestedRoundTripsAtServeDefaults checks that the nested query, through the service with
// serve's per-tenant limits (ModeAPI), sends its per-page reads in one round: the 25 version
// lists and the batch searches are in flight together. It failed when the client's
// concurrency cap (16) split that round in two. The latency only makes rounds visible (calls
// that overlap in time are one round); nothing here is timed.
func TestNestedRoundTripsAtServeDefaults(t *testing.T) {
	ctx, h := newHarness(t)
	if err := h.Sim.SetLatency(50 * time.Millisecond); err != nil {
		t.Fatal(err)
	}
	var nested *bench.Query
	for _, q := range bench.Queries() {
		if q.Name == "nested" {
			nested = q
		}
	}
	if err := h.Prepare(bench.ModeAPI); err != nil {
		t.Fatal(err)
	}
	if _, err := h.Run(ctx, nested, bench.ModeAPI); err != nil {
		t.Fatal(err)
	}
	o, err := h.Observe(bench.ModeAPI)
	if err != nil {
		t.Fatal(err)
	}
	if versions := o.ByEndpoint["GET /wiki/api/v2/pages/{id}/versions"]; versions != 25 || o.InFlight < versions+1 {
		t.Errorf("%d calls in flight at most, want the 25 version lists and a batch search together (%d calls: %v)",
			o.InFlight, o.Calls, o.ByEndpoint)
	}
}
