package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/confluence-graph/confluence-graph/app"
	"github.com/confluence-graph/confluence-graph/internal/syncbuf"
	"github.com/confluence-graph/confluence-graph/internal/testsupport"
	"github.com/confluence-graph/confluence-graph/settings"
)

func TestServeParseFlags(t *testing.T) {
	tests := []struct {
		name    string
		env     map[string]string
		args    []string
		want    func(m *Main) string // "" when m is as expected
		wantErr bool
	}{
		{
			name: "defaults are app.DefaultConfig",
			want: func(m *Main) string {
				c := m.Config
				if d := app.Diff(app.DefaultConfig(), c); len(d) != 0 {
					return fmt.Sprintf("defaults differ from app.DefaultConfig: %v", d)
				}
				if c.Addr != "127.0.0.1:8080" || c.MetricsAddr != "127.0.0.1:9091" || c.DatabaseURL != "data/confluence-graph.db" ||
					c.LocalKeyFile != "data/master.key" || c.Client.GatewayURL != "https://api.atlassian.com" ||
					c.KMSKeyID != "" || c.Client.AllowedDevHost != "" || c.Server.Playground || c.Server.Introspection ||
					m.Demo || m.SimAddr != "" || c.CacheTTL != 30*time.Second || c.RedisURL != "" {
					return "defaults differ from serve's documented ones"
				}
				return ""
			},
		},
		{
			name: "environment sets every value",
			env: map[string]string{
				"CG_ADDR": "127.0.0.1:9999", "CG_DATABASE_URL": "postgres://db/x", "CG_KMS_KEY_ID": "alias/cg",
				"CG_LOCAL_KEY_FILE": "/k", "CG_GATEWAY_URL": "https://gw.example", "CG_ALLOW_HOSTS": "127.0.0.1:9090",
				"CG_PLAYGROUND": "true", "CG_CACHE_TTL": "0", "CG_OTLP_ENDPOINT": "http://otel-collector:4318",
			},
			want: func(m *Main) string {
				c := m.Config
				if c.Addr != "127.0.0.1:9999" || c.DatabaseURL != "postgres://db/x" || c.KMSKeyID != "alias/cg" ||
					c.LocalKeyFile != "/k" || c.Client.GatewayURL != "https://gw.example" || c.Client.AllowedDevHost != "127.0.0.1:9090" ||
					!c.Server.Playground || !c.Server.Introspection ||
					c.CacheTTL != 0 || c.OTLPEndpoint != "http://otel-collector:4318" {
					return "environment not applied"
				}
				return ""
			},
		},
		{
			name: "flags override environment",
			env:  map[string]string{"CG_ADDR": "127.0.0.1:9999", "CG_PLAYGROUND": "true", "CG_DATABASE_URL": "env.db"},
			args: []string{"--addr", "127.0.0.1:7777", "--playground=false", "--db", "flag.db", "--cache-ttl", "5s"},
			want: func(m *Main) string {
				c := m.Config
				if c.Addr != "127.0.0.1:7777" || c.Server.Playground || c.Server.Introspection || c.DatabaseURL != "flag.db" || c.CacheTTL != 5*time.Second {
					return "flags did not win"
				}
				return ""
			},
		},
		{
			name: "demo turns the playground on",
			args: []string{"--demo"},
			want: func(m *Main) string {
				c := m.Config
				if !m.Demo || !c.Server.Playground || !c.Server.Introspection {
					return "want demo, playground and introspection"
				}
				return ""
			},
		},
		{
			name: "demo keeps an explicit playground off",
			env:  map[string]string{"CG_PLAYGROUND": "false"},
			args: []string{"--demo"},
			want: func(m *Main) string {
				c := m.Config
				if !m.Demo || c.Server.Playground || !c.Server.Introspection {
					return "want demo with introspection, without playground"
				}
				return ""
			},
		},
		{
			name: "redis URL from CG_REDIS_URL, overridden by --redis-url",
			env:  map[string]string{"CG_REDIS_URL": "redis://env-host:6379/0"},
			args: []string{"--redis-url", "redis://:secret@flag-host:6380/1"},
			want: valueIs(func(m *Main) string { return m.Config.RedisURL }, "redis://:secret@flag-host:6380/1"),
		},
		{
			name: "redis URL from CG_REDIS_URL alone",
			env:  map[string]string{"CG_REDIS_URL": "rediss://cache.internal:6379"},
			want: valueIs(func(m *Main) string { return m.Config.RedisURL }, "rediss://cache.internal:6379"),
		},
		{
			name: "sim-addr with demo",
			args: []string{"--demo", "--sim-addr", "127.0.0.1:9191"},
			want: valueIs(func(m *Main) string { return m.SimAddr }, "127.0.0.1:9191"),
		},
		{
			name: "metrics address and OTLP endpoint from the environment, overridden by flags",
			env:  map[string]string{"CG_METRICS_ADDR": "0.0.0.0:9091", "CG_OTLP_ENDPOINT": "http://env-collector:4318"},
			args: []string{"--metrics-addr", "127.0.0.1:9300", "--otlp-endpoint", "http://otel-collector:4318"},
			want: valueIs(func(m *Main) string { return m.Config.MetricsAddr + " " + m.Config.OTLPEndpoint },
				"127.0.0.1:9300 http://otel-collector:4318"),
		},
		{
			name: "metrics off",
			args: []string{"--metrics-addr", "off"},
			want: valueIs(func(m *Main) string { return m.Config.MetricsAddr }, ""),
		},
		{
			name: "rate and burst from the environment, overridden by flags, set both limits",
			env:  map[string]string{"CG_RATE_LIMIT": "5", "CG_RATE_BURST": "7"},
			args: []string{"--rate-limit", "12.5"},
			want: func(m *Main) string {
				c := m.Config
				if c.SharedRate != 12.5 || c.Client.RateLimit != 12.5 || c.SharedBurst != 7 || c.Client.RateBurst != 7 {
					return fmt.Sprintf("rate %v/%v burst %v/%v, want 12.5 and 7 for both limits",
						c.SharedRate, c.Client.RateLimit, c.SharedBurst, c.Client.RateBurst)
				}
				return ""
			},
		},
		{
			name: "public URL and attachment cap",
			env:  map[string]string{"CG_PUBLIC_URL": "https://cg.example.com", "CG_MAX_ATTACHMENT_MB": "5"},
			want: func(m *Main) string {
				if m.Config.Server.PublicURL != "https://cg.example.com" || m.Config.Server.MaxAttachmentBytes != 5<<20 {
					return fmt.Sprintf("public URL %q, cap %d", m.Config.Server.PublicURL, m.Config.Server.MaxAttachmentBytes)
				}
				return ""
			},
		},
		{name: "public URL not absolute", args: []string{"--public-url", "cg.example.com"}, wantErr: true},
		{name: "rate limit not positive", args: []string{"--rate-limit", "0"}, wantErr: true},
		{name: "CG_RATE_BURST not a number", env: map[string]string{"CG_RATE_BURST": "lots"}, wantErr: true},
		{name: "metrics address not host:port", args: []string{"--metrics-addr", "9091"}, wantErr: true},
		{name: "sim-addr without demo", args: []string{"--sim-addr", "127.0.0.1:9191"}, wantErr: true},
		{name: "sim-addr not loopback", args: []string{"--demo", "--sim-addr", "10.0.0.1:9090"}, wantErr: true},
		{name: "redis URL not redis://", args: []string{"--redis-url", "http://cache:6379"}, wantErr: true},
		{name: "CG_CACHE_TTL not a duration", env: map[string]string{"CG_CACHE_TTL": "soon"}, wantErr: true},
		{name: "negative cache TTL", args: []string{"--cache-ttl", "-1s"}, wantErr: true},
		{name: "non-boolean CG_PLAYGROUND", env: map[string]string{"CG_PLAYGROUND": "maybe"}, wantErr: true},
		{name: "allow-host not loopback", args: []string{"--allow-host", "10.0.0.1:80"}, wantErr: true},
		{name: "allow-host without port", args: []string{"--allow-host", "127.0.0.1"}, wantErr: true},
		{name: "allow-host with two hosts", args: []string{"--allow-host", "127.0.0.1:1,127.0.0.1:2"}, wantErr: true},
		{name: "unknown flag", args: []string{"--nope"}, wantErr: true},
		{name: "stray argument", args: []string{"extra"}, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := NewMain(io.Discard, io.Discard)
			var stderr bytes.Buffer
			err := m.ParseFlags(tt.args, func(k string) string { return tt.env[k] }, &stderr)
			if tt.wantErr {
				if !errors.Is(err, errUsage) {
					t.Fatalf("ParseFlags error = %v, want errUsage", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseFlags: %v (stderr %s)", err, stderr.String())
			}
			if msg := tt.want(m); msg != "" {
				t.Errorf("%s: got %+v", msg, m.Config)
			}
		})
	}
}

// valueIs returns a check of TestServeParseFlags: the setting get reads
// must be want.
func valueIs(get func(m *Main) string, want string) func(m *Main) string {
	return func(m *Main) string {
		if got := get(m); got != want {
			return fmt.Sprintf("setting = %q, want %q", got, want)
		}
		return ""
	}
}

// banner reads the "name: value" lines serve --demo prints. The names in
// the order they first appear are under the key "" .
func banner(t *testing.T, out string) map[string][]string {
	t.Helper()
	lines := map[string][]string{}
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ": ")
		if !ok || k == "" {
			t.Fatalf("banner line %q is not 'name: value'", sc.Text())
		}
		if len(lines[k]) == 0 {
			lines[""] = append(lines[""], k)
		}
		lines[k] = append(lines[k], v)
	}
	return lines
}

