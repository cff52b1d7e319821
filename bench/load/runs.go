package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/confluence-graph/confluence-graph/bench"
	"github.com/confluence-graph/confluence-graph/internal/testquery"
)

// Who answers a run's queries.
const (
	modeAPI      = "API"
	modeNaiveSeq = "naive serial"
	modeNaivePar = "naive parallel"
	modeMesh     = "GraphQL Mesh"
)

// cachedText is the small query the cross-request cache answers once warm
// (a space by key, metadata TTL 30 s).
const cachedText = `query Cached($key: String!) { space(key: $key) { name } }`

// nestedTitle describes testquery.Nested.
const nestedTitle = "space → 25 pages → labels, author, 10 children with labels, 5 comments, 5 attachments, 3 versions"

// naiveConns bounds the connections of each naive baseline: an agent that
// fires every call at once would otherwise open one per call in flight,
// thousands across the clients, beyond the process's file limit.
const naiveConns = 1024

// spec is one run of the check.
type spec struct {
	Name, Title, Mode string
	Clients, Tenants  int
	Duration          time.Duration // 0: every client sends Max requests at once
	Max               int           // requests per client; 0 means until Duration ends
	// Warm says to send one unmeasured request per tenant first, so that
	// the run measures a warm cache.
	Warm bool
	// start, when set, runs before the run (and its warm-up), unmeasured.
	start func(context.Context) error
	do    requester
	// done, when set, runs after the run (closing idle connections, so
	// that their goroutines do not count in the next run).
	done func()
}

// Result is the measurement of one run.
type Result struct {
	Name, Title, Mode string
	Clients, Tenants  int
	Burst             bool // every client sent its requests at once
	Counts
	Elapsed        time.Duration
	P50, P99       time.Duration // of the complete answers
	SlowestRefusal time.Duration
	Upstream       int // calls the simulator counted during the run
	Peaks
}

// Throughput is complete answers per second.
func (r Result) Throughput() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.Complete) / r.Elapsed.Seconds()
}

// UpstreamPerRequest is upstream calls per request sent.
func (r Result) UpstreamPerRequest() float64 {
	if r.Total() == 0 {
		return 0
	}
	return float64(r.Upstream) / float64(r.Total())
}

// Problem says what makes the run fail the check, "" when nothing. A
// request may be refused (RATE_LIMITED with a retry time is the honest
// answer to overload; the report counts them) but must not time out or
// fail otherwise, and some must be answered completely.
func (r Result) Problem() string {
	switch {
	case r.TimedOut > 0:
		return fmt.Sprintf("%s (%s): %d timed out; first: %s", r.Name, r.Mode, r.TimedOut, r.FirstTimeout)
	case r.Failed > 0:
		return fmt.Sprintf("%s (%s): %d failed; first: %s", r.Name, r.Mode, r.Failed, r.FirstFailure)
	case r.Complete == 0:
		return fmt.Sprintf("%s (%s): no complete answer", r.Name, r.Mode)
	}
	return ""
}

// runs lists the check's runs in order: cached and nested through the API,
// the naive baselines of nested, then the burst.
func (st *stack) runs(cfg Config) []spec {
	nestedVars := map[string]any{"key": st.space}
	timed := func(name, title, mode string, do requester, done func()) spec {
		return spec{Name: name, Title: title, Mode: mode, Clients: cfg.Clients, Tenants: len(st.keys),
			Duration: cfg.Duration, Max: cfg.MaxRequests, Warm: mode == modeAPI, do: do, done: done}
	}
	out := []spec{
		timed("cached", "`space(key){name}`, answered from the cross-request cache", modeAPI,
			st.api(st.keys, cachedText, nestedVars, "space"), st.gql.Close),
		timed("nested", nestedTitle, modeAPI, st.api(st.keys, testquery.Nested, nestedVars, "space"), st.gql.Close),
	}
	if cfg.Baselines {
		for _, mode := range []string{modeNaiveSeq, modeNaivePar} {
			do, done := st.naive(mode == modeNaivePar)
			out = append(out, timed("nested", nestedTitle, mode, do, done))
		}
		if cfg.Mesh {
			s := timed("nested", nestedTitle, modeMesh, nil, nil)
			s.start, s.do, s.done = st.mesh()
			out = append(out, s)
		}
	}
	if cfg.Burst > 0 {
		out = append(out, spec{Name: "burst", Title: fmt.Sprintf("%d nested queries of one tenant at once, cold cache", cfg.Burst),
			Mode: modeAPI, Clients: cfg.Burst, Tenants: 1, Max: 1,
			do: st.api([]string{st.burstKey}, testquery.Nested, nestedVars, "space"), done: st.gql.Close})
	}
	return out
}

