package sqlite_test

import (
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	_ "modernc.org/sqlite"

	"github.com/confluence-graph/confluence-graph/settings"
	"github.com/confluence-graph/confluence-graph/settings/settingstest"
	"github.com/confluence-graph/confluence-graph/settings/sqlite"
)

// mustOpen opens a store at path and closes it when the test ends.
func mustOpen(tb testing.TB, path string) *sqlite.DB {
	tb.Helper()
	db, err := sqlite.Open(tb.Context(), path)
	if err != nil {
		tb.Fatalf("Open(%q) = %v; want nil", path, err)
	}
	tb.Cleanup(func() {
		if err := db.Close(); err != nil {
			tb.Errorf("Close() = %v; want nil", err)
		}
	})
	return db
}

func TestConformance(t *testing.T) {
	t.Run("File", func(t *testing.T) {
		settingstest.Run(t, func(t *testing.T) settings.Store {
			return mustOpen(t, filepath.Join(t.TempDir(), "settings.db"))
		})
	})
	t.Run("Memory", func(t *testing.T) {
		settingstest.Run(t, func(t *testing.T) settings.Store {
			return mustOpen(t, sqlite.MemoryPath)
		})
	})
}

func TestSharedFile(t *testing.T) {
	settingstest.RunShared(t, func(t *testing.T) (settings.Store, settings.Store) {
		path := filepath.Join(t.TempDir(), "settings.db")
		return mustOpen(t, path), mustOpen(t, path)
	})
}

func TestOpenCreatesPrivateFileInNewDirectory(t *testing.T) {
	path := filepath.Join(t.TempDir(), "nested", "dir", "cg.db")
	mustOpen(t, path)

	fi, err := os.Stat(path)
	if err != nil {
		t.Fatalf("Stat(db) = %v; want the file to exist", err)
	}
	if got, want := fi.Mode().Perm(), os.FileMode(0o600); got != want {
		t.Errorf("db file mode = %v; want %v", got, want)
	}
}

func TestOpenRejectsBadPath(t *testing.T) {
	for _, path := range []string{"", "x.db?mode=ro"} {
		if db, err := sqlite.Open(t.Context(), path); err == nil {
			_ = db.Close()
			t.Errorf("Open(%q) = nil error; want an error", path)
		}
	}
}

// rawDB opens the store's file with plain database/sql, as an operator's
// SQL shell would.
func rawDB(t *testing.T, path string) *sql.DB {
	t.Helper()
	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatalf("sql.Open = %v", err)
	}
	t.Cleanup(func() { _ = raw.Close() })
	return raw
}

func TestPragmasAndMigrations(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cg.db")
	db := mustOpen(t, path)
	if err := db.Close(); err != nil {
		t.Fatalf("Close = %v", err)
	}
	// Reopening applies nothing twice.
	mustOpen(t, path)

	raw := rawDB(t, path)
	var mode string
	if err := raw.QueryRow(`PRAGMA journal_mode`).Scan(&mode); err != nil {
		t.Fatalf("PRAGMA journal_mode: %v", err)
	}
	if mode != "wal" {
		t.Errorf("journal_mode = %q; want wal", mode)
	}
	var versions []string
	rows, err := raw.Query(`SELECT version FROM schema_migrations ORDER BY version`)
	if err != nil {
		t.Fatalf("query schema_migrations: %v", err)
	}
	defer rows.Close()
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			t.Fatal(err)
		}
		versions = append(versions, v)
	}
	if got, want := strings.Join(versions, ","), settingstest.MigrationNames(t); got != want {
		t.Errorf("schema_migrations versions = %q; want %q", got, want)
	}
}

func TestAuditTableRejectsUpdateAndDelete(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cg.db")
	raw := rawDB(t, path)
	settingstest.RunAppendOnly(t, mustOpen(t, path), func(stmt string) error {
		_, err := raw.Exec(stmt)
		return err
	}, `UPDATE audit_events SET outcome = 'failure'`, `DELETE FROM audit_events`)
}

// TestFailedWriteInsideTransactionKeepsPrevious installs triggers that
// abort any integration row for settingstest.FailingDomain and any audit
// event with settingstest.FailingAction, so a change fails after it has
// written something in the same transaction.
func TestFailedWriteInsideTransactionKeepsPrevious(t *testing.T) {
	settingstest.RunFailingWrite(t, func(t *testing.T) settings.Store {
		path := filepath.Join(t.TempDir(), "cg.db")
		db := mustOpen(t, path)
		raw := rawDB(t, path)
		for _, when := range []string{"INSERT", "UPDATE"} {
			stmt := `CREATE TRIGGER integrations_fail_` + when + ` BEFORE ` + when + ` ON integrations
				WHEN NEW.domain = '` + settingstest.FailingDomain + `'
				BEGIN SELECT RAISE(ABORT, 'injected failure'); END`
			if _, err := raw.Exec(stmt); err != nil {
				t.Fatalf("install fault: %v", err)
			}
		}
		if _, err := raw.Exec(`CREATE TRIGGER audit_fail BEFORE INSERT ON audit_events
			WHEN NEW.action = '` + settingstest.FailingAction + `'
			BEGIN SELECT RAISE(ABORT, 'injected failure'); END`); err != nil {
			t.Fatalf("install fault: %v", err)
		}
		return db
	})
}

