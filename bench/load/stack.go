package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/confluence-graph/confluence-graph/app"
	"github.com/confluence-graph/confluence-graph/confluence/confluencetest"
	"github.com/confluence-graph/confluence-graph/internal/testquery"
	"github.com/confluence-graph/confluence-graph/settings"
)

// Config is one load check.
type Config struct {
	Clients       int           // concurrent clients
	Duration      time.Duration // measured time per query
	Warmup        time.Duration // unmeasured time per query first
	Tenants       int           // tenants the clients are spread over
	Spaces        int           // bench dataset size
	PagesPerSpace int
	Latency       time.Duration // added by the simulator to each upstream request
	// MaxRequests, when positive, stops each client after that many
	// measured requests even before Duration (tests use it).
	MaxRequests int
}

// Query is one GraphQL operation the clients send.
type Query struct {
	Name  string
	Title string
	Text  string
	Vars  map[string]any
	Field string // the root field that must be non-null in every answer
}

// stack is the service as `serve` runs it, built by app from serve's
// defaults, with the simulator in process, on loopback.
type stack struct {
	dir   string
	sim   *confluencetest.Server
	app   *app.App
	url   string
	keys  []string // one reader key per tenant
	mem   *memSampler
	space string // first bench space key
	page  string // a page of that space
	// changed lists the settings that differ from serve's defaults.
	changed []app.Change
}

// serviceConfig is serve's configuration (app.DefaultConfig) with only
// what the check needs changed: data in dir, a free loopback port, the
// simulator at simHost as the Confluence gateway and plain-HTTP host, and
// no logs.
func serviceConfig(dir, simURL, simHost string) app.Config {
	cfg := app.DefaultConfig()
	cfg.Addr = "127.0.0.1:0"
	cfg.DatabaseURL = filepath.Join(dir, "cg.db")
	cfg.LocalKeyFile = filepath.Join(dir, "master.key")
	cfg.Client.GatewayURL = simURL
	cfg.Client.AllowedDevHost = simHost
	cfg.Logger = slog.New(slog.DiscardHandler)
	return cfg
}

// startStack starts the simulator (bench dataset) and the service, and
// connects cfg.Tenants tenants through settings.Service.Connect with the
// simulator's classic account.
func startStack(ctx context.Context, cfg Config) (_ *stack, err error) {
	st := &stack{mem: startMemSampler(50 * time.Millisecond)}
	defer func() {
		if err != nil {
			st.Close()
		}
	}()
	st.dir, err = os.MkdirTemp("", "cg-load-")
	if err != nil {
		return nil, fmt.Errorf("temp dir: %w", err)
	}
	st.sim, err = confluencetest.Start("127.0.0.1:0",
		confluencetest.WithDataset("bench"),
		confluencetest.WithBenchSize(cfg.Spaces, cfg.PagesPerSpace),
		confluencetest.WithLatency(cfg.Latency, 0))
	if err != nil {
		return nil, fmt.Errorf("simulator: %w", err)
	}
	spaces := st.sim.Spaces()
	if len(spaces) == 0 {
		return nil, errors.New("simulator has no spaces")
	}
	st.space = spaces[0].Key
	ids := st.sim.PageIDs(st.space)
	if len(ids) == 0 {
		return nil, errors.New("first space has no pages")
	}
	st.page = ids[len(ids)/2]

	acfg := serviceConfig(st.dir, st.sim.URL(), st.sim.Host())
	st.changed = app.Diff(app.DefaultConfig(), acfg)
	st.app, err = app.New(ctx, acfg)
	if err != nil {
		return nil, err
	}
	acct := st.sim.Account("classic")
	if acct.Email == "" {
		acct = st.sim.Accounts()[0]
	}
	for i := range cfg.Tenants {
		tenant := fmt.Sprintf("load-%d", i)
		res, err := st.app.Settings().Connect(ctx, tenant, "load", settings.ConnectInput{Domain: st.sim.Host(), Email: acct.Email, APIToken: acct.Token})
		if err != nil {
			return nil, fmt.Errorf("connect %s: %w", tenant, err)
		}
		if !res.OK() {
			return nil, fmt.Errorf("connect %s: %v", tenant, res.Codes())
		}
		rec, key, err := settings.NewAPIKey(tenant, settings.RoleReader)
		if err != nil {
			return nil, err
		}
		if err := st.app.Store().CreateAPIKey(ctx, rec); err != nil {
			return nil, err
		}
		st.keys = append(st.keys, key)
	}
	if err := st.app.Start(); err != nil {
		return nil, err
	}
	st.url = st.app.URL() + "graphql"
	return st, nil
}

// Close stops the service and the simulator and removes the data.
func (st *stack) Close() {
	if st.app != nil {
		_ = st.app.Close()
	}
	if st.sim != nil {
		st.sim.Close()
	}
	if st.dir != "" {
		_ = os.RemoveAll(st.dir)
	}
	st.mem.Stop()
}

