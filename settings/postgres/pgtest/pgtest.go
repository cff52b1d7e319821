// Package pgtest gives tests a throwaway schema in the test PostgreSQL server: the one at
// CG_TEST_POSTGRES_URL (DefaultDSN when unset), which must allow CREATE SCHEMA. An unreachable
// server fails the test; a developer without PostgreSQL sets CG_TEST_POSTGRES_OPTOUT=1 to skip
// instead, which is ignored when CI=true.
package pgtest

import (
	"context"
	"crypto/rand"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
)

const (
	// DSNEnv names the test server's DSN (URL or key=value form).
	DSNEnv = "CG_TEST_POSTGRES_URL"
	// DefaultDSN is the test server when DSNEnv is unset.
	DefaultDSN = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"
	// OptOutEnv=1 turns an unreachable server into a skip, except under CI=true.
	OptOutEnv = "CG_TEST_POSTGRES_OPTOUT"
)

// BaseDSN returns the test server's DSN: DSNEnv's value, or DefaultDSN when it is unset.
func BaseDSN() string {
	if v := os.Getenv(DSNEnv); v != "" {
		return v
	}
	return DefaultDSN
}

// Unreachable ends the test because the server could not be reached (err): a failure under
// CI=true and by default, a skip only when OptOutEnv is 1.
func Unreachable(t testing.TB, err error) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatalf("PostgreSQL (%s) unreachable and CI=true: %v", DSNEnv, err)
	}
	if os.Getenv(OptOutEnv) == "1" {
		t.Skipf("PostgreSQL unreachable and %s=1: %v", OptOutEnv, err)
	}
	t.Fatalf("PostgreSQL unreachable: %v (start it, point %s at it, or set %s=1 to skip)", err, DSNEnv, OptOutEnv)
}

// Schema creates an empty schema named prefix followed by random characters, drops it (with
// everything in it) when the test ends, and returns a DSN whose search_path selects it, with
// the schema's name. Stores opened on dsn must be closed by then (register their Close with
// t.Cleanup after calling Schema).
func Schema(t testing.TB, prefix string) (dsn, schema string) {
	t.Helper()
	base := BaseDSN()
	conn, err := pgx.Connect(t.Context(), base)
	if err != nil {
		Unreachable(t, err)
	}
	schema = prefix + strings.ToLower(rand.Text()[:12])
	if _, err := conn.Exec(t.Context(), "CREATE SCHEMA "+pgx.Identifier{schema}.Sanitize()); err != nil {
		_ = conn.Close(context.Background())
		t.Fatalf("create schema %s: %v", schema, err)
	}
	t.Cleanup(func() {
		ctx := context.Background()
		if _, err := conn.Exec(ctx, "DROP SCHEMA "+pgx.Identifier{schema}.Sanitize()+" CASCADE"); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
		_ = conn.Close(ctx)
	})
	return withSearchPath(t, base, schema), schema
}

// withSearchPath returns dsn with search_path set to schema, for both the URL and the
// key=value forms.
func withSearchPath(t testing.TB, dsn, schema string) string {
	t.Helper()
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		u, err := url.Parse(dsn)
		if err != nil {
			t.Fatalf("parse %s: %v", DSNEnv, err)
		}
		q := u.Query()
		q.Set("search_path", schema)
		u.RawQuery = q.Encode()
		return u.String()
	}
	return dsn + " search_path=" + schema
}
