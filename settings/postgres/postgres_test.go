package postgres_test

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/confluence-graph/confluence-graph/settings"
	"github.com/confluence-graph/confluence-graph/settings/postgres"
	"github.com/confluence-graph/confluence-graph/settings/postgres/pgtest"
	"github.com/confluence-graph/confluence-graph/settings/settingstest"
)

// mustOpen opens a store on dsn and closes it when the test ends (before
// the schema is dropped).
func mustOpen(t *testing.T, dsn string) *postgres.DB {
	t.Helper()
	db, err := postgres.Open(t.Context(), dsn)
	if err != nil {
		t.Fatalf("Open = %v; want nil", err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return db
}

func TestConformance(t *testing.T) {
	// Probe once, so an absent server gives one clear message rather than
	// one per subtest.
	conn, err := pgx.Connect(t.Context(), pgtest.BaseDSN())
	if err != nil {
		pgtest.Unreachable(t, err)
	}
	_ = conn.Close(t.Context())

	settingstest.Run(t, func(t *testing.T) settings.Store {
		dsn, _ := pgtest.Schema(t, "cg_test_")
		return mustOpen(t, dsn)
	})
}

func TestSharedSchema(t *testing.T) {
	settingstest.RunShared(t, func(t *testing.T) (settings.Store, settings.Store) {
		dsn, _ := pgtest.Schema(t, "cg_test_")
		return mustOpen(t, dsn), mustOpen(t, dsn)
	})
}

func TestConcurrentOpensMigrateOnce(t *testing.T) {
	dsn, schema := pgtest.Schema(t, "cg_test_")
	const replicas = 4
	var wg sync.WaitGroup
	dbs := make([]*postgres.DB, replicas)
	errs := make([]error, replicas)
	for i := range replicas {
		wg.Go(func() { dbs[i], errs[i] = postgres.Open(t.Context(), dsn) })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("replica %d: Open = %v; want nil", i, err)
			continue
		}
		t.Cleanup(func() { _ = dbs[i].Close() })
	}

	conn, err := pgx.Connect(t.Context(), dsn)
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	defer conn.Close(context.Background())
	var versions []string
	rows, err := conn.Query(t.Context(), `SELECT version FROM `+pgx.Identifier{schema, "schema_migrations"}.Sanitize()+` ORDER BY version`)
	if err != nil {
		t.Fatalf("query schema_migrations: %v", err)
	}
	versions, err = pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatalf("read schema_migrations: %v", err)
	}
	if got, want := strings.Join(versions, ","), settingstest.MigrationNames(t); got != want {
		t.Errorf("schema_migrations after %d concurrent opens = %q; want %q", replicas, got, want)
	}
}

// rawExec returns a function that runs a statement on dsn over a plain
// connection, as an operator's SQL shell would; the connection is closed
// when the test ends.
func rawExec(t *testing.T, dsn string) func(stmt string) error {
	t.Helper()
	conn, err := pgx.Connect(t.Context(), dsn)
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	t.Cleanup(func() { _ = conn.Close(context.Background()) })
	return func(stmt string) error {
		_, err := conn.Exec(context.Background(), stmt)
		return err
	}
}

func TestAuditTableRejectsUpdateDeleteTruncate(t *testing.T) {
	dsn, _ := pgtest.Schema(t, "cg_test_")
	settingstest.RunAppendOnly(t, mustOpen(t, dsn), rawExec(t, dsn), `UPDATE audit_events SET outcome = 'failure'`, `DELETE FROM audit_events`, `TRUNCATE audit_events`)
}

func TestOpenErrorHidesPassword(t *testing.T) {
	const secret = "s3cr3t-pa55word"
	dsn := "postgres://postgres:" + secret + "@127.0.0.1:1/test?sslmode=disable&connect_timeout=2"
	for _, d := range []string{dsn, "postgres://postgres:" + secret + "@[bad"} {
		db, err := postgres.Open(t.Context(), d)
		if err == nil {
			_ = db.Close()
			t.Fatalf("Open(unreachable) = nil error; want an error")
		}
		if strings.Contains(err.Error(), secret) {
			t.Errorf("Open error %q contains the password", err)
		}
	}
}

// TestFailedWriteInsideTransactionKeepsPrevious adds CHECK constraints
// that refuse any integration row for settingstest.FailingDomain and any
// audit event with settingstest.FailingAction, so a change fails after it
// has written something in the same transaction.
func TestFailedWriteInsideTransactionKeepsPrevious(t *testing.T) {
	settingstest.RunFailingWrite(t, func(t *testing.T) settings.Store {
		dsn, _ := pgtest.Schema(t, "cg_test_")
		db := mustOpen(t, dsn)
		exec := rawExec(t, dsn)
		for _, stmt := range []string{
			`ALTER TABLE integrations ADD CONSTRAINT fail_injected CHECK (domain <> '` + settingstest.FailingDomain + `')`,
			`ALTER TABLE audit_events ADD CONSTRAINT fail_injected CHECK (action <> '` + settingstest.FailingAction + `')`,
		} {
			if err := exec(stmt); err != nil {
				t.Fatalf("install fault: %v", err)
			}
		}
		return db
	})
}