// postGraphQL sends a query with key to base+"graphql" and returns the status and decoded body.
func postGraphQL(t *testing.T, base, key, query string) (int, map[string]any) {
	t.Helper()
	b, _ := json.Marshal(map[string]any{"query": query})
	req, _ := http.NewRequest(http.MethodPost, base+"graphql", bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+key)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("POST graphql: %v", err)
	}
	defer resp.Body.Close()
	var out map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatalf("decode: %v", err)
	}
	return resp.StatusCode, out
}

const runbookQuery = `{ search(cql: "type = page AND text ~ \"deployment runbook\"", first: 5) { nodes { title } } }`

func searchTitles(body map[string]any) []string {
	data, _ := body["data"].(map[string]any)
	s, _ := data["search"].(map[string]any)
	nodes, _ := s["nodes"].([]any)
	var titles []string
	for _, n := range nodes {
		m, _ := n.(map[string]any)
		if title, ok := m["title"].(string); ok {
			titles = append(titles, title)
		}
	}
	return titles
}

// runDemo starts serve --demo with data in dir and the simulator on simAddr
// ("" for the default, a free port).
func runDemo(t *testing.T, dir, simAddr string) (*Main, map[string][]string, *syncbuf.Buffer) {
	t.Helper()
	args := []string{"--demo", "--addr", "127.0.0.1:0", "--metrics-addr", "127.0.0.1:0",
		"--db", filepath.Join(dir, "cg.db"), "--local-key-file", filepath.Join(dir, "master.key")}
	if simAddr != "" {
		args = append(args, "--sim-addr", simAddr)
	}
	return startServe(t, args, func(string) string { return "" })
}

