package server_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/confluence-graph/confluence-graph/app"
	"github.com/confluence-graph/confluence-graph/confluence"
	"github.com/confluence-graph/confluence-graph/confluence/confluencetest"
	"github.com/confluence-graph/confluence-graph/internal/syncbuf"
	"github.com/confluence-graph/confluence-graph/internal/testquery"
	"github.com/confluence-graph/confluence-graph/internal/testsupport"
	"github.com/confluence-graph/confluence-graph/server"
	"github.com/confluence-graph/confluence-graph/settings"
)

// stack is the whole service as `serve` runs it, built by app from serve's
// defaults, against the simulator with the demo data.
type stack struct {
	*env
	app     *app.App
	sim     *confluencetest.Server
	simHost string // the host tenants connect to (the simulator, or a gate in front of it)
	svc     *settings.Service
	metrics *server.Metrics
}

type stackOptions struct {
	// client adjusts the Confluence client template (retries, breaker).
	client func(o *confluence.Options)
	// front wraps the simulator's handler in a server of its own whose host
	// tenants connect to (for gating upstream calls).
	front func(http.Handler) http.Handler
	// server holds the server limits that differ from serve's defaults.
	server server.Config
}

func newStack(t *testing.T, o stackOptions) *stack {
	t.Helper()
	sim := testsupport.StartSim(t)
	host := sim.Host()
	if o.front != nil {
		fs := httptest.NewServer(o.front(sim.Handler()))
		t.Cleanup(fs.Close)
		host = strings.TrimPrefix(fs.URL, "http://")
	}
	logs := &syncbuf.Buffer{}
	cfg := testsupport.Config(t, host, slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})))
	if o.client != nil {
		o.client(&cfg.Client)
	}
	cfg.Server = o.server
	a := testsupport.NewService(t, cfg)
	e := &env{t: t, store: a.Store(), srv: a.Server(), http: httptest.NewServer(a.Handler()), logs: logs}
	t.Cleanup(e.http.Close)
	return &stack{env: e, app: a, sim: sim, simHost: host, svc: a.Settings(), metrics: a.Metrics()}
}

// connect connects tenant to the simulator with the demo account name.
func (s *stack) connect(tenant, account string) {
	s.t.Helper()
	testsupport.Connect(s.t, s.svc, tenant, s.simHost, s.sim.Account(account))
}

const spacesQuery = testquery.Spaces

func spaceKeys(r *gqlResponse) []string {
	sp, _ := r.Data["spaces"].(map[string]any)
	nodes, _ := sp["nodes"].([]any)
	var keys []string
	for _, n := range nodes {
		m, _ := n.(map[string]any)
		k, _ := m["key"].(string)
		keys = append(keys, k)
	}
	return keys
}

