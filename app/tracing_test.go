package app_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"
	"go.opentelemetry.io/otel/trace/noop"

	"github.com/confluence-graph/confluence-graph/app"
	"github.com/confluence-graph/confluence-graph/internal/syncbuf"
	"github.com/confluence-graph/confluence-graph/internal/testquery"
	"github.com/confluence-graph/confluence-graph/internal/testsupport"
	"github.com/confluence-graph/confluence-graph/settings"
	"github.com/confluence-graph/confluence-graph/tracing"
)

// The router's traceparent: trace 4bf9..., parent span 00f0..., sampled.
const (
	routerTraceID     = "4bf92f3577b34da6a3ce929d0e0e4736"
	routerSpanID      = "00f067aa0ba902b7"
	routerTraceparent = "00-" + routerTraceID + "-" + routerSpanID + "-01"
)

// TestSpanTreeOfANestedQuery runs the read API's nested query through the
// service app builds, with the router's traceparent, and one upstream
// call answered 429 first. The operation span continues the router's
// trace; the loader batches and the resolvers that waited hang under it
// and the upstream calls under the batches, with their route template and
// status, the retried one with its retry number; no attribute holds the token, the API key, a URL
// query or page text; every log line of the request has the trace id.
func TestSpanTreeOfANestedQuery(t *testing.T) {
	exp := tracetest.NewInMemoryExporter()
	t.Cleanup(func() { otel.SetTracerProvider(noop.NewTracerProvider()) })
	sim := testsupport.StartSim(t)
	var throttle atomic.Bool // answer the next page request 429 once
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.Contains(r.URL.Path, "/pages") && throttle.CompareAndSwap(true, false) {
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		sim.Handler().ServeHTTP(w, r)
	}))
	t.Cleanup(front.Close)
	host := strings.TrimPrefix(front.URL, "http://")
	logs := &syncbuf.Buffer{}
	cfg := testsupport.Config(t, host, slog.New(slog.NewJSONHandler(logs, nil)))
	cfg.TraceExporter = exp
	cfg.Client.RetryBaseDelay = time.Millisecond
	a := testsupport.StartService(t, cfg)
	acct := sim.Account("classic")
	testsupport.Connect(t, a.Settings(), "acme", host, acct)
	key := testsupport.MustKey(t, a.Store(), "acme", settings.RoleReader)
	throttle.Store(true)

	answer := postTraced(t, a.URL()+"graphql", key, testquery.Nested, map[string]any{"key": "OPS"})
	if throttle.Load() {
		t.Fatal("no upstream page request was made")
	}
	spans := spansOfTrace(exp.GetSpans(), routerTraceID)
	op := checkOperationSpan(t, spans)
	checkSpanParents(t, spans, op)
	secrets := []string{acct.Token, base64.StdEncoding.EncodeToString([]byte(acct.Email + ":" + acct.Token)),
		key, "?", "body-format", "cursor="}
	secrets = append(secrets, pageTexts(answer)...)
	for _, s := range spans {
		for _, kv := range s.Attributes {
			for _, secret := range secrets {
				if v := kv.Value.String(); strings.Contains(v, secret) {
					t.Errorf("span %q attribute %s=%q holds %q", s.Name, kv.Key, v, secret)
				}
			}
		}
	}
	checkRequestLogs(t, logs.String())
}

// postTraced posts query with the router's traceparent and request id
// "traced-1", fails t on GraphQL errors and returns the answer's data.
func postTraced(t *testing.T, url, key, query string, vars map[string]any) any {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+key)
	req.Header.Set("traceparent", routerTraceparent)
	req.Header.Set("X-Request-Id", "traced-1")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var out struct {
		Data   any
		Errors []any
	}
	if err := json.Unmarshal(raw, &out); err != nil || len(out.Errors) > 0 || out.Data == nil {
		t.Fatalf("nested query: %.500s (%v)", raw, err)
	}
	return out.Data
}

func spansOfTrace(all tracetest.SpanStubs, traceID string) map[trace.SpanID]tracetest.SpanStub {
	out := map[trace.SpanID]tracetest.SpanStub{}
	for _, s := range all {
		if s.SpanContext.TraceID().String() == traceID {
			out[s.SpanContext.SpanID()] = s
		}
	}
	return out
}

// checkOperationSpan finds the one span whose parent is the router's and
// checks it is the operation's.
func checkOperationSpan(t *testing.T, spans map[trace.SpanID]tracetest.SpanStub) tracetest.SpanStub {
	t.Helper()
	var roots []tracetest.SpanStub
	for _, s := range spans {
		if _, ok := spans[s.Parent.SpanID()]; !ok {
			roots = append(roots, s)
		}
	}
	if len(roots) != 1 {
		t.Fatalf("%d spans of the router's trace have no parent in it, want 1 (the operation's)", len(roots))
	}
	op := roots[0]
	if op.Name != "query Nested" || op.SpanKind != trace.SpanKindServer {
		t.Errorf("operation span %q of kind %v, want the server span \"query Nested\"", op.Name, op.SpanKind)
	}
	if op.Parent.SpanID().String() != routerSpanID || !op.Parent.IsRemote() {
		t.Errorf("operation span's parent = %v, want the router's remote span %s", op.Parent.SpanID(), routerSpanID)
	}
	if v, _ := attrOf(op, "graphql.operation.name"); v != "Nested" {
		t.Errorf("graphql.operation.name = %q, want Nested", v)
	}
	return op
}

