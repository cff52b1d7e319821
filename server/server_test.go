package server_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/confluence-graph/confluence-graph/server"
	"github.com/confluence-graph/confluence-graph/settings"
)

func TestAuthenticationRefusesBadKeys(t *testing.T) {
	e := newEnv(t, server.Config{})
	good := e.key("acme", settings.RoleReader)
	revoked := e.key("acme", settings.RoleReader)
	id, _, _ := settings.ParseAPIKey(revoked)
	if err := e.store.RevokeAPIKey(context.Background(), "acme", id); err != nil {
		t.Fatal(err)
	}
	goodID, _, _ := settings.ParseAPIKey(good)
	wrongSecret := "cg_" + goodID + "_" + strings.Repeat("0", 64)
	unknown := "cg_" + strings.Repeat("ab", 8) + "_" + strings.Repeat("cd", 32)

	tests := []struct {
		name, header, wantMsg string
	}{
		{"missing header", "", "missing API key"},
		{"basic scheme", "Basic dXNlcjpwYXNz", "malformed API key"},
		{"bearer without cg prefix", "Bearer not-a-cg-key", "malformed API key"},
		{"bearer with short secret", "Bearer cg_" + goodID + "_abc", "malformed API key"},
		{"unknown key", "Bearer " + unknown, "invalid API key"},
		{"wrong secret", "Bearer " + wrongSecret, "invalid API key"},
		{"revoked key", "Bearer " + revoked, "revoked API key"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest(http.MethodPost, e.http.URL+"/graphql",
				strings.NewReader(`{"query":"{ validateCql(cql: \"type = page\") { valid } }"}`))
			req.Header.Set("Content-Type", "application/json")
			if tt.header != "" {
				req.Header.Set("Authorization", tt.header)
			}
			got := e.do(req)
			if got.Status != http.StatusUnauthorized {
				t.Fatalf("status = %d, want 401 (body %s)", got.Status, got.Raw)
			}
			if got.code() != "UNAUTHENTICATED" {
				t.Errorf("code = %q, want UNAUTHENTICATED", got.code())
			}
			if !strings.Contains(got.message(), tt.wantMsg) {
				t.Errorf("message = %q, want it to contain %q", got.message(), tt.wantMsg)
			}
			if got.Data != nil {
				t.Errorf("data = %v, want none", got.Data)
			}
			if h := got.Header.Get("WWW-Authenticate"); !strings.HasPrefix(h, "Bearer") {
				t.Errorf("WWW-Authenticate = %q, want Bearer challenge", h)
			}
		})
	}
	// Refused credentials are not logged either (the log has a line per
	// refusal, so the check can fail).
	logs := e.logs.String()
	if n := strings.Count(logs, `"status":401`); n != len(tests) {
		t.Errorf("log has %d lines with status 401, want %d", n, len(tests))
	}
	for _, tt := range tests {
		if _, cred, _ := strings.Cut(tt.header, " "); cred != "" && strings.Contains(logs, cred) {
			t.Errorf("%s: the log contains the refused credential", tt.name)
		}
	}
	// The valid key works, and its use is recorded.
	got := e.post(good, validateQuery, map[string]any{"q": "type = page"})
	if got.Status != http.StatusOK || got.Data["validateCql"] == nil {
		t.Fatalf("valid key: status %d body %s", got.Status, got.Raw)
	}
	k, err := e.store.GetAPIKey(context.Background(), goodID)
	if err != nil {
		t.Fatal(err)
	}
	if k.LastUsedAt.IsZero() {
		t.Errorf("LastUsedAt is zero after an authenticated request, want it set")
	}
}

func TestGETRunsQueriesOnly(t *testing.T) {
	e := newEnv(t, server.Config{})
	key := e.key("acme", settings.RoleAdmin)

	got := e.get(key, url.Values{"query": {`{ validateCql(cql: "space = OPS") { valid normalized } }`}})
	if got.Status != http.StatusOK {
		t.Fatalf("GET query status = %d, want 200 (body %s)", got.Status, got.Raw)
	}
	v, _ := got.Data["validateCql"].(map[string]any)
	if v["valid"] != true {
		t.Errorf("GET query validateCql = %v, want valid", v)
	}

	got = e.get(key, url.Values{"query": {`mutation { disconnectConfluence { disconnected } }`}})
	if got.Status != http.StatusNotAcceptable {
		t.Errorf("GET mutation status = %d, want 406 (body %s)", got.Status, got.Raw)
	}
	if !strings.Contains(got.message(), "GET requests only allow query operations") {
		t.Errorf("GET mutation message = %q", got.message())
	}
}

