// Package sqlstore is the one SQL implementation of settings.Store that
// settings/sqlite and settings/postgres share: the queries, the
// transactions, the column encodings and the migration runner live here,
// and each store supplies only a Dialect (placeholders, time encoding,
// constraint error codes, migrations) and a *sql.DB for its driver.
//
// Queries are written once with ? placeholders; a dialect with numbered
// placeholders gets them rewritten to $1, $2, … before they run.
package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/confluence-graph/confluence-graph/settings"
)

// Dialect is what one SQL database says its own way.
type Dialect struct {
	// Name prefixes every error the store returns, e.g. "settings/sqlite".
	Name string

	// Numbered selects $1, $2, … placeholders (PostgreSQL) instead of ?.
	Numbered bool

	// Time encodes a time for a bind argument: NULL for the zero time,
	// else the instant truncated to microseconds (read back in UTC).
	Time func(time.Time) any

	// Constraint returns the error to wrap for a constraint violation the
	// driver reported in err: one wrapping settings.ErrConflict for a
	// unique violation, settings.ErrInvalid for a check or not-null
	// violation; nil for anything else. Its text must name constraints,
	// never bound values.
	Constraint func(err error) error

	// Migrations holds the schema as migrations/*.sql files, applied in
	// file name order, each once; a file may hold several statements.
	Migrations fs.FS

	// MigrationsTable creates, if missing, the schema_migrations table:
	// version (text primary key) and applied_at (a time as Time encodes).
	MigrationsTable string

	// MigrationLock, if set, runs first in the migration transaction to
	// keep concurrent openers of one database from migrating it at once.
	MigrationLock string

	// DriverCachesStatements says the driver prepares and keeps statements
	// per connection itself (pgx's statement cache). The per-request
	// lookups then run as plain queries: database/sql's prepared
	// statements would, over a pool that keeps no idle database/sql
	// connections (pgx's stdlib.OpenDBFromPool), be prepared and
	// deallocated again around every query, three round trips instead of
	// one.
	DriverCachesStatements bool
}

// Store is a settings.Store over a database/sql handle. It is safe for
// concurrent use; the dialect's database serializes writers as each
// method's transaction requires.
type Store struct {
	db *sql.DB
	d  Dialect

	// Now returns the current time for store-kept timestamps. New sets it
	// to time.Now; tests may replace it before the first call.
	Now func() time.Time

	hot     hotStatements // prepared per-request lookups (prepared.go)
	records recordCache   // the last integration read per tenant (records.go)
}

var _ settings.Store = (*Store)(nil)

// New returns a Store on db speaking dialect d, after applying any
// pending migration. On error db is left open for the caller to close.
func New(ctx context.Context, db *sql.DB, d Dialect) (*Store, error) {
	s := &Store{db: db, d: d, Now: time.Now, records: newRecordCache()}
	s.hot.init(s.q)
	if err := s.migrate(ctx); err != nil {
		return nil, err
	}
	return s, nil
}

// Close closes the database handle. Calls after Close fail.
func (s *Store) Close() error {
	s.hot.close()
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("%s: close: %w", s.d.Name, err)
	}
	return nil
}

// Ping reports whether the database answers.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.db.PingContext(ctx); err != nil {
		return s.wrapErr(ctx, "ping", err)
	}
	return nil
}

