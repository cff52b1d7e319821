package settings_test

import (
	"context"
	"log/slog"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/confluence-graph/confluence-graph/confluence"
	"github.com/confluence-graph/confluence-graph/confluence/confluencetest"
	"github.com/confluence-graph/confluence-graph/envelope"
	"github.com/confluence-graph/confluence-graph/envelope/localkey"
	"github.com/confluence-graph/confluence-graph/internal/syncbuf"
	"github.com/confluence-graph/confluence-graph/settings"
	"github.com/confluence-graph/confluence-graph/settings/postgres"
	"github.com/confluence-graph/confluence-graph/settings/postgres/pgtest"
	"github.com/confluence-graph/confluence-graph/settings/sqlite"
)

// storeKind names a settings.Store implementation the service tests run on.
type storeKind struct {
	name string
	open func(t *testing.T) (settings.Store, string) // store and, for SQLite, its file path
}

// storeKinds returns SQLite always and PostgreSQL (127.0.0.1:5432, database
// test, a fresh schema per test) as the settings/postgres tests do.
func storeKinds() []storeKind {
	return []storeKind{
		{name: "SQLite", open: openSQLite},
		{name: "PostgreSQL", open: openPostgres},
	}
}

// eachStore runs fn as one subtest per store kind, named after it, each on
// a fresh env.
func eachStore(t *testing.T, fn func(t *testing.T, e *env)) {
	t.Helper()
	for _, kind := range storeKinds() {
		t.Run(kind.name, func(t *testing.T) { fn(t, newEnv(t, kind)) })
	}
}

