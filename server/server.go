package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/confluence-graph/confluence-graph/graph"
	"github.com/confluence-graph/confluence-graph/loaders"
	"github.com/confluence-graph/confluence-graph/server/playground"
	"github.com/confluence-graph/confluence-graph/tracing"
)

// Defaults for the zero fields of Config.
//
// DefaultComplexityLimit is in graph's cost units, which price a query by what
// it may cost Confluence: one unit per list item it may return and ten per
// upstream call, a list read in one batch for all its parents (children,
// comments, attachments) costing one call per level and a list read per parent
// (a space's pages, versions) one call per parent. The nested query of the
// read API (space, 25 pages with labels, author, 10 children, 5 comments, 5
// attachments, 3 versions) costs about 900 and passes, also at 100 pages
// (about 3,450); _entities with more than 10,000 representations, 100 spaces
// with 100 pages each (about 11,100) and children nested 100 x 100 x 100 (over
// a million) do not.
const (
	DefaultMaxBodyBytes     = 1 << 20
	DefaultOperationTimeout = 30 * time.Second
	DefaultComplexityLimit  = 10000
	DefaultDepthLimit       = 12
	DefaultAliasLimit       = 30
	DefaultParserTokenLimit = 15000
	DefaultFieldLimit       = 500
	DefaultQueryCacheSize   = 1000
	DefaultAPQCacheSize     = 1000
	DefaultTouchInterval    = time.Minute
	DefaultShutdownTimeout  = 15 * time.Second
)

// Check is one readiness probe of /readyz: Name labels it in the answer,
// Check returns nil when the dependency is usable.
type Check struct {
	Name  string
	Check func(ctx context.Context) error
}

