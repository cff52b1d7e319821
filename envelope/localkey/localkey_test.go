package localkey_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/confluence-graph/confluence-graph/envelope"
	"github.com/confluence-graph/confluence-graph/envelope/envelopetest"
	"github.com/confluence-graph/confluence-graph/envelope/localkey"
)

func TestConformance(t *testing.T) {
	envelopetest.Run(t, func(t *testing.T) envelope.KeyService {
		return mustOpen(t, filepath.Join(t.TempDir(), "master.key"))
	})
}

func TestOpenCreatesKeyFileAndDirectory(t *testing.T) {
	path := filepath.Join(t.TempDir(), "data", "nested", "master.key")
	ks := mustOpen(t, path)
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := fi.Mode().Perm(), os.FileMode(0o600); got != want {
		t.Errorf("key file mode = %#o, want %#o", got, want)
	}
	if got, want := fi.Size(), int64(32); got != want {
		t.Errorf("key file size = %d, want %d", got, want)
	}
	dir, err := os.Stat(filepath.Dir(path))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := dir.Mode().Perm(), os.FileMode(0o700); got != want {
		t.Errorf("key directory mode = %#o, want %#o", got, want)
	}
	entries, err := os.ReadDir(filepath.Dir(path))
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 {
		t.Errorf("key directory holds %d entries, want only the key file (no temp files left)", len(entries))
	}
	if !strings.HasPrefix(ks.KeyID(), localkey.KeyIDPrefix) {
		t.Errorf("KeyID() = %q, want prefix %q", ks.KeyID(), localkey.KeyIDPrefix)
	}
}

func TestOpenReusesExistingKey(t *testing.T) {
	path := filepath.Join(t.TempDir(), "master.key")
	first := mustOpen(t, path)
	before, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	blob, err := envelope.New(first).Encrypt(context.Background(), []byte(envelopetest.Token), envelopetest.Base)
	if err != nil {
		t.Fatal(err)
	}

	second := mustOpen(t, path)
	after, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(before, after) {
		t.Error("second Open rewrote the key file")
	}
	if got, want := second.KeyID(), first.KeyID(); got != want {
		t.Errorf("second KeyID() = %q, want %q", got, want)
	}
	got, err := envelope.New(second).Decrypt(context.Background(), blob, envelopetest.Base)
	if err != nil {
		t.Fatalf("Decrypt with reopened key: %v", err)
	}
	if string(got) != envelopetest.Token {
		t.Error("Decrypt with reopened key returned other bytes than sealed")
	}
}

func TestBlobFromAnotherMasterKeyFails(t *testing.T) {
	a := mustOpen(t, filepath.Join(t.TempDir(), "a.key"))
	b := mustOpen(t, filepath.Join(t.TempDir(), "b.key"))
	blob, err := envelope.New(a).Encrypt(context.Background(), []byte(envelopetest.Token), envelopetest.Base)
	if err != nil {
		t.Fatal(err)
	}
	got, err := envelope.New(b).Decrypt(context.Background(), blob, envelopetest.Base)
	if got != nil || !errors.Is(err, envelope.ErrDecrypt) {
		t.Fatalf("Decrypt under other master key = %d bytes, %v; want nil, ErrDecrypt", len(got), err)
	}
	if !strings.Contains(err.Error(), a.KeyID()) || !strings.Contains(err.Error(), b.KeyID()) {
		t.Errorf("error %q does not name both key ids", err)
	}
}

func TestOpenRefusesBadKeyFile(t *testing.T) {
	tests := []struct {
		name    string
		mode    os.FileMode
		size    int
		wantErr string
	}{
		{"group readable", 0o640, 32, "mode 0640"},
		{"world readable", 0o604, 32, "mode 0604"},
		{"group writable", 0o620, 32, "mode 0620"},
		{"too short", 0o600, 31, "31 bytes, want 32"},
		{"too long", 0o600, 33, "33 bytes, want 32"},
		{"empty", 0o600, 0, "0 bytes, want 32"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "master.key")
			if err := os.WriteFile(path, bytes.Repeat([]byte{7}, tc.size), tc.mode); err != nil {
				t.Fatal(err)
			}
			if err := os.Chmod(path, tc.mode); err != nil { // beat the umask
				t.Fatal(err)
			}
			ks, err := localkey.Open(path)
			if err == nil || ks != nil {
				t.Fatalf("Open = %v, %v; want an error", ks, err)
			}
			if !strings.Contains(err.Error(), tc.wantErr) || !strings.Contains(err.Error(), path) {
				t.Errorf("error %q, want it to contain %q and the path", err, tc.wantErr)
			}
			got, err := os.ReadFile(path)
			if err != nil || !bytes.Equal(got, bytes.Repeat([]byte{7}, tc.size)) {
				t.Errorf("refused key file was changed (err %v)", err)
			}
		})
	}
}

func TestOpenAcceptsReadOnlyKeyFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "master.key")
	mustOpen(t, path)
	if err := os.Chmod(path, 0o400); err != nil {
		t.Fatal(err)
	}
	if _, err := localkey.Open(path); err != nil {
		t.Fatalf("Open of a 0400 key file: %v, want it accepted", err)
	}
}

func TestOpenRefusesDirectory(t *testing.T) {
	path := filepath.Join(t.TempDir(), "master.key")
	if err := os.Mkdir(path, 0o700); err != nil {
		t.Fatal(err)
	}
	if _, err := localkey.Open(path); err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Fatalf("Open of a directory: %v, want a not-a-regular-file error", err)
	}
}

func TestPing(t *testing.T) {
	tests := []struct {
		name   string
		change func(t *testing.T, path string)
		want   string // "" means Ping succeeds
	}{
		{"unchanged", func(*testing.T, string) {}, ""},
		{"removed", func(t *testing.T, path string) { must(t, os.Remove(path)) }, "no such file"},
		{"loosened", func(t *testing.T, path string) { must(t, os.Chmod(path, 0o644)) }, "mode 0644"},
		{"replaced", func(t *testing.T, path string) {
			must(t, os.Remove(path))
			must(t, os.WriteFile(path, bytes.Repeat([]byte{1}, 32), 0o600))
		}, "changed since start"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "master.key")
			ks := mustOpen(t, path)
			tc.change(t, path)
			err := envelope.New(ks).Ping(context.Background())
			if tc.want == "" {
				if err != nil {
					t.Fatalf("Ping: %v, want nil", err)
				}
				return
			}
			if !errors.Is(err, envelope.ErrKeyServiceUnavailable) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Ping: %v, want ErrKeyServiceUnavailable mentioning %q", err, tc.want)
			}
		})
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// mustOpen opens the key file at path, failing the test on error.
func mustOpen(t *testing.T, path string) *localkey.KeyService {
	t.Helper()
	ks, err := localkey.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	return ks
}
