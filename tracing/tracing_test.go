package tracing

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"
	"go.opentelemetry.io/otel/trace/noop"
)

// The router's traceparent: trace 4bf9..., parent span 00f0..., sampled.
const (
	routerTraceID     = "4bf92f3577b34da6a3ce929d0e0e4736"
	routerSpanID      = "00f067aa0ba902b7"
	routerTraceparent = "00-" + routerTraceID + "-" + routerSpanID + "-01"
)

// record turns tracing on with an in-memory exporter for one test and
// restores the no-op provider after it.
func record(t *testing.T) *tracetest.InMemoryExporter {
	t.Helper()
	exp := tracetest.NewInMemoryExporter()
	shutdown, err := Setup(context.Background(), Config{Exporter: exp, ServiceName: "cg-test", Version: "v0.0.0-test"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		shutdown(context.Background())
		otel.SetTracerProvider(noop.NewTracerProvider())
	})
	return exp
}

// tree renders spans as an indented tree of names under their parents,
// children in start order.
func tree(spans tracetest.SpanStubs) string {
	byParent := map[trace.SpanID][]tracetest.SpanStub{}
	ids := map[trace.SpanID]bool{}
	for _, s := range spans {
		ids[s.SpanContext.SpanID()] = true
	}
	for _, s := range spans {
		p := s.Parent.SpanID()
		if !ids[p] {
			p = trace.SpanID{}
		}
		byParent[p] = append(byParent[p], s)
	}
	var b strings.Builder
	var walk func(trace.SpanID, int)
	walk = func(id trace.SpanID, depth int) {
		kids := byParent[id]
		slices.SortStableFunc(kids, func(a, b tracetest.SpanStub) int { return a.StartTime.Compare(b.StartTime) })
		for _, k := range kids {
			fmt.Fprintf(&b, "%s%s\n", strings.Repeat("  ", depth), k.Name)
			walk(k.SpanContext.SpanID(), depth+1)
		}
	}
	walk(trace.SpanID{}, 0)
	return b.String()
}

func attr(s tracetest.SpanStub, key string) (attribute.Value, bool) {
	for _, a := range s.Attributes {
		if string(a.Key) == key {
			return a.Value, true
		}
	}
	return attribute.Value{}, false
}

