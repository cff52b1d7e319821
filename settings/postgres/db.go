// Package postgres is the settings.Store for shared deployments: PostgreSQL
// through pgx (a pgxpool.Pool behind database/sql), with the schema applied
// from embedded migrations when opened. Several replicas may open the same
// database at once.
package postgres

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/confluence-graph/confluence-graph/settings"
	"github.com/confluence-graph/confluence-graph/settings/internal/sqlstore"
)

//go:embed migrations/*.sql
var migrations embed.FS

// migrationLockClass is the first key of the transaction-scoped advisory
// lock that keeps replicas opening one database from migrating it at the
// same time; the second key is a hash of the schema being migrated, so
// stores in different schemas do not wait for each other.
const migrationLockClass int32 = 0x63677374 // "cgst"

// PostgreSQL error codes (SQLSTATE) the store maps to settings sentinels.
const (
	codeUniqueViolation = "23505"
	codeCheckViolation  = "23514"
	codeNotNull         = "23502"
)

// dialect is PostgreSQL's: $n placeholders, timestamptz and jsonb columns.
var dialect = sqlstore.Dialect{
	Name:       "settings/postgres",
	Numbered:   true,
	Time:       timestamptz,
	Constraint: constraint,
	Migrations: migrations,
	MigrationsTable: `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    text        NOT NULL PRIMARY KEY,
		applied_at timestamptz NOT NULL
	)`,
	MigrationLock: fmt.Sprintf(`SELECT pg_advisory_xact_lock(%d, hashtext(current_schema()))`, migrationLockClass),
	// pgx prepares each query once per pooled connection and keeps it.
	DriverCachesStatements: true,
}

// DB is a settings.Store backed by PostgreSQL. It is safe for concurrent
// use by multiple goroutines and by multiple processes sharing a database.
// Its Now field is the store's clock: Open sets it to time.Now; tests may
// replace it before the first call.
type DB struct {
	*sqlstore.Store
	pool *pgxpool.Pool
}

var _ settings.Store = (*DB)(nil)

// Open connects to the PostgreSQL database named by dsn (a URL such as
// postgres://user@host:5432/db?sslmode=disable or a key=value string; a
// search_path parameter selects the schema) and applies any pending
// migrations. The caller must Close the returned DB. Errors never contain
// the DSN's password.
func Open(ctx context.Context, dsn string) (*DB, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		// pgx's parse errors may quote the DSN; report only that it failed.
		return nil, errors.New("settings/postgres: invalid database url")
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, connectErr(ctx, err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, connectErr(ctx, err)
	}
	sdb := stdlib.OpenDBFromPool(pool)
	s, err := sqlstore.New(ctx, sdb, dialect)
	if err != nil {
		_ = sdb.Close()
		pool.Close()
		return nil, err
	}
	return &DB{Store: s, pool: pool}, nil
}

// Close closes every pooled connection. Calls after Close fail.
func (d *DB) Close() error {
	err := d.Store.Close()
	d.pool.Close()
	return err
}

// connectErr reports a failed connection: the context's error once ctx
// has ended, else pgx's (which never holds the password).
func connectErr(ctx context.Context, err error) error {
	if cerr := ctx.Err(); cerr != nil {
		err = cerr
	}
	return fmt.Errorf("settings/postgres: connect: %w", err)
}

// constraint maps unique violations to settings.ErrConflict and check and
// not-null violations to settings.ErrInvalid. Only the constraint's name
// is kept, never the server's detail (which may quote row values).
func constraint(err error) error {
	var pe *pgconn.PgError
	if !errors.As(err, &pe) {
		return nil
	}
	switch pe.Code {
	case codeUniqueViolation:
		return fmt.Errorf("%w (%s)", settings.ErrConflict, pe.ConstraintName)
	case codeCheckViolation, codeNotNull:
		return fmt.Errorf("%w (%s)", settings.ErrInvalid, pe.ConstraintName)
	}
	return nil
}

// timestamptz encodes t for a nullable timestamptz column: NULL for the
// zero time, else t truncated to microseconds.
func timestamptz(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC().Truncate(time.Microsecond)
}