func TestBodyOverLimitIs413(t *testing.T) {
	e := newEnv(t, server.Config{MaxBodyBytes: 256})
	key := e.key("acme", settings.RoleReader)
	big := `{"query":"{ validateCql(cql: \"` + strings.Repeat("a", 400) + `\") { valid } }"}`

	t.Run("declared length", func(t *testing.T) {
		req, _ := http.NewRequest(http.MethodPost, e.http.URL+"/graphql", strings.NewReader(big))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+key)
		got := e.do(req)
		if got.Status != http.StatusRequestEntityTooLarge || got.code() != server.CodeBodyTooLarge {
			t.Fatalf("status %d code %q, want 413 %s", got.Status, got.code(), server.CodeBodyTooLarge)
		}
	})
	t.Run("chunked", func(t *testing.T) {
		// io.MultiReader hides the length, so the client sends it chunked.
		req, _ := http.NewRequest(http.MethodPost, e.http.URL+"/graphql", io.MultiReader(strings.NewReader(big)))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+key)
		if req.ContentLength != 0 {
			t.Fatalf("ContentLength = %d, want unknown", req.ContentLength)
		}
		got := e.do(req)
		if got.Status != http.StatusRequestEntityTooLarge {
			t.Fatalf("status %d, want 413 (body %s)", got.Status, got.Raw)
		}
	})
	t.Run("under the limit", func(t *testing.T) {
		got := e.post(key, `{ validateCql(cql: "type = page") { valid } }`, nil)
		if got.Status != http.StatusOK {
			t.Fatalf("status %d, want 200 (body %s)", got.Status, got.Raw)
		}
	})
}

func TestLimitsRefuseOversizedOperations(t *testing.T) {
	e := newEnv(t, server.Config{ComplexityLimit: 20, DepthLimit: 4, AliasLimit: 3})
	key := e.key("acme", settings.RoleReader)
	aliases := make([]string, 5)
	for i := range aliases {
		aliases[i] = "a" + string(rune('0'+i)) + `: validateCql(cql: "type = page") { valid }`
	}
	wide := make([]string, 12)
	for i := range wide {
		wide[i] = "valid normalized"
	}
	tests := []struct {
		name, query, wantCode, wantMsg string
	}{
		{
			name:     "too deep",
			query:    `{ spaces { nodes { homepage { children { nodes { id } } } } } }`,
			wantCode: server.CodeDepthLimit,
			wantMsg:  "operation has depth 6, which exceeds the limit of 4",
		},
		{
			name:     "too deep through a fragment",
			query:    `query { spaces { ...S } } fragment S on SpaceConnection { nodes { homepage { children { nodes { id } } } } }`,
			wantCode: server.CodeDepthLimit,
			wantMsg:  "operation has depth 6",
		},
		{
			name:     "too many aliases",
			query:    "{ " + strings.Join(aliases, " ") + " }",
			wantCode: server.CodeAliasLimit,
			wantMsg:  "operation uses 5 aliases, which exceeds the limit of 3",
		},
		{
			name:     "too complex",
			query:    `{ a: validateCql(cql: "x = 1") { ` + strings.Join(wide, " ") + ` } }`,
			wantCode: server.CodeComplexityLimit,
			wantMsg:  "which exceeds the limit of 20",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// GraphQL over HTTP: a request error is 200 with application/json
			// and 400 with application/graphql-response+json, without data.
			for accept, wantStatus := range map[string]int{
				"application/json":                  http.StatusOK,
				"application/graphql-response+json": http.StatusBadRequest,
			} {
				got := e.postAccept(key, accept, map[string]any{"query": tt.query})
				if got.Status != wantStatus {
					t.Errorf("Accept %s: status = %d, want %d (body %s)", accept, got.Status, wantStatus, got.Raw)
				}
				if got.code() != tt.wantCode {
					t.Errorf("code = %q, want %q", got.code(), tt.wantCode)
				}
				if !strings.Contains(got.message(), tt.wantMsg) {
					t.Errorf("message = %q, want it to contain %q", got.message(), tt.wantMsg)
				}
				if strings.Contains(got.Raw, `"data"`) {
					t.Errorf("Accept %s: body has a data entry: %s", accept, got.Raw)
				}
			}
		})
	}
	t.Run("within limits", func(t *testing.T) {
		got := e.post(key, `{ a: validateCql(cql: "x = 1") { valid } b: validateCql(cql: "y = 2") { valid } }`, nil)
		if got.Status != http.StatusOK || len(got.Errors) != 0 {
			t.Fatalf("status %d body %s, want 200 without errors", got.Status, got.Raw)
		}
	})
}

