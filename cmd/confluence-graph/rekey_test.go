package main

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/confluence-graph/confluence-graph/app"
	"github.com/confluence-graph/confluence-graph/envelope"
	"github.com/confluence-graph/confluence-graph/envelope/awskms"
	"github.com/confluence-graph/confluence-graph/envelope/localkey"
	"github.com/confluence-graph/confluence-graph/envelope/localkmstest"
	"github.com/confluence-graph/confluence-graph/settings"
	"github.com/confluence-graph/confluence-graph/settings/postgres/pgtest"
)

// rekeyRun runs `confluence-graph rekey args...` with CG_DATABASE_URL=dsn
// and returns its output.
func rekeyRun(t *testing.T, dsn string, args ...string) (string, error) {
	t.Helper()
	t.Setenv(databaseEnv, dsn)
	t.Setenv("CG_KMS_KEY_ID", "")
	var out strings.Builder
	err := run(t.Context(), append([]string{"rekey"}, args...), &out, &out)
	return out.String(), err
}

// TestRekeyCommand moves a stored token from a local key file to AWS KMS
// (local-kms) and then to the second KMS key, on SQLite and PostgreSQL;
// a repeated run re-encrypts nothing.
func TestRekeyCommand(t *testing.T) {
	kms := localkmstest.Start(t)
	kms.SetEnv(t)
	pgDSN, _ := pgtest.Schema(t, "cg_rekey_")
	for name, dsn := range map[string]string{"SQLite": filepath.Join(t.TempDir(), "cg.db"), "PostgreSQL": pgDSN} {
		t.Run(name, func(t *testing.T) {
			keyFile := filepath.Join(t.TempDir(), "master.key")
			ks, err := localkey.Open(keyFile)
			if err != nil {
				t.Fatal(err)
			}
			store, err := app.OpenStore(t.Context(), dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer store.Close()
			blob, err := envelope.New(ks).Encrypt(t.Context(), []byte("the-token"), settings.TokenContext("acme"))
			if err != nil {
				t.Fatal(err)
			}
			rec := &settings.Integration{TenantID: "acme", Domain: "acme.atlassian.net", Email: "a@example.com",
				TokenType: settings.TokenClassic, EncryptedToken: blob, Status: settings.StatusConnected}
			if err := store.PutIntegration(t.Context(), rec, nil); err != nil {
				t.Fatal(err)
			}

			steps := []struct {
				args []string
				want string
				key  string
			}{
				{[]string{"--from-local-key-file", keyFile, "--kms-key-id", localkmstest.Alias}, "1 token(s) re-encrypted", localkmstest.KeyARN},
				{[]string{"--from-local-key-file", keyFile, "--kms-key-id", localkmstest.Alias}, "0 token(s) re-encrypted under " + localkmstest.KeyARN + ", 1 already", localkmstest.KeyARN},
				{[]string{"--from-kms-key-id", localkmstest.KeyID, "--kms-key-id", localkmstest.OtherKeyID}, "1 token(s) re-encrypted", "key/" + localkmstest.OtherKeyID},
			}
			for _, st := range steps {
				out, err := rekeyRun(t, dsn, st.args...)
				if err != nil || !strings.Contains(out, st.want) {
					t.Fatalf("rekey %q = %v, output:\n%s\nwant %q", st.args, err, out, st.want)
				}
				got, err := store.GetIntegration(t.Context(), "acme")
				if err != nil {
					t.Fatal(err)
				}
				if k, _ := envelope.KeyIDOf(got.EncryptedToken); !strings.HasSuffix(k, st.key) {
					t.Errorf("after rekey %q: token under %q; want %q", st.args, k, st.key)
				}
			}
			got, _ := store.GetIntegration(t.Context(), "acme")
			kks, err := awskms.Open(t.Context(), awskms.Config{KeyID: localkmstest.OtherKeyID})
			if err != nil {
				t.Fatal(err)
			}
			if tok, err := envelope.New(kks).Decrypt(t.Context(), got.EncryptedToken, settings.TokenContext("acme")); err != nil || string(tok) != "the-token" {
				t.Errorf("token after two moves = %q, %v; want the original", tok, err)
			}
		})
	}
}

func TestRekeyCommandUsage(t *testing.T) {
	dsn := filepath.Join(t.TempDir(), "cg.db")
	for _, args := range [][]string{
		nil,
		{"--from-kms-key-id", "k", "--from-local-key-file", "f"},
		{"--from-kms-key-id", "k", "extra"},
	} {
		if _, err := rekeyRun(t, dsn, args...); !errors.Is(err, errUsage) {
			t.Errorf("rekey %q = %v; want a usage error", args, err)
		}
	}
	missing := filepath.Join(t.TempDir(), "no-such.key")
	if _, err := rekeyRun(t, dsn, "--from-local-key-file", missing); err == nil || errors.Is(err, errUsage) {
		t.Errorf("rekey with a missing previous key file = %v; want an error", err)
	}
	if _, err := os.Stat(missing); !os.IsNotExist(err) {
		t.Errorf("rekey created the missing previous key file (%v)", err)
	}
}