func openSQLite(t *testing.T) (settings.Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "settings.db")
	db, err := sqlite.Open(t.Context(), path)
	if err != nil {
		t.Fatalf("sqlite.Open = %v", err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return db, path
}

func openPostgres(t *testing.T) (settings.Store, string) {
	t.Helper()
	dsn, _ := pgtest.Schema(t, "cg_svc_")
	db, err := postgres.Open(t.Context(), dsn)
	if err != nil {
		t.Fatalf("postgres.Open = %v", err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return db, ""
}

// dropRecorder is a settings.TenantCache that records which tenants were
// dropped, standing in for the GraphQL cross-request cache.
type dropRecorder struct {
	mu      sync.Mutex
	dropped []string
}

func (r *dropRecorder) DropTenant(tenantID string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.dropped = append(r.dropped, tenantID)
}

func (r *dropRecorder) count(tenantID string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for _, d := range r.dropped {
		if d == tenantID {
			n++
		}
	}
	return n
}

// env is a simulator with the demo dataset, a store, a local-key envelope
// and a Service wired to them.
type env struct {
	sim    *confluencetest.Server
	store  settings.Store
	path   string // SQLite file, "" for PostgreSQL
	tokens *envelope.Cache
	drops  *dropRecorder
	svc    *settings.Service
	sealer settings.Sealer
	logs   *syncbuf.Buffer
}

type envOption func(*settings.ServiceConfig)

func newEnv(t *testing.T, kind storeKind, opts ...envOption) *env {
	t.Helper()
	sim := confluencetest.NewServer(confluencetest.WithDataset("demo"))
	t.Cleanup(sim.Close)
	store, path := kind.open(t)
	ks, err := localkey.Open(filepath.Join(t.TempDir(), "master.key"))
	if err != nil {
		t.Fatalf("localkey.Open = %v", err)
	}
	e := &env{sim: sim, store: store, path: path, drops: &dropRecorder{},
		tokens: envelope.NewCache(envelope.CacheOptions{}), sealer: envelope.New(ks), logs: &syncbuf.Buffer{}}
	cfg := settings.ServiceConfig{
		Store:        store,
		Sealer:       e.sealer,
		TokenCache:   e.tokens,
		Client:       devClient(sim.URL(), sim.Host()),
		TenantCaches: []settings.TenantCache{e.drops},
		Logger:       slog.New(slog.NewTextHandler(e.logs, nil)),
	}
	for _, o := range opts {
		o(&cfg)
	}
	e.svc = mustService(t, cfg)
	return e
}

// devClient is the client template for the simulator: it is the site and
// the gateway, the one allowed plain-HTTP loopback host; no retries so a
// failure shows at once.
func devClient(gatewayURL, devHost string) confluence.Options {
	return confluence.Options{
		GatewayURL:     gatewayURL,
		AllowedDevHost: devHost,
		MaxRetries:     -1,
		RateLimit:      -1,
		AttemptTimeout: 5 * time.Second,
	}
}

func mustService(t testing.TB, cfg settings.ServiceConfig) *settings.Service {
	t.Helper()
	svc, err := settings.NewService(cfg)
	if err != nil {
		t.Fatalf("NewService = %v", err)
	}
	return svc
}

// connect runs Connect with a demo account's credentials on the simulator.
func (e *env) connect(t *testing.T, tenant, account string) settings.Result {
	t.Helper()
	a := e.sim.Account(account)
	res, err := e.svc.Connect(t.Context(), tenant, "key-"+tenant, settings.ConnectInput{Domain: e.sim.Host(), Email: a.Email, APIToken: a.Token})
	if err != nil {
		t.Fatalf("Connect(%s) error = %v", account, err)
	}
	return res
}

func (e *env) mustConnect(t *testing.T, tenant, account string) *settings.Integration {
	t.Helper()
	res := e.connect(t, tenant, account)
	if !res.OK() || res.Integration == nil {
		t.Fatalf("Connect(%s) = %+v; want success", account, res.UserErrors)
	}
	return res.Integration
}

// mustClient returns the tenant's pooled Confluence client.
func (e *env) mustClient(t *testing.T, tenant string) *confluence.Client {
	t.Helper()
	c, err := e.svc.Client(t.Context(), tenant)
	if err != nil {
		t.Fatalf("Client(%s) = %v", tenant, err)
	}
	return c
}

func codesOf(res settings.Result) []settings.ErrorCode { return res.Codes() }

func hasCode(res settings.Result, c settings.ErrorCode) bool {
	for _, e := range res.UserErrors {
		if e.Code == c {
			return true
		}
	}
	return false
}

func userError(res settings.Result, c settings.ErrorCode) settings.UserError {
	for _, e := range res.UserErrors {
		if e.Code == c {
			return e
		}
	}
	return settings.UserError{}
}

// database is one settings database that several stores (replicas,
// processes) open: a SQLite file path or a PostgreSQL DSN.
type database struct {
	name string
	url  string
}

// sharedDatabases returns a fresh SQLite file and a fresh PostgreSQL schema.
func sharedDatabases(t *testing.T) []database {
	dsn, _ := pgtest.Schema(t, "cg_rep_")
	return []database{
		{name: "SQLite", url: filepath.Join(t.TempDir(), "settings.db")},
		{name: "PostgreSQL", url: dsn},
	}
}

// openDatabase opens a store on url (a PostgreSQL DSN or a SQLite path).
func openDatabase(ctx context.Context, url string) (settings.Store, error) {
	if len(url) > 11 && url[:11] == "postgres://" {
		return postgres.Open(ctx, url)
	}
	return sqlite.Open(ctx, url)
}

// replica opens its own store on db and a Service on it, as one replica of
// a deployment: the simulator for Confluence and the master key file are
// shared by all replicas.
func replica(t testing.TB, ctx context.Context, db string, sim *confluencetest.Server, keyFile string) (*settings.Service, settings.Store) {
	t.Helper()
	store, err := openDatabase(ctx, db)
	if err != nil {
		t.Fatalf("open %s: %v", db, err)
	}
	t.Cleanup(func() { _ = store.Close() })
	ks, err := localkey.Open(keyFile)
	if err != nil {
		t.Fatalf("localkey.Open = %v", err)
	}
	svc := mustService(t, settings.ServiceConfig{Store: store, Sealer: envelope.New(ks),
		Client: devClient(sim.URL(), sim.Host()), Logger: slog.New(slog.NewTextHandler(&syncbuf.Buffer{}, nil))})
	return svc, store
}