func TestIntrospection(t *testing.T) {
	const introspect = `{ __schema { queryType { name } } }`
	t.Run("off by default, without suggestions", func(t *testing.T) {
		e := newEnv(t, server.Config{})
		key := e.key("acme", settings.RoleReader)
		got := e.post(key, introspect, nil)
		if got.Data["__schema"] != nil || !strings.Contains(got.message(), "introspection disabled") {
			t.Errorf("introspection answered %s, want it disabled", got.Raw)
		}
		got = e.post(key, `{ serch(cql: "x") { totalCount } }`, nil)
		if got.code() != "GRAPHQL_VALIDATION_FAILED" {
			t.Fatalf("misspelled field: status %d body %s", got.Status, got.Raw)
		}
		if strings.Contains(got.Raw, "Did you mean") {
			t.Errorf("validation error suggests fields: %s", got.message())
		}
		got = e.post(key, `{ _service { sdl } }`, nil)
		sdl, _ := got.Data["_service"].(map[string]any)
		if s, _ := sdl["sdl"].(string); !strings.Contains(s, "type Page") {
			t.Errorf("_service with introspection off = %s, want the SDL", got.Raw)
		}
	})
	t.Run("on when enabled", func(t *testing.T) {
		e := newEnv(t, server.Config{Introspection: true})
		key := e.key("acme", settings.RoleReader)
		got := e.post(key, introspect, nil)
		s, _ := got.Data["__schema"].(map[string]any)
		qt, _ := s["queryType"].(map[string]any)
		if qt["name"] != "Query" {
			t.Errorf("introspection answered %s, want queryType Query", got.Raw)
		}
		got = e.post(key, `{ serch(cql: "x") { totalCount } }`, nil)
		if !strings.Contains(got.Raw, "Did you mean") {
			t.Errorf("with introspection on, want suggestions; got %s", got.Raw)
		}
	})
}

func TestAutomaticPersistedQueries(t *testing.T) {
	e := newEnv(t, server.Config{})
	key := e.key("acme", settings.RoleReader)
	query := `{ validateCql(cql: "label = runbook") { valid normalized } }`
	sum := sha256.Sum256([]byte(query))
	ext := map[string]any{"persistedQuery": map[string]any{"version": 1, "sha256Hash": hex.EncodeToString(sum[:])}}

	got := e.postBody(key, map[string]any{"extensions": ext})
	if got.code() != "PERSISTED_QUERY_NOT_FOUND" {
		t.Fatalf("unknown hash: code %q body %s, want PERSISTED_QUERY_NOT_FOUND", got.code(), got.Raw)
	}
	got = e.postBody(key, map[string]any{"query": query, "extensions": ext})
	if got.Data["validateCql"] == nil {
		t.Fatalf("register: body %s", got.Raw)
	}
	got = e.postBody(key, map[string]any{"extensions": ext})
	v, _ := got.Data["validateCql"].(map[string]any)
	if v["valid"] != true {
		t.Fatalf("hash only after registering: body %s, want the result", got.Raw)
	}
	// And over GET, as CDN-friendly clients send it.
	extJSON := `{"persistedQuery":{"version":1,"sha256Hash":"` + hex.EncodeToString(sum[:]) + `"}}`
	got = e.get(key, url.Values{"extensions": {extJSON}})
	if got.Data["validateCql"] == nil {
		t.Errorf("GET with hash only: body %s", got.Raw)
	}
}

