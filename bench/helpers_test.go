package bench_test

import (
	"context"
	"testing"
	"time"

	"github.com/confluence-graph/confluence-graph/bench"
)

// newHarness starts an in-process simulator (one space of 300 pages) and a harness on it, both
// closed at cleanup, and returns them with a context that ends after a minute.
func newHarness(t *testing.T) (context.Context, *bench.Harness) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	sim := bench.InProcessSim(bench.SimSize{Spaces: 1, PagesPerSpace: 300})
	t.Cleanup(func() { _ = sim.Close() })
	h, err := bench.NewHarness(ctx, sim)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(h.Close)
	return ctx, h
}
