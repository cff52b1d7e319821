package envelope_test

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/confluence-graph/confluence-graph/envelope"
	"github.com/confluence-graph/confluence-graph/envelope/envelopetest"
	"github.com/confluence-graph/confluence-graph/envelope/localkey"
)

func TestEncodeContext(t *testing.T) {
	tests := []struct {
		name string
		a, b map[string]string
		same bool
	}{
		{"same pairs, other insertion order",
			map[string]string{"tenant_id": "t", "purpose": "p", "record_id": "r"},
			map[string]string{"record_id": "r", "purpose": "p", "tenant_id": "t"}, true},
		{"separator moved between key and value",
			map[string]string{"a": "b=c"}, map[string]string{"a=b": "c"}, false},
		{"value moved to the next pair",
			map[string]string{"a": "bc", "d": ""}, map[string]string{"a": "b", "cd": ""}, false},
		{"values swapped",
			map[string]string{"tenant_id": "x", "record_id": "y"},
			map[string]string{"tenant_id": "y", "record_id": "x"}, false},
		{"extra empty pair", map[string]string{"a": "b"}, map[string]string{"a": "b", "": ""}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a, b := envelope.EncodeContext(tc.a), envelope.EncodeContext(tc.b)
			if got := bytes.Equal(a, b); got != tc.same {
				t.Errorf("equal encodings = %v, want %v (%q vs %q)", got, tc.same, a, b)
			}
		})
	}
}

func TestEncodeContextIsSorted(t *testing.T) {
	got := envelope.EncodeContext(map[string]string{"tenant_id": "t1", "purpose": "p", "record_id": "r9"})
	want := []byte("\x03\x07purpose\x01p\x09record_id\x02r9\x09tenant_id\x02t1")
	if !bytes.Equal(got, want) {
		t.Errorf("EncodeContext = %q, want %q", got, want)
	}
}

func TestContextMap(t *testing.T) {
	got := envelopetest.Base.Map()
	want := map[string]string{"tenant_id": "tenant-a", "purpose": "confluence-api-token", "record_id": "rec-1"}
	if len(got) != len(want) {
		t.Fatalf("Map() = %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("Map()[%q] = %q, want %q", k, got[k], v)
		}
	}
}

// recorder is a real local key service that remembers the plaintext data
// keys it hands out, so tests can check that Envelope zeroes them.
type recorder struct {
	*localkey.KeyService
	mu   sync.Mutex
	keys [][]byte
}

func (r *recorder) GenerateDataKey(ctx context.Context, encCtx map[string]string) (envelope.DataKey, error) {
	dk, err := r.KeyService.GenerateDataKey(ctx, encCtx)
	r.mu.Lock()
	r.keys = append(r.keys, dk.Plaintext)
	r.mu.Unlock()
	return dk, err
}

func (r *recorder) Decrypt(ctx context.Context, keyID string, wrapped []byte, encCtx map[string]string) ([]byte, error) {
	key, err := r.KeyService.Decrypt(ctx, keyID, wrapped, encCtx)
	r.mu.Lock()
	r.keys = append(r.keys, key)
	r.mu.Unlock()
	return key, err
}

func newRecorder(t *testing.T) *recorder {
	ks, err := localkey.Open(filepath.Join(t.TempDir(), "master.key"))
	if err != nil {
		t.Fatal(err)
	}
	return &recorder{KeyService: ks}
}

func TestDataKeysAreZeroedAfterUse(t *testing.T) {
	rec := newRecorder(t)
	env := envelope.New(rec)
	blob, err := env.Encrypt(context.Background(), []byte(envelopetest.Token), envelopetest.Base)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := env.Decrypt(context.Background(), blob, envelopetest.Base); err != nil {
		t.Fatal(err)
	}
	if got, want := len(rec.keys), 2; got != want {
		t.Fatalf("data keys handed out = %d, want %d", got, want)
	}
	for i, k := range rec.keys {
		if len(k) != envelope.DataKeySize || !bytes.Equal(k, make([]byte, envelope.DataKeySize)) {
			t.Errorf("data key %d = %x, want %d zero bytes after use", i, k, envelope.DataKeySize)
		}
	}
}

// broken is a key service that fails or misbehaves in a fixed way; real key
// services do not misbehave on demand, so this is the only stand-in here.
type broken struct {
	dk  envelope.DataKey
	err error
}

func (b broken) GenerateDataKey(context.Context, map[string]string) (envelope.DataKey, error) {
	return b.dk, b.err
}

func (b broken) Decrypt(context.Context, string, []byte, map[string]string) ([]byte, error) {
	return b.dk.Plaintext, b.err
}

func (b broken) Ping(context.Context) error { return b.err }

