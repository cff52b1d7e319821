package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/redis/go-redis/v9"

	"github.com/confluence-graph/confluence-graph/confluence"
	"github.com/confluence-graph/confluence-graph/confluence/confluencetest"
	"github.com/confluence-graph/confluence-graph/envelope"
	"github.com/confluence-graph/confluence-graph/envelope/awskms"
	"github.com/confluence-graph/confluence-graph/envelope/localkey"
	"github.com/confluence-graph/confluence-graph/graph"
	"github.com/confluence-graph/confluence-graph/loaders"
	"github.com/confluence-graph/confluence-graph/ratebudget"
	"github.com/confluence-graph/confluence-graph/server"
	"github.com/confluence-graph/confluence-graph/settings"
)

func init() {
	register(command{
		name:    "serve",
		summary: "run the GraphQL server (--demo: with the built-in simulator and demo data)",
		run:     runServe,
	})
}

// Defaults of the serve flags (design §7).
const (
	defaultAddr         = "127.0.0.1:8080"
	defaultLocalKeyFile = "data/master.key"
	// demoSimAddr is where --demo tries to start the simulator first, so
	// the stored integration (which names the simulator's host:port) stays
	// valid across runs; a busy port falls back to a free one and the demo
	// tenant is reconnected.
	demoSimAddr = "127.0.0.1:9090"
	// demoTenant is the tenant --demo creates and connects.
	demoTenant = "demo"
	// cacheSize bounds the cross-request Confluence cache (entries);
	// defaultCacheTTL is how long it keeps mutable metadata.
	cacheSize       = 20000
	defaultCacheTTL = 30 * time.Second
	// sharedRate and sharedBurst are the per-site Confluence budget shared
	// through Redis by all replicas (--redis-url): the same numbers as the
	// confluence.Options defaults, which each process applies on its own
	// without Redis.
	sharedRate  = 20
	sharedBurst = 50
)

// ServeConfig is the configuration of `confluence-graph serve`, from
// flags and CG_* environment variables (flags win).
type ServeConfig struct {
	Addr         string // --addr, CG_ADDR
	DatabaseURL  string // --db, CG_DATABASE_URL: a SQLite path, or postgres://...
	KMSKeyID     string // --kms-key-id, CG_KMS_KEY_ID: empty selects the local key file
	LocalKeyFile string // --local-key-file, CG_LOCAL_KEY_FILE
	GatewayURL   string // --gateway-url, CG_GATEWAY_URL
	AllowHost    string // --allow-host, CG_ALLOW_HOSTS: one loopback host:port over plain HTTP
	Playground   bool   // --playground, CG_PLAYGROUND (default: on with --demo)
	Demo         bool   // --demo
	// CacheTTL is how long the cross-request cache keeps mutable Confluence
	// metadata (--cache-ttl, CG_CACHE_TTL); 0 disables metadata caching.
	// Immutable items (a body at a version) stay until evicted by size.
	CacheTTL time.Duration
	// RedisURL (--redis-url, CG_REDIS_URL), when set, is the redis:// or
	// rediss:// URL of the Redis holding the per-site Confluence rate
	// budget shared by all replicas; empty limits each process on its own.
	RedisURL string

	// SimAddr is where --demo starts the simulator ("" = demoSimAddr,
	// falling back to a free port). Tests use "127.0.0.1:0".
	SimAddr string
}

// introspection reports whether the schema may be introspected: in the demo,
// and wherever the playground is served, since GraphiQL without the schema
// can neither complete nor document a query. Everywhere else it is off.
func (c ServeConfig) introspection() bool { return c.Demo || c.Playground }

// Main runs the serve command: NewMain, ParseFlags, Run, then Close. Tests
// call the same steps with a temporary database and address :0.
type Main struct {
	Config ServeConfig
	Stdout io.Writer // banner lines (--demo)
	Logger *slog.Logger

	// Set by Run.
	store   settings.Store
	redis   *redis.Client // --redis-url; nil without it
	sim     *confluencetest.Server
	srv     *server.Server
	ln      net.Listener
	cancel  context.CancelFunc
	done    chan error
	readerK string
	adminK  string
}

