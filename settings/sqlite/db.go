// Package sqlite is the embedded settings.Store: one SQLite file (pure Go,
// modernc.org/sqlite) in WAL mode, with the schema applied from embedded
// migrations when opened.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/confluence-graph/confluence-graph/settings"
)

//go:embed migrations/*.sql
var migrations embed.FS

// MemoryPath opens a private in-memory database (see Open).
const MemoryPath = ":memory:"

// busyTimeout is how long a statement waits for another connection's write
// lock before failing with SQLITE_BUSY.
const busyTimeout = 10 * time.Second

// DB is a settings.Store backed by SQLite. It is safe for concurrent use;
// writers are serialized by SQLite (BEGIN IMMEDIATE plus a busy timeout).
type DB struct {
	db *sql.DB

	// Now returns the current time for store-kept timestamps. Open sets
	// it to time.Now; tests may replace it before the first call.
	Now func() time.Time
}

var _ settings.Store = (*DB)(nil)

// Open opens (creating if needed) the SQLite database at path and applies
// any pending migrations. The parent directory is created (0700) and a new
// file is created with mode 0600, since it holds encrypted credentials and
// key hashes. The path MemoryPath (":memory:") opens a private in-memory
// database on a single connection, for tests. The path must not contain
// '?'. The caller must Close the returned DB.
func Open(ctx context.Context, path string) (*DB, error) {
	if path == "" || strings.ContainsRune(path, '?') {
		return nil, errors.New("settings/sqlite: invalid database path")
	}
	memory := path == MemoryPath
	if !memory {
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			return nil, fmt.Errorf("settings/sqlite: create directory: %w", err)
		}
		f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
		if err != nil {
			return nil, fmt.Errorf("settings/sqlite: create database file: %w", err)
		}
		if err := f.Close(); err != nil {
			return nil, fmt.Errorf("settings/sqlite: create database file: %w", err)
		}
	}
	dsn := path + "?" + strings.Join([]string{
		fmt.Sprintf("_pragma=busy_timeout(%d)", busyTimeout.Milliseconds()),
		"_pragma=foreign_keys(1)",
		"_pragma=journal_mode(WAL)",
		"_pragma=synchronous(NORMAL)",
		"_txlock=immediate",
	}, "&")
	sdb, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("settings/sqlite: open: %w", err)
	}
	if memory {
		// Each connection to ":memory:" is a separate database.
		sdb.SetMaxOpenConns(1)
		sdb.SetConnMaxLifetime(0)
		sdb.SetConnMaxIdleTime(0)
	}
	d := &DB{db: sdb, Now: time.Now}
	if err := d.migrate(ctx); err != nil {
		_ = sdb.Close()
		return nil, err
	}
	return d, nil
}

// Close closes the database. Calls after Close fail.
func (d *DB) Close() error {
	if err := d.db.Close(); err != nil {
		return fmt.Errorf("settings/sqlite: close: %w", err)
	}
	return nil
}

// Ping reports whether the database answers.
func (d *DB) Ping(ctx context.Context) error {
	if err := d.db.PingContext(ctx); err != nil {
		return wrapErr(ctx, "ping", err)
	}
	return nil
}

// migrate applies, in one transaction, every embedded migration not yet
// recorded in schema_migrations, in file name order.
func (d *DB) migrate(ctx context.Context) error {
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return fmt.Errorf("settings/sqlite: migrations: %w", err)
	}
	sort.Strings(names)

	tx, err := d.db.BeginTx(ctx, nil)
	if err != nil {
		return wrapErr(ctx, "migrate", err)
	}
	defer func() { _ = tx.Rollback() }()

	if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    TEXT    NOT NULL PRIMARY KEY,
		applied_at INTEGER NOT NULL
	) STRICT`); err != nil {
		return wrapErr(ctx, "migrate", err)
	}
	for _, name := range names {
		version := strings.TrimSuffix(filepath.Base(name), ".sql")
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations WHERE version = ?`, version).Scan(&n); err != nil {
			return wrapErr(ctx, "migrate", err)
		}
		if n > 0 {
			continue
		}
		body, err := migrations.ReadFile(name)
		if err != nil {
			return fmt.Errorf("settings/sqlite: migration %s: %w", version, err)
		}
		if _, err := tx.ExecContext(ctx, string(body)); err != nil {
			return wrapErr(ctx, "migration "+version, err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)`,
			version, d.now().UnixMicro()); err != nil {
			return wrapErr(ctx, "migrate", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return wrapErr(ctx, "migrate", err)
	}
	return nil
}

// now returns the store clock's time in UTC at microsecond precision.
func (d *DB) now() time.Time { return d.Now().UTC().Truncate(time.Microsecond) }

// wrapErr prefixes err with the operation and maps it to the settings
// sentinels: context end, unique violations (ErrConflict) and check or
// not-null violations (ErrInvalid). Driver messages name constraints, never
// bound values.
func wrapErr(ctx context.Context, op string, err error) error {
	if cerr := ctx.Err(); cerr != nil {
		return fmt.Errorf("settings/sqlite: %s: %w", op, cerr)
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			return fmt.Errorf("settings/sqlite: %s: %w", op, settings.ErrConflict)
		case sqlite3.SQLITE_CONSTRAINT_CHECK, sqlite3.SQLITE_CONSTRAINT_NOTNULL:
			return fmt.Errorf("settings/sqlite: %s: %w: %v", op, settings.ErrInvalid, err)
		}
	}
	return fmt.Errorf("settings/sqlite: %s: %w", op, err)
}

// micros encodes t for an INTEGER column: microseconds since the epoch, or
// NULL for the zero time.
func micros(t time.Time) sql.NullInt64 {
	if t.IsZero() {
		return sql.NullInt64{}
	}
	return sql.NullInt64{Int64: t.UnixMicro(), Valid: true}
}

// fromMicros decodes an INTEGER time column; NULL is the zero time.
func fromMicros(v sql.NullInt64) time.Time {
	if !v.Valid {
		return time.Time{}
	}
	return time.UnixMicro(v.Int64).UTC()
}

// scanner is the Scan method shared by *sql.Row and *sql.Rows.
type scanner interface {
	Scan(dest ...any) error
}
