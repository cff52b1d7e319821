package pgtest_test

import (
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/confluence-graph/confluence-graph/settings/postgres/pgtest"
)

func TestSchemaSelectsAFreshSchema(t *testing.T) {
	dsn, schema := pgtest.Schema(t, "cg_pgtest_")
	conn, err := pgx.Connect(t.Context(), dsn)
	if err != nil {
		t.Fatalf("connect to the schema's DSN: %v", err)
	}
	defer conn.Close(t.Context())
	var got string
	if err := conn.QueryRow(t.Context(), "SELECT current_schema()").Scan(&got); err != nil {
		t.Fatal(err)
	}
	if got != schema {
		t.Errorf("current_schema() = %q, want %q", got, schema)
	}
	var tables int
	if err := conn.QueryRow(t.Context(), "SELECT count(*) FROM information_schema.tables WHERE table_schema = $1", schema).Scan(&tables); err != nil {
		t.Fatal(err)
	}
	if tables != 0 {
		t.Errorf("tables in the new schema = %d, want 0", tables)
	}
}