func TestTenantsSeeOnlyTheirOwnData(t *testing.T) {
	s := newStack(t, stackOptions{})
	s.connect("tenant-a", "classic")
	keyA := s.key("tenant-a", settings.RoleReader)
	keyB := s.key("tenant-b", settings.RoleAdmin)

	got := s.post(keyA, spacesQuery, nil)
	if keys := spaceKeys(got); len(keys) == 0 || !strings.Contains(strings.Join(keys, ","), "OPS") {
		t.Fatalf("tenant A spaces = %v (body %s), want the demo spaces", keys, got.Raw)
	}
	got = s.post(keyA, `{ confluenceIntegration { domain status } }`, nil)
	integ, _ := got.Data["confluenceIntegration"].(map[string]any)
	if integ["domain"] != s.simHost || integ["status"] != "CONNECTED" {
		t.Errorf("tenant A integration = %s, want %s CONNECTED", got.Raw, s.simHost)
	}

	pageID := s.sim.PageIDs("OPS")[0]
	// Tenant A reads the same things tenant B is refused, so the checks
	// below are about tenancy, not about queries that fail anyway.
	got = s.post(keyA, `{ search(cql: "type = page AND space = OPS") { totalCount } searchPages(filter: {spaces: ["OPS"]}) { totalCount } pages(ids: ["`+pageID+`"]) { title } space(key: "OPS") { name } }`, nil)
	if len(got.Errors) != 0 {
		t.Fatalf("tenant A reads: %s, want no errors", got.Raw)
	}
	for _, field := range []string{"search", "searchPages"} {
		if c, _ := got.Data[field].(map[string]any); c["totalCount"] == nil || c["totalCount"].(float64) == 0 {
			t.Errorf("tenant A %s = %v, want results", field, got.Data[field])
		}
	}
	if pages, _ := got.Data["pages"].([]any); len(pages) != 1 || pages[0] == nil {
		t.Errorf("tenant A pages = %v, want the page", got.Data["pages"])
	}
	// Each read of tenant B has no data in field (null; for spaces and
	// pages no entries) and fails with code ("" means no error at all).
	tests := []struct {
		name, query, field, code string
	}{
		{"no spaces", spacesQuery, "spaces", "NOT_CONNECTED"},
		{"no page by id", `{ page(id: "` + pageID + `") { title } }`, "page", "NOT_CONNECTED"},
		{"no pages by ids", `{ pages(ids: ["` + pageID + `"]) { title } }`, "pages", "NOT_CONNECTED"},
		{"no space by key", `{ space(key: "OPS") { name } }`, "space", "NOT_CONNECTED"},
		{"no search results", `{ search(cql: "type = page AND space = OPS") { totalCount nodes { title } } }`, "search", "NOT_CONNECTED"},
		{"no searchPages results", `{ searchPages(filter: {spaces: ["OPS"]}) { totalCount nodes { title } } }`, "searchPages", "NOT_CONNECTED"},
		{"no integration", `{ confluenceIntegration { domain } }`, "confluenceIntegration", ""},
	}
	for _, tt := range tests {
		t.Run("tenant B sees "+tt.name, func(t *testing.T) {
			got := s.post(keyB, tt.query, nil)
			var empty bool
			switch v := got.Data[tt.field]; tt.field {
			case "spaces":
				empty = len(spaceKeys(got)) == 0
			case "pages":
				pages, _ := v.([]any)
				empty = len(pages) == 0 || pages[0] == nil
			default:
				empty = v == nil
			}
			if !empty {
				t.Errorf("%s = %v, want no data; got %s", tt.field, got.Data[tt.field], got.Raw)
			}
			if tt.code == "" && len(got.Errors) != 0 || got.code() != tt.code {
				t.Errorf("code = %q, want %q (no error when empty); got %s", got.code(), tt.code, got.Raw)
			}
			if strings.Contains(got.Raw, s.simHost) || strings.Contains(got.Raw, "alice@example.com") {
				t.Errorf("tenant B's answer mentions tenant A's integration: %s", got.Raw)
			}
		})
	}
	// Tenant B's admin key disconnects only tenant B (nothing to delete).
	got = s.post(keyB, `mutation { disconnectConfluence { disconnected } }`, nil)
	if d, _ := got.Data["disconnectConfluence"].(map[string]any); d["disconnected"] != false {
		t.Errorf("tenant B disconnect = %s, want disconnected false", got.Raw)
	}
	if got := s.post(keyA, spacesQuery, nil); len(spaceKeys(got)) == 0 {
		t.Errorf("tenant A after tenant B's disconnect: %s, want its spaces", got.Raw)
	}
}