// startServe starts serve with args and getenv; it returns the running Main
// (closed at cleanup), the banner's lines and the logs.
func startServe(t *testing.T, args []string, getenv func(string) string) (*Main, map[string][]string, *syncbuf.Buffer) {
	t.Helper()
	var stdout bytes.Buffer
	logs := &syncbuf.Buffer{}
	m := NewMain(&stdout, logs)
	if err := m.ParseFlags(args, getenv, io.Discard); err != nil {
		t.Fatal(err)
	}
	if err := m.Run(t.Context()); err != nil {
		t.Fatalf("Run: %v\nlogs:\n%s", err, logs.String())
	}
	t.Cleanup(func() { _ = m.Close() })
	return m, banner(t, stdout.String()), logs
}

func TestServeDemoEndToEnd(t *testing.T) {
	dir := t.TempDir()
	simAddr := testsupport.FreePort(t)
	m, lines, logs := runDemo(t, dir, simAddr)

	for _, name := range []string{"playground", "reader key", "admin key", "base url", "cloud id", "account"} {
		if len(lines[name]) == 0 {
			t.Fatalf("banner lacks %q lines; got %v", name, lines)
		}
	}
	// The keys come first, then the simulator's lines as `sim` prints them.
	if got, want := strings.Join(lines[""], ","), "playground,reader key,admin key,base url,cloud id,account"; got != want {
		t.Errorf("banner names in order = %s, want %s", got, want)
	}
	if got, want := lines["playground"][0], m.URL(); got != want {
		t.Errorf("playground line = %q, want %q", got, want)
	}
	if got, want := lines["base url"][0], "http://"+simAddr; got != want {
		t.Errorf("base url = %q, want %q", got, want)
	}
	if len(lines["account"]) < 4 {
		t.Errorf("account lines = %v, want the four demo accounts", lines["account"])
	}
	reader, admin := lines["reader key"][0], lines["admin key"][0]
	if !strings.HasPrefix(reader, "cg_") || !strings.HasPrefix(admin, "cg_") || reader == admin {
		t.Fatalf("keys = %q, %q, want two distinct cg_ keys", reader, admin)
	}

	// The printed reader key answers a product question from the demo data.
	status, body := postGraphQL(t, m.URL(), reader, runbookQuery)
	titles := searchTitles(body)
	if status != http.StatusOK || len(titles) == 0 {
		t.Fatalf("runbook search = %d %v, want titles", status, body)
	}
	// The admin key connects the scoped demo token through the gateway the
	// simulator serves, as the settings page does; reads keep working.
	scoped := strings.Fields(lines["account"][1]) // annie-bot: EMAIL TOKEN scoped SCOPES
	if len(scoped) < 3 || scoped[2] != "scoped" {
		t.Fatalf("second account line = %q, want the scoped demo account", lines["account"][1])
	}
	_, body = postGraphQL(t, m.URL(), admin, `mutation { connectConfluence(input: {domain: "`+simAddr+
		`", email: "`+scoped[0]+`", apiToken: "`+scoped[1]+`"}) { integration { status tokenType } userErrors { code message } } }`)
	data, _ := body["data"].(map[string]any)
	cc, _ := data["connectConfluence"].(map[string]any)
	integ, _ := cc["integration"].(map[string]any)
	if integ["status"] != "CONNECTED" || integ["tokenType"] != "SCOPED" {
		t.Fatalf("connect scoped token = %v, want CONNECTED SCOPED", body)
	}
	if _, body := postGraphQL(t, m.URL(), reader, runbookQuery); len(searchTitles(body)) == 0 {
		t.Errorf("search through the scoped token: %v, want titles", body)
	}

	// Metrics name the operation, the upstream calls and the cache.
	if code, _ := testsupport.Get(t, m.URL()+"metrics"); code != http.StatusNotFound {
		t.Errorf("GET /metrics on the service's port = %d, want 404 (metrics have their own listener)", code)
	}
	_, mbody := testsupport.Get(t, m.MetricsURL())
	wantSeries := []string{`graphql_operations_total{operation="anonymous",outcome="ok",type="query"} 2`,
		`confluence_upstream_requests_total{endpoint="GET /wiki/rest/api/search",status="200"}`,
		"loaders_cache_entries ", "loaders_cache_hits_total ", "loaders_cache_misses_total "}
	for _, want := range wantSeries {
		if !strings.Contains(mbody, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	// The playground and introspection are on in the demo.
	if got, page := testsupport.Get(t, m.URL()); got != http.StatusOK {
		t.Errorf("GET / = %d, want the playground", got)
	} else if !strings.Contains(page, `data-demo-key="`+reader+`"`) {
		t.Errorf("the demo playground does not carry the demo reader key, so its first query fails")
	}
	if _, body := postGraphQL(t, m.URL(), reader, `{ __schema { queryType { name } } }`); body["errors"] != nil {
		t.Errorf("introspection in demo: %v, want it on", body)
	}

	// The reader key may not disconnect; the refusal is audited.
	_, body = postGraphQL(t, m.URL(), reader, `mutation { disconnectConfluence { disconnected } }`)
	if errs, _ := body["errors"].([]any); len(errs) == 0 || !strings.Contains(fmt.Sprint(errs[0]), "FORBIDDEN") {
		t.Errorf("reader disconnect = %v, want FORBIDDEN", body)
	}
	events, err := m.app.Store().ListAudit(t.Context(), demoTenant, settings.AuditListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if last := events[len(events)-1]; last.Action != settings.ActionDisconnect || last.Outcome != settings.OutcomeDenied {
		t.Errorf("last audit event = %+v, want integration.disconnect denied", last)
	}

	logText := logs.String()
	if !strings.Contains(logText, `"level":"WARN"`) || !strings.Contains(logText, "LOCAL MASTER KEY") {
		t.Errorf("logs lack the loud local-master-key warning:\n%s", logText)
	}
	for _, secret := range []string{reader, admin, "ATATT3x"} {
		if strings.Contains(logText, secret) {
			t.Errorf("logs contain a secret (%.10s...)", secret)
		}
	}
	if err := m.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}

	// A second run reuses the database and master key: the demo tenant is
	// still connected (kept, not reconnected), old keys are revoked, new
	// keys work.
	m2, lines2, logs2 := runDemo(t, dir, simAddr)
	if !strings.Contains(logs2.String(), "demo tenant already connected") {
		t.Errorf("second run did not keep the stored connection:\n%s", logs2.String())
	}
	if status, _ := postGraphQL(t, m2.URL(), reader, runbookQuery); status != http.StatusUnauthorized {
		t.Errorf("first run's reader key on the second run = %d, want 401 (revoked)", status)
	}
	if _, body := postGraphQL(t, m2.URL(), lines2["reader key"][0], runbookQuery); len(searchTitles(body)) == 0 {
		t.Errorf("second run's reader key: %v, want titles", body)
	}
	if err := m2.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}

	// Without --sim-addr the simulator takes a free loopback port, named
	// in the banner; the stored integration names the old port, so the
	// tenant is reconnected.
	m3, lines3, logs3 := runDemo(t, dir, "")
	if got := lines3["base url"][0]; got == "http://"+simAddr || !strings.HasPrefix(got, "http://127.0.0.1:") {
		t.Errorf("third run's base url = %q, want another port on 127.0.0.1", got)
	}
	if !strings.Contains(logs3.String(), "demo tenant connected to the simulator") {
		t.Errorf("third run did not reconnect:\n%s", logs3.String())
	}
	if _, body := postGraphQL(t, m3.URL(), lines3["reader key"][0], runbookQuery); len(searchTitles(body)) == 0 {
		t.Errorf("after reconnecting: %v, want titles", body)
	}
}

func TestServeWithoutDemoHasNoPlaygroundOrIntrospection(t *testing.T) {
	m := runLocal(t)
	key := testsupport.MustKey(t, m.app.Store(), "acme", settings.RoleReader)
	if got, _ := testsupport.Get(t, m.URL()); got != http.StatusNotFound {
		t.Errorf("GET / = %d, want 404 without --playground", got)
	}
	_, body := postGraphQL(t, m.URL(), key, `{ __schema { queryType { name } } }`)
	if body["errors"] == nil {
		t.Errorf("introspection without --demo answered %v, want an error", body)
	}
	if got, _ := testsupport.Get(t, m.URL()+"readyz"); got != http.StatusOK {
		t.Errorf("/readyz = %d, want 200", got)
	}
}

func TestServePlaygroundTurnsOnIntrospection(t *testing.T) {
	m := runLocal(t, "--playground")
	key := testsupport.MustKey(t, m.app.Store(), "acme", settings.RoleReader)
	if got, _ := testsupport.Get(t, m.URL()); got != http.StatusOK {
		t.Errorf("GET / = %d, want 200 with --playground", got)
	}
	_, body := postGraphQL(t, m.URL(), key, `{ __schema { queryType { name } } }`)
	if body["errors"] != nil {
		t.Errorf("introspection with --playground answered %v, want the schema", body)
	}
}

// runLocal starts serve on a free loopback port with a SQLite store and a local key in a temp
// dir, plus extra flags; it is closed at cleanup.
func runLocal(t *testing.T, extra ...string) *Main {
	t.Helper()
	dir := t.TempDir()
	m := NewMain(io.Discard, io.Discard)
	args := append([]string{"--addr", "127.0.0.1:0", "--metrics-addr", "127.0.0.1:0", "--db", filepath.Join(dir, "cg.db"),
		"--local-key-file", filepath.Join(dir, "master.key")}, extra...)
	if err := m.ParseFlags(args, func(string) string { return "" }, io.Discard); err != nil {
		t.Fatal(err)
	}
	if err := m.Run(t.Context()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = m.Close() })
	return m
}