// checkSpanParents: every loader batch is under the operation span with
// its size, every upstream call under a loader batch with its route
// template and status, and one page call was retried.
func checkSpanParents(t *testing.T, spans map[trace.SpanID]tracetest.SpanStub, op tracetest.SpanStub) {
	t.Helper()
	var batches, calls, retried, resolvers int
	for _, s := range spans {
		switch {
		case strings.HasPrefix(s.Name, "resolve "):
			resolvers++ // a resolver that waited for a loader
			if s.Parent.SpanID() != op.SpanContext.SpanID() || !resolverName.MatchString(s.Name) {
				t.Errorf("resolver span %q is not a \"resolve Type.field\" span under the operation", s.Name)
			}
		case strings.HasPrefix(s.Name, "loader "):
			batches++
			if !descends(spans, s, op.SpanContext.SpanID()) {
				t.Errorf("%s is not under the operation span", s.Name)
			}
			if v, _ := attrOf(s, "loader.batch.size"); v == "" || v == "0" {
				t.Errorf("%s has batch size %q", s.Name, v)
			}
		case s.SpanKind == trace.SpanKindClient:
			calls++
			parent := spans[s.Parent.SpanID()]
			if !strings.HasPrefix(parent.Name, "loader ") {
				t.Errorf("upstream call %q is under %q, want a loader batch", s.Name, parent.Name)
			}
			route, _ := attrOf(s, "url.template")
			status, _ := attrOf(s, "http.response.status_code")
			if !strings.HasPrefix(route, "/wiki/") || s.Name != "GET "+route && s.Name != "POST "+route || status == "" {
				t.Errorf("upstream call %q: url.template %q, status %q", s.Name, route, status)
			}
			if n, _ := attrOf(s, "http.request.resend_count"); n != "" {
				retried++
			}
		}
	}
	if batches < 5 || calls < 5 || retried != 1 || resolvers == 0 {
		t.Errorf("%d loader batches, %d upstream calls, %d retried, %d resolvers waited; want at least 5, 5, exactly 1, at least 1",
			batches, calls, retried, resolvers)
	}
}

var resolverName = regexp.MustCompile(`^resolve [A-Z]\w*\.\w+$`)

func descends(spans map[trace.SpanID]tracetest.SpanStub, s tracetest.SpanStub, ancestor trace.SpanID) bool {
	for {
		p := s.Parent.SpanID()
		if p == ancestor {
			return true
		}
		next, ok := spans[p]
		if !ok {
			return false
		}
		s = next
	}
}

func attrOf(s tracetest.SpanStub, key string) (string, bool) {
	for _, kv := range s.Attributes {
		if string(kv.Key) == key {
			return kv.Value.String(), true
		}
	}
	return "", false
}

// pageTexts returns the answer's longer strings (titles, comment bodies,
// names): page content that no span may carry.
func pageTexts(v any) []string {
	var out []string
	switch v := v.(type) {
	case string:
		if len(v) >= 12 {
			out = append(out, v)
		}
	case []any:
		for _, x := range v {
			out = append(out, pageTexts(x)...)
		}
	case map[string]any:
		for _, x := range v {
			out = append(out, pageTexts(x)...)
		}
	}
	return out
}

// checkRequestLogs: every line logged for request "traced-1" carries the
// router's trace id, and there is at least the access log line.
func checkRequestLogs(t *testing.T, logs string) {
	t.Helper()
	var n int
	for line := range strings.Lines(logs) {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("log line %q: %v", line, err)
		}
		if rec["request_id"] != "traced-1" {
			continue
		}
		n++
		if rec[tracing.LogTraceID] != routerTraceID || rec[tracing.LogSpanID] == nil {
			t.Errorf("log line of the request without its trace: %s", line)
		}
	}
	if n == 0 {
		t.Errorf("no log line of the request; logs:\n%s", logs)
	}
}

// TestNewRefusesAMalformedOTLPEndpoint: a malformed endpoint stops New
// with a *tracing.ConfigError naming the setting; a collector that does
// not answer is only a warning.
func TestNewRefusesAMalformedOTLPEndpoint(t *testing.T) {
	cfg := testsupport.Config(t, "127.0.0.1:1", nil)
	cfg.OTLPEndpoint = "otel-collector:4318"
	_, err := app.New(t.Context(), cfg)
	var ce *tracing.ConfigError
	if !errors.As(err, &ce) || !strings.Contains(err.Error(), "--otlp-endpoint") {
		t.Errorf("New = %v, want a *tracing.ConfigError naming --otlp-endpoint", err)
	}

	t.Cleanup(func() { otel.SetTracerProvider(noop.NewTracerProvider()) })
	logs := &syncbuf.Buffer{}
	cfg = testsupport.Config(t, "127.0.0.1:1", slog.New(slog.NewJSONHandler(logs, nil)))
	cfg.OTLPEndpoint = "http://" + testsupport.FreePort(t)
	a, err := app.New(t.Context(), cfg)
	if err != nil {
		t.Fatalf("New with a collector that is down = %v, want a warning only", err)
	}
	if err := a.Close(); err != nil {
		t.Errorf("Close = %v, want nil with the collector down", err)
	}
	if !strings.Contains(logs.String(), `"level":"WARN"`) || !strings.Contains(logs.String(), "does not answer") {
		t.Errorf("no warning about the collector; logs:\n%s", logs.String())
	}
}
