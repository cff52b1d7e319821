// Package testsupport starts what end-to-end tests need: a free loopback
// port, the Confluence simulator, and the whole service built by app from
// serve's defaults. Every helper fails the test on error and registers its
// own cleanup.
package testsupport

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"testing"

	"github.com/confluence-graph/confluence-graph/app"
	"github.com/confluence-graph/confluence-graph/confluence/confluencetest"
	"github.com/confluence-graph/confluence-graph/settings"
)

// FreePort returns "127.0.0.1:N" with a port N that was free when asked.
// Another process may take it before the caller listens; prefer port 0
// where the listener can report its address.
func FreePort(tb testing.TB) string {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatalf("testsupport: free port: %v", err)
	}
	addr := ln.Addr().String()
	_ = ln.Close()
	return addr
}

// StartSim starts the simulator with opts (the demo dataset unless opts
// choose another) on a free loopback port, closed at cleanup.
func StartSim(tb testing.TB, opts ...confluencetest.Option) *confluencetest.Server {
	tb.Helper()
	opts = append([]confluencetest.Option{confluencetest.WithDataset("demo")}, opts...)
	sim := confluencetest.NewServer(opts...)
	tb.Cleanup(sim.Close)
	return sim
}

// Config returns serve's defaults (app.DefaultConfig) with only what a test
// must change: the SQLite store and the local master key in tb.TempDir(),
// the addresses 127.0.0.1:0 (service and metrics), the simulator (or a server in front of it) at
// host as gateway and allowed plain-HTTP host, and log as the logger (nil
// discards).
func Config(tb testing.TB, host string, log *slog.Logger) app.Config {
	tb.Helper()
	dir := tb.TempDir()
	cfg := app.DefaultConfig()
	cfg.Addr = "127.0.0.1:0"
	cfg.MetricsAddr = "127.0.0.1:0"
	cfg.DatabaseURL = filepath.Join(dir, "cg.db")
	cfg.LocalKeyFile = filepath.Join(dir, "master.key")
	cfg.Client.GatewayURL = "http://" + host
	cfg.Client.AllowedDevHost = host
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	cfg.Logger = log
	return cfg
}

// StartService builds the service from cfg (app.New) and starts it on
// cfg.Addr; it is closed at cleanup.
func StartService(tb testing.TB, cfg app.Config) *app.App {
	tb.Helper()
	a := NewService(tb, cfg)
	if err := a.Start(); err != nil {
		tb.Fatalf("testsupport: start: %v", err)
	}
	return a
}

// NewService builds the service from cfg (app.New) without listening; it
// is closed at cleanup.
func NewService(tb testing.TB, cfg app.Config) *app.App {
	tb.Helper()
	a, err := app.New(context.Background(), cfg)
	if err != nil {
		tb.Fatalf("testsupport: app.New: %v", err)
	}
	tb.Cleanup(func() { _ = a.Close() })
	return a
}

// Connect connects tenant to the Confluence at host with acct through the
// settings service, as connectConfluence does; anything but CONNECTED
// fails the test.
func Connect(tb testing.TB, svc *settings.Service, tenant, host string, acct confluencetest.Account) {
	tb.Helper()
	res, err := svc.Connect(context.Background(), tenant, "test", settings.ConnectInput{
		Domain: host, Email: acct.Email, APIToken: acct.Token,
	})
	if err != nil || !res.OK() {
		tb.Fatalf("testsupport: Connect(%s, %s) = %v, %v", tenant, acct.Email, res.Codes(), err)
	}
}

// MustKey creates an API key of role for tenant in st and returns the full
// key (cg_...).
func MustKey(tb testing.TB, st settings.Store, tenant string, role settings.Role) string {
	tb.Helper()
	rec, full, err := settings.NewAPIKey(tenant, role)
	if err != nil {
		tb.Fatalf("testsupport: NewAPIKey: %v", err)
	}
	if err := st.CreateAPIKey(context.Background(), rec); err != nil {
		tb.Fatalf("testsupport: CreateAPIKey: %v", err)
	}
	return full
}

// Get GETs url and returns the status code and the body; a transport error
// fails the test.
func Get(tb testing.TB, url string) (int, string) {
	tb.Helper()
	resp, err := http.Get(url)
	if err != nil {
		tb.Fatalf("testsupport: GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		tb.Fatalf("testsupport: GET %s: read body: %v", url, err)
	}
	return resp.StatusCode, string(b)
}
