// Package tracing sets up OpenTelemetry tracing for confluence-graph and
// provides the pieces that produce its spans: an HTTP middleware that
// continues the federation router's W3C trace, a gqlgen extension that
// names that span after the GraphQL operation, a RoundTripper for the
// calls to Confluence (Upstream, the Confluence client's tracer), a span
// per loader batch and per resolver that waited for one, and a slog
// handler that puts the trace id on every log line of a traced request.
//
// Tracing is off unless an OTLP endpoint is configured (Config.Endpoint,
// or the standard OTEL_EXPORTER_OTLP_ENDPOINT or
// OTEL_EXPORTER_OTLP_TRACES_ENDPOINT variables). Off, the pieces cost
// little and the trace id of an incoming traceparent still reaches the
// logs. Spans never carry a token, a URL query, a query text or page
// content: operation names, route templates, hosts, status codes, retry
// counts and batch sizes only.
package tracing

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"time"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
)

// The standard variables Setup reads (see the OpenTelemetry SDK
// environment variable specification).
const (
	EnvEndpoint       = "OTEL_EXPORTER_OTLP_ENDPOINT"
	EnvTracesEndpoint = "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"
	EnvSDKDisabled    = "OTEL_SDK_DISABLED"
	EnvTracesExporter = "OTEL_TRACES_EXPORTER"
)

// instrumentation is the name of the tracer of every span this package
// starts.
const instrumentation = "github.com/confluence-graph/confluence-graph/tracing"

// Config configures Setup. The zero value is tracing off.
type Config struct {
	// Endpoint is the OTLP/HTTP collector URL, such as
	// http://otel-collector:4318 (the path defaults to /v1/traces).
	// Empty falls back to OTEL_EXPORTER_OTLP_TRACES_ENDPOINT and then
	// OTEL_EXPORTER_OTLP_ENDPOINT; all empty leaves tracing off.
	Endpoint string
	// ServiceName and Version become the service.name and
	// service.version resource attributes (OTEL_SERVICE_NAME and
	// OTEL_RESOURCE_ATTRIBUTES override them).
	ServiceName string
	Version     string
	// SampleRatio, when in (0, 1], samples that share of new traces; a
	// trace started by the router keeps the router's decision. Zero keeps
	// the SDK default (OTEL_TRACES_SAMPLER, else always, parent-based).
	SampleRatio float64
	// Logger receives the warnings (collector unreachable, export
	// failed); nil uses slog.Default().
	Logger *slog.Logger
	// Exporter, when set, replaces the OTLP exporter and turns tracing on
	// whatever the endpoint; spans are exported synchronously. For tests.
	Exporter sdktrace.SpanExporter
	// Getenv reads the environment; nil uses os.Getenv. For tests.
	Getenv func(string) string
}

// ConfigError reports a malformed tracing setting; Setup returns it
// before starting anything.
type ConfigError struct {
	Setting string // the flag or variable, e.g. OTEL_EXPORTER_OTLP_ENDPOINT
	Value   string
	Reason  string
}

func (e *ConfigError) Error() string {
	return fmt.Sprintf("tracing: %s=%q: %s", e.Setting, e.Value, e.Reason)
}

// ShutdownFunc flushes the spans still buffered and stops the exporter;
// call it once at exit with a deadline.
type ShutdownFunc func(context.Context) error

// dialTimeout bounds Setup's reachability check of the collector.
const dialTimeout = 2 * time.Second

// Setup installs the global tracer provider and the W3C trace-context and
// baggage propagators. The propagators are installed even with tracing
// off, so incoming trace ids still reach the logs.
//
// A malformed endpoint is a *ConfigError. A collector that does not
// answer is only a warning: the service starts, spans are dropped while
// the collector is down, and each failed export is logged as a warning.
func Setup(ctx context.Context, cfg Config) (ShutdownFunc, error) {
	getenv := cfg.Getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	log := cfg.Logger
	if log == nil {
		log = slog.Default()
	}
	otel.SetTextMapPropagator(propagation.NewCompositeTextMapPropagator(propagation.TraceContext{}, propagation.Baggage{}))
	noop := func(context.Context) error { return nil }

	var opts []sdktrace.TracerProviderOption
	switch {
	case cfg.Exporter != nil:
		opts = append(opts, sdktrace.WithSyncer(cfg.Exporter))
	case disabled(getenv):
		return noop, nil
	default:
		setting, endpoint := endpointSetting(cfg, getenv)
		if endpoint == "" {
			return noop, nil
		}
		u, err := parseEndpoint(setting, endpoint)
		if err != nil {
			return nil, err
		}
		var eopts []otlptracehttp.Option
		if cfg.Endpoint != "" {
			// The exporter reads the variables itself; a flag wins.
			eopts = append(eopts, otlptracehttp.WithEndpointURL(u.String()))
		}
		exp, err := otlptracehttp.New(ctx, eopts...)
		if err != nil {
			return nil, &ConfigError{Setting: setting, Value: endpoint, Reason: err.Error()}
		}
		warnIfUnreachable(ctx, log, setting, u)
		opts = append(opts, sdktrace.WithBatcher(exp))
	}
	if cfg.SampleRatio < 0 || cfg.SampleRatio > 1 {
		return nil, &ConfigError{Setting: "sample ratio", Value: strconv.FormatFloat(cfg.SampleRatio, 'g', -1, 64), Reason: "must be in [0, 1]"}
	}
	if cfg.SampleRatio > 0 {
		opts = append(opts, sdktrace.WithSampler(sdktrace.ParentBased(sdktrace.TraceIDRatioBased(cfg.SampleRatio))))
	}
	res, err := serviceResource(ctx, cfg)
	if err != nil {
		return nil, err
	}
	tp := sdktrace.NewTracerProvider(append(opts, sdktrace.WithResource(res))...)
	otel.SetTracerProvider(tp)
	otel.SetErrorHandler(otel.ErrorHandlerFunc(func(err error) {
		log.Warn("tracing: span export failed; spans are dropped until the collector answers", "err", err)
	}))
	return tp.Shutdown, nil
}

// disabled reports whether the standard variables switch tracing off.
func disabled(getenv func(string) string) bool {
	if b, err := strconv.ParseBool(getenv(EnvSDKDisabled)); err == nil && b {
		return true
	}
	return strings.EqualFold(strings.TrimSpace(getenv(EnvTracesExporter)), "none")
}

// endpointSetting returns the endpoint in force and the setting it came
// from, for messages.
func endpointSetting(cfg Config, getenv func(string) string) (setting, endpoint string) {
	if cfg.Endpoint != "" {
		return "--otlp-endpoint", cfg.Endpoint
	}
	if v := getenv(EnvTracesEndpoint); v != "" {
		return EnvTracesEndpoint, v
	}
	return EnvEndpoint, getenv(EnvEndpoint)
}

// serviceResource describes the service: the SDK defaults, then
// ServiceName and Version, then OTEL_SERVICE_NAME and
// OTEL_RESOURCE_ATTRIBUTES.
func serviceResource(ctx context.Context, cfg Config) (*resource.Resource, error) {
	name := cfg.ServiceName
	if name == "" {
		name = "confluence-graph"
	}
	res, err := resource.Merge(resource.Default(), resource.NewSchemaless(
		semconv.ServiceName(name), semconv.ServiceVersion(cfg.Version)))
	if err != nil {
		return nil, err
	}
	env, err := resource.New(ctx, resource.WithFromEnv())
	if err != nil && !errors.Is(err, resource.ErrPartialResource) {
		return nil, err
	}
	return resource.Merge(res, env)
}
