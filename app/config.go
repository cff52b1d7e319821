package app

import (
	"log/slog"
	"time"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"github.com/confluence-graph/confluence-graph/confluence"
	"github.com/confluence-graph/confluence-graph/server"
)

// Defaults of DefaultConfig: the settings `confluence-graph serve` runs
// with when no flag or CG_* variable says otherwise.
const (
	DefaultAddr = "127.0.0.1:8080"
	// DefaultMetricsAddr is where /metrics is served: loopback, so only
	// the host (or a sidecar) scrapes it unless the operator says otherwise.
	DefaultMetricsAddr  = "127.0.0.1:9091"
	DefaultDatabasePath = "data/confluence-graph.db"
	DefaultLocalKeyFile = "data/master.key"
	// DefaultCacheSize bounds the cross-request Confluence cache (entries);
	// DefaultCacheTTL is how long it keeps mutable metadata.
	DefaultCacheSize = 20000
	DefaultCacheTTL  = 30 * time.Second
	// DefaultSharedRate and DefaultSharedBurst are the per-site Confluence
	// budget shared through Redis by all replicas (Config.RedisURL): the
	// same numbers as the confluence.Options defaults, which each process
	// applies on its own without Redis.
	DefaultSharedRate  = confluence.DefaultRateLimit
	DefaultSharedBurst = confluence.DefaultRateBurst
	// DefaultGCPercent is the garbage collector's target (GOGC) serve runs
	// with: the service keeps a small live heap (tens of MiB, the
	// cross-request cache included) and allocates tens of KiB per request,
	// so at Go's default of 100 it collected many times a second and the
	// collector's work showed in every request's latency. 200 halves the
	// collections for about one more live heap of memory; where the pod
	// has a memory limit, GOMEMLIMIT (deploy/) still makes the runtime
	// collect harder before reaching it.
	DefaultGCPercent = 200
)

// Config is everything the service is built from. Start from
// DefaultConfig (what serve runs with) and change only the fields a run
// needs; Diff lists what was changed.
type Config struct {
	// Addr is the listen address host:port of Start; port 0 picks a free
	// one.
	Addr string
	// MetricsAddr is the listen address of the metrics listener (GET
	// /metrics only); port 0 picks a free one, "" serves no metrics.
	MetricsAddr string
	// DatabaseURL selects the settings store: postgres:// or
	// postgresql:// is PostgreSQL, anything else a SQLite file path (an
	// optional "sqlite:" prefix is dropped; "" means DefaultDatabasePath).
	DatabaseURL string
	// KMSKeyID, when set, seals tokens with this AWS KMS key (id, ARN or
	// alias; credentials from the SDK's default chain). Empty uses the
	// local master key file LocalKeyFile, created 0600 if missing.
	KMSKeyID     string
	LocalKeyFile string

	// Client is the template of every tenant's Confluence client: gateway
	// URL, the one plain-HTTP development host, rate limits, retries,
	// timeouts and breaker. Zero fields take the confluence package's
	// defaults; the per-tenant fields (Site, Email, Token, TokenType,
	// CloudID) are ignored, and the metrics hooks and the Tracer are set
	// by New.
	Client confluence.Options
	// DataCenterHosts lists the Confluence Data Center hosts tenants may
	// connect: host names or CIDRs (--allow-datacenter-host); empty allows
	// none. DataCenterCAFile, when set, is a PEM bundle trusted for their
	// certificates besides the system roots (--datacenter-ca-file).
	DataCenterHosts  []string
	DataCenterCAFile string
	// RedisURL, when set, is the redis:// or rediss:// URL of the Redis
	// holding the per-site Confluence rate budget that all replicas
	// share, SharedRate requests per second with bursts of SharedBurst;
	// it replaces Client's per-process limit. Empty limits each process
	// on its own.
	RedisURL    string
	SharedRate  float64
	SharedBurst int

	// CacheSize bounds the cross-request cache in entries; CacheTTL is how
	// long it keeps mutable Confluence metadata (0 disables metadata
	// caching; immutable items such as a body at a version stay until
	// evicted by size).
	CacheSize int
	CacheTTL  time.Duration

	// GCPercent is the garbage collector's target New sets for the
	// process (runtime/debug.SetGCPercent) unless the GOGC environment
	// variable is set, which wins; 0 or negative leaves the runtime's
	// setting alone. DefaultConfig has DefaultGCPercent.
	GCPercent int

	// Server holds the HTTP server's switches and limits (Introspection,
	// Playground, OperationTimeout, ComplexityLimit, LoaderWait, ...),
	// with server.Config's meaning of zero values. New sets its wiring
	// fields (Schema, Keys, Source, Cache, Audit, Logger, Metrics, Ready);
	// values given for them are ignored.
	Server server.Config

	// OTLPEndpoint, when set, exports OpenTelemetry traces over OTLP/HTTP
	// to this collector URL (http://otel-collector:4318; the path
	// defaults to /v1/traces). Empty leaves it to the standard
	// OTEL_EXPORTER_OTLP_TRACES_ENDPOINT and OTEL_EXPORTER_OTLP_ENDPOINT
	// variables; all empty, no spans are exported (the trace id of an
	// incoming traceparent still reaches the logs). A malformed endpoint
	// fails New; a collector that does not answer is only a warning.
	OTLPEndpoint string
	// TraceExporter, when set, receives the spans instead of an OTLP
	// collector, whatever OTLPEndpoint says (tests pass
	// tracetest.NewInMemoryExporter). It installs the process-wide
	// tracer provider, so one traced App per process.
	TraceExporter sdktrace.SpanExporter `diff:"-"`
	// Version names the build in traces (service.version); not a
	// setting, so Diff ignores it.
	Version string `diff:"-"`

	// Logger receives the service's logs; nil means slog.Default(). Lines
	// logged inside a traced request get its trace_id and span_id. It is
	// not a setting of the service, so Diff ignores it.
	Logger *slog.Logger `diff:"-"`
}

// DefaultConfig returns the configuration `confluence-graph serve` runs
// with when no flag or CG_* variable is set.
func DefaultConfig() Config {
	return Config{
		Addr:         DefaultAddr,
		MetricsAddr:  DefaultMetricsAddr,
		DatabaseURL:  DefaultDatabasePath,
		LocalKeyFile: DefaultLocalKeyFile,
		Client:       confluence.Options{GatewayURL: confluence.DefaultGatewayURL},
		SharedRate:   DefaultSharedRate,
		SharedBurst:  DefaultSharedBurst,
		CacheSize:    DefaultCacheSize,
		CacheTTL:     DefaultCacheTTL,
		GCPercent:    DefaultGCPercent,
	}
}
