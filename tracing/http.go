package tracing

import (
	"context"
	"net/http"
	"regexp"
	"strconv"
	"time"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/propagation"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/trace"
)

func tracer() trace.Tracer { return otel.Tracer(instrumentation) }

// Middleware returns next wrapped in a server span per request. The span
// continues the trace of the request's traceparent header (W3C trace
// context, as the federation router sends it) and is named
// "METHOD route" until SetOperation renames it after the GraphQL
// operation. route is the pattern the handler is mounted at, such as
// "/graphql"; the URL's query is never recorded.
func Middleware(route string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := otel.GetTextMapPropagator().Extract(r.Context(), propagation.HeaderCarrier(r.Header))
		ctx, span := tracer().Start(ctx, r.Method+" "+route,
			trace.WithSpanKind(trace.SpanKindServer),
			trace.WithAttributes(semconv.HTTPRequestMethodKey.String(r.Method), semconv.HTTPRoute(route)))
		defer span.End()
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(rec, r.WithContext(ctx))
		span.SetAttributes(semconv.HTTPResponseStatusCode(rec.status))
		if rec.status >= 500 {
			span.SetStatus(codes.Error, http.StatusText(rec.status))
		}
	})
}

// statusRecorder remembers the status code written through it.
type statusRecorder struct {
	http.ResponseWriter
	status      int
	wroteHeader bool
}

func (s *statusRecorder) WriteHeader(code int) {
	if !s.wroteHeader {
		s.status, s.wroteHeader = code, true
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	s.wroteHeader = true
	return s.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the underlying writer
// (Flush, deadlines).
func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// graphQLName matches the names GraphQL allows; anything else (which the
// server would reject anyway) is left out of span names.
var graphQLName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]{0,63}$`)

// SetOperation names the request's span after its GraphQL operation,
// "query GetPage" (the operation type alone for an anonymous or invalid
// name), and records graphql.operation.type and graphql.operation.name.
// The query text is never recorded. It does nothing outside a span.
func SetOperation(ctx context.Context, opType, opName string) {
	span := trace.SpanFromContext(ctx)
	if !span.IsRecording() {
		return
	}
	if opType == "" {
		opType = "query"
	}
	span.SetAttributes(semconv.GraphQLOperationTypeKey.String(opType))
	name := opType
	if graphQLName.MatchString(opName) {
		name += " " + opName
		span.SetAttributes(semconv.GraphQLOperationName(opName))
	}
	span.SetName(name)
}

type ctxKey int

const (
	routeKey ctxKey = iota
	retryKey
	waitKey
)

// AttrRateLimitWait is the attribute of an upstream call's span that
// holds how long the call waited for the client's own rate limiting
// (a 429's pause, an in-flight slot, the rate limiter) before it was
// sent, in seconds; absent when it waited less than minRecordedWait.
const AttrRateLimitWait = "rate_limit.wait_seconds"

// minRecordedWait is the shortest rate-limit wait recorded: shorter ones
// are the bookkeeping of a call that did not wait.
const minRecordedWait = time.Millisecond

// WithRoute returns ctx carrying the route template of the upstream call
// made with it, such as "/wiki/api/v2/pages/{id}": Transport names its
// span after it. Pass the template, never the URL.
func WithRoute(ctx context.Context, route string) context.Context {
	return context.WithValue(ctx, routeKey, route)
}

// WithRetry returns ctx carrying the retry number of the upstream
// attempt made with it (0 for the first attempt).
func WithRetry(ctx context.Context, retry int) context.Context {
	return context.WithValue(ctx, retryKey, retry)
}

// WithRateLimitWait returns ctx carrying how long the upstream attempt
// made with it waited for the rate limiting before it was sent;
// Transport records it as AttrRateLimitWait.
func WithRateLimitWait(ctx context.Context, d time.Duration) context.Context {
	return context.WithValue(ctx, waitKey, d)
}

// Upstream traces the calls of a Confluence client: it is the client's
// Options.Tracer (confluence.Tracer), whose transport it wraps in a
// Transport and whose attempts it marks with their route template,
// retry number and rate-limit wait. The zero value is ready to use.
type Upstream struct{}

// Transport wraps base in a *Transport.
func (Upstream) Transport(base http.RoundTripper) http.RoundTripper { return &Transport{Base: base} }

// Attempt returns ctx carrying route, retry and wait for Transport.
func (Upstream) Attempt(ctx context.Context, route string, retry int, wait time.Duration) context.Context {
	return WithRateLimitWait(WithRetry(WithRoute(ctx, route), retry), wait)
}

// Transport is an http.RoundTripper that records a client span per
// request: "GET /wiki/api/v2/pages/{id}" with the route template
// (WithRoute), the host, the status code, the retry number (WithRetry)
// and the rate-limit wait (WithRateLimitWait). It records no path with ids, no query and no header, and
// sends no traceparent to the upstream: traces end at our side.
type Transport struct {
	// Base sends the requests; nil uses http.DefaultTransport.
	Base http.RoundTripper
}

// RoundTrip implements http.RoundTripper.
func (t *Transport) RoundTrip(r *http.Request) (*http.Response, error) {
	base := t.Base
	if base == nil {
		base = http.DefaultTransport
	}
	ctx := r.Context()
	attrs := []attribute.KeyValue{
		semconv.HTTPRequestMethodKey.String(r.Method),
		semconv.ServerAddress(r.URL.Hostname()),
	}
	name := r.Method
	if route, _ := ctx.Value(routeKey).(string); route != "" {
		name += " " + route
		attrs = append(attrs, semconv.URLTemplate(route))
	}
	if retry, _ := ctx.Value(retryKey).(int); retry > 0 {
		attrs = append(attrs, semconv.HTTPRequestResendCount(retry))
	}
	if wait, _ := ctx.Value(waitKey).(time.Duration); wait >= minRecordedWait {
		attrs = append(attrs, attribute.Float64(AttrRateLimitWait, wait.Seconds()))
	}
	_, span := tracer().Start(ctx, name, trace.WithSpanKind(trace.SpanKindClient), trace.WithAttributes(attrs...))
	defer span.End()
	resp, err := base.RoundTrip(r)
	if err != nil {
		span.SetAttributes(semconv.ErrorType(err))
		span.SetStatus(codes.Error, "request failed")
		return nil, err
	}
	span.SetAttributes(semconv.HTTPResponseStatusCode(resp.StatusCode))
	if resp.StatusCode >= 400 {
		span.SetAttributes(semconv.ErrorTypeKey.String(strconv.Itoa(resp.StatusCode)))
		span.SetStatus(codes.Error, http.StatusText(resp.StatusCode))
	}
	return resp, err
}

// StartBatch starts the span of one loader batch, "loader name", with
// its size; the caller ends it when the batch is answered.
func StartBatch(ctx context.Context, loader string, size int) (context.Context, trace.Span) {
	return tracer().Start(ctx, "loader "+loader, trace.WithAttributes(
		attribute.String("loader.name", loader), attribute.Int("loader.batch.size", size)))
}

// Start starts an internal span named name, for a resolver or step that
// waits; the caller ends it.
func Start(ctx context.Context, name string, attrs ...attribute.KeyValue) (context.Context, trace.Span) {
	return tracer().Start(ctx, name, trace.WithAttributes(attrs...))
}
