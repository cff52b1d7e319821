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
	if got, want := strings.Join(versions, ","), "0001_init,0002_revisions"; got != want {
		t.Errorf("schema_migrations after %d concurrent opens = %q; want %q", replicas, got, want)
	}
}

func TestAuditTableRejectsUpdateDeleteTruncate(t *testing.T) {
	dsn, _ := pgtest.Schema(t, "cg_test_")
	db := mustOpen(t, dsn)
	e := &settings.AuditEvent{TenantID: "acme", Action: "integration.connect", Outcome: settings.OutcomeSuccess}
	if err := db.AppendAudit(t.Context(), e); err != nil {
		t.Fatalf("AppendAudit = %v", err)
	}

	conn, err := pgx.Connect(t.Context(), dsn)
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	defer conn.Close(context.Background())
	for _, stmt := range []string{
		`UPDATE audit_events SET outcome = 'failure'`,
		`DELETE FROM audit_events`,
		`TRUNCATE audit_events`,
	} {
		if _, err := conn.Exec(t.Context(), stmt); err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s: error = %v; want the append-only trigger to refuse", stmt, err)
		}
	}
	got, err := db.ListAudit(t.Context(), "acme", settings.AuditListOptions{})
	if err != nil {
		t.Fatalf("ListAudit = %v", err)
	}
	if len(got) != 1 || got[0].Outcome != settings.OutcomeSuccess {
		t.Errorf("ListAudit after refused changes = %+v; want the one original event", got)
	}
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
		conn, err := pgx.Connect(t.Context(), dsn)
		if err != nil {
			t.Fatalf("connect: %v", err)
		}
		defer conn.Close(context.Background())
		for _, stmt := range []string{
			`ALTER TABLE integrations ADD CONSTRAINT fail_injected CHECK (domain <> '` + settingstest.FailingDomain + `')`,
			`ALTER TABLE audit_events ADD CONSTRAINT fail_injected CHECK (action <> '` + settingstest.FailingAction + `')`,
		} {
			if _, err := conn.Exec(t.Context(), stmt); err != nil {
				t.Fatalf("install fault: %v", err)
			}
		}
		return db
	})
}