// NewMain returns a Main with the design §7 defaults, logging JSON to
// stderr and printing the banner to stdout.
func NewMain(stdout, stderr io.Writer) *Main {
	return &Main{
		Config: ServeConfig{
			Addr:         defaultAddr,
			DatabaseURL:  defaultDatabasePath,
			LocalKeyFile: defaultLocalKeyFile,
			GatewayURL:   confluence.DefaultGatewayURL,
			CacheTTL:     defaultCacheTTL,
		},
		Stdout: stdout,
		Logger: slog.New(slog.NewJSONHandler(stderr, nil)),
	}
}

// ParseFlags reads the CG_* variables through getenv, then args; a flag
// given on the command line overrides its variable. It returns errUsage
// (after printing why to stderr) for a bad flag or value, and flag.ErrHelp
// for -h.
func (m *Main) ParseFlags(args []string, getenv func(string) string, stderr io.Writer) error {
	c := &m.Config
	envStr := func(name string, dst *string) {
		if v := getenv(name); v != "" {
			*dst = v
		}
	}
	envStr("CG_ADDR", &c.Addr)
	envStr("CG_DATABASE_URL", &c.DatabaseURL)
	envStr("CG_KMS_KEY_ID", &c.KMSKeyID)
	envStr("CG_LOCAL_KEY_FILE", &c.LocalKeyFile)
	envStr("CG_GATEWAY_URL", &c.GatewayURL)
	envStr("CG_ALLOW_HOSTS", &c.AllowHost)
	envStr("CG_REDIS_URL", &c.RedisURL)
	if v := getenv("CG_CACHE_TTL"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < 0 {
			fmt.Fprintf(stderr, "serve: CG_CACHE_TTL=%q is not a duration such as 30s or 0\n", v)
			return errUsage
		}
		c.CacheTTL = d
	}
	var playgroundSet bool
	if v := getenv("CG_PLAYGROUND"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			fmt.Fprintf(stderr, "serve: CG_PLAYGROUND=%q is not a boolean\n", v)
			return errUsage
		}
		c.Playground, playgroundSet = b, true
	}

	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.Addr, "addr", c.Addr, "listen address host:port (CG_ADDR)")
	fs.StringVar(&c.DatabaseURL, "db", c.DatabaseURL, "SQLite file, or postgres://... for PostgreSQL (CG_DATABASE_URL)")
	redactDBDefault(fs)
	fs.StringVar(&c.KMSKeyID, "kms-key-id", c.KMSKeyID, "AWS KMS key id, ARN or alias; empty uses the local master key file (CG_KMS_KEY_ID)")
	fs.StringVar(&c.LocalKeyFile, "local-key-file", c.LocalKeyFile, "local master key file, created 0600 if missing (CG_LOCAL_KEY_FILE)")
	fs.StringVar(&c.GatewayURL, "gateway-url", c.GatewayURL, "Atlassian API gateway for scoped tokens (CG_GATEWAY_URL)")
	fs.StringVar(&c.AllowHost, "allow-host", c.AllowHost, "development: one loopback host:port allowed over plain HTTP (CG_ALLOW_HOSTS)")
	fs.BoolVar(&c.Playground, "playground", c.Playground, "serve GraphiQL at / and the settings page at /settings, with introspection on (CG_PLAYGROUND; default on with --demo)")
	fs.DurationVar(&c.CacheTTL, "cache-ttl", c.CacheTTL, "how long Confluence metadata is cached across requests; 0 disables (CG_CACHE_TTL)")
	fs.StringVar(&c.RedisURL, "redis-url", c.RedisURL, "redis:// URL of the Confluence rate budget shared by all replicas; empty limits each process on its own (CG_REDIS_URL)")
	redactRedisDefault(fs)
	fs.BoolVar(&c.Demo, "demo", c.Demo, "start the built-in simulator with demo data, tenant \"demo\" and its keys")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return errUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "serve: unexpected arguments %q\n", fs.Args())
		return errUsage
	}
	fs.Visit(func(f *flag.Flag) {
		if f.Name == "playground" {
			playgroundSet = true
		}
	})
	if c.CacheTTL < 0 {
		fmt.Fprintln(stderr, "serve: --cache-ttl must not be negative")
		return errUsage
	}
	if c.Demo && !playgroundSet {
		c.Playground = true
	}
	if c.RedisURL != "" {
		if _, err := redis.ParseURL(c.RedisURL); err != nil {
			// The URL may hold a password: it is not echoed.
			fmt.Fprintln(stderr, "serve: --redis-url is not a valid redis:// or rediss:// URL")
			return errUsage
		}
	}
	if strings.Contains(c.AllowHost, ",") {
		fmt.Fprintln(stderr, "serve: --allow-host takes one host:port")
		return errUsage
	}
	if c.AllowHost != "" && !isLoopbackHostPort(c.AllowHost) {
		fmt.Fprintf(stderr, "serve: --allow-host %q must be a loopback host:port (127.0.0.1, ::1 or localhost)\n", c.AllowHost)
		return errUsage
	}
	return nil
}