func TestRequestID(t *testing.T) {
	e := newEnv(t, server.Config{})
	key := e.key("acme", settings.RoleReader)
	tests := []struct {
		name, sent string
		echoed     bool
	}{
		{"well-formed id is echoed", "req-123.abc_DEF", true},
		{"id with spaces is replaced", "bad id", false},
		{"overlong id is replaced", strings.Repeat("x", 65), false},
		{"missing id is generated", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest(http.MethodPost, e.http.URL+"/graphql",
				strings.NewReader(`{"query":"{ validateCql(cql: \"type = page\") { valid } }"}`))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Bearer "+key)
			if tt.sent != "" {
				req.Header.Set(server.RequestIDHeader, tt.sent)
			}
			got := e.do(req).Header.Get(server.RequestIDHeader)
			if tt.echoed && got != tt.sent {
				t.Errorf("X-Request-Id = %q, want %q", got, tt.sent)
			}
			if !tt.echoed && (got == "" || got == tt.sent) {
				t.Errorf("X-Request-Id = %q, want a fresh id", got)
			}
			if !strings.Contains(e.logs.String(), `"request_id":"`+got+`"`) {
				t.Errorf("log has no line with request_id %q", got)
			}
		})
	}
}

func TestHealthAndReadiness(t *testing.T) {
	e := newEnv(t, server.Config{})
	if code, body := e.fetch("/healthz"); code != http.StatusOK || !strings.Contains(body, `"ok"`) {
		t.Errorf("/healthz = %d %s, want 200 ok", code, body)
	}
	if code, body := e.fetch("/readyz"); code != http.StatusOK || !strings.Contains(body, `"store":"ok"`) {
		t.Errorf("/readyz = %d %s, want 200 with store ok", code, body)
	}
	if err := e.store.Close(); err != nil {
		t.Fatal(err)
	}
	code, body := e.fetch("/readyz")
	if code != http.StatusServiceUnavailable || !strings.Contains(body, `"store":"unavailable"`) {
		t.Errorf("/readyz with the store closed = %d %s, want 503 naming the store", code, body)
	}
	if code, _ := e.fetch("/healthz"); code != http.StatusOK {
		t.Errorf("/healthz with the store closed = %d, want 200 (liveness only)", code)
	}
}