// cachedText asks for page metadata, its space and author: after the first
// request all of it comes from the cross-request cache (metadata TTL 30 s).
const cachedText = `query Cached($id: ID!) { page(id: $id) { id title url space { key name } author { displayName } } }`

func (st *stack) queries() []Query {
	return []Query{
		{Name: "cached", Title: "page metadata with its space and author (cross-request cache)", Text: cachedText,
			Vars: map[string]any{"id": st.page}, Field: "page"},
		{Name: "nested", Title: "space → 25 pages → labels, author, 10 children with labels, 5 comments, 5 attachments, 3 versions",
			Text: testquery.Nested, Vars: map[string]any{"key": st.space}, Field: "space"},
	}
}

// Result is the measurement of one query.
type Result struct {
	Query        Query
	Requests     int
	Errors       int
	FirstError   string
	Elapsed      time.Duration
	P50, P99     time.Duration
	UpstreamPerQ float64
}

// Throughput is measured requests per second.
func (r Result) Throughput() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.Requests) / r.Elapsed.Seconds()
}

// measure runs cfg.Clients clients against q: Warmup unmeasured, then
// Duration (or MaxRequests per client) measured.
func (st *stack) measure(ctx context.Context, q Query, cfg Config) (Result, error) {
	body, err := json.Marshal(map[string]any{"query": q.Text, "variables": q.Vars})
	if err != nil {
		return Result{}, err
	}
	tr := &http.Transport{MaxIdleConns: cfg.Clients, MaxIdleConnsPerHost: cfg.Clients, IdleConnTimeout: time.Minute}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: time.Minute}

	if cfg.Warmup > 0 {
		st.phase(ctx, client, body, q, cfg, cfg.Warmup, 0)
	}
	before := st.sim.Stats().Total
	start := time.Now()
	lat, errs, first := st.phase(ctx, client, body, q, cfg, cfg.Duration, cfg.MaxRequests)
	elapsed := time.Since(start)
	upstream := st.sim.Stats().Total - before

	slices.Sort(lat)
	r := Result{Query: q, Requests: len(lat), Errors: errs, FirstError: first, Elapsed: elapsed,
		P50: percentile(lat, 0.50), P99: percentile(lat, 0.99)}
	if len(lat) > 0 {
		r.UpstreamPerQ = float64(upstream) / float64(len(lat))
	}
	return r, nil
}

// phase runs the clients for d (or max requests each, when positive) and
// returns every latency, the error count and the first error.
func (st *stack) phase(ctx context.Context, client *http.Client, body []byte, q Query, cfg Config, d time.Duration, max int) ([]time.Duration, int, string) {
	deadline := time.Now().Add(d)
	var (
		mu     sync.Mutex
		all    []time.Duration
		errs   atomic.Int64
		first  string
		wg     sync.WaitGroup
		failed = func(msg string) {
			if errs.Add(1) == 1 {
				mu.Lock()
				first = msg
				mu.Unlock()
			}
		}
	)
	for i := range cfg.Clients {
		key := st.keys[i%len(st.keys)]
		wg.Go(func() {
			var mine []time.Duration
			for n := 0; time.Now().Before(deadline) && (max <= 0 || n < max); n++ {
				t0 := time.Now()
				msg := st.once(ctx, client, key, body, q.Field)
				dt := time.Since(t0)
				if msg != "" {
					failed(msg)
					continue
				}
				mine = append(mine, dt)
			}
			mu.Lock()
			all = append(all, mine...)
			mu.Unlock()
		})
	}
	wg.Wait()
	return all, int(errs.Load()), first
}

// once sends one request and returns "" on success, else what went wrong.
func (st *stack) once(ctx context.Context, client *http.Client, key string, body []byte, field string) string {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, st.url, bytes.NewReader(body))
	if err != nil {
		return err.Error()
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+key)
	resp, err := client.Do(req)
	if err != nil {
		return err.Error()
	}
	defer resp.Body.Close()
	var out struct {
		Data   map[string]json.RawMessage `json:"data"`
		Errors []struct {
			Message string `json:"message"`
		} `json:"errors"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		return fmt.Sprintf("HTTP %d: undecodable body: %v", resp.StatusCode, err)
	}
	switch {
	case resp.StatusCode != http.StatusOK:
		return fmt.Sprintf("HTTP %d", resp.StatusCode)
	case len(out.Errors) > 0:
		return "GraphQL error: " + out.Errors[0].Message
	case len(out.Data[field]) == 0 || string(out.Data[field]) == "null":
		return "no data for " + field
	}
	return ""
}

// percentile returns the p-quantile of sorted (nearest rank).
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(float64(len(sorted))*p+0.5) - 1
	i = max(0, min(i, len(sorted)-1))
	return sorted[i]
}
