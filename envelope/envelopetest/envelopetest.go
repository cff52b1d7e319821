// Package envelopetest is the conformance suite every envelope.KeyService
// passes: round trips through envelope.Envelope, fresh keys per write,
// context binding, and rejection of tampered, truncated and unknown-version
// blobs. It is for tests only.
package envelopetest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/confluence-graph/confluence-graph/envelope"
)

// Token is the plaintext the suite seals; tests of blobs and errors search
// for it to prove it never leaks.
const Token = "ATATT3xFfGF0-suite-secret-token-4242"

// Base is the context the suite seals under.
var Base = envelope.Context{TenantID: "tenant-a", Purpose: "confluence-api-token", RecordID: "rec-1"}

// Run runs the suite against the key service that newKS returns; newKS is
// called once per subtest.
func Run(t *testing.T, newKS func(t *testing.T) envelope.KeyService) {
	t.Run("round trip", func(t *testing.T) {
		env := envelope.New(newKS(t))
		for _, plaintext := range [][]byte{[]byte(Token), {}, bytes.Repeat([]byte{0xA5}, 64<<10)} {
			blob, err := env.Encrypt(context.Background(), plaintext, Base)
			if err != nil {
				t.Fatalf("Encrypt(%d bytes): %v", len(plaintext), err)
			}
			got, err := env.Decrypt(context.Background(), blob, Base)
			if err != nil {
				t.Fatalf("Decrypt(%d bytes): %v", len(plaintext), err)
			}
			if !bytes.Equal(got, plaintext) {
				t.Errorf("Decrypt = %d bytes, want the %d bytes sealed", len(got), len(plaintext))
			}
		}
	})

	t.Run("blob does not contain the plaintext", func(t *testing.T) {
		env := envelope.New(newKS(t))
		blob := mustEncrypt(t, env)
		if bytes.Contains(blob, []byte(Token)) || bytes.Contains(blob, []byte(Token[len(Token)-8:])) {
			t.Fatal("blob contains plaintext bytes")
		}
	})

	t.Run("two encryptions of one plaintext differ in key, nonce and ciphertext", func(t *testing.T) {
		env := envelope.New(newKS(t))
		a, b := layoutOf(t, mustEncrypt(t, env)), layoutOf(t, mustEncrypt(t, env))
		for _, region := range []string{"wrapped data key", "nonce", "ciphertext"} {
			if bytes.Equal(a.field(region), b.field(region)) {
				t.Errorf("%s equal in two encryptions, want fresh per write", region)
			}
		}
		if !bytes.Equal(a.field("key id"), b.field("key id")) {
			t.Errorf("key id differs: %q vs %q, want the same master key", a.field("key id"), b.field("key id"))
		}
	})

	t.Run("other context fails with ErrDecrypt", func(t *testing.T) {
		env := envelope.New(newKS(t))
		blob := mustEncrypt(t, env)
		for _, tc := range []struct {
			name string
			c    envelope.Context
		}{
			{"other tenant", envelope.Context{TenantID: "tenant-b", Purpose: Base.Purpose, RecordID: Base.RecordID}},
			{"other purpose", envelope.Context{TenantID: Base.TenantID, Purpose: "other", RecordID: Base.RecordID}},
			{"other record", envelope.Context{TenantID: Base.TenantID, Purpose: Base.Purpose, RecordID: "rec-2"}},
			{"tenant case differs", envelope.Context{TenantID: "Tenant-a", Purpose: Base.Purpose, RecordID: Base.RecordID}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				got, err := env.Decrypt(context.Background(), blob, tc.c)
				assertDecryptErr(t, got, err)
			})
		}
	})

	t.Run("empty context field is refused", func(t *testing.T) {
		env := envelope.New(newKS(t))
		for _, c := range []envelope.Context{
			{Purpose: "p", RecordID: "r"}, {TenantID: "t", RecordID: "r"}, {TenantID: "t", Purpose: "p"},
		} {
			blob, err := env.Encrypt(context.Background(), []byte(Token), c)
			if !errors.Is(err, envelope.ErrInvalidContext) || blob != nil {
				t.Errorf("Encrypt(%+v) = %d bytes, %v; want nil, ErrInvalidContext", c, len(blob), err)
			}
		}
	})

	t.Run("tampered byte fails with ErrDecrypt", func(t *testing.T) {
		env := envelope.New(newKS(t))
		blob := mustEncrypt(t, env)
		l := layoutOf(t, blob)
		for i := range blob {
			tampered := bytes.Clone(blob)
			tampered[i] ^= 0x01
			got, err := env.Decrypt(context.Background(), tampered, Base)
			if got != nil || !errors.Is(err, envelope.ErrDecrypt) {
				t.Errorf("flip byte %d (%s): Decrypt = %d bytes, %v; want nil, ErrDecrypt", i, l.regionAt(i), len(got), err)
			}
			if err != nil && bytes.Contains([]byte(err.Error()), []byte(Token)) {
				t.Errorf("flip byte %d (%s): error contains the plaintext", i, l.regionAt(i))
			}
		}
	})

	t.Run("truncated or extended blob fails with ErrMalformed", func(t *testing.T) {
		env := envelope.New(newKS(t))
		blob := mustEncrypt(t, env)
		l := layoutOf(t, blob)
		for n := range len(blob) {
			got, err := env.Decrypt(context.Background(), blob[:n], Base)
			if got != nil || !errors.Is(err, envelope.ErrMalformed) {
				t.Errorf("first %d bytes (cut in %s): Decrypt = %d bytes, %v; want nil, ErrMalformed", n, l.regionAt(n), len(got), err)
			}
		}
		got, err := env.Decrypt(context.Background(), append(bytes.Clone(blob), 0), Base)
		if got != nil || !errors.Is(err, envelope.ErrMalformed) {
			t.Errorf("trailing byte: Decrypt = %d bytes, %v; want nil, ErrMalformed", len(got), err)
		}
	})

	t.Run("unknown version fails with ErrUnsupportedVersion", func(t *testing.T) {
		env := envelope.New(newKS(t))
		blob := mustEncrypt(t, env)
		for _, v := range []byte{0, 2, 0xFF} {
			other := bytes.Clone(blob)
			other[0] = v
			got, err := env.Decrypt(context.Background(), other, Base)
			if got != nil || !errors.Is(err, envelope.ErrUnsupportedVersion) || !errors.Is(err, envelope.ErrDecrypt) {
				t.Errorf("version %d: Decrypt = %d bytes, %v; want nil, ErrUnsupportedVersion (an ErrDecrypt)", v, len(got), err)
			}
		}
	})

	t.Run("ping succeeds", func(t *testing.T) {
		if err := envelope.New(newKS(t)).Ping(context.Background()); err != nil {
			t.Fatalf("Ping: %v", err)
		}
	})
}