// redactRedisDefault hides the password of a CG_REDIS_URL shown as the
// --redis-url default in -h.
func redactRedisDefault(fs *flag.FlagSet) {
	f := fs.Lookup("redis-url")
	if f == nil || f.DefValue == "" {
		return
	}
	u, err := url.Parse(f.DefValue)
	if err != nil {
		f.DefValue = "(from CG_REDIS_URL; not shown)"
		return
	}
	f.DefValue = u.Redacted()
}

// sharedLimiter connects the Redis of --redis-url and returns the shared
// per-site rate budget over it (nil without --redis-url). Redis need not
// be up: the budget fails open to per-process limits while it is down.
func (m *Main) sharedLimiter() (confluence.Limiter, error) {
	if m.Config.RedisURL == "" {
		return nil, nil
	}
	opts, err := redis.ParseURL(m.Config.RedisURL)
	if err != nil {
		return nil, errors.New("serve: --redis-url is not a valid redis:// or rediss:// URL")
	}
	// Short timeouts unless the URL sets them: a slow Redis must not hold
	// up Confluence calls for long before the fail-open path takes over.
	if opts.DialTimeout == 0 {
		opts.DialTimeout = time.Second
	}
	if opts.ReadTimeout == 0 {
		opts.ReadTimeout = 500 * time.Millisecond
	}
	if opts.WriteTimeout == 0 {
		opts.WriteTimeout = 500 * time.Millisecond
	}
	m.redis = redis.NewClient(opts)
	lim, err := ratebudget.New(m.redis, ratebudget.Config{Rate: sharedRate, Burst: sharedBurst, Logger: m.Logger})
	if err != nil {
		return nil, fmt.Errorf("serve: %w", err)
	}
	return lim, nil
}

func isLoopbackHostPort(hp string) bool {
	host, port, err := net.SplitHostPort(hp)
	if err != nil || port == "" {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Run opens the store and the key service, builds the settings service and
// the HTTP server, starts listening and returns; the server runs until
// Close (or ctx ends). With --demo it first starts the simulator, connects
// the demo tenant and prints the banner.
func (m *Main) Run(ctx context.Context) (err error) {
	defer func() {
		if err != nil {
			_ = m.Close()
		}
	}()
	c := m.Config
	log := m.Logger

	if c.Demo {
		if err := m.startSimulator(); err != nil {
			return err
		}
		c.AllowHost = m.sim.Host()
		c.GatewayURL = m.sim.URL()
	}

	m.store, err = openStore(ctx, c.DatabaseURL)
	if err != nil {
		return err
	}
	sealer, keyPing, err := m.openKeyService(ctx)
	if err != nil {
		return err
	}

	metrics := server.NewMetrics()
	cache := loaders.NewCache(cacheSize, c.CacheTTL)
	registerCacheMetrics(metrics, cache)
	clientOpts := confluence.Options{GatewayURL: c.GatewayURL, AllowedDevHost: c.AllowHost}
	lim, err := m.sharedLimiter()
	if err != nil {
		return err
	}
	if lim != nil {
		clientOpts.Limiter = lim
	}
	metrics.Instrument(&clientOpts)
	reqLog := server.WithRequestIDs(log) // lines logged inside a request carry its request_id
	svc, err := settings.NewService(settings.ServiceConfig{
		Store:        m.store,
		Sealer:       sealer,
		Client:       clientOpts,
		TenantCaches: []settings.TenantCache{cache},
		Logger:       reqLog,
	})
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}

	m.srv, err = server.New(server.Config{
		Schema:        graph.New(graph.Deps{Integrations: graph.NewSettingsIntegrations(svc), Logger: reqLog}),
		Keys:          m.store,
		Source:        graph.SettingsSource(svc),
		Cache:         cache,
		Audit:         m.store,
		Logger:        log,
		Metrics:       metrics,
		Introspection: c.introspection(),
		Playground:    c.Playground,
		Ready: []server.Check{
			{Name: "store", Check: m.store.Ping},
			{Name: "key_service", Check: keyPing},
		},
	})
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}

	m.ln, err = net.Listen("tcp", c.Addr)
	if err != nil {
		return fmt.Errorf("serve: listen: %w", err)
	}
	if c.Demo {
		if err := m.setUpDemo(ctx, svc); err != nil {
			return err
		}
	}

	sctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	m.cancel = cancel
	m.done = make(chan error, 1)
	go func() { m.done <- m.srv.Serve(sctx, m.ln) }()
	log.Info("serving", "addr", m.ln.Addr().String(), "playground", c.Playground, "introspection", c.introspection(), "demo", c.Demo)
	if c.Demo {
		if err := m.writeBanner(); err != nil {
			return fmt.Errorf("serve: %w", err)
		}
	}
	return nil
}