func TestMetricsAndLogsNameSeriesButNoSecrets(t *testing.T) {
	s := newStack(t, stackOptions{client: func(o *confluence.Options) {
		o.MaxRetries = 1
		o.RetryBaseDelay = time.Millisecond
		o.RetryMaxDelay = time.Millisecond
		o.BreakerFailures = 2
	}})
	s.connect("acme", "classic")
	reader := s.key("acme", settings.RoleReader)

	if got := s.post(reader, spacesQuery, nil); len(spaceKeys(got)) == 0 {
		t.Fatalf("spaces query: %s", got.Raw)
	}
	// Two 503s: the first is retried, the second trips the breaker.
	s.sim.InjectFaults(
		confluencetest.Fault{Kind: confluencetest.FaultStatus, Status: 503},
		confluencetest.Fault{Kind: confluencetest.FaultStatus, Status: 503},
	)
	got := s.post(reader, `query Page { page(id: "`+s.sim.PageIDs("OPS")[0]+`") { title } }`, nil)
	if got.code() != "UPSTREAM_UNAVAILABLE" {
		t.Errorf("page under 503s: code %q, want UPSTREAM_UNAVAILABLE (body %s)", got.code(), got.Raw)
	}
	s.post("", spacesQuery, nil) // unauthenticated

	if code, _ := s.fetch("/metrics"); code != http.StatusNotFound {
		t.Errorf("/metrics on the service's port = %d, want 404 (metrics have their own listener)", code)
	}
	ms := httptest.NewServer(s.app.MetricsHandler())
	t.Cleanup(ms.Close)
	code, metrics := testsupport.Get(t, ms.URL+"/metrics")
	if code != http.StatusOK {
		t.Fatalf("/metrics on the metrics listener = %d", code)
	}
	for _, want := range []string{
		`graphql_operations_total{operation="Spaces",outcome="ok",type="query"} 1`,
		`graphql_operations_total{operation="Page",outcome="error",type="query"} 1`,
		`graphql_operations_total{operation="anonymous",outcome="unauthenticated",type="unknown"} 1`,
		`confluence_upstream_requests_total{endpoint="GET /wiki/api/v2/spaces",status="200"}`,
		`status="503"}`,
		`confluence_upstream_request_duration_seconds_bucket{endpoint="GET /wiki/api/v2/spaces"`,
		`confluence_upstream_retries_total{endpoint=`,
		`confluence_breakers{state="open"} 1`,
		`confluence_breaker_transitions_total{to="open"} 1`,
		`http_requests_total{code="401",handler="graphql"} 1`,
	} {
		if !strings.Contains(metrics, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}

	acct := s.sim.Account("classic")
	_, secret, _ := settings.ParseAPIKey(reader)
	logs := s.logs.String()
	if !strings.Contains(logs, `"operation":"Spaces"`) || !strings.Contains(logs, `"tenant":"acme"`) {
		t.Errorf("access log lacks the operation or tenant:\n%s", logs)
	}
	for name, secretValue := range map[string]string{
		"API key":          reader,
		"API key secret":   secret,
		"Confluence token": acct.Token,
		"Authorization":    "Bearer " + reader,
		"upstream Basic":   base64.StdEncoding.EncodeToString([]byte(acct.Email + ":" + acct.Token)),
	} {
		if strings.Contains(logs, secretValue) {
			t.Errorf("logs contain the %s", name)
		}
		if strings.Contains(metrics, secretValue) {
			t.Errorf("/metrics contains the %s", name)
		}
	}
	if strings.Contains(metrics, s.simHost) {
		t.Errorf("/metrics names the customer's Confluence host %s", s.simHost)
	}
}

func TestReadinessNamesKeyService(t *testing.T) {
	s := newStack(t, stackOptions{})
	code, body := s.fetch("/readyz")
	if code != http.StatusOK || !strings.Contains(body, `"key_service":"ok"`) || !strings.Contains(body, `"store":"ok"`) {
		t.Errorf("/readyz = %d %s, want 200 with store and key_service ok", code, body)
	}
}

func TestConnectThroughGraphQLLogsWithTheRequestID(t *testing.T) {
	s := newStack(t, stackOptions{})
	admin := s.key("acme", settings.RoleAdmin)
	acct := s.sim.Account("classic")
	body, _ := json.Marshal(map[string]any{
		"query":     `mutation C($in: ConnectConfluenceInput!) { connectConfluence(input: $in) { integration { status } userErrors { code } } }`,
		"variables": map[string]any{"in": map[string]any{"domain": s.simHost, "email": acct.Email, "apiToken": acct.Token}},
	})
	req, _ := http.NewRequest(http.MethodPost, s.http.URL+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+admin)
	req.Header.Set(server.RequestIDHeader, "connect-42")
	got := s.do(req)
	c, _ := got.Data["connectConfluence"].(map[string]any)
	integ, _ := c["integration"].(map[string]any)
	if integ["status"] != "CONNECTED" {
		t.Fatalf("connectConfluence = %s, want CONNECTED", got.Raw)
	}
	var stored bool
	for _, line := range strings.Split(s.logs.String(), "\n") {
		if strings.Contains(line, "integration stored") {
			stored = true
			if !strings.Contains(line, `"request_id":"connect-42"`) {
				t.Errorf("settings log line lacks the request id: %s", line)
			}
		}
		if strings.Contains(line, acct.Token) {
			t.Errorf("log line contains the Confluence token")
		}
	}
	if !stored {
		t.Errorf("no 'integration stored' line in the logs:\n%s", s.logs.String())
	}
}

// TestReaderCannotRunAnyMutation sends each of the four mutations with a
// reader key of a connected tenant: each is FORBIDDEN, the integration is
// unchanged and nothing reaches the settings service (no audit event).
func TestReaderCannotRunAnyMutation(t *testing.T) {
	s := newStack(t, stackOptions{})
	s.connect("acme", "classic")
	reader := s.key("acme", settings.RoleReader)
	before, err := s.store.GetIntegration(context.Background(), "acme")
	if err != nil {
		t.Fatal(err)
	}
	prior, err := s.store.ListAudit(context.Background(), "acme", settings.AuditListOptions{})
	if err != nil || len(prior) == 0 {
		t.Fatalf("audit before = %v, %v, want the connect event", prior, err)
	}
	auditBefore := prior[len(prior)-1].ID
	scoped := s.sim.Account("scoped")
	tests := []struct{ name, field, query string }{
		{"connect", "connectConfluence", `mutation { connectConfluence(input: {domain: "` + s.simHost + `", email: "` + scoped.Email +
			`", apiToken: "` + scoped.Token + `"}) { integration { status } } }`},
		{"update", "updateConfluence", `mutation { updateConfluence(input: {email: "` + scoped.Email + `", apiToken: "` + scoped.Token +
			`"}) { integration { status } } }`},
		{"test", "testConfluenceConnection", `mutation { testConfluenceConnection { integration { status } } }`},
		{"disconnect", "disconnectConfluence", `mutation { disconnectConfluence { disconnected } }`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := s.post(reader, tt.query, nil)
			if got.code() != "FORBIDDEN" {
				t.Errorf("code = %q, want FORBIDDEN (body %s)", got.code(), got.Raw)
			}
			if got.Data[tt.field] != nil {
				t.Errorf("%s answered %v, want null", tt.field, got.Data[tt.field])
			}
			if strings.Contains(got.Raw, scoped.Token) {
				t.Errorf("answer repeats the token")
			}
			after, err := s.store.GetIntegration(context.Background(), "acme")
			if err != nil {
				t.Fatalf("integration after a reader's %s: %v, want it kept", tt.name, err)
			}
			if after.CredentialVersion != before.CredentialVersion || after.Email != before.Email ||
				!after.LastValidatedAt.Equal(before.LastValidatedAt) || !after.UpdatedAt.Equal(before.UpdatedAt) {
				t.Errorf("integration after a reader's %s = %v, want unchanged %v", tt.name, after, before)
			}
		})
	}
	// Each refusal is audited as denied, naming the reader's key; none of
	// them reached the settings service (which would add its own event).
	ev, err := s.store.ListAudit(context.Background(), "acme", settings.AuditListOptions{AfterID: auditBefore})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	readerID, _, _ := settings.ParseAPIKey(reader)
	for _, e := range ev {
		got = append(got, e.Action+":"+e.Outcome)
		if e.ActorKeyID != readerID || strings.Contains(e.Detail, scoped.Token) || strings.Contains(e.Detail, scoped.Email) {
			t.Errorf("denied event %+v: want the reader's key %s and no argument of the request", e, readerID)
		}
	}
	want := []string{"integration.connect:denied", "integration.update:denied", "integration.test:denied", "integration.disconnect:denied"}
	if !slices.Equal(got, want) {
		t.Errorf("audit events after the reader's mutations = %v, want %v", got, want)
	}
	// The same key still reads.
	if got := s.post(reader, spacesQuery, nil); len(spaceKeys(got)) == 0 {
		t.Errorf("reader spaces after refused mutations: %s", got.Raw)
	}
}

