// Package app is the composition root of confluence-graph: New builds the
// whole service from one Config (settings store, key service, Confluence
// client template with its rate limits, cross-request cache, settings
// service, GraphQL schema, HTTP server with its per-request loaders,
// metrics, OpenTelemetry traces and the Redis rate budget). `serve`, `serve --demo`, the
// end-to-end tests and the load check all build the service here, so what
// they run and measure is what serve runs.
package app

import (
	"context"
	"crypto/x509"
	"fmt"
	"log/slog"
	"net"
	"net/http"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/redis/go-redis/v9"

	"github.com/confluence-graph/confluence-graph/confluence"
	"github.com/confluence-graph/confluence-graph/graph"
	"github.com/confluence-graph/confluence-graph/loaders"
	"github.com/confluence-graph/confluence-graph/server"
	"github.com/confluence-graph/confluence-graph/settings"
	"github.com/confluence-graph/confluence-graph/tracing"
)

var _ confluence.Tracer = tracing.Upstream{}

// App is the service built from a Config. Build it with New, serve with
// Start (or mount Handler yourself), and Close it. Its accessors are safe
// for concurrent use; New, Start and Close are not.
type App struct {
	cfg      Config
	log      *slog.Logger
	store    settings.Store
	redis    *redis.Client        // nil without Config.RedisURL
	traces   tracing.ShutdownFunc // flushes and stops the span exporter
	settings *settings.Service
	metrics  *server.Metrics
	cache    *loaders.Cache
	srv      *server.Server

	ln       net.Listener
	metricsS *http.Server // nil without Config.MetricsAddr or before Start
	metricsL net.Listener
	cancel   context.CancelFunc
	done     chan struct{} // closed when Serve has returned
	serveErr error         // why Serve returned; read after done
}

// New opens the store and the key service and builds the settings service
// and the HTTP server from cfg. It does not listen (see Start). On error
// everything it opened is closed again; errors never contain a password.
func New(ctx context.Context, cfg Config) (_ *App, err error) {
	a := &App{cfg: cfg, log: cfg.Logger}
	if a.log == nil {
		a.log = slog.Default()
	}
	setGCPercent(cfg.GCPercent)
	// Lines logged with a traced request's context carry its trace_id.
	a.log = slog.New(tracing.NewLogHandler(a.log.Handler()))
	defer func() {
		if err != nil {
			_ = a.Close()
		}
	}()
	a.traces, err = tracing.Setup(ctx, tracing.Config{
		Endpoint:    cfg.OTLPEndpoint,
		ServiceName: "confluence-graph",
		Version:     cfg.Version,
		Logger:      a.log,
		Exporter:    cfg.TraceExporter,
	})
	if err != nil {
		return nil, fmt.Errorf("app: %w", err)
	}
	if why := PlaintextDatabase(cfg.DatabaseURL); why != "" {
		shown, _ := RedactURL(cfg.DatabaseURL)
		a.log.Warn("the PostgreSQL connection may not be encrypted: "+why+
			"; add sslmode=verify-full (or require) to --db / CG_DATABASE_URL", "db", shown)
	}
	a.store, err = OpenStore(ctx, cfg.DatabaseURL)
	if err != nil {
		return nil, fmt.Errorf("app: %w", err)
	}
	sealer, err := OpenKeyService(ctx, cfg.KMSKeyID, cfg.LocalKeyFile, a.log)
	if err != nil {
		return nil, fmt.Errorf("app: %w", err)
	}

	a.metrics = server.NewMetrics()
	a.cache = loaders.NewCache(cfg.CacheSize, cfg.CacheTTL)
	registerCacheMetrics(a.metrics, a.cache)
	clientOpts := cfg.Client
	if clientOpts.MaxDownloadBytes == 0 {
		// Downloads stop where the service's attachment cap does, not at the client's default.
		clientOpts.MaxDownloadBytes = cfg.Server.MaxAttachmentBytes
		if clientOpts.MaxDownloadBytes <= 0 {
			clientOpts.MaxDownloadBytes = server.DefaultMaxAttachmentBytes
		}
	}
	lim, rdb, err := sharedLimiter(cfg, a.log)
	if err != nil {
		return nil, fmt.Errorf("app: %w", err)
	}
	a.redis = rdb
	if lim != nil {
		clientOpts.Limiter = lim
	}
	a.metrics.Instrument(&clientOpts)
	clientOpts.Tracer = tracing.Upstream{} // a span per upstream call
	reqLog := server.WithRequestIDs(a.log) // lines logged inside a request carry its request_id
	dcHosts, err := confluence.ParseHostAllowList(cfg.DataCenterHosts)
	if err != nil {
		return nil, fmt.Errorf("app: %w", err)
	}
	var dcCAs *x509.CertPool
	if cfg.DataCenterCAFile != "" {
		if dcCAs, err = confluence.LoadCABundle(cfg.DataCenterCAFile); err != nil {
			return nil, fmt.Errorf("app: %w", err)
		}
	}
	a.settings, err = settings.NewService(settings.ServiceConfig{
		Store:             a.store,
		Sealer:            sealer,
		Client:            clientOpts,
		TenantCaches:      []settings.TenantCache{a.cache},
		Logger:            reqLog,
		DataCenterHosts:   dcHosts,
		DataCenterRootCAs: dcCAs,
	})
	if err != nil {
		return nil, fmt.Errorf("app: %w", err)
	}

	sc := cfg.Server
	sc.Schema = graph.New(graph.Deps{Integrations: graph.NewSettingsIntegrations(a.settings), Logger: reqLog})
	sc.Keys = a.store
	sc.Source = graph.SettingsSource(a.settings)
	sc.Cache = a.cache
	sc.Audit = a.store
	sc.Logger = a.log
	sc.Metrics = a.metrics
	sc.Ready = []server.Check{
		{Name: "store", Check: a.store.Ping},
		{Name: "key_service", Check: sealer.Ping},
	}
	a.srv, err = server.New(sc)
	if err != nil {
		return nil, fmt.Errorf("app: %w", err)
	}
	return a, nil
}

// registerCacheMetrics exports the cross-request cache's size and its hit
// and miss counters.
func registerCacheMetrics(m *server.Metrics, cache *loaders.Cache) {
	m.Registry().MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "loaders_cache_entries",
		Help: "Entries held by the cross-request Confluence cache.",
	}, func() float64 { return float64(cache.Len()) }))
	m.RegisterCacheStats(cache.Stats)
}

// Config returns the configuration a was built from.
func (a *App) Config() Config { return a.cfg }

// Store is the settings store (API keys, integrations, audit log); a owns
// it and closes it in Close.
func (a *App) Store() settings.Store { return a.store }

// Settings is the settings service that connects tenants to Confluence.
func (a *App) Settings() *settings.Service { return a.settings }

// Server is the HTTP server; Start serves it, or a test serves Handler
// itself.
func (a *App) Server() *server.Server { return a.srv }

// Handler is the root HTTP handler (/graphql, /healthz, /readyz and, with
// Config.Server.Playground, the playground pages); /metrics is on
// MetricsHandler, served on Config.MetricsAddr by Start.
func (a *App) Handler() http.Handler { return a.srv.Handler() }

// MetricsHandler serves GET /metrics alone.
func (a *App) MetricsHandler() http.Handler { return a.srv.MetricsHandler() }

// Metrics is the registry /metrics serves.
func (a *App) Metrics() *server.Metrics { return a.metrics }