// openKeyService opens AWS KMS when --kms-key-id is set, else the local
// master key file, with a loud warning. It returns the sealer and the
// readiness probe of the key service.
func (m *Main) openKeyService(ctx context.Context) (*envelope.Envelope, func(context.Context) error, error) {
	c := m.Config
	var ks envelope.KeyService
	if c.KMSKeyID != "" {
		k, err := awskms.Open(ctx, awskms.Config{KeyID: c.KMSKeyID})
		if err != nil {
			return nil, nil, fmt.Errorf("serve: %w", err)
		}
		m.Logger.Info("encrypting tokens with AWS KMS", "key_id", c.KMSKeyID)
		ks = k
	} else {
		k, err := localkey.Open(c.LocalKeyFile)
		if err != nil {
			return nil, nil, fmt.Errorf("serve: %w", err)
		}
		m.Logger.Warn("USING THE LOCAL MASTER KEY FILE: anyone who can read it can decrypt every stored Confluence token; "+
			"set --kms-key-id (CG_KMS_KEY_ID) in production",
			"local_key_file", k.Path(), "key_id", k.KeyID())
		ks = k
	}
	env := envelope.New(ks)
	return env, env.Ping, nil
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

// URL returns the server's base URL ("http://host:port/"), "" before Run.
func (m *Main) URL() string {
	if m.ln == nil {
		return ""
	}
	return "http://" + m.ln.Addr().String() + "/"
}

// Close shuts the server down gracefully, then the simulator and the
// store. It is safe to call more than once.
func (m *Main) Close() error {
	var errs []error
	if m.cancel != nil {
		m.cancel()
		if err := <-m.done; err != nil {
			errs = append(errs, err)
		}
		m.cancel = nil
	} else if m.ln != nil {
		_ = m.ln.Close()
	}
	m.ln = nil
	if m.sim != nil {
		m.sim.Close()
		m.sim = nil
	}
	if m.store != nil {
		if err := m.store.Close(); err != nil {
			errs = append(errs, fmt.Errorf("serve: close store: %w", err))
		}
		m.store = nil
	}
	if m.redis != nil {
		if err := m.redis.Close(); err != nil {
			errs = append(errs, fmt.Errorf("serve: close redis: %w", err))
		}
		m.redis = nil
	}
	return errors.Join(errs...)
}

// runServe is the serve command: it runs until ctx ends (SIGINT/SIGTERM).
func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	m := NewMain(stdout, stderr)
	if err := m.ParseFlags(args, os.Getenv, stderr); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	if err := m.Run(ctx); err != nil {
		return err
	}
	return m.Wait(ctx)
}

// Wait blocks until ctx ends (SIGINT/SIGTERM), then closes m gracefully;
// if the server stops on its own first, Wait closes the rest and returns
// why it stopped.
func (m *Main) Wait(ctx context.Context) error {
	select {
	case <-ctx.Done():
		return m.Close()
	case err := <-m.done:
		m.cancel()
		m.cancel = nil // Serve has returned; Close must not wait for it
		return errors.Join(err, m.Close())
	}
}