// Config configures New. Schema and Keys are required; every other zero
// value means the default stated on the field.
type Config struct {
	// Schema is the executable schema (graph.New).
	Schema graphql.ExecutableSchema
	// Keys authenticates API keys (the settings store).
	Keys KeyStore
	// Source binds a request's loaders to its tenant's Confluence (the
	// tenant is the Caller on the context; graph.SettingsSource). It is
	// called at most once per request, on the first field that needs
	// Confluence. Nil makes every Confluence-backed field fail with
	// NOT_CONNECTED.
	Source loaders.Source
	// Cache is the cross-request cache the loaders share; nil caches
	// nothing across requests.
	Cache *loaders.Cache
	// LoaderWait is how long loaders collect keys before calling upstream;
	// 0 means the loaders' default.
	LoaderWait time.Duration
	// LoaderConcurrency bounds the concurrent per-page upstream calls of
	// one request; 0 means the loaders' default.
	LoaderConcurrency int
	// Ready lists the /readyz probes (store, key service). None means
	// /readyz always answers 200.
	Ready []Check
	// Logger receives the access log and internal errors, each line with
	// the request's request_id; nil means slog.Default().
	Logger *slog.Logger
	// Metrics is the registry /metrics serves; nil means NewMetrics().
	Metrics *Metrics
	// Audit, if set, records every integration mutation refused to a
	// caller without the admin role (outcome "denied"); serve passes the
	// settings store. Nil records none (they are still in the access log).
	Audit AuditLog

	// Introspection enables __schema and __type (off by default; the demo
	// turns it on). When off, field suggestions ("Did you mean ...") are
	// off too. Federation's _service stays available either way.
	Introspection bool
	// PlaygroundDemoKey, when set, is filled into the GraphiQL page's key
	// field (the demo's reader key; serve sets it only with --demo), so
	// the first query of a newcomer runs. Empty leaves the field for the
	// user, with a "paste an API key" message instead of a failing request.
	PlaygroundDemoKey string `diff:"-"`
	// Playground mounts the GraphiQL page at / and the settings page at
	// /settings (server/playground).
	Playground bool

	// PublicURL is the service's address as callers reach it
	// ("https://graph.example.com"), the base of Attachment.downloadUrl;
	// empty means the scheme and Host of each request.
	PublicURL string
	// MaxAttachmentBytes caps an attachment download (the download route
	// and Attachment.text). Default DefaultMaxAttachmentBytes.
	MaxAttachmentBytes int64

	// MaxBodyBytes caps a request body; larger ones get HTTP 413. Default
	// DefaultMaxBodyBytes.
	MaxBodyBytes int64
	// OperationTimeout bounds one GraphQL request. Default
	// DefaultOperationTimeout.
	OperationTimeout time.Duration
	// ComplexityLimit, DepthLimit and AliasLimit bound an operation's
	// gqlgen complexity (fields, with the schema's multipliers), field
	// nesting and alias count; negative disables one. Defaults
	// DefaultComplexityLimit, DefaultDepthLimit, DefaultAliasLimit.
	ComplexityLimit int
	DepthLimit      int
	AliasLimit      int
	// ParserTokenLimit bounds the tokens of a query document. Default
	// DefaultParserTokenLimit.
	ParserTokenLimit int
	// FieldLimit bounds the fields a document selects with its fragments
	// expanded, checked before validation (FIELD_LIMIT_EXCEEDED); negative
	// disables it. Default DefaultFieldLimit, which the introspection query
	// of GraphiQL and the read API's largest nested queries stay well under.
	FieldLimit int
	// MaxTenantOperations bounds one tenant's GraphQL operations in flight
	// on this replica; TenantQueueWait is how long a request beyond it waits
	// for a slot before it is refused with HTTP 429 and RATE_LIMITED
	// (retryAfterSeconds). Negative disables the bound, or the wait.
	// Defaults DefaultMaxTenantOperations, DefaultTenantQueueWait.
	MaxTenantOperations int
	TenantQueueWait     time.Duration
	// TouchInterval is how often a key's last-used time is written at most.
	// Default DefaultTouchInterval.
	TouchInterval time.Duration
	// ShutdownTimeout bounds how long Serve waits for in-flight requests
	// after its context ends. Default DefaultShutdownTimeout.
	ShutdownTimeout time.Duration
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Server is the HTTP server of confluence-graph. Build it with New; it is
// safe for concurrent use.
type Server struct {
	cfg     Config
	log     *slog.Logger
	metrics *Metrics
	auth    *authenticator
	gql     *handler.Server
	handler http.Handler
}

// New validates cfg, applies defaults and builds the handler tree. It
// fails when Schema or Keys is nil.
func New(cfg Config) (*Server, error) {
	if cfg.Schema == nil {
		return nil, errors.New("server: Config.Schema is required")
	}
	if cfg.Keys == nil {
		return nil, errors.New("server: Config.Keys is required")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Metrics == nil {
		cfg.Metrics = NewMetrics()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	setDefault(&cfg.MaxBodyBytes, DefaultMaxBodyBytes)
	setDefault(&cfg.OperationTimeout, DefaultOperationTimeout)
	setDefault(&cfg.ComplexityLimit, DefaultComplexityLimit)
	setDefault(&cfg.DepthLimit, DefaultDepthLimit)
	setDefault(&cfg.AliasLimit, DefaultAliasLimit)
	setDefault(&cfg.ParserTokenLimit, DefaultParserTokenLimit)
	setDefault(&cfg.FieldLimit, DefaultFieldLimit)
	setDefault(&cfg.MaxTenantOperations, DefaultMaxTenantOperations)
	setDefault(&cfg.TenantQueueWait, DefaultTenantQueueWait)
	setDefault(&cfg.TouchInterval, DefaultTouchInterval)
	setDefault(&cfg.ShutdownTimeout, DefaultShutdownTimeout)
	setDefault(&cfg.MaxAttachmentBytes, DefaultMaxAttachmentBytes)

	s := &Server{
		cfg:     cfg,
		log:     WithRequestIDs(cfg.Logger),
		metrics: cfg.Metrics,
		auth: &authenticator{keys: cfg.Keys, touchInterval: cfg.TouchInterval, now: cfg.Now,
			touched: map[string]time.Time{}},
	}
	s.gql = s.newGraphQL()

	mux := http.NewServeMux()
	var api http.Handler = graphQLOverHTTP(s.gql)
	api = s.withOperation(cfg.OperationTimeout, s.loaderConfig(), api)
	api = limitBody(cfg.MaxBodyBytes, api)
	api = s.admit(api)
	api = s.requireKey(api)
	// Outermost: the span continues the router's traceparent, and the
	// access log line is logged inside it, with its trace_id.
	mux.Handle("/graphql", tracing.Middleware("/graphql", s.observe("graphql", api)))
	mux.Handle("GET /attachments/{id}/download", s.observe("download", s.downloadHandler()))
	mux.Handle("GET /healthz", s.observe("healthz", http.HandlerFunc(s.healthz)))
	mux.Handle("GET /readyz", s.observe("readyz", http.HandlerFunc(s.readyz)))
	if cfg.Playground {
		pages := http.NewServeMux()
		playground.RegisterWith(pages, playground.Options{Playground: true, Settings: true, DemoKey: cfg.PlaygroundDemoKey})
		mux.Handle("/{$}", s.observe("playground", pages))
		mux.Handle("/playground/", s.observe("playground", pages))
		mux.Handle("/settings", s.observe("playground", pages))
		mux.Handle("/settings/", s.observe("playground", pages))
	}
	s.handler = mux
	return s, nil
}

func setDefault[T int | int64 | time.Duration](v *T, def T) {
	switch {
	case *v == 0:
		*v = def
	case *v < 0:
		*v = 0 // disabled
	}
}

// newGraphQL builds the gqlgen handler with explicit transports and
// extensions (never NewDefaultServer).
func (s *Server) newGraphQL() *handler.Server {
	cfg := s.cfg
	h := handler.New(cfg.Schema)
	h.AddTransport(transport.Options{AllowedMethods: []string{http.MethodGet, http.MethodPost}})
	h.AddTransport(transport.GET{})
	h.AddTransport(transport.POST{})
	h.SetQueryCache(lru.New[*ast.QueryDocument](DefaultQueryCacheSize))
	if cfg.ParserTokenLimit > 0 {
		h.SetParserTokenLimit(cfg.ParserTokenLimit)
	}
	h.SetErrorPresenter(presenter(graph.NewErrorPresenter(s.log), cfg.Introspection))
	h.SetRecoverFunc(graph.NewRecover(s.log))
	h.Use(operationRecorder{onResponse: s.auditDenied})
	h.Use(tracing.Extension{}) // names the request's span "query GetPage"
	if cfg.Introspection {
		h.Use(extension.Introspection{})
	} else {
		h.SetDisableSuggestion(true)
	}
	h.Use(federationSDL{})
	h.Use(extension.AutomaticPersistedQuery{Cache: tenantCache{lru.New[string](DefaultAPQCacheSize)}})
	if cfg.FieldLimit > 0 {
		h.Use(newFieldGuard(cfg.FieldLimit, cfg.ParserTokenLimit))
	}
	h.Use(shapeLimit{maxDepth: cfg.DepthLimit, maxAliases: cfg.AliasLimit})
	if cfg.ComplexityLimit > 0 {
		h.Use(extension.FixedComplexityLimit(cfg.ComplexityLimit))
	}
	return h
}

// loaderConfig binds each request's loaders to the caller's tenant.
func (s *Server) loaderConfig() loaders.Config {
	tenant := func(ctx context.Context) string {
		c, _ := graph.CallerFrom(ctx)
		return c.TenantID
	}
	return loaders.Config{
		Tenant:             tenant,
		Cache:              s.cfg.Cache,
		Wait:               s.cfg.LoaderWait,
		MaxConcurrency:     s.cfg.LoaderConcurrency,
		MaxAttachmentBytes: s.cfg.MaxAttachmentBytes,
		Source: func(ctx context.Context) (loaders.Upstream, error) {
			if tenant(ctx) == "" || s.cfg.Source == nil {
				return nil, loaders.ErrNotConnected
			}
			return s.cfg.Source(ctx)
		},
	}
}

// Handler returns the root handler: /graphql, /attachments/{id}/download,
// /healthz, /readyz and, with
// Config.Playground, the playground pages. /metrics is not on it: it is
// served by MetricsHandler on a listener of its own (loopback by default),
// so the public port never exposes the service's internals.
func (s *Server) Handler() http.Handler { return s.handler }

// MetricsHandler serves GET /metrics (Prometheus text or OpenMetrics) and
// nothing else; mount it on the metrics listener.
func (s *Server) MetricsHandler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", s.observe("metrics", s.metrics.Handler()))
	return mux
}

// Metrics returns the server's metrics.
func (s *Server) Metrics() *Metrics { return s.metrics }

// Serve accepts connections on ln until ctx ends, then shuts down
// gracefully: it stops accepting, lets in-flight requests finish for up to
// Config.ShutdownTimeout, and closes ln. It returns nil after a clean
// shutdown, or the error that stopped it.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	hs := s.HTTPServer()
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("server: %w", err)
	case <-ctx.Done():
	}
	s.log.Info("shutting down", "addr", ln.Addr().String())
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.cfg.ShutdownTimeout)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil {
		_ = hs.Close()
		return fmt.Errorf("server: shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("server: %w", err)
	}
	return nil
}

// HTTPServer returns an http.Server for Handler with timeouts derived from
// the configuration (header read, body read, write, idle).
func (s *Server) HTTPServer() *http.Server {
	var write time.Duration
	if s.cfg.OperationTimeout > 0 {
		write = s.cfg.OperationTimeout + 10*time.Second
	}
	return &http.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      write,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
}