// TestSpanTreeOfNestedQuery serves a nested query the way the service
// does: the router's traceparent, the operation, a loader batch whose
// upstream call is retried after a 429, then a resolver that waits on a
// second batch. Every span is in the router's trace, in this shape, and
// no span or log carries the token, the URL's ids or its query.
func TestSpanTreeOfNestedQuery(t *testing.T) {
	exp := record(t)
	var calls, sawTraceparent atomic.Int32
	upstream := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("traceparent") != "" {
			sawTraceparent.Add(1)
		}
		if calls.Add(1) == 1 {
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		io.WriteString(w, "{}")
	}))
	defer upstream.Close()
	client := &http.Client{Transport: Upstream{}.Transport(nil)}
	get := func(ctx context.Context, route, path string, retry int, wait time.Duration) int {
		ctx = Upstream{}.Attempt(ctx, route, retry, wait)
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, upstream.URL+path+"?body-format=storage", nil)
		req.Header.Set("Authorization", "Basic c2VjcmV0LXRva2Vu")
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	var logs bytes.Buffer
	logger := slog.New(NewLogHandler(slog.NewJSONHandler(&logs, nil)))

	gql := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		SetOperation(ctx, "query", "GetPage")
		logger.InfoContext(ctx, "operation", "name", "GetPage")
		bctx, batch := StartBatch(ctx, "pages", 3)
		if get(bctx, "/wiki/api/v2/pages/{id}", "/wiki/api/v2/pages/42", 0, 5*time.Microsecond) == http.StatusTooManyRequests {
			get(bctx, "/wiki/api/v2/pages/{id}", "/wiki/api/v2/pages/42", 1, 10*time.Millisecond)
		}
		batch.End()
		rctx, resolver := Start(ctx, "resolve Page.children")
		cctx, children := StartBatch(rctx, "children", 1)
		get(cctx, "/wiki/api/v2/pages/{id}/children", "/wiki/api/v2/pages/42/children", 0, 0)
		children.End()
		resolver.End()
		io.WriteString(w, `{"data":{}}`)
	})
	srv := httptest.NewServer(Middleware("/graphql", gql))
	defer srv.Close()
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/graphql", strings.NewReader(`{"query":"query GetPage { page(id: 42) { title } }"}`))
	req.Header.Set("traceparent", routerTraceparent)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()

	spans := exp.GetSpans()
	want := `query GetPage
  loader pages
    GET /wiki/api/v2/pages/{id}
    GET /wiki/api/v2/pages/{id}
  resolve Page.children
    loader children
      GET /wiki/api/v2/pages/{id}/children
`
	if got := tree(spans); got != want {
		t.Errorf("span tree:\n%s\nwant:\n%s", got, want)
	}
	for _, s := range spans {
		if s.SpanContext.TraceID().String() != routerTraceID {
			t.Errorf("span %q is in trace %s, want the router's %s", s.Name, s.SpanContext.TraceID(), routerTraceID)
		}
		for _, a := range s.Attributes {
			v := a.Value.String()
			for _, secret := range []string{"c2VjcmV0", "body-format", "/42", "page(id"} {
				if strings.Contains(v, secret) {
					t.Errorf("span %q attribute %s=%q leaks %q", s.Name, a.Key, v, secret)
				}
			}
		}
	}
	root := spans[slices.IndexFunc(spans, func(s tracetest.SpanStub) bool { return s.Name == "query GetPage" })]
	if root.Parent.SpanID().String() != routerSpanID || !root.Parent.IsRemote() {
		t.Errorf("operation span's parent = %v, want the router's remote span %s", root.Parent.SpanID(), routerSpanID)
	}
	if v, _ := attr(root, "graphql.operation.name"); v.AsString() != "GetPage" {
		t.Errorf("graphql.operation.name = %q", v.AsString())
	}
	if v, _ := attr(root, "http.response.status_code"); v.AsInt64() != 200 {
		t.Errorf("server span status code = %v", v.AsInt64())
	}
	checkUpstreamSpans(t, spans)
	if n := sawTraceparent.Load(); n != 0 {
		t.Errorf("%d upstream requests carried a traceparent; traces must end at our side", n)
	}
	var line map[string]any
	if err := json.Unmarshal(logs.Bytes(), &line); err != nil {
		t.Fatalf("log line %q: %v", logs.String(), err)
	}
	if line[LogTraceID] != routerTraceID || line[LogSpanID] != root.SpanContext.SpanID().String() {
		t.Errorf("log line %v: want trace_id %s and the operation's span_id", line, routerTraceID)
	}
}

func checkUpstreamSpans(t *testing.T, spans tracetest.SpanStubs) {
	t.Helper()
	var first, retry *tracetest.SpanStub
	for i, s := range spans {
		if s.Name != "GET /wiki/api/v2/pages/{id}" {
			continue
		}
		if s.SpanKind != trace.SpanKindClient {
			t.Errorf("%s kind = %v, want client", s.Name, s.SpanKind)
		}
		if _, ok := attr(s, "http.request.resend_count"); ok {
			retry = &spans[i]
		} else {
			first = &spans[i]
		}
	}
	if first == nil || retry == nil {
		t.Fatal("want a first attempt and a retry")
	}
	if v, _ := attr(*first, "http.response.status_code"); v.AsInt64() != 429 || first.Status.Code != codes.Error {
		t.Errorf("first attempt: status %v, span status %v; want 429 and an error", v.AsInt64(), first.Status)
	}
	if v, _ := attr(*retry, "http.request.resend_count"); v.AsInt64() != 1 {
		t.Errorf("retry count = %v, want 1", v.AsInt64())
	}
	if v, _ := attr(*retry, "url.template"); v.AsString() != "/wiki/api/v2/pages/{id}" {
		t.Errorf("url.template = %q", v.AsString())
	}
	batch := spans[slices.IndexFunc(spans, func(s tracetest.SpanStub) bool { return s.Name == "loader pages" })]
	if v, _ := attr(batch, "loader.batch.size"); v.AsInt64() != 3 {
		t.Errorf("loader.batch.size = %v, want 3", v.AsInt64())
	}
	if v, _ := attr(*retry, AttrRateLimitWait); v.AsFloat64() != 0.01 {
		t.Errorf("the retry's %s = %v, want 0.01", AttrRateLimitWait, v.AsFloat64())
	}
	if _, ok := attr(*first, AttrRateLimitWait); ok {
		t.Errorf("the first attempt waited under a millisecond but has %s", AttrRateLimitWait)
	}
}