func TestMisbehavingKeyService(t *testing.T) {
	plain := errors.New("socket closed")
	tests := []struct {
		name    string
		ks      broken
		wantErr error
	}{
		{"unclassified error becomes unavailable", broken{err: plain}, envelope.ErrKeyServiceUnavailable},
		{"classified decrypt error is kept", broken{err: envelope.ErrDecrypt}, envelope.ErrDecrypt},
		{"short data key", broken{dk: envelope.DataKey{KeyID: "k", Plaintext: make([]byte, 16), Wrapped: []byte{1}}}, envelope.ErrKeyServiceUnavailable},
		{"no wrapped key", broken{dk: envelope.DataKey{KeyID: "k", Plaintext: make([]byte, 32)}}, envelope.ErrKeyServiceUnavailable},
		{"no key id", broken{dk: envelope.DataKey{Plaintext: make([]byte, 32), Wrapped: []byte{1}}}, envelope.ErrKeyServiceUnavailable},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			blob, err := envelope.New(tc.ks).Encrypt(context.Background(), []byte(envelopetest.Token), envelopetest.Base)
			if blob != nil || !errors.Is(err, tc.wantErr) {
				t.Fatalf("Encrypt = %d bytes, %v; want nil, %v", len(blob), err, tc.wantErr)
			}
			if strings.Contains(err.Error(), envelopetest.Token) {
				t.Error("error contains the plaintext")
			}
		})
	}
}

func TestDecryptRejectsWrongSizeKey(t *testing.T) {
	blob, err := envelope.New(newRecorder(t)).Encrypt(context.Background(), []byte(envelopetest.Token), envelopetest.Base)
	if err != nil {
		t.Fatal(err)
	}
	ks := broken{dk: envelope.DataKey{Plaintext: make([]byte, 16)}}
	got, err := envelope.New(ks).Decrypt(context.Background(), blob, envelopetest.Base)
	if got != nil || !errors.Is(err, envelope.ErrDecrypt) {
		t.Fatalf("Decrypt = %d bytes, %v; want nil, ErrDecrypt", len(got), err)
	}
}

// TestNewGCM: a 32-byte key gives AES-256-GCM with the standard 12-byte nonce and 16-byte
// tag, which opens what it sealed; a key of another size is refused with the package prefix.
func TestNewGCM(t *testing.T) {
	aead, err := envelope.NewGCM(make([]byte, 32))
	if err != nil {
		t.Fatal(err)
	}
	if aead.NonceSize() != 12 || aead.Overhead() != 16 {
		t.Fatalf("nonce %d, tag %d bytes; want 12 and 16", aead.NonceSize(), aead.Overhead())
	}
	nonce := make([]byte, 12)
	got, err := aead.Open(nil, nonce, aead.Seal(nil, nonce, []byte("x"), []byte("ad")), []byte("ad"))
	if err != nil || string(got) != "x" {
		t.Fatalf("Open = %q, %v; want x", got, err)
	}
	if _, err := envelope.NewGCM(make([]byte, 5)); err == nil || !strings.HasPrefix(err.Error(), "envelope: ") {
		t.Fatalf("NewGCM(5 bytes) error = %v, want one prefixed envelope:", err)
	}
}

func TestPingWrapsUnclassifiedErrors(t *testing.T) {
	err := envelope.New(broken{err: errors.New("no route")}).Ping(context.Background())
	if !errors.Is(err, envelope.ErrKeyServiceUnavailable) || !strings.Contains(err.Error(), "no route") {
		t.Fatalf("Ping = %v, want ErrKeyServiceUnavailable wrapping the cause", err)
	}
}

func TestErrorClasses(t *testing.T) {
	tests := []struct {
		err                         error
		decrypt, malformed, unavail bool
	}{
		{envelope.ErrDecrypt, true, false, false},
		{envelope.ErrMalformed, true, true, false},
		{envelope.ErrUnsupportedVersion, true, true, false},
		{envelope.ErrKeyServiceUnavailable, false, false, true},
	}
	for _, tc := range tests {
		if got := errors.Is(tc.err, envelope.ErrDecrypt); got != tc.decrypt {
			t.Errorf("errors.Is(%v, ErrDecrypt) = %v, want %v", tc.err, got, tc.decrypt)
		}
		if got := errors.Is(tc.err, envelope.ErrMalformed); got != tc.malformed {
			t.Errorf("errors.Is(%v, ErrMalformed) = %v, want %v", tc.err, got, tc.malformed)
		}
		if got := errors.Is(tc.err, envelope.ErrKeyServiceUnavailable); got != tc.unavail {
			t.Errorf("errors.Is(%v, ErrKeyServiceUnavailable) = %v, want %v", tc.err, got, tc.unavail)
		}
	}
}

// KeyIDOf names the master key of a blob without a key service, and refuses
// what is not a blob.
func TestKeyIDOf(t *testing.T) {
	ks, err := localkey.Open(filepath.Join(t.TempDir(), "master.key"))
	if err != nil {
		t.Fatal(err)
	}
	c := envelope.Context{TenantID: "t", Purpose: "p", RecordID: "r"}
	blob, err := envelope.New(ks).Encrypt(t.Context(), []byte("secret"), c)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := envelope.KeyIDOf(blob); err != nil || got != ks.KeyID() {
		t.Errorf("KeyIDOf = %q, %v; want %q", got, err, ks.KeyID())
	}
	if _, err := envelope.KeyIDOf(blob[:5]); !errors.Is(err, envelope.ErrMalformed) {
		t.Errorf("KeyIDOf(truncated) = %v; want ErrMalformed", err)
	}
	if _, err := envelope.KeyIDOf([]byte{9, 0}); !errors.Is(err, envelope.ErrUnsupportedVersion) {
		t.Errorf("KeyIDOf(version 9) = %v; want ErrUnsupportedVersion", err)
	}
}