func TestRunDispatchesServeHelp(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if err := run(t.Context(), []string{"serve", "-h"}, &stdout, &stderr); err != nil {
		t.Fatalf("serve -h = %v, want nil", err)
	}
	for _, flag := range []string{"-addr", "-db", "-kms-key-id", "-local-key-file", "-gateway-url", "-allow-host", "-playground", "-demo"} {
		if !strings.Contains(stderr.String(), flag) {
			t.Errorf("serve -h lacks %s", flag)
		}
	}
}

func TestServeWaitShutsDownWhenTheContextEnds(t *testing.T) {
	dir := t.TempDir()
	m := NewMain(io.Discard, io.Discard)
	args := []string{"--addr", "127.0.0.1:0", "--metrics-addr", "127.0.0.1:0", "--db", filepath.Join(dir, "cg.db"),
		"--local-key-file", filepath.Join(dir, "master.key")}
	if err := m.ParseFlags(args, func(string) string { return "" }, io.Discard); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	if err := m.Run(ctx); err != nil {
		t.Fatal(err)
	}
	addr := strings.TrimSuffix(strings.TrimPrefix(m.URL(), "http://"), "/")
	cancel()
	if err := m.Wait(ctx); err != nil {
		t.Fatalf("Wait = %v, want nil after a graceful shutdown", err)
	}
	if c, err := net.Dial("tcp", addr); err == nil {
		c.Close()
		t.Errorf("%s still accepts connections after Wait", addr)
	}
	if m.app != nil || m.sim != nil {
		t.Errorf("service still open after Wait")
	}
}
