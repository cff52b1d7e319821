package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/confluence-graph/confluence-graph/app"
	"github.com/confluence-graph/confluence-graph/bench"
	"github.com/confluence-graph/confluence-graph/settings"
)

// Config is one load check.
type Config struct {
	Clients  int           // concurrent clients of the cached, nested and baseline runs
	Duration time.Duration // measured time of each of those runs
	Tenants  int           // tenants those clients are spread over
	// Burst is the number of nested queries one tenant sends at once in
	// the burst run; 0 skips the run.
	Burst int
	// Baselines adds the naive agents' runs of the nested query.
	Baselines bool
	// Mesh adds, with Baselines, the GraphQL Mesh gateway's run of the nested query (bench/mesh;
	// it needs node and `npm ci --prefix bench/mesh`).
	Mesh          bool
	Spaces        int // bench dataset size
	PagesPerSpace int
	Latency       time.Duration // added by the simulator to each upstream request
	// MaxRequests, when positive, stops each client of the timed runs
	// after that many measured requests even before Duration (tests use it).
	MaxRequests int
}

// requestTimeout is how long a load client waits for one answer: twice
// the service's 30 s operation timeout, so that a request the service
// gives up on is seen as the service's UPSTREAM_TIMEOUT, not the client's.
const requestTimeout = time.Minute

// burstTenant is the tenant of the burst run: connected at start, it sends
// nothing before the burst, so the burst meets a cold cache and a fresh
// rate limiter.
const burstTenant = "load-burst"

// stack is the service as `serve` runs it, built by app from serve's
// defaults, with the simulator in process, on loopback.
type stack struct {
	dir      string
	sim      bench.Sim
	app      *app.App
	gql      *gqlClient
	keys     []string // one reader key per tenant of the timed runs
	burstKey string   // reader key of burstTenant
	space    string   // first bench space key
	// changed lists the settings that differ from serve's defaults.
	changed []app.Change
}

// serviceConfig is serve's configuration (app.DefaultConfig) with only
// what the check needs changed: data in dir, free loopback ports for the
// API and the metrics listener, the simulator at simHost as the Confluence
// gateway and plain-HTTP host, and no logs.
func serviceConfig(dir, simURL, simHost string) app.Config {
	cfg := app.DefaultConfig()
	cfg.Addr = "127.0.0.1:0"
	cfg.MetricsAddr = "127.0.0.1:0"
	cfg.DatabaseURL = filepath.Join(dir, "cg.db")
	cfg.LocalKeyFile = filepath.Join(dir, "master.key")
	cfg.Client.GatewayURL = simURL
	cfg.Client.AllowedDevHost = simHost
	cfg.Logger = slog.New(slog.DiscardHandler)
	return cfg
}

// startStack starts the simulator (bench dataset) and the service, and
// connects cfg.Tenants tenants and burstTenant through
// settings.Service.Connect with the simulator's classic account.
func startStack(ctx context.Context, cfg Config) (_ *stack, err error) {
	st := &stack{}
	defer func() {
		if err != nil {
			st.Close()
		}
	}()
	st.dir, err = os.MkdirTemp("", "cg-load-")
	if err != nil {
		return nil, fmt.Errorf("temp dir: %w", err)
	}
	st.sim = bench.InProcessSim(bench.SimSize{Spaces: cfg.Spaces, PagesPerSpace: cfg.PagesPerSpace})
	if err := st.sim.SetLatency(cfg.Latency); err != nil {
		return nil, err
	}
	st.space = st.sim.FirstSpace().Key
	if st.space == "" {
		return nil, errors.New("simulator has no spaces")
	}

	acfg := serviceConfig(st.dir, st.sim.URL(), st.sim.Host())
	st.changed = app.Diff(app.DefaultConfig(), acfg)
	st.app, err = app.New(ctx, acfg)
	if err != nil {
		return nil, err
	}
	for i := range cfg.Tenants {
		key, err := st.connect(ctx, fmt.Sprintf("load-%d", i))
		if err != nil {
			return nil, err
		}
		st.keys = append(st.keys, key)
	}
	if st.burstKey, err = st.connect(ctx, burstTenant); err != nil {
		return nil, err
	}
	if err := st.app.Start(); err != nil {
		return nil, err
	}
	st.gql = newGQLClient(st.app.URL()+"graphql", max(cfg.Clients, cfg.Burst), requestTimeout)
	return st, nil
}

// connect connects tenant to the simulator and returns a new reader key.
func (st *stack) connect(ctx context.Context, tenant string) (string, error) {
	acct := st.sim.Account()
	res, err := st.app.Settings().Connect(ctx, tenant, "load", settings.ConnectInput{Domain: st.sim.Host(), Email: acct.Email, APIToken: acct.Token})
	if err != nil {
		return "", fmt.Errorf("connect %s: %w", tenant, err)
	}
	if !res.OK() {
		return "", fmt.Errorf("connect %s: %v", tenant, res.Codes())
	}
	rec, key, err := settings.NewAPIKey(tenant, settings.RoleReader)
	if err != nil {
		return "", err
	}
	if err := st.app.Store().CreateAPIKey(ctx, rec); err != nil {
		return "", err
	}
	return key, nil
}

// Close stops the service and the simulator and removes the data.
func (st *stack) Close() {
	if st.gql != nil {
		st.gql.Close()
	}
	if st.app != nil {
		_ = st.app.Close()
	}
	if st.sim != nil {
		_ = st.sim.Close()
	}
	if st.dir != "" {
		_ = os.RemoveAll(st.dir)
	}
}

// upstreamCalls is the simulator's request count so far.
func (st *stack) upstreamCalls() (int, error) {
	s, err := st.sim.Stats()
	return s.Total, err
}
