package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/transport"

	"github.com/confluence-graph/confluence-graph/confluence"
	"github.com/confluence-graph/confluence-graph/graph"
	"github.com/confluence-graph/confluence-graph/loaders"
)

// ClientLimits are the per-tenant limits of the confluence.Client behind the API. The zero value
// keeps the client's defaults (the limits a tenant gets today).
type ClientLimits struct {
	RateLimit      float64 // requests per second; 0 = client default, negative = unlimited
	RateBurst      int
	MaxConcurrency int // in-flight requests; 0 = client default
	// LoaderConcurrency is the loaders' bound on concurrent per-page calls of one request
	// (loaders.Config.MaxConcurrency); 0 = the loaders' default.
	LoaderConcurrency int
}

// API is the GraphQL API served over loopback HTTP: the gqlgen handler with the error presenter,
// per-request loaders (no cross-request cache, so every run is cold) and a caller, bound to a
// confluence.Client for the simulator. Its methods are safe for concurrent use.
type API struct {
	srv  *httptest.Server
	http *http.Client
	opts confluence.Options

	mu     sync.Mutex
	client *confluence.Client
}

// NewAPI starts the API against sim. Upstream requests go through rec (which must not be nil)
// so that their spans can be measured. Close it when done.
func NewAPI(sim Sim, limits ClientLimits, rec *Recorder) (*API, error) {
	acct := sim.Account()
	a := &API{opts: confluence.Options{
		Site:           sim.Host(),
		AllowedDevHost: sim.Host(),
		Email:          acct.Email,
		Token:          acct.Token,
		TokenType:      confluence.TokenClassic,
		Transport:      rec,
		RateLimit:      limits.RateLimit,
		RateBurst:      limits.RateBurst,
		MaxConcurrency: limits.MaxConcurrency,
	}}
	if err := a.Renew(); err != nil {
		return nil, err
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, nil)) // internal errors and panics
	h := handler.New(graph.New(graph.Deps{Logger: log}))
	h.AddTransport(transport.POST{})
	h.SetErrorPresenter(graph.NewErrorPresenter(log))
	h.SetRecoverFunc(graph.NewRecover(log))
	withLoaders := loaders.Middleware(loaders.Config{
		MaxConcurrency: limits.LoaderConcurrency,
		Source: loaders.ClientSource(func(context.Context) (*confluence.Client, error) {
			a.mu.Lock()
			defer a.mu.Unlock()
			return a.client, nil
		}),
	}, h)
	caller := graph.Caller{TenantID: "bench", KeyID: "bench", Role: graph.RoleReader}
	a.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		withLoaders.ServeHTTP(w, r.WithContext(graph.WithCaller(r.Context(), caller)))
	}))
	a.http = &http.Client{Transport: newLoopbackTransport(), Timeout: 5 * time.Minute}
	return a, nil
}

// Renew replaces the confluence client with a fresh one (same transport, so connections stay
// warm): its rate limiter starts with a full burst, as for a tenant that has been idle. Without
// it, one run's requests would drain the bucket for the next.
func (a *API) Renew() error {
	c, err := confluence.NewClient(a.opts)
	if err != nil {
		return fmt.Errorf("bench: api client: %w", err)
	}
	a.mu.Lock()
	a.client = c
	a.mu.Unlock()
	return nil
}

// Close stops the API server.
func (a *API) Close() { a.srv.Close() }

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
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, a.srv.URL, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
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
