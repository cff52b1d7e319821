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
	"os"
	"path/filepath"
	"strings"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/confluence-graph/confluence-graph/settings"
	"github.com/confluence-graph/confluence-graph/settings/internal/sqlstore"
)

//go:embed migrations/*.sql
var migrations embed.FS

// MemoryPath opens a private in-memory database (see Open).
const MemoryPath = ":memory:"

// busyTimeout is how long a statement waits for another connection's write
// lock before failing with SQLITE_BUSY.
const busyTimeout = 10 * time.Second

// maxIdleConns is how many open connections to a database file are kept for
// reuse. Every GraphQL request reads the store twice (API key, integration
// revision), with as many requests in flight as clients; database/sql's
// default of 2 closed the other connections as they were released, so
// requests kept opening SQLite connections (file, pragmas, schema) and
// preparing the per-request statements on them again. idleConnTimeout still
// closes what a past peak left open.
const (
	maxIdleConns    = 64
	idleConnTimeout = 5 * time.Minute
)

// dialect is SQLite's: ? placeholders, times as INTEGER microseconds since
// the Unix epoch, STRICT tables.
var dialect = sqlstore.Dialect{
	Name:       "settings/sqlite",
	Time:       micros,
	Constraint: constraint,
	Migrations: migrations,
	MigrationsTable: `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    TEXT    NOT NULL PRIMARY KEY,
		applied_at INTEGER NOT NULL
	) STRICT`,
}

// DB is a settings.Store backed by SQLite. It is safe for concurrent use;
// writers are serialized by SQLite (every transaction is BEGIN IMMEDIATE,
// with a busy timeout). Its Now field is the store's clock: Open sets it to
// time.Now; tests may replace it before the first call.
type DB struct {
	*sqlstore.Store
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
		if err := createFile(path); err != nil {
			return nil, err
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
	} else {
		sdb.SetMaxIdleConns(maxIdleConns)
		sdb.SetConnMaxIdleTime(idleConnTimeout)
	}
	s, err := sqlstore.New(ctx, sdb, dialect)
	if err != nil {
		_ = sdb.Close()
		return nil, err
	}
	return &DB{Store: s}, nil
}

// createFile creates path's directory (0700) and the file itself (0600)
// if they do not exist yet.
func createFile(path string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("settings/sqlite: create directory: %w", err)
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("settings/sqlite: create database file: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("settings/sqlite: create database file: %w", err)
	}
	return nil
}

// constraint maps SQLite's extended result codes for unique and primary
// key violations to settings.ErrConflict, and for check and not-null
// violations to settings.ErrInvalid (with the driver's message, which
// names the constraint, never bound values).
func constraint(err error) error {
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return nil
	}
	switch se.Code() {
	case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
		return settings.ErrConflict
	case sqlite3.SQLITE_CONSTRAINT_CHECK, sqlite3.SQLITE_CONSTRAINT_NOTNULL:
		return fmt.Errorf("%w: %v", settings.ErrInvalid, err)
	}
	return nil
}

// micros encodes t for an INTEGER column: microseconds since the epoch, or
// NULL for the zero time.
func micros(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UnixMicro()
}