// TestErrorsDoNotEchoTheRequest sends malformed or mistyped requests that
// carry a marker where a client would put a secret; no answer repeats it,
// and an internal error's detail stays in the log.
func TestErrorsDoNotEchoTheRequest(t *testing.T) {
	e := newEnv(t, server.Config{})
	key := e.key("acme", settings.RoleAdmin)
	const marker = "PRIVATE-MARKER-1234"
	const connect = `mutation C($in: ConnectConfluenceInput!) { connectConfluence(input: $in) { userErrors { code } } }`
	jsonReq := func(body string) *http.Request {
		req, _ := http.NewRequest(http.MethodPost, e.http.URL+"/graphql", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		return req
	}
	getReq := func(params url.Values) *http.Request {
		req, _ := http.NewRequest(http.MethodGet, e.http.URL+"/graphql?"+params.Encode(), nil)
		return req
	}
	tests := []struct {
		name     string
		req      *http.Request
		wantCode string // "" when any code will do
	}{
		{"truncated JSON body", jsonReq(`{"query": "` + marker), server.CodeBadRequest},
		{"variables as a string", jsonReq(`{"query":"{ __typename }","variables":"` + marker + `"}`), server.CodeBadRequest},
		{"extensions as a string", jsonReq(`{"query":"{ __typename }","extensions":"` + marker + `"}`), server.CodeBadRequest},
		{"GET variables not JSON", getReq(url.Values{"query": {"{ __typename }"}, "variables": {"{" + marker}}), ""},
		{"GET extensions not JSON", getReq(url.Values{"query": {"{ __typename }"}, "extensions": {"{" + marker}}), ""},
		{"input variable of the wrong shape", jsonReq(`{"query":` + strconvQuote(connect) + `,"variables":{"in":"` + marker + `"}}`), "GRAPHQL_VALIDATION_FAILED"},
		{"token variable of the wrong type", jsonReq(`{"query":` + strconvQuote(connect) + `,"variables":{"in":{"domain":"x","email":"y","apiToken":{"t":"` + marker + `"}}}}`), "GRAPHQL_VALIDATION_FAILED"},
		{"internal error of a resolver", jsonReq(`{"query":` + strconvQuote(connect) + `,"variables":{"in":{"domain":"acme.atlassian.net","email":"a@example.com","apiToken":"` + marker + `"}}}`), "INTERNAL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.req.Header.Set("Authorization", "Bearer "+key)
			got := e.do(tt.req)
			if len(got.Errors) == 0 {
				t.Fatalf("status %d body %s, want an error", got.Status, got.Raw)
			}
			if strings.Contains(got.Raw, marker) {
				t.Errorf("response echoes the request: %s", got.Raw)
			}
			if tt.wantCode != "" && got.code() != tt.wantCode {
				t.Errorf("code = %q, want %s (body %s)", got.code(), tt.wantCode, got.Raw)
			}
		})
	}
	// The resolver's internal error is in the log (with the request id),
	// not in the answer, and the log has no marker either.
	if !strings.Contains(e.logs.String(), "not configured") {
		t.Errorf("log lacks the internal error's detail:\n%s", e.logs.String())
	}
	if strings.Contains(e.logs.String(), marker) {
		t.Errorf("log repeats the request: %s", e.logs.String())
	}
}

// strconvQuote quotes s as a JSON string.
func strconvQuote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func TestPlaygroundMountedOnlyWhenEnabled(t *testing.T) {
	off := newEnv(t, server.Config{})
	if code, _ := off.fetch("/"); code != http.StatusNotFound {
		t.Errorf("GET / without playground = %d, want 404", code)
	}
	on := newEnv(t, server.Config{Playground: true})
	code, body := on.fetch("/")
	if code != http.StatusOK || !strings.Contains(strings.ToLower(body), "<html") {
		t.Errorf("GET / with playground = %d, want the page", code)
	}
	if code, _ := on.fetch("/settings"); code != http.StatusOK {
		t.Errorf("GET /settings with playground = %d, want 200", code)
	}
}

// TestZeroConfigEnforcesDefaultLimits: serve passes no limits, so the
// zero Config must still cap body size, depth and aliases.
func TestZeroConfigEnforcesDefaultLimits(t *testing.T) {
	e := newEnv(t, server.Config{})
	key := e.key("acme", settings.RoleReader)

	deep := "id"
	for range 6 {
		deep = "children { nodes { ... on Page { " + deep + " } } }"
	}
	deep = "{ spaces { nodes { homepage { " + deep + " } } } }" // depth 3 + 2*6 + 1 = 16
	aliases := make([]string, server.DefaultAliasLimit+1)
	for i := range aliases {
		aliases[i] = fmt.Sprintf(`a%d: validateCql(cql: "type = page") { valid }`, i)
	}
	tests := []struct{ name, query, wantCode string }{
		{"depth", deep, server.CodeDepthLimit},
		{"aliases", "{ " + strings.Join(aliases, " ") + " }", server.CodeAliasLimit},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := e.post(key, tt.query, nil); got.code() != tt.wantCode {
				t.Errorf("code = %q, want %s (body %.300s)", got.code(), tt.wantCode, got.Raw)
			}
		})
	}
	t.Run("body", func(t *testing.T) {
		big := `{"query":"{ validateCql(cql: \"` + strings.Repeat("a", server.DefaultMaxBodyBytes) + `\") { valid } }"}`
		req, _ := http.NewRequest(http.MethodPost, e.http.URL+"/graphql", strings.NewReader(big))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+key)
		if got := e.do(req); got.Status != http.StatusRequestEntityTooLarge {
			t.Errorf("status = %d, want 413", got.Status)
		}
	})
}
