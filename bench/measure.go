package bench

import (
	"context"
	"fmt"
	"maps"
	"runtime"
	"slices"
	"sync"
	"time"
)

// Mode is one way of answering a query.
type Mode string

// The modes every query runs in.
const (
	// ModeAPI is the GraphQL API with the confluence client's default per-tenant limits.
	ModeAPI Mode = "api"
	// ModeAPIUnlimited is the GraphQL API with the client's rate and concurrency limits lifted,
	// to separate what the loaders do from what the limits cost.
	ModeAPIUnlimited Mode = "api-unlimited"
	// ModeNaiveSequential is the naive client, one call after another.
	ModeNaiveSequential Mode = "naive-seq"
	// ModeNaiveConcurrent is the naive client with a goroutine per node.
	ModeNaiveConcurrent Mode = "naive-conc"
	// ModeMesh is an off-the-shelf GraphQL layer over the REST API: GraphQL Mesh (bench/mesh, a
	// node child process) over an OpenAPI description of the v2 endpoints the nested query
	// needs. Only the nested query has it (Query.Supports); without node or
	// bench/mesh/node_modules it fails with ErrMeshNotInstalled.
	ModeMesh Mode = "mesh"
)

// Modes returns every mode in report order.
func Modes() []Mode {
	return []Mode{ModeAPI, ModeAPIUnlimited, ModeNaiveSequential, ModeNaiveConcurrent, ModeMesh}
}

// Harness holds everything a measurement needs: the simulator, the picked targets, the API
// (twice: default and lifted client limits), the naive clients and the Mesh gateway (started
// when ModeMesh is first prepared), each behind a Recorder. Measurements must not run
// concurrently (they share the simulator's counters and latency).
type Harness struct {
	Sim     Sim
	Targets Targets

	api, apiUnlimited   *API
	naiveSeq, naiveConc *Naive
	rec                 map[Mode]*Recorder

	meshOnce sync.Once
	mesh     *Mesh
	meshErr  error
}

// NewHarness picks the targets and starts the API servers. Close it when done (it does not close
// sim).
func NewHarness(ctx context.Context, sim Sim) (*Harness, error) {
	t, err := DiscoverTargets(ctx, sim)
	if err != nil {
		return nil, err
	}
	h := &Harness{Sim: sim, Targets: t, rec: map[Mode]*Recorder{}}
	for _, m := range Modes() {
		h.rec[m] = &Recorder{Next: newLoopbackTransport()}
	}
	if h.api, err = NewAPI(sim, ClientLimits{}, h.rec[ModeAPI]); err != nil {
		return nil, err
	}
	unlimited := ClientLimits{RateLimit: -1, MaxConcurrency: 1024}
	if h.apiUnlimited, err = NewAPI(sim, unlimited, h.rec[ModeAPIUnlimited]); err != nil {
		h.api.Close()
		return nil, err
	}
	h.naiveSeq = NewNaive(sim, h.rec[ModeNaiveSequential], false)
	h.naiveConc = NewNaive(sim, h.rec[ModeNaiveConcurrent], true)
	return h, nil
}

// Close stops the API servers and the Mesh gateway.
func (h *Harness) Close() {
	h.api.Close()
	h.apiUnlimited.Close()
	if h.mesh != nil {
		_ = h.mesh.Close()
	}
}

// startMesh starts the Mesh gateway once; later calls return the first call's outcome.
func (h *Harness) startMesh() (*Mesh, error) {
	h.meshOnce.Do(func() {
		h.mesh, h.meshErr = StartMesh(context.Background(), h.Sim, h.rec[ModeMesh])
	})
	return h.mesh, h.meshErr
}

// Run answers q once in mode m and returns the normalised answer.
func (h *Harness) Run(ctx context.Context, q *Query, m Mode) (any, error) {
	if !q.Supports(m) {
		return nil, fmt.Errorf("bench: %s has no %s mode", q.Name, m)
	}
	switch m {
	case ModeAPI:
		return q.RunAPI(ctx, h.api, h.Targets)
	case ModeAPIUnlimited:
		return q.RunAPI(ctx, h.apiUnlimited, h.Targets)
	case ModeNaiveSequential:
		return q.RunNaive(ctx, h.naiveSeq, h.Targets)
	case ModeNaiveConcurrent:
		return q.RunNaive(ctx, h.naiveConc, h.Targets)
	case ModeMesh:
		mesh, err := h.startMesh()
		if err != nil {
			return nil, err
		}
		return q.mesh(ctx, mesh, h.Targets)
	}
	return nil, fmt.Errorf("bench: unknown mode %q", m)
}

// Prepare readies one run in mode m: it renews the API's client and cache (or starts the Mesh
// gateway, the first time), then zeroes the simulator's counters and m's recorded spans (so the
// renewal's own calls are not counted).
func (h *Harness) Prepare(m Mode) error {
	if err := h.renew(m); err != nil {
		return err
	}
	if err := h.Sim.ResetStats(); err != nil {
		return err
	}
	h.rec[m].Reset()
	return nil
}

// Observation is what the upstream saw of the runs since Prepare.
type Observation struct {
	Calls      int            // requests the simulator counted
	ByEndpoint map[string]int // by route pattern
	Chain      int            // longest chain of non-overlapping requests (Recorder.CriticalPath)
	InFlight   int            // most requests in flight at once (Recorder.MaxInFlight)
}

