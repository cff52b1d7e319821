package main

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/confluence-graph/confluence-graph/app"
	"github.com/confluence-graph/confluence-graph/settings"
)

// apikeyRun runs `apikey args...` with CG_DATABASE_URL=dsn.
func apikeyRun(t *testing.T, dsn string, args ...string) (string, string, error) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	getenv := func(k string) string {
		if k == databaseEnv {
			return dsn
		}
		return ""
	}
	err := runAPIKey(t.Context(), args, getenv, &stdout, &stderr)
	return stdout.String(), stderr.String(), err
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return lines[len(lines)-1]
}

func TestAPIKeyCreateListRevoke(t *testing.T) {
	dsn := filepath.Join(t.TempDir(), "cg.db")

	out, _, err := apikeyRun(t, dsn, "create", "--tenant", "acme", "--role", "admin")
	if err != nil {
		t.Fatalf("create = %v", err)
	}
	key := lastLine(out)
	id, secret, err := settings.ParseAPIKey(key)
	if err != nil {
		t.Fatalf("last line %q is not an API key: %v", key, err)
	}
	out2, _, err := apikeyRun(t, dsn, "create", "--tenant", "other", "--role", "reader")
	if err != nil {
		t.Fatal(err)
	}
	otherID, _, _ := settings.ParseAPIKey(lastLine(out2))

	store, err := app.OpenStore(t.Context(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	rec, err := store.GetAPIKey(t.Context(), id)
	if err != nil {
		t.Fatalf("GetAPIKey = %v", err)
	}
	if rec.TenantID != "acme" || rec.Role != settings.RoleAdmin || !rec.Verify(secret) {
		t.Errorf("stored key = %+v; want tenant acme, admin, verifying the printed secret", rec)
	}
	_ = store.Close()

	list, _, err := apikeyRun(t, dsn, "list")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{id, otherID, "acme", "other", "admin", "reader"} {
		if !strings.Contains(list, want) {
			t.Errorf("list lacks %q:\n%s", want, list)
		}
	}
	if strings.Contains(list, secret) || strings.Contains(list, key) {
		t.Errorf("list prints a secret:\n%s", list)
	}
	only, _, err := apikeyRun(t, dsn, "list", "--tenant", "acme")
	if err != nil || strings.Contains(only, otherID) || !strings.Contains(only, id) {
		t.Errorf("list --tenant acme = %q, %v; want only acme's key", only, err)
	}

	if _, _, err := apikeyRun(t, dsn, "revoke", "--id", id); err != nil {
		t.Fatalf("revoke = %v", err)
	}
	store, err = app.OpenStore(t.Context(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	rec, err = store.GetAPIKey(t.Context(), id)
	if err != nil || !rec.Revoked() {
		t.Errorf("after revoke: %+v, %v; want revoked", rec, err)
	}
	if rec, _ := store.GetAPIKey(t.Context(), otherID); rec == nil || rec.Revoked() {
		t.Errorf("revoke touched another tenant's key")
	}
	events, err := store.ListAudit(t.Context(), "acme", settings.AuditListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range events {
		actions = append(actions, e.Action)
		if strings.Contains(e.Detail, secret) {
			t.Errorf("audit detail %q contains the secret", e.Detail)
		}
	}
	if got, want := strings.Join(actions, ","), "apikey.create,apikey.revoke"; got != want {
		t.Errorf("audit actions = %s; want %s", got, want)
	}
	raw, err := os.ReadFile(dsn)
	if err != nil {
		t.Fatal(err)
	}
	if wal, err := os.ReadFile(dsn + "-wal"); err == nil {
		raw = append(raw, wal...)
	}
	if !bytes.Contains(raw, []byte(id)) {
		t.Fatalf("database files do not contain the key id; the grep proves nothing")
	}
	if bytes.Contains(raw, []byte(secret)) {
		t.Errorf("database file contains the key secret")
	}
}

func TestAPIKeyUsageErrors(t *testing.T) {
	dsn := filepath.Join(t.TempDir(), "cg.db")
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"NoSubcommand", nil, "usage: confluence-graph apikey"},
		{"UnknownSubcommand", []string{"rotate"}, `unknown subcommand "rotate"`},
		{"CreateWithoutRole", []string{"create", "--tenant", "acme"}, "--role reader|admin"},
		{"CreateBadRole", []string{"create", "--tenant", "acme", "--role", "owner"}, "--role reader|admin"},
		{"CreateBadTenant", []string{"create", "--tenant", "a b", "--role", "reader"}, "--tenant must be"},
		{"RevokeWithoutID", []string{"revoke"}, "--id is required"},
		{"ExtraArgument", []string{"list", "extra"}, "unexpected arguments"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, stderr, err := apikeyRun(t, dsn, tc.args...)
			if !errors.Is(err, errUsage) {
				t.Errorf("error = %v; want errUsage", err)
			}
			if !strings.Contains(stderr, tc.want) {
				t.Errorf("stderr = %q; want it to contain %q", stderr, tc.want)
			}
		})
	}
	t.Run("RevokeUnknownID", func(t *testing.T) {
		_, _, err := apikeyRun(t, dsn, "revoke", "--id", "0123456789abcdef")
		if err == nil || errors.Is(err, errUsage) || !strings.Contains(err.Error(), "no key") {
			t.Errorf("error = %v; want a no-such-key error", err)
		}
	})
}

func TestAPIKeyDBFlagOverridesEnv(t *testing.T) {
	envDB := filepath.Join(t.TempDir(), "env.db")
	flagDB := filepath.Join(t.TempDir(), "flag.db")
	if _, _, err := apikeyRun(t, envDB, "create", "--db", flagDB, "--tenant", "acme", "--role", "reader"); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(envDB); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("env database was created (%v); want --db to win", err)
	}
	out, _, err := apikeyRun(t, flagDB, "list")
	if err != nil || !strings.Contains(out, "acme") {
		t.Errorf("list on the --db database = %q, %v; want the key", out, err)
	}
}

func TestOpenStoreSelectsPostgresByScheme(t *testing.T) {
	// An unreachable PostgreSQL URL must be tried as PostgreSQL (not created
	// as a SQLite file) and the error must not show the password.
	const pw = "s3cret-pw"
	_, err := app.OpenStore(t.Context(), "postgres://u:"+pw+"@127.0.0.1:1/db?sslmode=disable&connect_timeout=2")
	if err == nil || !strings.Contains(err.Error(), "PostgreSQL") || strings.Contains(err.Error(), pw) {
		t.Errorf("app.OpenStore(postgres://...) = %v; want a PostgreSQL error without the password", err)
	}
	if _, err := os.Stat("postgres:"); err == nil {
		t.Errorf("a file named postgres: was created")
	}
}
