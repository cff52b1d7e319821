package bench_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/confluence-graph/confluence-graph/bench"
)

var (
	benchOnce sync.Once
	benchH    *bench.Harness
	benchSim  bench.Sim
	benchErr  error
)

// benchHarness starts one simulator child (the default bench dataset) and the API servers for
// every benchmark of this binary.
func benchHarness(b *testing.B) *bench.Harness {
	benchOnce.Do(func() {
		benchSim, benchErr = bench.StartChildSim(bench.SimSize{})
		if benchErr != nil {
			return
		}
		benchH, benchErr = bench.NewHarness(context.Background(), benchSim)
	})
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	return benchH
}

func closeBenchHarness() {
	if benchH != nil {
		benchH.Close()
	}
	if benchSim != nil {
		_ = benchSim.Close()
	}
}

// BenchmarkQueries runs every query in every mode it supports at 0 and 50 ms of upstream latency
// (mesh is skipped when GraphQL Mesh is not installed, except under CI=true). Besides
// time and allocations per op it reports upstream calls per op and the critical path (the
// longest chain of upstream requests that did not overlap, worst op).
func BenchmarkQueries(b *testing.B) {
	h := benchHarness(b)
	ctx := context.Background()
	for _, lat := range []time.Duration{0, 50 * time.Millisecond} {
		for _, q := range bench.Queries() {
			for _, m := range bench.Modes() {
				if !q.Supports(m) {
					continue
				}
				b.Run(fmt.Sprintf("%s/%s/%s", q.Name, m, lat), func(b *testing.B) {
					if err := h.Sim.SetLatency(lat); err != nil {
						b.Fatal(err)
					}
					defer func() { _ = h.Sim.SetLatency(0) }()
					b.ReportAllocs()
					calls, chain := 0, 0
					b.StopTimer()
					for range b.N {
						if err := h.Prepare(m); err != nil {
							if bench.MeshMissingIsSkip(err) {
								b.Skip(err)
							}
							b.Fatal(err)
						}
						b.StartTimer()
						_, err := h.Run(ctx, q, m)
						b.StopTimer()
						if err != nil {
							b.Fatal(err)
						}
						o, err := h.Observe(m)
						if err != nil {
							b.Fatal(err)
						}
						calls += o.Calls
						chain = max(chain, o.Chain)
					}
					b.ReportMetric(float64(calls)/float64(b.N), "calls/op")
					b.ReportMetric(float64(chain), "critical-path")
				})
			}
		}
	}
}
