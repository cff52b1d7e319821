package main

import (
	"context"
	"flag"
	"fmt"
	"net/url"
	"strings"

	"github.com/confluence-graph/confluence-graph/settings"
	"github.com/confluence-graph/confluence-graph/settings/postgres"
	"github.com/confluence-graph/confluence-graph/settings/sqlite"
)

// databaseEnv names the database for every command that opens the store
// (design §7); the --db flag overrides it.
const databaseEnv = "CG_DATABASE_URL"

// defaultDatabasePath is the embedded SQLite file used when neither --db nor
// CG_DATABASE_URL is set.
const defaultDatabasePath = "data/confluence-graph.db"

// dbFlag registers --db on fs, defaulting to getenv(CG_DATABASE_URL), else
// defaultDatabasePath.
func dbFlag(fs *flag.FlagSet, getenv func(string) string) *string {
	def := defaultDatabasePath
	if v := getenv(databaseEnv); v != "" {
		def = v
	}
	db := fs.String("db", def, "settings database: a SQLite file path, or postgres://... for PostgreSQL (env "+databaseEnv+")")
	redactDBDefault(fs)
	return db
}

// redactDBDefault makes the usage text of fs (printed for -h and for every
// bad flag) show the default of --db without its password: that default is
// CG_DATABASE_URL when set. The flag's value is unchanged.
func redactDBDefault(fs *flag.FlagSet) {
	f := fs.Lookup("db")
	if f == nil {
		return
	}
	if !strings.Contains(f.DefValue, "://") {
		return // a SQLite path
	}
	u, err := url.Parse(f.DefValue)
	if err != nil {
		f.DefValue = "(from " + databaseEnv + "; not shown)"
		return
	}
	if q := u.Query(); q.Has("password") {
		q.Set("password", "xxxxx")
		u.RawQuery = q.Encode()
	}
	f.DefValue = u.Redacted()
}

// openStore opens the settings store named by dsn: postgres:// or
// postgresql:// selects PostgreSQL (settings/postgres), anything else is a
// SQLite file path (settings/sqlite; an optional "sqlite:" prefix is
// dropped; "" means defaultDatabasePath). Either applies pending
// migrations. The caller closes the store. Errors never contain the DSN's
// password.
func openStore(ctx context.Context, dsn string) (settings.Store, error) {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		db, err := postgres.Open(ctx, dsn)
		if err != nil {
			return nil, fmt.Errorf("open PostgreSQL settings store: %w", err)
		}
		return db, nil
	}
	path := strings.TrimPrefix(dsn, "sqlite:")
	if path == "" {
		path = defaultDatabasePath
	}
	db, err := sqlite.Open(ctx, path)
	if err != nil {
		return nil, fmt.Errorf("open SQLite settings store %s: %w", path, err)
	}
	return db, nil
}
