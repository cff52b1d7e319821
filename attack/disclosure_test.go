package attack_test

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/confluence-graph/confluence-graph/internal/testsupport"
	"github.com/confluence-graph/confluence-graph/server"
	"github.com/confluence-graph/confluence-graph/settings"
)

// With introspection off (serve's default), a typo gets a validation error that suggests no
// field, argument or enum value of the schema.
func TestDidYouMeanWithIntrospectionOff(t *testing.T) {
	g := start(t)
	key := g.key(t, "acme", settings.RoleReader)
	for _, q := range []string{`{ spaec(key: "A") { id } }`, `{ space(kye: "A") { id } }`, `{ spaces(type: GLOBALL) { nodes { id } } }`} {
		got := g.post(t, key, q, nil)
		if got.code() != "GRAPHQL_VALIDATION_FAILED" || strings.Contains(got.Raw, "Did you mean") {
			t.Errorf("%s: %.300s, want a validation error without suggestions", q, got.Raw)
		}
	}
}

// _service beside __schema or __type is refused cleanly (INTROSPECTION_DISABLED, no ERROR
// log), not INTERNAL; _service alone answers.
func TestServiceWithSchemaRefusedCleanly(t *testing.T) {
	g := start(t)
	key := g.key(t, "acme", settings.RoleReader)
	got := g.post(t, key, `{ _service { sdl } __schema { types { name } } }`, nil)
	if got.code() != server.CodeIntrospectionDisabled || strings.Contains(got.Raw, "INTERNAL") {
		t.Errorf("_service with __schema: %.300s, want INTROSPECTION_DISABLED", got.Raw)
	}
	if got := g.post(t, key, `{ _service { sdl } }`, nil); len(got.Errors) != 0 || !strings.Contains(got.Raw, "@key") {
		t.Errorf("_service alone: %.300s, want the SDL", got.Raw)
	}
	if strings.Contains(g.logs.String(), `"level":"ERROR"`) {
		t.Errorf("an ERROR was logged: %s", g.logs.String())
	}
}

// /metrics is not served on the public listener; on its own (loopback) listener it names no
// customer's Confluence host, even after that customer's reads went through the client.
func TestMetricsNotPublicAndNameNoSiteHost(t *testing.T) {
	g := start(t)
	g.connect(t, "acme", "classic")
	g.mustRead(t, g.key(t, "acme", settings.RoleReader))
	if code, _ := testsupport.Get(t, g.url+"metrics"); code != http.StatusNotFound {
		t.Errorf("GET /metrics on the public port = %d, want 404", code)
	}
	addr := g.app.MetricsAddr()
	if !strings.HasPrefix(addr, "127.0.0.1:") {
		t.Errorf("metrics listener %q is not on loopback", addr)
	}
	code, body := testsupport.Get(t, "http://"+addr+"/metrics")
	if code != http.StatusOK || !strings.Contains(body, "confluence_") {
		t.Fatalf("GET /metrics on the metrics listener = %d, want 200 with the Confluence series", code)
	}
	noneContain(t, "/metrics", []string{body}, g.sim.Host())
}

// A persisted query registered by one tenant is unknown to another (the APQ cache is per
// tenant), so no tenant learns or runs another's documents by hash.
func TestAPQAcrossTenants(t *testing.T) {
	g := start(t)
	a, b := g.key(t, "acme", settings.RoleReader), g.key(t, "globex", settings.RoleReader)
	const q = `{ __typename }`
	sum := sha256.Sum256([]byte(q))
	ext := map[string]any{"persistedQuery": map[string]any{"version": 1, "sha256Hash": hex.EncodeToString(sum[:])}}
	if got := g.postBody(t, a, map[string]any{"query": q, "extensions": ext}); len(got.Errors) != 0 {
		t.Fatalf("registering: %.300s", got.Raw)
	}
	if got := g.postBody(t, a, map[string]any{"extensions": ext}); len(got.Errors) != 0 {
		t.Errorf("same tenant by hash: %.300s, want the answer", got.Raw)
	}
	if got := g.postBody(t, b, map[string]any{"extensions": ext}); !strings.Contains(got.Raw, "PersistedQueryNotFound") {
		t.Errorf("another tenant by hash: %.300s, want PersistedQueryNotFound", got.Raw)
	}
}

// A proxy before Confluence that echoes the request's Authorization header into its error
// bodies (JSON and plain text) leaks nothing: responses carry fixed messages and the logs hold
// no upstream text.
func TestUpstreamTextEchoNotCopied(t *testing.T) {
	sim := testsupport.StartSim(t)
	target, _ := url.Parse(sim.URL())
	pass := httputil.NewSingleHostReverseProxy(target)
	var echo atomic.Bool
	var seen atomic.Value // the last Authorization header echoed
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		auth := r.Header.Get("Authorization")
		switch p := r.URL.Path; {
		case !echo.Load() || auth == "":
			pass.ServeHTTP(w, r)
		case strings.HasPrefix(p, "/wiki/rest/api/search"), strings.HasPrefix(p, "/wiki/api/v2/pages"):
			seen.Store(auth)
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusBadRequest)
			_, _ = io.WriteString(w, `{"message":"bad request; you sent Authorization: `+auth+`"}`)
		default:
			seen.Store(auth)
			w.Header().Set("Content-Type", "text/plain")
			w.WriteHeader(http.StatusBadGateway)
			_, _ = io.WriteString(w, "upstream failed for Authorization: "+auth)
		}
	}))
	t.Cleanup(proxy.Close)
	g := startAt(t, sim, strings.TrimPrefix(proxy.URL, "http://"))
	g.connect(t, "acme", "classic")
	key := g.key(t, "acme", settings.RoleReader)
	echo.Store(true)
	got := g.post(t, key, `{ search(cql: "type = page") { totalCount } page(id: "100003") { title } space(key: "OPS") { name } }`, nil)
	auth, _ := seen.Load().(string)
	if auth == "" {
		t.Fatalf("the proxy echoed nothing; response %.300s", got.Raw)
	}
	if got.codeAt("search") != "INVALID_CQL" || got.codeAt("space") != "UPSTREAM_UNAVAILABLE" {
		t.Errorf("codes: search %q, space %q; want INVALID_CQL, UPSTREAM_UNAVAILABLE", got.codeAt("search"), got.codeAt("space"))
	}
	cred := strings.TrimPrefix(auth, "Basic ")
	acct := sim.Account("classic")
	noneContain(t, "the response", []string{got.Raw}, cred, acct.Token, "you sent", "upstream failed")
	noneContain(t, "the logs", []string{g.logs.String()}, cred, acct.Token, "you sent", "upstream failed")
}
