package tracing

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"go.opentelemetry.io/otel"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace/noop"

	"github.com/confluence-graph/confluence-graph/internal/syncbuf"
)

func resetGlobal(t *testing.T) {
	t.Cleanup(func() { otel.SetTracerProvider(noop.NewTracerProvider()) })
}

func env(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

func TestSetupOffWithoutEndpoint(t *testing.T) {
	resetGlobal(t)
	otel.SetTracerProvider(noop.NewTracerProvider())
	shutdown, err := Setup(context.Background(), Config{Getenv: env(nil)})
	if err != nil {
		t.Fatal(err)
	}
	if err := shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, ok := otel.GetTracerProvider().(*sdktrace.TracerProvider); ok {
		t.Error("an SDK tracer provider was installed without an endpoint")
	}
	for _, off := range []map[string]string{
		{EnvEndpoint: "http://127.0.0.1:4318", EnvSDKDisabled: "true"},
		{EnvEndpoint: "http://127.0.0.1:4318", EnvTracesExporter: "none"},
	} {
		if _, err := Setup(context.Background(), Config{Getenv: env(off)}); err != nil {
			t.Fatal(err)
		}
		if _, ok := otel.GetTracerProvider().(*sdktrace.TracerProvider); ok {
			t.Errorf("tracing is on with %v", off)
		}
	}
}

// TestTraceIDInLogsWithTracingOff: with tracing off, the router's trace
// id still reaches the log lines of the request.
func TestTraceIDInLogsWithTracingOff(t *testing.T) {
	resetGlobal(t)
	if _, err := Setup(context.Background(), Config{Getenv: env(nil)}); err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	// Wrapped twice, as when app wraps a logger that is already wrapped.
	logger := slog.New(NewLogHandler(NewLogHandler(slog.NewTextHandler(&logs, nil)))).With("component", "test")
	h := Middleware("/graphql", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		logger.InfoContext(r.Context(), "in request")
	}))
	req := httptest.NewRequest(http.MethodPost, "/graphql", nil)
	req.Header.Set("traceparent", routerTraceparent)
	h.ServeHTTP(httptest.NewRecorder(), req)
	logger.Info("outside a request")
	lines := strings.Split(strings.TrimSpace(logs.String()), "\n")
	if len(lines) != 2 || strings.Count(lines[0], "trace_id="+routerTraceID) != 1 || !strings.Contains(lines[0], "component=test") {
		t.Errorf("log lines = %q, want the first with trace_id=%s once", lines, routerTraceID)
	}
	if strings.Contains(lines[len(lines)-1], "trace_id") {
		t.Errorf("a line logged without a span has a trace id: %q", lines[len(lines)-1])
	}
}

func TestSetupRefusesMalformedEndpoints(t *testing.T) {
	resetGlobal(t)
	for _, c := range []struct{ flag, env string }{
		{flag: "otel-collector:4318"},
		{flag: "ftp://otel-collector:4318"},
		{flag: "http://"},
		{flag: "https://user:pass@otel-collector:4318"},
		{flag: "http://otel-collector:4318/v1/traces?token=x"},
		{env: "grpc://otel-collector:4317"},
	} {
		cfg := Config{Endpoint: c.flag, Getenv: env(map[string]string{EnvEndpoint: c.env})}
		_, err := Setup(context.Background(), cfg)
		var ce *ConfigError
		if !errors.As(err, &ce) {
			t.Errorf("Setup(%+v) = %v, want a *ConfigError", c, err)
			continue
		}
		if strings.Contains(ce.Error(), "pass") || strings.Contains(ce.Error(), "token=x") {
			t.Errorf("the error repeats a credential: %v", ce)
		}
		if c.env != "" && ce.Setting != EnvEndpoint {
			t.Errorf("error names %q, want %s", ce.Setting, EnvEndpoint)
		}
	}
}