// api sends query with vars through the service; client i uses
// keys[i%len(keys)].
func (st *stack) api(keys []string, query string, vars map[string]any, field string) requester {
	body, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	if err != nil {
		panic(err) // strings and a map of strings always marshal
	}
	return func(ctx context.Context, i int) (Outcome, string) {
		return st.gql.post(ctx, i, keys[i%len(keys)], body, field)
	}
}

// naive answers the nested query as a tool-calling agent would, one REST
// call per node straight to the simulator (bench.Naive): one call after
// another, or every call as soon as what it needs has arrived. done drops
// its idle connections.
func (st *stack) naive(concurrent bool) (do requester, done func()) {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConns, tr.MaxIdleConnsPerHost, tr.MaxConnsPerHost = naiveConns, naiveConns, naiveConns
	rec := &bench.Recorder{Next: tr}
	n := bench.NewNaive(st.sim, rec, concurrent)
	q := bench.QueryByName("nested")
	t := bench.Targets{SpaceKey: st.space}
	do = func(ctx context.Context, _ int) (Outcome, string) {
		ctx, cancel := context.WithTimeout(ctx, requestTimeout)
		defer cancel()
		_, err := q.RunNaive(ctx, n, t)
		rec.Reset() // the spans are not needed; keep them from piling up
		if err != nil {
			return transportOutcome(err), err.Error()
		}
		return Complete, ""
	}
	return do, tr.CloseIdleConnections
}

// mesh answers the nested query through the GraphQL Mesh gateway over the simulator's REST API
// (bench.StartMesh): start starts the gateway, done stops it.
func (st *stack) mesh() (start func(context.Context) error, do requester, done func()) {
	var m *bench.Mesh
	start = func(ctx context.Context) error {
		var err error
		m, err = bench.StartMesh(ctx, st.sim, http.DefaultTransport)
		return err
	}
	do = func(ctx context.Context, _ int) (Outcome, string) {
		ctx, cancel := context.WithTimeout(ctx, requestTimeout)
		defer cancel()
		if _, err := m.Nested(ctx, st.space); err != nil {
			return transportOutcome(err), err.Error()
		}
		return Complete, ""
	}
	done = func() {
		if m != nil {
			_ = m.Close()
		}
	}
	return start, do, done
}

// measure runs s: its start and warm-up unmeasured (one request per tenant, their
// outcomes ignored), then the measured phase with the process's peaks
// sampled and the simulator's calls counted.
func (st *stack) measure(ctx context.Context, s spec) (Result, error) {
	if s.done != nil {
		defer s.done()
	}
	if s.start != nil {
		if err := s.start(ctx); err != nil {
			return Result{}, fmt.Errorf("%s (%s): %w", s.Name, s.Mode, err)
		}
	}
	if s.Warm {
		phase(ctx, s.Tenants, 0, 1, s.do)
	}
	before, err := st.upstreamCalls()
	if err != nil {
		return Result{}, err
	}
	smp := startSampler()
	t0 := time.Now()
	got := phase(ctx, s.Clients, s.Duration, s.Max, s.do)
	elapsed := time.Since(t0)
	peaks := smp.Stop()
	after, err := st.upstreamCalls()
	if err != nil {
		return Result{}, err
	}
	if err := ctx.Err(); err != nil {
		return Result{}, err
	}
	r := Result{Name: s.Name, Title: s.Title, Mode: s.Mode, Clients: s.Clients, Tenants: s.Tenants, Burst: s.Duration == 0,
		Counts: got.Counts, Elapsed: elapsed, P50: percentile(got.complete, 0.50), P99: percentile(got.complete, 0.99),
		Upstream: after - before, Peaks: peaks}
	if n := len(got.refused); n > 0 {
		r.SlowestRefusal = got.refused[n-1]
	}
	return r, nil
}