// Observe reports the upstream requests since Prepare(m).
func (h *Harness) Observe(m Mode) (Observation, error) {
	st, err := h.Sim.Stats()
	if err != nil {
		return Observation{}, err
	}
	return Observation{Calls: st.Total, ByEndpoint: maps.Clone(st.ByEndpoint), Chain: h.rec[m].CriticalPath(), InFlight: h.rec[m].MaxInFlight()}, nil
}

// renew gives an API mode a fresh confluence client and an empty cache, so every run is cold and
// starts with the rate limiter's full burst (a tenant that has been idle), not with what the
// previous run left.
func (h *Harness) renew(m Mode) error {
	switch m {
	case ModeAPI:
		return h.api.Renew()
	case ModeAPIUnlimited:
		return h.apiUnlimited.Renew()
	case ModeMesh: // Mesh keeps no cache between requests; starting it is what must not be timed
		_, err := h.startMesh()
		return err
	}
	return nil
}

// Plan bounds the runs of one measurement: at least MinRuns, at most MaxRuns, and no new run
// once Budget has been spent (after MinRuns).
type Plan struct {
	MinRuns, MaxRuns int
	Budget           time.Duration
}

// Cell is the measurement of one query in one mode at one latency.
type Cell struct {
	Query   string
	Mode    Mode
	Latency time.Duration
	Runs    int

	// Calls is the median number of upstream requests per run, as the simulator counted them;
	// MinCalls and MaxCalls show whether it varied (batching windows can split differently).
	Calls, MinCalls, MaxCalls int
	// ByEndpoint counts the requests of the last run by route pattern.
	ByEndpoint map[string]int
	// Chain is the median longest chain of upstream requests that did not overlap in time.
	Chain int
	// P50 and P95 are wall-time percentiles of one run (nearest rank).
	P50, P95 time.Duration
	// AllocsPerRun and BytesPerRun are heap allocations in this process per run.
	AllocsPerRun, BytesPerRun uint64
	// Err is the error that ended the measurement; "" when every run succeeded. The other
	// fields are then zero.
	Err string
	// NotRun says why the mode was not measured (its baseline is not installed on this machine);
	// "" when it was. The other fields are then zero.
	NotRun string
}

// WallRoundTrips is the p50 wall time divided by the latency: the round trips the wall time is
// made of. It is 0 without latency.
func (c Cell) WallRoundTrips() float64 {
	if c.Latency <= 0 {
		return 0
	}
	return float64(c.P50) / float64(c.Latency)
}

// Measure runs q in mode m with latency injected at the simulator, following plan. Every run
// must succeed; the first error ends the measurement.
func (h *Harness) Measure(ctx context.Context, q *Query, m Mode, latency time.Duration, plan Plan) (Cell, error) {
	cell := Cell{Query: q.Name, Mode: m, Latency: latency}
	if err := h.Sim.SetLatency(latency); err != nil {
		return cell, err
	}
	defer func() { _ = h.Sim.SetLatency(0) }()
	if latency == 0 { // warm the connection pools; with latency a run is too dear to throw away
		if err := h.Prepare(m); err != nil {
			return cell, err
		}
		if _, err := h.Run(ctx, q, m); err != nil {
			return cell, fmt.Errorf("bench: %s %s: %w", q.Name, m, err)
		}
	}
	var walls []time.Duration
	var calls, chains []int
	var allocs, bytes uint64
	var ms runtime.MemStats
	began := time.Now()
	for len(walls) < max(plan.MinRuns, 1) || (len(walls) < plan.MaxRuns && time.Since(began) < plan.Budget) {
		if err := h.Prepare(m); err != nil {
			return cell, err
		}
		runtime.ReadMemStats(&ms)
		m0, b0 := ms.Mallocs, ms.TotalAlloc
		start := time.Now()
		_, err := h.Run(ctx, q, m)
		wall := time.Since(start)
		runtime.ReadMemStats(&ms)
		if err != nil {
			return cell, fmt.Errorf("bench: %s %s: %w", q.Name, m, err)
		}
		allocs += ms.Mallocs - m0
		bytes += ms.TotalAlloc - b0
		o, err := h.Observe(m)
		if err != nil {
			return cell, err
		}
		walls = append(walls, wall)
		calls = append(calls, o.Calls)
		chains = append(chains, o.Chain)
		cell.ByEndpoint = o.ByEndpoint
	}
	cell.Runs = len(walls)
	slices.Sort(walls)
	slices.Sort(calls)
	slices.Sort(chains)
	cell.P50, cell.P95 = percentile(walls, 50), percentile(walls, 95)
	cell.Calls, cell.MinCalls, cell.MaxCalls = calls[len(calls)/2], calls[0], calls[len(calls)-1]
	cell.Chain = chains[len(chains)/2]
	cell.AllocsPerRun, cell.BytesPerRun = allocs/uint64(cell.Runs), bytes/uint64(cell.Runs)
	return cell, nil
}

// percentile returns the nearest-rank p-th percentile of sorted values.
func percentile[T any](sorted []T, p int) T {
	i := (p*len(sorted) + 99) / 100 // ceil(p/100 * n)
	return sorted[max(i, 1)-1]
}