// TestDisconnectThenReadIsNotConnected disconnects through the HTTP API
// with the admin key; the reader's next read is NOT_CONNECTED, also for
// a query answered from the cross-request cache before.
func TestDisconnectThenReadIsNotConnected(t *testing.T) {
	s := newStack(t, stackOptions{})
	s.connect("acme", "classic")
	reader := s.key("acme", settings.RoleReader)
	admin := s.key("acme", settings.RoleAdmin)
	pageQuery := `{ page(id: "` + s.sim.PageIDs("OPS")[0] + `") { title } }`
	for _, q := range []string{spacesQuery, pageQuery} {
		if got := s.post(reader, q, nil); len(got.Errors) != 0 {
			t.Fatalf("before disconnect %s: %s", q, got.Raw)
		}
	}

	got := s.post(admin, `mutation { disconnectConfluence { disconnected } }`, nil)
	if d, _ := got.Data["disconnectConfluence"].(map[string]any); d["disconnected"] != true {
		t.Fatalf("disconnect = %s, want disconnected true", got.Raw)
	}
	for _, q := range []string{spacesQuery, pageQuery} {
		got := s.post(reader, q, nil)
		if got.code() != "NOT_CONNECTED" {
			t.Errorf("after disconnect %s: code %q, want NOT_CONNECTED (body %s)", q, got.code(), got.Raw)
		}
		if strings.Contains(got.Raw, "OPS") || strings.Contains(got.Raw, `"title":"`) {
			t.Errorf("after disconnect the answer still carries data: %s", got.Raw)
		}
	}
	got = s.post(reader, `{ confluenceIntegration { status } }`, nil)
	if got.Data["confluenceIntegration"] != nil || len(got.Errors) != 0 {
		t.Errorf("confluenceIntegration after disconnect = %s, want null without errors", got.Raw)
	}
}