// migrate applies, in one transaction (after the dialect's migration
// lock), every migration not yet recorded in schema_migrations, in file
// name order.
func (s *Store) migrate(ctx context.Context) error {
	names, err := fs.Glob(s.d.Migrations, "migrations/*.sql")
	if err != nil {
		return fmt.Errorf("%s: migrations: %w", s.d.Name, err)
	}
	sort.Strings(names)

	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return s.wrapErr(ctx, "migrate", err)
	}
	defer func() { _ = tx.Rollback() }()

	if s.d.MigrationLock != "" {
		if _, err := tx.ExecContext(ctx, s.d.MigrationLock); err != nil {
			return s.wrapErr(ctx, "migrate: lock", err)
		}
	}
	if _, err := tx.ExecContext(ctx, s.d.MigrationsTable); err != nil {
		return s.wrapErr(ctx, "migrate", err)
	}
	for _, name := range names {
		version := strings.TrimSuffix(path.Base(name), ".sql")
		var n int
		if err := tx.QueryRowContext(ctx, s.q(`SELECT count(*) FROM schema_migrations WHERE version = ?`), version).
			Scan(&n); err != nil {
			return s.wrapErr(ctx, "migrate", err)
		}
		if n > 0 {
			continue
		}
		body, err := fs.ReadFile(s.d.Migrations, name)
		if err != nil {
			return fmt.Errorf("%s: migration %s: %w", s.d.Name, version, err)
		}
		// Without arguments both drivers run a multi-statement script.
		if _, err := tx.ExecContext(ctx, string(body)); err != nil {
			return s.wrapErr(ctx, "migration "+version, err)
		}
		if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)`),
			version, s.d.Time(s.now())); err != nil {
			return s.wrapErr(ctx, "migrate", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return s.wrapErr(ctx, "migrate", err)
	}
	return nil
}

// now returns the store clock's time in UTC at microsecond precision.
func (s *Store) now() time.Time { return s.Now().UTC().Truncate(time.Microsecond) }

// q returns query in the dialect's placeholder style: each ? becomes $n
// for a numbered dialect. Queries hold no ? other than placeholders.
func (s *Store) q(query string) string {
	if !s.d.Numbered {
		return query
	}
	var b strings.Builder
	n := 0
	for _, part := range strings.SplitAfter(query, "?") {
		if !strings.HasSuffix(part, "?") {
			b.WriteString(part)
			continue
		}
		n++
		b.WriteString(part[:len(part)-1])
		b.WriteString("$" + strconv.Itoa(n))
	}
	return b.String()
}

// wrapErr prefixes err with the dialect's name and the operation, and maps
// it to the settings sentinels: the context's error once ctx has ended,
// else the dialect's constraint mapping (ErrConflict, ErrInvalid).
func (s *Store) wrapErr(ctx context.Context, op string, err error) error {
	if cerr := ctx.Err(); cerr != nil {
		return fmt.Errorf("%s: %s: %w", s.d.Name, op, cerr)
	}
	if cerr := s.d.Constraint(err); cerr != nil {
		return fmt.Errorf("%s: %s: %w", s.d.Name, op, cerr)
	}
	return fmt.Errorf("%s: %s: %w", s.d.Name, op, err)
}

// notFound returns the error for op finding no row.
func (s *Store) notFound(op string) error {
	return fmt.Errorf("%s: %s: %w", s.d.Name, op, settings.ErrNotFound)
}

// execOne runs a statement that must change exactly one row: it returns nil,
// an error wrapping ErrNotFound when no row matched, or a wrapped error.
func (s *Store) execOne(ctx context.Context, op, query string, args ...any) error {
	res, err := s.db.ExecContext(ctx, s.q(query), args...)
	if err != nil {
		return s.wrapErr(ctx, op, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return s.wrapErr(ctx, op, err)
	}
	if n == 0 {
		return s.notFound(op)
	}
	return nil
}

// nullTime scans a nullable time column stored either as a time (the
// driver returns time.Time) or as INTEGER microseconds since the epoch;
// NULL reads as the zero time.
type nullTime struct{ t time.Time }

// Scan implements sql.Scanner.
func (n *nullTime) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		n.t = time.Time{}
	case int64:
		n.t = time.UnixMicro(v).UTC()
	case time.Time:
		n.t = v.UTC()
	default:
		return fmt.Errorf("scan %T into a time", src)
	}
	return nil
}

// isNoRows reports whether err says a query returned no row.
func isNoRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }

// scanner is the Scan method shared by *sql.Row and *sql.Rows.
type scanner interface {
	Scan(dest ...any) error
}

// stored returns t as the store reads it back: UTC at microsecond
// precision, the zero time unchanged.
func stored(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return t.UTC().Truncate(time.Microsecond)
}
