package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/confluence-graph/confluence-graph/app"
	"github.com/confluence-graph/confluence-graph/settings"
)

// ClientLimits are the per-tenant limits of the confluence.Client behind the API. The zero value
// keeps serve's defaults (the limits a tenant gets today).
type ClientLimits struct {
	RateLimit      float64 // requests per second; 0 = client default, negative = unlimited
	RateBurst      int
	MaxConcurrency int // in-flight requests; 0 = client default
	// LoaderConcurrency is the loaders' bound on concurrent per-page calls of one request
	// (server.Config.LoaderConcurrency); 0 = the loaders' default.
	LoaderConcurrency int
}

// benchTenant is the tenant the API serves; it is connected to the simulator's classic account.
const benchTenant = "bench"

// API is the service as serve runs it (built by app from serve's defaults), served over loopback
// HTTP and connected to the simulator as one tenant, with the limits that differ from serve's
// defaults in ClientLimits, and no complexity limit, so the deepest queries are measured rather
// than refused. Its methods are safe for concurrent use, except Renew.
type API struct {
	app  *app.App
	dir  string
	sim  Sim
	key  string // the tenant's reader key
	http *http.Client
	url  string
	// Changed lists the settings of the API that differ from serve's defaults.
	Changed []app.Change
}

// NewAPI starts the API against sim. Upstream requests go through rec (which must not be nil)
// so that their spans can be measured. Close it when done.
func NewAPI(sim Sim, limits ClientLimits, rec *Recorder) (_ *API, err error) {
	a := &API{sim: sim}
	defer func() {
		if err != nil {
			a.Close()
		}
	}()
	if a.dir, err = os.MkdirTemp("", "cg-bench-"); err != nil {
		return nil, fmt.Errorf("bench: %w", err)
	}
	cfg := app.DefaultConfig()
	cfg.Addr = "127.0.0.1:0"
	cfg.MetricsAddr = "127.0.0.1:0"
	cfg.DatabaseURL = filepath.Join(a.dir, "cg.db")
	cfg.LocalKeyFile = filepath.Join(a.dir, "master.key")
	cfg.Client.GatewayURL = sim.URL()
	cfg.Client.AllowedDevHost = sim.Host()
	cfg.Client.Transport = rec
	cfg.Client.RateLimit = limits.RateLimit
	cfg.Client.RateBurst = limits.RateBurst
	cfg.Client.MaxConcurrency = limits.MaxConcurrency
	cfg.Server.LoaderConcurrency = limits.LoaderConcurrency
	// tree3 (up to 25 x 25 x 25 pages) costs about 49,000, past serve's limit of 10,000.
	cfg.Server.ComplexityLimit = -1
	cfg.Logger = slog.New(slog.DiscardHandler)
	a.Changed = app.Diff(app.DefaultConfig(), cfg)
	ctx := context.Background()
	if a.app, err = app.New(ctx, cfg); err != nil {
		return nil, fmt.Errorf("bench: %w", err)
	}
	rk, full, err := settings.NewAPIKey(benchTenant, settings.RoleReader)
	if err != nil {
		return nil, fmt.Errorf("bench: %w", err)
	}
	if err := a.app.Store().CreateAPIKey(ctx, rk); err != nil {
		return nil, fmt.Errorf("bench: %w", err)
	}
	a.key = full
	if err := a.Renew(); err != nil {
		return nil, err
	}
	if err := a.app.Start(); err != nil {
		return nil, fmt.Errorf("bench: %w", err)
	}
	a.url = a.app.URL() + "graphql"
	a.http = &http.Client{Transport: newLoopbackTransport(), Timeout: 5 * time.Minute}
	return a, nil
}

// Renew connects the tenant again through the settings service: the new credential version gets
// a fresh confluence client (its rate limiter starts with a full burst, as for a tenant that has
// been idle) and drops the tenant's cross-request cache, so every run is cold. Without it, one
// run's requests would drain the bucket for the next. Renew's own validation calls reach the
// simulator and rec, so call it before resetting their counters.
func (a *API) Renew() error {
	acct := a.sim.Account()
	res, err := a.app.Settings().Connect(context.Background(), benchTenant, "bench", settings.ConnectInput{
		Domain: a.sim.Host(), Email: acct.Email, APIToken: acct.Token,
	})
	if err != nil {
		return fmt.Errorf("bench: connect: %w", err)
	}
	if !res.OK() {
		return fmt.Errorf("bench: connect: %v", res.Codes())
	}
	return nil
}

// Close stops the API server and removes its data.
func (a *API) Close() {
	if a.app != nil {
		_ = a.app.Close()
	}
	if a.dir != "" {
		_ = os.RemoveAll(a.dir)
	}
}

// gqlError is one entry of a GraphQL response's errors.
type gqlError struct {
	Message    string         `json:"message"`
	Path       []any          `json:"path"`
	Extensions map[string]any `json:"extensions"`
}

// Query posts a GraphQL query with variables and decodes its data into out. Any GraphQL error
// fails the query: a benchmark must not count a partial answer as a fast one.
func (a *API) Query(ctx context.Context, query string, vars map[string]any, out any) error {
	body, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	if err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, a.url, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+a.key)
	resp, err := a.http.Do(req)
	if err != nil {
		return fmt.Errorf("bench: graphql: %w", err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return fmt.Errorf("bench: graphql: %w", err)
	}
	var res struct {
		Data   json.RawMessage `json:"data"`
		Errors []gqlError      `json:"errors"`
	}
	if err := json.Unmarshal(raw, &res); err != nil {
		return fmt.Errorf("bench: graphql: %s: %w", resp.Status, err)
	}
	if len(res.Errors) > 0 {
		msgs := make([]string, 0, len(res.Errors))
		for i, e := range res.Errors {
			if i == 3 {
				msgs = append(msgs, fmt.Sprintf("... %d more", len(res.Errors)-3))
				break
			}
			msgs = append(msgs, fmt.Sprintf("%s at %v (%v)", e.Message, e.Path, e.Extensions["code"]))
		}
		return fmt.Errorf("bench: graphql errors: %s", strings.Join(msgs, "; "))
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(res.Data, out); err != nil {
		return fmt.Errorf("bench: graphql data: %w", err)
	}
	return nil
}

// newLoopbackTransport is a transport that keeps enough idle connections for a goroutine per
// node, so that the concurrent baseline measures round trips rather than connection set-up.
func newLoopbackTransport() *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns = 1024
	t.MaxIdleConnsPerHost = 1024
	return t
}