func mustEncrypt(t *testing.T, env *envelope.Envelope) []byte {
	t.Helper()
	blob, err := env.Encrypt(context.Background(), []byte(Token), Base)
	if err != nil {
		t.Fatalf("Encrypt: %v", err)
	}
	return blob
}

func assertDecryptErr(t *testing.T, got []byte, err error) {
	t.Helper()
	if got != nil || !errors.Is(err, envelope.ErrDecrypt) {
		t.Fatalf("Decrypt = %d bytes, %v; want nil, ErrDecrypt", len(got), err)
	}
	if errors.Is(err, envelope.ErrKeyServiceUnavailable) {
		t.Errorf("error %v also matches ErrKeyServiceUnavailable, want only ErrDecrypt", err)
	}
	if bytes.Contains([]byte(err.Error()), []byte(Token)) {
		t.Error("error contains the plaintext")
	}
}

// layout records where each field of a version-1 blob lies, independently
// of the envelope package's parser, so tests can name the region they hit.
type layout struct {
	blob    []byte
	regions []region
}

type region struct {
	name       string
	start, end int
}

func layoutOf(t *testing.T, blob []byte) layout {
	t.Helper()
	l := layout{blob: blob}
	off := 0
	add := func(name string, n int) {
		if off+n > len(blob) {
			t.Fatalf("blob of %d bytes too short for %s at %d+%d", len(blob), name, off, n)
		}
		l.regions = append(l.regions, region{name, off, off + n})
		off += n
	}
	lenField := func(name string, size int) {
		add(name+" length", size)
		var n int
		for _, c := range blob[off-size : off] {
			n = n<<8 | int(c)
		}
		add(name, n)
	}
	add("version", 1)
	lenField("key id", 2)
	lenField("wrapped data key", 2)
	lenField("nonce", 1)
	lenField("ciphertext", 4)
	if off != len(blob) {
		t.Fatalf("layout covers %d of %d bytes", off, len(blob))
	}
	return l
}

func (l layout) field(name string) []byte {
	for _, r := range l.regions {
		if r.name == name {
			return l.blob[r.start:r.end]
		}
	}
	panic("envelopetest: no region " + name)
}

func (l layout) regionAt(i int) string {
	for _, r := range l.regions {
		if i >= r.start && i < r.end {
			return fmt.Sprintf("%s[%d]", r.name, i-r.start)
		}
	}
	return "end"
}
