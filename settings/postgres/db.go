// Package postgres is the settings.Store for shared deployments: PostgreSQL
// through pgx (pgxpool), with the schema applied from embedded migrations
// when opened. Several replicas may open the same database at once.
package postgres

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/confluence-graph/confluence-graph/settings"
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

// DB is a settings.Store backed by PostgreSQL. It is safe for concurrent
// use by multiple goroutines and by multiple processes sharing a database.
type DB struct {
	pool *pgxpool.Pool

	// Now returns the current time for store-kept timestamps. Open sets
	// it to time.Now; tests may replace it before the first call.
	Now func() time.Time
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
		return nil, wrapErr(ctx, "connect", err)
	}
	d := &DB{pool: pool, Now: time.Now}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, wrapErr(ctx, "connect", err)
	}
	if err := d.migrate(ctx); err != nil {
		pool.Close()
		return nil, err
	}
	return d, nil
}

// Close closes every pooled connection. Calls after Close fail.
func (d *DB) Close() error {
	d.pool.Close()
	return nil
}

// Ping reports whether the database answers.
func (d *DB) Ping(ctx context.Context) error {
	if err := d.pool.Ping(ctx); err != nil {
		return wrapErr(ctx, "ping", err)
	}
	return nil
}

// migrate applies, in one transaction holding the migration lock, every
// embedded migration not yet recorded in schema_migrations, in file name
// order.
func (d *DB) migrate(ctx context.Context) error {
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return fmt.Errorf("settings/postgres: migrations: %w", err)
	}
	sort.Strings(names)

	tx, err := d.pool.Begin(ctx)
	if err != nil {
		return wrapErr(ctx, "migrate", err)
	}
	defer func() { _ = tx.Rollback(ctx) }()

	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1, hashtext(current_schema()))`, migrationLockClass); err != nil {
		return wrapErr(ctx, "migrate: lock", err)
	}
	if _, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    text        NOT NULL PRIMARY KEY,
		applied_at timestamptz NOT NULL
	)`); err != nil {
		return wrapErr(ctx, "migrate", err)
	}
	for _, name := range names {
		version := strings.TrimSuffix(path.Base(name), ".sql")
		var applied bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM schema_migrations WHERE version = $1)`, version).
			Scan(&applied); err != nil {
			return wrapErr(ctx, "migrate", err)
		}
		if applied {
			continue
		}
		body, err := migrations.ReadFile(name)
		if err != nil {
			return fmt.Errorf("settings/postgres: migration %s: %w", version, err)
		}
		// Without arguments pgx uses the simple protocol, which runs a
		// multi-statement script.
		if _, err := tx.Exec(ctx, string(body)); err != nil {
			return wrapErr(ctx, "migration "+version, err)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)`,
			version, d.now()); err != nil {
			return wrapErr(ctx, "migrate", err)
		}
	}
	if err := tx.Commit(ctx); err != nil {
		return wrapErr(ctx, "migrate", err)
	}
	return nil
}

// now returns the store clock's time in UTC at microsecond precision.
func (d *DB) now() time.Time { return d.Now().UTC().Truncate(time.Microsecond) }

// wrapErr prefixes err with the operation and maps it to the settings
// sentinels: context end, unique violations (ErrConflict) and check or
// not-null violations (ErrInvalid). Only the server's message and
// constraint name are kept, never its detail (which may quote row values).
func wrapErr(ctx context.Context, op string, err error) error {
	if cerr := ctx.Err(); cerr != nil {
		return fmt.Errorf("settings/postgres: %s: %w", op, cerr)
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case codeUniqueViolation:
			return fmt.Errorf("settings/postgres: %s: %w (%s)", op, settings.ErrConflict, pe.ConstraintName)
		case codeCheckViolation, codeNotNull:
			return fmt.Errorf("settings/postgres: %s: %w (%s)", op, settings.ErrInvalid, pe.ConstraintName)
		}
	}
	// PgError.Error holds severity, message and code, not the detail.
	return fmt.Errorf("settings/postgres: %s: %w", op, err)
}

// timestamptz encodes t for a nullable timestamptz column: NULL for the
// zero time, else t truncated to microseconds.
func timestamptz(t time.Time) pgtype.Timestamptz {
	if t.IsZero() {
		return pgtype.Timestamptz{}
	}
	return pgtype.Timestamptz{Time: t.UTC().Truncate(time.Microsecond), Valid: true}
}

// fromTimestamptz decodes a nullable timestamptz column; NULL is the zero
// time.
func fromTimestamptz(v pgtype.Timestamptz) time.Time {
	if !v.Valid {
		return time.Time{}
	}
	return v.Time.UTC()
}

// isNoRows reports whether err says a query returned no row.
func isNoRows(err error) bool { return errors.Is(err, pgx.ErrNoRows) }