// TestTenantCacheDoesNotLeakAcrossTenants connects two tenants to one site,
// A with an account that sees the restricted SEC space and B with one that
// does not. A reads SEC first (filling the shared cross-request cache);
// B's reads of the same ids, spaces and searches must not show it.
func TestTenantCacheDoesNotLeakAcrossTenants(t *testing.T) {
	s := newStack(t, stackOptions{})
	s.connect("tenant-a", "classic")
	s.connect("tenant-b", "restricted")
	keyA := s.key("tenant-a", settings.RoleReader)
	keyB := s.key("tenant-b", settings.RoleReader)
	secPage := s.sim.PageIDs("SEC")[0]
	queries := map[string]string{
		"page":        `{ page(id: "` + secPage + `") { title space { key } } }`,
		"pages":       `{ pages(ids: ["` + secPage + `"]) { title } }`,
		"space":       `{ space(key: "SEC") { name } }`,
		"spaces":      `{ spaces(first: 50) { nodes { key } } }`,
		"search":      `{ search(cql: "type = page AND space = SEC") { totalCount nodes { title } } }`,
		"searchPages": `{ searchPages(filter: {spaces: ["SEC"]}) { totalCount nodes { title } } }`,
	}
	var secTitle string
	for name, q := range queries {
		got := s.post(keyA, q, nil)
		if len(got.Errors) != 0 || !strings.Contains(got.Raw, "SEC") && !strings.Contains(got.Raw, "Security") {
			t.Fatalf("tenant A %s = %s, want the SEC data", name, got.Raw)
		}
		if name == "page" {
			p, _ := got.Data["page"].(map[string]any)
			secTitle, _ = p["title"].(string)
		}
	}
	if secTitle == "" {
		t.Fatal("tenant A read no title of the SEC page")
	}
	for name, q := range queries {
		t.Run("tenant B "+name, func(t *testing.T) {
			got := s.post(keyB, q, nil)
			if strings.Contains(got.Raw, secTitle) || strings.Contains(got.Raw, `"key":"SEC"`) || strings.Contains(got.Raw, "Security Incidents") {
				t.Errorf("tenant B sees tenant A's SEC data: %s", got.Raw)
			}
		})
	}
	// B still reads what its own account may see.
	if got := s.post(keyB, spacesQuery, nil); !strings.Contains(strings.Join(spaceKeys(got), ","), "OPS") {
		t.Errorf("tenant B spaces = %s, want OPS", got.Raw)
	}
}

// TestDefaultLimitsAdmitTheNestedQuery: the server's default limits (what
// serve runs with) must not refuse the product's own nested query.
func TestDefaultLimitsAdmitTheNestedQuery(t *testing.T) {
	s := newStack(t, stackOptions{})
	s.connect("acme", "classic")
	key := s.key("acme", settings.RoleReader)
	got := s.post(key, testquery.Nested, map[string]any{"key": "OPS"})
	if len(got.Errors) != 0 {
		t.Fatalf("nested query: %.500s, want no errors", got.Raw)
	}
	sp, _ := got.Data["space"].(map[string]any)
	pages, _ := sp["pages"].(map[string]any)
	if nodes, _ := pages["nodes"].([]any); len(nodes) == 0 {
		t.Errorf("nested query returned no pages: %.300s", got.Raw)
	}
}
