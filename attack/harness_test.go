package attack_test

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/confluence-graph/confluence-graph/app"
	"github.com/confluence-graph/confluence-graph/confluence/confluencetest"
	"github.com/confluence-graph/confluence-graph/internal/syncbuf"
	"github.com/confluence-graph/confluence-graph/internal/testsupport"
	"github.com/confluence-graph/confluence-graph/settings"
)

// target is one running service (serve's defaults, SQLite store, local master key) in front of
// a Confluence simulator, with its logs captured.
type target struct {
	sim  *confluencetest.Server
	app  *app.App
	url  string // the public listener, ending in "/"
	host string // the Confluence host the service talks to (the simulator, or a proxy before it)
	logs *syncbuf.Buffer
}

// start runs the service against a fresh demo simulator; edit, if given, changes the config.
func start(t *testing.T, edit ...func(*app.Config)) *target {
	t.Helper()
	sim := testsupport.StartSim(t)
	return startAt(t, sim, sim.Host(), edit...)
}

// startAt runs the service with host (the simulator or a proxy before it) as its Confluence.
func startAt(t *testing.T, sim *confluencetest.Server, host string, edit ...func(*app.Config)) *target {
	t.Helper()
	logs := &syncbuf.Buffer{}
	cfg := testsupport.Config(t, host, slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})))
	for _, e := range edit {
		e(&cfg)
	}
	a := testsupport.StartService(t, cfg)
	return &target{sim: sim, app: a, url: a.URL(), host: host, logs: logs}
}

// key creates an API key of role for tenant.
func (g *target) key(t *testing.T, tenant string, role settings.Role) string {
	t.Helper()
	return testsupport.MustKey(t, g.app.Store(), tenant, role)
}

// connect connects tenant to the service's Confluence as the simulator's account.
func (g *target) connect(t *testing.T, tenant, account string) {
	t.Helper()
	testsupport.Connect(t, g.app.Settings(), tenant, g.host, g.sim.Account(account))
}

// gqlError is one error of a response.
type gqlError struct {
	Message    string         `json:"message"`
	Path       []any          `json:"path"`
	Extensions map[string]any `json:"extensions"`
}

// response is a decoded /graphql answer; Raw is the body as sent.
type response struct {
	Status int
	Raw    string
	Data   map[string]any
	Errors []gqlError
}

// code is the first error's extensions.code ("" without errors).
func (r response) code() string {
	if len(r.Errors) == 0 {
		return ""
	}
	c, _ := r.Errors[0].Extensions["code"].(string)
	return c
}

// codeAt is the code of the error whose path starts with field ("" when there is none).
func (r response) codeAt(field string) string {
	for _, e := range r.Errors {
		if len(e.Path) > 0 && e.Path[0] == field {
			c, _ := e.Extensions["code"].(string)
			return c
		}
	}
	return ""
}

// post sends query (with vars) under key ("" sends no Authorization header).
func (g *target) post(t *testing.T, key, query string, vars map[string]any) response {
	t.Helper()
	return g.postBody(t, key, map[string]any{"query": query, "variables": vars})
}

// postBody sends body as JSON to /graphql under key.
func (g *target) postBody(t *testing.T, key string, body any) response {
	t.Helper()
	b, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	return g.postRaw(t, "Bearer "+key, b, key == "")
}

// postRaw sends body to /graphql with the Authorization header auth (none when omit).
func (g *target) postRaw(t *testing.T, auth string, body []byte, omit bool) response {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, g.url+"graphql", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if !omit {
		req.Header.Set("Authorization", auth)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("POST /graphql: %v", err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	r := response{Status: resp.StatusCode, Raw: string(raw)}
	var dec struct {
		Data   map[string]any `json:"data"`
		Errors []gqlError     `json:"errors"`
	}
	if err := json.Unmarshal(raw, &dec); err == nil {
		r.Data, r.Errors = dec.Data, dec.Errors
	}
	return r
}

// field returns data[name] as an object (nil when absent or null).
func (r response) field(name string) map[string]any {
	m, _ := r.Data[name].(map[string]any)
	return m
}

// userErrorCodes returns the codes of payload.userErrors of mutation field name.
func (r response) userErrorCodes(name string) []string {
	var codes []string
	list, _ := r.field(name)["userErrors"].([]any)
	for _, e := range list {
		m, _ := e.(map[string]any)
		c, _ := m["code"].(string)
		codes = append(codes, c)
	}
	return codes
}

// pageQuery reads one page's title.
const pageQuery = `{ page(id: "100003") { title } }`

// mustRead reads pageQuery under key and fails unless it answers the page.
func (g *target) mustRead(t *testing.T, key string) {
	t.Helper()
	got := g.post(t, key, pageQuery, nil)
	if p := got.field("page"); len(got.Errors) != 0 || p["title"] != "Deployment Runbook" {
		t.Fatalf("page read: %s, want the page", got.Raw)
	}
}

// noneContain fails when any of texts contains one of secrets.
func noneContain(t *testing.T, what string, texts []string, secrets ...string) {
	t.Helper()
	for _, s := range secrets {
		if s == "" {
			continue
		}
		for _, x := range texts {
			if strings.Contains(x, s) {
				t.Errorf("%s contains %q", what, s)
			}
		}
	}
}
