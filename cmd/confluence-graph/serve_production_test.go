package main

import (
	"bytes"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/confluence-graph/confluence-graph/envelope/localkmstest"
	"github.com/confluence-graph/confluence-graph/internal/syncbuf"
	"github.com/confluence-graph/confluence-graph/internal/testsupport"
	"github.com/confluence-graph/confluence-graph/settings/postgres/pgtest"
)

// postgresSchemaDSN creates an empty schema in the test PostgreSQL
// (CG_TEST_POSTGRES_URL, default postgres://postgres@127.0.0.1:5432/test),
// drops it when the test ends, and returns a DSN selecting it. An
// unreachable server fails the test, as everywhere under CI=true; a
// developer without PostgreSQL sets CG_TEST_POSTGRES_OPTOUT=1 to skip.
func postgresSchemaDSN(t *testing.T) string {
	t.Helper()
	dsn, _ := pgtest.Schema(t, "cg_serve_")
	return dsn
}

// TestServeProductionSetUp runs serve in its production set-up, from the
// environment only: PostgreSQL through
// CG_DATABASE_URL and AWS KMS through CG_KMS_KEY_ID with the SDK's standard
// chain (AWS_ENDPOINT_URL_KMS pointing at local-kms). The demo tenant's
// token is sealed by KMS, stored in PostgreSQL, and read back for queries;
// no local master key file is created; a second run on the same database
// and key reads the stored credential again.
func TestServeProductionSetUp(t *testing.T) {
	kms := localkmstest.Start(t)
	dir := t.TempDir()
	dsn := postgresSchemaDSN(t)
	env := map[string]string{
		"CG_DATABASE_URL":   dsn,
		"CG_KMS_KEY_ID":     localkmstest.Alias,
		"CG_LOCAL_KEY_FILE": filepath.Join(dir, "master.key"),
		"CG_ADDR":           "127.0.0.1:0",
		"CG_METRICS_ADDR":   "127.0.0.1:0",
	}
	kms.SetEnv(t)

	simAddr := testsupport.FreePort(t)
	run := func(simAddr string) (*Main, map[string][]string, *syncbuf.Buffer) {
		t.Helper()
		return startServe(t, []string{"--demo", "--sim-addr", simAddr}, func(k string) string { return env[k] })
	}

	m, lines, logs := run(simAddr)
	if _, body := postGraphQL(t, m.URL(), lines["reader key"][0], runbookQuery); len(searchTitles(body)) == 0 {
		t.Fatalf("runbook search = %v, want titles", body)
	}
	if code, ready := testsupport.Get(t, m.URL()+"readyz"); code != http.StatusOK || !strings.Contains(ready, `"key_service":"ok"`) {
		t.Errorf("/readyz = %d %s, want 200 with key_service ok", code, ready)
	}
	if !strings.Contains(logs.String(), "encrypting tokens with AWS KMS") || strings.Contains(logs.String(), "LOCAL MASTER KEY") {
		t.Errorf("logs do not say AWS KMS is used (or warn about a local key):\n%s", logs.String())
	}
	if _, err := os.Stat(env["CG_LOCAL_KEY_FILE"]); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("local master key file exists (%v); want none with CG_KMS_KEY_ID set", err)
	}
	// The stored envelope names the KMS key, and holds no token bytes.
	rec, err := m.app.Store().GetIntegration(t.Context(), demoTenant)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(rec.EncryptedToken, []byte(localkmstest.KeyARN)) {
		t.Errorf("stored envelope does not name the KMS key %s", localkmstest.KeyARN)
	}
	if tok := m.sim.Account("classic").Token; bytes.Contains(rec.EncryptedToken, []byte(tok)) {
		t.Errorf("stored envelope contains the token")
	}
	if err := m.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}

	// A second replica-like run decrypts the stored credential through KMS.
	m2, lines2, logs2 := run(simAddr)
	if !strings.Contains(logs2.String(), "demo tenant already connected") {
		t.Errorf("second run did not keep the stored connection:\n%s", logs2.String())
	}
	if _, body := postGraphQL(t, m2.URL(), lines2["reader key"][0], runbookQuery); len(searchTitles(body)) == 0 {
		t.Errorf("second run's search = %v, want titles", body)
	}

	// With KMS gone the service is not ready, and says which part failed.
	kms.Stop()
	if code, ready := testsupport.Get(t, m2.URL()+"readyz"); code != http.StatusServiceUnavailable ||
		!strings.Contains(ready, `"key_service":"unavailable"`) || !strings.Contains(ready, `"store":"ok"`) {
		t.Errorf("/readyz with KMS stopped = %d %s, want 503 naming key_service only", code, ready)
	}
}
