package postgres

import (
	"testing"

	"github.com/confluence-graph/confluence-graph/settings"
	"github.com/confluence-graph/confluence-graph/settings/postgres/pgtest"
)

// TestHotQueriesStayPrepared: the lookups every GraphQL request makes (API key, integration)
// must stay prepared on the connection between requests. Run as database/sql prepared
// statements over pgx's pool, they were deallocated when the connection went back to the pool
// and prepared again on the next request: three round trips per lookup instead of one.
func TestHotQueriesStayPrepared(t *testing.T) {
	dsn, _ := pgtest.Schema(t, "cg_test_")
	db, err := Open(t.Context(), dsn+"&pool_max_conns=1") // one connection: the one the lookups used
	if err != nil {
		t.Fatalf("Open = %v; want nil", err)
	}
	t.Cleanup(func() { _ = db.Close() })
	in := &settings.Integration{TenantID: "acme", Domain: "acme.atlassian.net", Email: "a@example.com",
		TokenType: settings.TokenClassic, EncryptedToken: []byte{1}, Status: settings.StatusConnected}
	if err := db.PutIntegration(t.Context(), in, nil); err != nil {
		t.Fatal(err)
	}
	for range 3 {
		if _, err := db.GetIntegration(t.Context(), "acme"); err != nil {
			t.Fatalf("GetIntegration = %v; want nil", err)
		}
	}
	var n int
	// The statement text is a parameter, so this query's own prepared statement does not match.
	err = db.pool.QueryRow(t.Context(), `SELECT count(*) FROM pg_prepared_statements WHERE statement = $1`,
		`SELECT revision, updated_at FROM integrations WHERE tenant_id = $1`).Scan(&n)
	if err != nil {
		t.Fatal(err)
	}
	if n == 0 {
		t.Error("after three integration reads, the connection holds no prepared integration lookup; want it kept")
	}
}