// TestSetupWarnsWhenCollectorIsDown: a collector that does not answer is
// a warning at start and per failed export, never an error or a hang.
func TestSetupWarnsWhenCollectorIsDown(t *testing.T) {
	resetGlobal(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	var logs syncbuf.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, nil))
	shutdown, err := Setup(context.Background(), Config{Endpoint: "http://" + addr, Logger: logger, Getenv: env(nil)})
	if err != nil {
		t.Fatalf("Setup with a down collector: %v", err)
	}
	if !strings.Contains(logs.String(), "level=WARN") || !strings.Contains(logs.String(), "does not answer") {
		t.Errorf("no warning at start; logs:\n%s", logs.String())
	}
	_, span := otel.Tracer("t").Start(context.Background(), "s")
	span.End()
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	shutdown(ctx) // the export fails; Shutdown reports it, the service goes on
	if ctx.Err() != nil {
		t.Error("shutdown waited for the dead collector until the deadline")
	}
}

// TestSetupExportsToTheEnvironmentsCollector: OTEL_EXPORTER_OTLP_ENDPOINT
// alone turns tracing on, and spans reach /v1/traces over OTLP/HTTP.
func TestSetupExportsToTheEnvironmentsCollector(t *testing.T) {
	resetGlobal(t)
	var posts atomic.Int32
	collector := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		if r.Method == http.MethodPost && r.URL.Path == "/v1/traces" {
			posts.Add(1)
		}
		w.Header().Set("Content-Type", "application/x-protobuf")
	}))
	defer collector.Close()
	t.Setenv(EnvEndpoint, collector.URL)
	t.Setenv(EnvTracesEndpoint, "")
	shutdown, err := Setup(context.Background(), Config{ServiceName: "cg-test"})
	if err != nil {
		t.Fatal(err)
	}
	_, span := otel.Tracer("t").Start(context.Background(), "s")
	span.End()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	if posts.Load() == 0 {
		t.Error("no span reached the collector's /v1/traces")
	}
}

func TestExtensionNamesTheSpanAfterTheOperation(t *testing.T) {
	exp := record(t)
	for _, c := range []struct{ typ, name, want string }{
		{"query", "GetPage", "query GetPage"},
		{"mutation", "", "mutation"},
		{"query", "not a name", "query"},
	} {
		ctx, span := otel.Tracer("t").Start(context.Background(), "POST /graphql")
		ctx = graphql.WithOperationContext(ctx, &graphql.OperationContext{
			Operation: &ast.OperationDefinition{Operation: ast.Operation(c.typ), Name: c.name},
		})
		Extension{}.InterceptOperation(ctx, func(context.Context) graphql.ResponseHandler { return nil })
		span.End()
		spans := exp.GetSpans()
		if got := spans[len(spans)-1].Name; got != c.want {
			t.Errorf("%s %q: span name %q, want %q", c.typ, c.name, got, c.want)
		}
	}
}

// TestRecordResolverWait: a resolver that waited gets a span named after
// its schema type and field (not its alias) spanning the wait; a short
// wait or a call outside a resolver records nothing.
func TestRecordResolverWait(t *testing.T) {
	exp := record(t)
	ctx, op := otel.Tracer("t").Start(context.Background(), "query GetPage")
	field := &ast.Field{Alias: "kids", Name: "children"}
	rctx := graphql.WithFieldContext(ctx, &graphql.FieldContext{Object: "Page", Field: graphql.CollectedField{Field: field}})
	start := time.Now().Add(-20 * time.Millisecond)
	RecordResolverWait(rctx, start)
	RecordResolverWait(rctx, time.Now()) // did not wait
	RecordResolverWait(ctx, start)       // not in a resolver
	op.End()
	spans := exp.GetSpans()
	if len(spans) != 2 {
		t.Fatalf("spans %v, want the operation's and one resolver's", tree(spans))
	}
	s := spans[0]
	if s.Name != "resolve Page.children" || s.Parent.SpanID() != op.SpanContext().SpanID() || !s.StartTime.Equal(start) {
		t.Errorf("span %q under %v from %v, want \"resolve Page.children\" under the operation from %v", s.Name, s.Parent.SpanID(), s.StartTime, start)
	}
}
