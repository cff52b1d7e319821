package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"github.com/confluence-graph/confluence-graph/graph"
	"github.com/confluence-graph/confluence-graph/internal/syncbuf"
	"github.com/confluence-graph/confluence-graph/internal/testsupport"
	"github.com/confluence-graph/confluence-graph/server"
	"github.com/confluence-graph/confluence-graph/settings"
	"github.com/confluence-graph/confluence-graph/settings/sqlite"
)

// env is one server over real HTTP with a SQLite store in a temp dir.
type env struct {
	t     *testing.T
	store settings.Store
	srv   *server.Server
	http  *httptest.Server
	logs  *syncbuf.Buffer
}

// mustOpenStore opens a SQLite store in t's temp dir, closed at cleanup.
func mustOpenStore(tb testing.TB) settings.Store {
	tb.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(tb.TempDir(), "cg.db"))
	if err != nil {
		tb.Fatalf("sqlite.Open: %v", err)
	}
	tb.Cleanup(func() { _ = db.Close() })
	return db
}

// newEnv starts a server with cfg (Schema, Keys, Logger and Ready filled
// in when zero).
func newEnv(t *testing.T, cfg server.Config) *env {
	t.Helper()
	e := &env{t: t, logs: &syncbuf.Buffer{}}
	if cfg.Keys == nil {
		e.store = mustOpenStore(t)
		cfg.Keys = e.store
		cfg.Ready = append(cfg.Ready, server.Check{Name: "store", Check: e.store.Ping})
	}
	if cfg.Schema == nil {
		cfg.Schema = graph.New(graph.Deps{})
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewJSONHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	srv, err := server.New(cfg)
	if err != nil {
		t.Fatalf("server.New: %v", err)
	}
	e.srv = srv
	e.http = httptest.NewServer(srv.Handler())
	t.Cleanup(e.http.Close)
	return e
}

// key creates an API key for tenant with role and returns the full key.
func (e *env) key(tenant string, role settings.Role) string {
	e.t.Helper()
	return testsupport.MustKey(e.t, e.store, tenant, role)
}

// gqlResponse is a GraphQL response with the HTTP status and headers.
type gqlResponse struct {
	Status int
	Header http.Header
	Raw    string
	Data   map[string]any `json:"data"`
	Errors []struct {
		Message    string         `json:"message"`
		Path       []any          `json:"path"`
		Extensions map[string]any `json:"extensions"`
	} `json:"errors"`
}

// code returns extensions.code of the first error, "" when none.
func (r *gqlResponse) code() string {
	if len(r.Errors) == 0 {
		return ""
	}
	c, _ := r.Errors[0].Extensions["code"].(string)
	return c
}

func (r *gqlResponse) message() string {
	if len(r.Errors) == 0 {
		return ""
	}
	return r.Errors[0].Message
}

// do sends req and decodes the answer as a GraphQL response.
func (e *env) do(req *http.Request) *gqlResponse {
	e.t.Helper()
	resp, err := e.http.Client().Do(req)
	if err != nil {
		e.t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatalf("read body: %v", err)
	}
	out := &gqlResponse{Status: resp.StatusCode, Header: resp.Header, Raw: string(body)}
	if len(body) > 0 && strings.Contains(resp.Header.Get("Content-Type"), "json") {
		if err := json.Unmarshal(body, out); err != nil {
			e.t.Fatalf("decode %q: %v", body, err)
		}
	}
	return out
}

// post sends a GraphQL POST with the given key ("" for none).
func (e *env) post(key, query string, vars map[string]any) *gqlResponse {
	e.t.Helper()
	body := map[string]any{"query": query}
	if vars != nil {
		body["variables"] = vars
	}
	return e.postBody(key, body)
}

func (e *env) postBody(key string, body any) *gqlResponse {
	e.t.Helper()
	return e.postAccept(key, "", body)
}

// postAccept is postBody with an Accept header ("" for none).
func (e *env) postAccept(key, accept string, body any) *gqlResponse {
	e.t.Helper()
	b, err := json.Marshal(body)
	if err != nil {
		e.t.Fatal(err)
	}
	req, _ := http.NewRequest(http.MethodPost, e.http.URL+"/graphql", bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	return e.do(req)
}

// get sends a GraphQL GET with the given key and URL parameters.
func (e *env) get(key string, params url.Values) *gqlResponse {
	e.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, e.http.URL+"/graphql?"+params.Encode(), nil)
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	return e.do(req)
}

// fetch GETs a plain path and returns status and body.
func (e *env) fetch(path string) (int, string) {
	e.t.Helper()
	return testsupport.Get(e.t, e.http.URL+path)
}

const validateQuery = `query Check($q: String!) { validateCql(cql: $q) { valid normalized } }`