// TestRevisionsMigrationKeepsRecords opens a database created by the first
// migration with a stored integration: after 0002 the record reads at
// revision 1, a put based on it succeeds with revision 2, and a put based
// on revision 1 again is stale.
func TestRevisionsMigrationKeepsRecords(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cg.db")
	initSQL, err := os.ReadFile("migrations/0001_init.sql")
	if err != nil {
		t.Fatal(err)
	}
	raw := rawDB(t, path)
	for _, stmt := range []string{
		string(initSQL),
		`CREATE TABLE schema_migrations (version TEXT NOT NULL PRIMARY KEY, applied_at INTEGER NOT NULL) STRICT`,
		`INSERT INTO schema_migrations VALUES ('0001_init', 1)`,
		`INSERT INTO credential_versions VALUES ('acme', 3)`,
		`INSERT INTO integrations VALUES ('acme', 'acme.atlassian.net', 'a@example.com', 'CLASSIC', '', x'01', '',
			'', '', '[]', 'CONNECTED', NULL, '', 3, 1, 1)`,
	} {
		if _, err := raw.Exec(stmt); err != nil {
			t.Fatalf("set up a 0001 database: %v", err)
		}
	}
	db := mustOpen(t, path)
	got, err := db.GetIntegration(t.Context(), "acme")
	if err != nil || got.Revision != 1 || got.CredentialVersion != 3 {
		t.Fatalf("GetIntegration after migrating = %v, %v; want revision 1, credential version 3", got, err)
	}
	next := got.Clone()
	if err := db.PutIntegration(t.Context(), next, nil); err != nil || next.Revision != 2 || next.CredentialVersion != 3 {
		t.Errorf("PutIntegration based on the migrated record = %v (revision %d, credential %d); want revision 2, credential 3",
			err, next.Revision, next.CredentialVersion)
	}
	if err := db.PutIntegration(t.Context(), got, nil); !errors.Is(err, settings.ErrStale) {
		t.Errorf("PutIntegration based on revision 1 again = %v; want ErrStale", err)
	}
}

// TestConcurrentReadsReuseConnections: every GraphQL request reads the store,
// with many requests in flight; the connections those reads opened must stay
// open for the next ones, not be closed as they are released (database/sql
// keeps only 2 idle connections by default, and reopening a SQLite connection
// re-reads the schema and re-prepares the per-request statements).
func TestConcurrentReadsReuseConnections(t *testing.T) {
	db := mustOpen(t, filepath.Join(t.TempDir(), "cg.db"))
	in := &settings.Integration{TenantID: "acme", Domain: "acme.atlassian.net", Email: "a@example.com",
		TokenType: settings.TokenClassic, EncryptedToken: []byte{1}, Status: settings.StatusConnected}
	if err := db.PutIntegration(t.Context(), in, nil); err != nil {
		t.Fatal(err)
	}
	settingstest.Concurrently(t, "GetIntegration", 32, func(int) error {
		for range 50 {
			if _, err := db.GetIntegration(t.Context(), "acme"); err != nil {
				return err
			}
		}
		return nil
	})
	if st := db.DBStats(); st.MaxIdleClosed != 0 {
		t.Errorf("connections closed on release after concurrent reads = %d (of %d open); want 0", st.MaxIdleClosed, st.OpenConnections)
	}
}

// TestReadAfterRestoreUnderRunningStore: a store that keeps the integration it read while the row
// is unchanged must still see a row written after the database was restored to an older state
// (here: emptied) under it, although the restored counters hand out the same revision again.
func TestReadAfterRestoreUnderRunningStore(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cg.db")
	a, b := mustOpen(t, path), mustOpen(t, path)
	put := func(s *sqlite.DB, domain string, at time.Time) {
		t.Helper()
		s.Now = func() time.Time { return at }
		in := &settings.Integration{TenantID: "acme", Domain: domain, Email: "a@example.com",
			TokenType: settings.TokenClassic, EncryptedToken: []byte{1}, Status: settings.StatusConnected}
		if err := s.PutIntegration(t.Context(), in, nil); err != nil || in.Revision != 1 {
			t.Fatalf("PutIntegration = %v (revision %d); want nil, revision 1", err, in.Revision)
		}
	}
	put(a, "old.atlassian.net", time.Unix(1000, 0))
	if got, err := a.GetIntegration(t.Context(), "acme"); err != nil || got.Domain != "old.atlassian.net" {
		t.Fatalf("GetIntegration = %v, %v; want old.atlassian.net", got, err)
	}
	for _, stmt := range []string{`DELETE FROM integrations`, `DELETE FROM credential_versions`} {
		if _, err := rawDB(t, path).Exec(stmt); err != nil {
			t.Fatalf("restore: %v", err)
		}
	}
	put(b, "new.atlassian.net", time.Unix(2000, 0))
	if got, err := a.GetIntegration(t.Context(), "acme"); err != nil || got.Domain != "new.atlassian.net" {
		t.Errorf("GetIntegration after the restore and a new put = %v, %v; want new.atlassian.net", got, err)
	}
}
