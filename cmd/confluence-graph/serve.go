package main

import (
	"context"
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

	"github.com/redis/go-redis/v9"

	"github.com/confluence-graph/confluence-graph/app"
	"github.com/confluence-graph/confluence-graph/confluence"
	"github.com/confluence-graph/confluence-graph/confluence/confluencetest"
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

// demoTenant is the tenant --demo creates and connects.
const demoTenant = "demo"

// Main runs the serve command: NewMain, ParseFlags, Run, then Close. Tests
// call the same steps with a temporary database and address :0.
type Main struct {
	// Config is the service's configuration, built by app.New in Run:
	// serve's defaults (app.DefaultConfig) changed by CG_* variables and
	// flags.
	Config app.Config
	// Demo (--demo) starts the simulator with the demo data on SimAddr
	// (--sim-addr; "" or port 0 picks a free loopback port), points the
	// client at it and connects tenant "demo".
	Demo    bool
	SimAddr string
	Stdout  io.Writer // banner lines (--demo)
	Logger  *slog.Logger

	// Set by Run.
	app      *app.App
	sim      *confluencetest.Server
	demoKeys []*settings.APIKey // the run's demo keys, stored by setUpDemo
	readerK  string
	adminK   string
}

// NewMain returns a Main with serve's defaults (app.DefaultConfig),
// logging JSON to stderr and printing the banner to stdout.
func NewMain(stdout, stderr io.Writer) *Main {
	cfg := app.DefaultConfig()
	cfg.Version = version
	return &Main{
		Config: cfg,
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
	envStr("CG_METRICS_ADDR", &c.MetricsAddr)
	envStr("CG_PUBLIC_URL", &c.Server.PublicURL)
	maxAttachMB := int(c.Server.MaxAttachmentBytes >> 20)
	if maxAttachMB == 0 {
		maxAttachMB = int(server.DefaultMaxAttachmentBytes >> 20)
	}
	if v := getenv("CG_MAX_ATTACHMENT_MB"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n <= 0 {
			fmt.Fprintf(stderr, "serve: CG_MAX_ATTACHMENT_MB=%q is not a positive whole number of megabytes\n", v)
			return errUsage
		}
		maxAttachMB = n
	}
	envStr(databaseEnv, &c.DatabaseURL)
	envStr("CG_KMS_KEY_ID", &c.KMSKeyID)
	envStr("CG_LOCAL_KEY_FILE", &c.LocalKeyFile)
	envStr("CG_GATEWAY_URL", &c.Client.GatewayURL)
	envStr("CG_ALLOW_HOSTS", &c.Client.AllowedDevHost)
	if v := getenv("CG_ALLOW_DATACENTER_HOST"); v != "" {
		c.DataCenterHosts = append(c.DataCenterHosts, v)
	}
	envStr("CG_DATACENTER_CA_FILE", &c.DataCenterCAFile)
	envStr("CG_REDIS_URL", &c.RedisURL)
	envStr("CG_OTLP_ENDPOINT", &c.OTLPEndpoint)
	rate, burst := c.SharedRate, c.SharedBurst
	env := &envReader{getenv: getenv, stderr: stderr}
	readEnv(env, "CG_RATE_LIMIT", "a positive number of requests per second", &rate, parsePositiveFloat)
	readEnv(env, "CG_RATE_BURST", "a positive whole number", &burst, parsePositiveInt)
	readEnv(env, "CG_CACHE_TTL", "a duration such as 30s or 0", &c.CacheTTL, parseNonNegativeDuration)
	readEnv(env, "CG_PLAYGROUND", "a boolean", &c.Server.Playground, parseBool)
	if env.err != nil {
		return env.err
	}
	playgroundSet := getenv("CG_PLAYGROUND") != ""

	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.Addr, "addr", c.Addr, "listen address host:port (CG_ADDR)")
	fs.StringVar(&c.MetricsAddr, "metrics-addr", c.MetricsAddr, "listen address of GET /metrics, loopback by default; \"off\" serves no metrics (CG_METRICS_ADDR)")
	fs.StringVar(&c.DatabaseURL, "db", c.DatabaseURL, "SQLite file, or postgres://... for PostgreSQL (CG_DATABASE_URL)")
	redactDefault(fs, "db", databaseEnv)
	fs.StringVar(&c.KMSKeyID, "kms-key-id", c.KMSKeyID, "AWS KMS key id, ARN or alias; empty uses the local master key file (CG_KMS_KEY_ID)")
	fs.StringVar(&c.LocalKeyFile, "local-key-file", c.LocalKeyFile, "local master key file, created 0600 if missing (CG_LOCAL_KEY_FILE)")
	fs.StringVar(&c.Client.GatewayURL, "gateway-url", c.Client.GatewayURL, "Atlassian API gateway for scoped tokens (CG_GATEWAY_URL)")
	fs.StringVar(&c.Client.AllowedDevHost, "allow-host", c.Client.AllowedDevHost, "development: one loopback host:port allowed over plain HTTP (CG_ALLOW_HOSTS)")
	fs.Func("allow-datacenter-host", "a Confluence Data Center host tenants may connect: a host name or CIDR, repeatable or comma-separated (CG_ALLOW_DATACENTER_HOST)", func(v string) error {
		if _, err := confluence.ParseHostAllowList([]string{v}); err != nil {
			return err
		}
		c.DataCenterHosts = append(c.DataCenterHosts, v)
		return nil
	})
	fs.StringVar(&c.DataCenterCAFile, "datacenter-ca-file", c.DataCenterCAFile, "PEM CA bundle trusted for Confluence Data Center certificates besides the system roots (CG_DATACENTER_CA_FILE)")
	fs.BoolVar(&c.Server.Playground, "playground", c.Server.Playground, "serve GraphiQL at / and the settings page at /settings, with introspection on (CG_PLAYGROUND; default on with --demo)")
	fs.DurationVar(&c.CacheTTL, "cache-ttl", c.CacheTTL, "how long Confluence metadata is cached across requests; 0 disables (CG_CACHE_TTL)")
	fs.StringVar(&c.RedisURL, "redis-url", c.RedisURL, "redis:// URL of the Confluence rate budget shared by all replicas; empty limits each process on its own (CG_REDIS_URL)")
	redactDefault(fs, "redis-url", "CG_REDIS_URL")
	fs.StringVar(&c.Server.PublicURL, "public-url", c.Server.PublicURL, "the service's base URL as callers reach it (for attachments' downloadUrl); empty: the request's scheme and Host (CG_PUBLIC_URL)")
	fs.IntVar(&maxAttachMB, "max-attachment-mb", maxAttachMB, "largest attachment downloaded or read for text, in MiB (CG_MAX_ATTACHMENT_MB)")
	fs.Float64Var(&rate, "rate-limit", rate, "starting Confluence requests per second per tenant (and per site across replicas with --redis-url); adapts down on 429s and near-limit headers, back up gradually (CG_RATE_LIMIT)")
	fs.IntVar(&burst, "rate-burst", burst, "Confluence requests a tenant may send at once before the rate applies (CG_RATE_BURST)")
	fs.StringVar(&c.OTLPEndpoint, "otlp-endpoint", c.OTLPEndpoint, "OTLP/HTTP collector URL for OpenTelemetry traces, e.g. http://otel-collector:4318; empty uses OTEL_EXPORTER_OTLP_ENDPOINT, and no traces without either (CG_OTLP_ENDPOINT)")
	fs.BoolVar(&m.Demo, "demo", m.Demo, "start the built-in simulator with demo data, tenant \"demo\" and its keys")
	fs.StringVar(&m.SimAddr, "sim-addr", m.SimAddr, "with --demo: the simulator's loopback host:port (default: a free port, printed as \"base url\")")
	if err := parseArgs(fs, args, "serve", stderr); err != nil {
		return err
	}
	fs.Visit(func(f *flag.Flag) {
		if f.Name == "playground" {
			playgroundSet = true
		}
	})
	if maxAttachMB <= 0 {
		fmt.Fprintln(stderr, "serve: --max-attachment-mb must be positive")
		return errUsage
	}
	if int64(maxAttachMB)<<20 != server.DefaultMaxAttachmentBytes || c.Server.MaxAttachmentBytes != 0 {
		c.Server.MaxAttachmentBytes = int64(maxAttachMB) << 20
	}
	if c.Server.PublicURL != "" {
		if u, err := url.Parse(c.Server.PublicURL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			fmt.Fprintln(stderr, "serve: --public-url must be an absolute http(s) URL such as https://confluence-graph.example.com")
			return errUsage
		}
	}
	if rate <= 0 || burst <= 0 {
		fmt.Fprintln(stderr, "serve: --rate-limit and --rate-burst must be positive")
		return errUsage
	}
	if rate != c.SharedRate || burst != c.SharedBurst {
		// One setting for both limits: the per-process one and the one
		// shared through Redis.
		c.SharedRate, c.SharedBurst = rate, burst
		c.Client.RateLimit, c.Client.RateBurst = rate, burst
	}
	if c.CacheTTL < 0 {
		fmt.Fprintln(stderr, "serve: --cache-ttl must not be negative")
		return errUsage
	}
	if c.MetricsAddr == "off" {
		c.MetricsAddr = ""
	} else if _, _, err := net.SplitHostPort(c.MetricsAddr); err != nil {
		fmt.Fprintf(stderr, "serve: --metrics-addr %q is not host:port (or \"off\")\n", c.MetricsAddr)
		return errUsage
	}
	if m.Demo && !playgroundSet {
		c.Server.Playground = true
	}
	// The schema may be introspected in the demo, and wherever the
	// playground is served, since GraphiQL without the schema can neither
	// complete nor document a query. Everywhere else it is off.
	c.Server.Introspection = m.Demo || c.Server.Playground
	if c.RedisURL != "" {
		if _, err := redis.ParseURL(c.RedisURL); err != nil {
			// The URL may hold a password: it is not echoed.
			fmt.Fprintln(stderr, "serve: --redis-url is not a valid redis:// or rediss:// URL")
			return errUsage
		}
	}
	for _, f := range []struct{ name, value string }{{"allow-host", c.Client.AllowedDevHost}, {"sim-addr", m.SimAddr}} {
		if strings.Contains(f.value, ",") {
			fmt.Fprintf(stderr, "serve: --%s takes one host:port\n", f.name)
			return errUsage
		}
		if f.value != "" && !isLoopbackHostPort(f.value) {
			fmt.Fprintf(stderr, "serve: --%s %q must be a loopback host:port (127.0.0.1, ::1 or localhost)\n", f.name, f.value)
			return errUsage
		}
	}
	if _, err := confluence.ParseHostAllowList(c.DataCenterHosts); err != nil {
		fmt.Fprintf(stderr, "serve: CG_ALLOW_DATACENTER_HOST: %v\n", err)
		return errUsage
	}
	if c.DataCenterCAFile != "" {
		if _, err := confluence.LoadCABundle(c.DataCenterCAFile); err != nil {
			fmt.Fprintf(stderr, "serve: --datacenter-ca-file: %v\n", err)
			return errUsage
		}
	}
	if m.SimAddr != "" && !m.Demo {
		fmt.Fprintln(stderr, "serve: --sim-addr needs --demo")
		return errUsage
	}
	return nil
}

// envReader reads typed CG_* variables with readEnv until the first
// malformed one; err is then errUsage, and the reason is on stderr.
type envReader struct {
	getenv func(string) string
	stderr io.Writer
	err    error
}

// readEnv reads variable name into *dst when it is set and no earlier
// variable was malformed. A value parse refuses leaves *dst alone and is
// reported on stderr as `serve: NAME="value" is not <want>`.
func readEnv[T any](r *envReader, name, want string, dst *T, parse func(string) (T, bool)) {
	v := r.getenv(name)
	if v == "" || r.err != nil {
		return
	}
	x, ok := parse(v)
	if !ok {
		fmt.Fprintf(r.stderr, "serve: %s=%q is not %s\n", name, v, want)
		r.err = errUsage
		return
	}
	*dst = x
}

func parsePositiveFloat(v string) (float64, bool) {
	f, err := strconv.ParseFloat(v, 64)
	return f, err == nil && f > 0
}

func parsePositiveInt(v string) (int, bool) {
	n, err := strconv.Atoi(v)
	return n, err == nil && n > 0
}

func parseNonNegativeDuration(v string) (time.Duration, bool) {
	d, err := time.ParseDuration(v)
	return d, err == nil && d >= 0
}

func parseBool(v string) (bool, bool) {
	b, err := strconv.ParseBool(v)
	return b, err == nil
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

// Run builds the service (app.New), starts listening and returns; the
// server runs until Close (or Wait). With --demo it first starts the
// simulator, and before serving connects the demo tenant; it prints the
// banner once the server listens.
func (m *Main) Run(ctx context.Context) (err error) {
	defer func() {
		if err != nil {
			_ = m.Close()
		}
	}()
	c := m.Config
	c.Logger = m.Logger
	if m.Demo {
		if err := m.startSimulator(); err != nil {
			return err
		}
		c.Client.AllowedDevHost = m.sim.Host()
		c.Client.GatewayURL = m.sim.URL()
		if err := m.newDemoKeys(); err != nil {
			return err
		}
		c.Server.PlaygroundDemoKey = m.readerK
	}
	m.app, err = app.New(ctx, c)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	if m.Demo {
		if err := m.setUpDemo(ctx); err != nil {
			return err
		}
	}
	if err := m.app.Start(); err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	if m.Demo {
		if err := m.writeBanner(); err != nil {
			return fmt.Errorf("serve: %w", err)
		}
	}
	return nil
}

// URL returns the server's base URL ("http://host:port/"), "" before Run.
// MetricsURL is the URL of /metrics on the metrics listener, "" before Run
// or with --metrics-addr off.
func (m *Main) MetricsURL() string {
	if m.app == nil || m.app.MetricsAddr() == "" {
		return ""
	}
	return "http://" + m.app.MetricsAddr() + "/metrics"
}

// URL is the service's base URL, "" before Run.
func (m *Main) URL() string {
	if m.app == nil {
		return ""
	}
	return m.app.URL()
}

// Close shuts the server down gracefully, then the store and the
// simulator. It is safe to call more than once.
func (m *Main) Close() error {
	var err error
	if m.app != nil {
		err = m.app.Close()
		m.app = nil
	}
	if m.sim != nil {
		m.sim.Close()
		m.sim = nil
	}
	return err
}

// runServe is the serve command: it runs until ctx ends (SIGINT/SIGTERM).
func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	m := NewMain(stdout, stderr)
	if err := m.ParseFlags(args, os.Getenv, stderr); err != nil {
		return helpIsNoError(err)
	}
	if err := m.Run(ctx); err != nil {
		return err
	}
	return m.Wait(ctx)
}

// Wait blocks until ctx ends (SIGINT/SIGTERM) or the server stops on its
// own, then closes m gracefully and returns why the server stopped (nil
// after a clean shutdown).
func (m *Main) Wait(ctx context.Context) error {
	select {
	case <-ctx.Done():
	case <-m.app.Done():
	}
	return m.Close()
}
