// Package localkey is an envelope.KeyService backed by a local master key
// file: 32 random bytes, mode 0600, created on first use. It is the embedded
// default for single-machine installs; anyone who can read the file can
// decrypt every blob sealed under it, so production should use
// envelope/awskms.
//
// Data keys are wrapped with AES-256-GCM under the master key, with the
// canonical encryption context (and the key id) as associated data.
package localkey

import (
	"bytes"
	"context"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"fmt"

	"github.com/confluence-graph/confluence-graph/envelope"
)

// KeyIDPrefix starts every key id this package produces; the rest is a
// fingerprint of the master key (a truncated SHA-256, which reveals nothing
// usable about the key).
const KeyIDPrefix = "local:"

const (
	wrapVersion byte = 1
	nonceSize   int  = 12
)

// KeyService wraps data keys under a master key read from a file. It is
// safe for concurrent use. The zero value is not usable; use [Open].
type KeyService struct {
	path  string
	key   []byte
	keyID string
	aead  cipher.AEAD
}

var _ envelope.KeyService = (*KeyService)(nil)

// Open loads the master key at path, first creating it (and its directory,
// mode 0700) with 32 random bytes and mode 0600 if it does not exist.
// It refuses a file whose permissions allow group or other access, that is
// not a regular file, or whose size is not 32 bytes; the error names the
// path and what to fix.
func Open(path string) (*KeyService, error) {
	key, err := loadOrCreate(path)
	if err != nil {
		return nil, err
	}
	aead, err := envelope.NewGCM(key)
	if err != nil {
		return nil, fmt.Errorf("localkey: %w", err)
	}
	return &KeyService{path: path, key: key, keyID: keyID(key), aead: aead}, nil
}

// KeyID returns the id stored in blobs sealed by this service:
// KeyIDPrefix followed by 16 hex digits of the master key's fingerprint.
func (s *KeyService) KeyID() string { return s.keyID }

// Path returns the master key file's path.
func (s *KeyService) Path() string { return s.path }

func keyID(key []byte) string {
	sum := sha256.Sum256(append([]byte("confluence-graph/localkey/id\x00"), key...))
	return KeyIDPrefix + hex.EncodeToString(sum[:8])
}

// GenerateDataKey returns 32 random bytes wrapped as
// version || nonce || AES-256-GCM(master, data key, ad(keyID, encCtx)).
// It does not fail.
func (s *KeyService) GenerateDataKey(_ context.Context, encCtx map[string]string) (envelope.DataKey, error) {
	dk := make([]byte, envelope.DataKeySize)
	rand.Read(dk)
	nonce := make([]byte, nonceSize)
	rand.Read(nonce)
	wrapped := append([]byte{wrapVersion}, nonce...)
	wrapped = s.aead.Seal(wrapped, nonce, dk, s.associatedData(encCtx))
	return envelope.DataKey{KeyID: s.keyID, Plaintext: dk, Wrapped: wrapped}, nil
}

// Decrypt unwraps a data key from GenerateDataKey. A key id other than this
// service's, a malformed or tampered wrapped key, or a different encCtx gives
// an error wrapping envelope.ErrDecrypt.
func (s *KeyService) Decrypt(_ context.Context, keyID string, wrapped []byte, encCtx map[string]string) ([]byte, error) {
	if keyID != s.keyID {
		return nil, fmt.Errorf("%w: blob was sealed under key %q but %s holds key %q; check --local-key-file",
			envelope.ErrDecrypt, keyID, s.path, s.keyID)
	}
	if len(wrapped) < 1+nonceSize || wrapped[0] != wrapVersion {
		return nil, fmt.Errorf("%w: malformed wrapped data key for key %q", envelope.ErrDecrypt, keyID)
	}
	nonce, sealed := wrapped[1:1+nonceSize], wrapped[1+nonceSize:]
	dk, err := s.aead.Open(nil, nonce, sealed, s.associatedData(encCtx))
	if err != nil {
		return nil, fmt.Errorf("%w: wrapped data key did not authenticate under key %q (tampered blob or different encryption context)",
			envelope.ErrDecrypt, keyID)
	}
	return dk, nil
}

// Ping re-reads the key file and checks that it still passes Open's checks
// and holds the key loaded at Open. Errors wrap
// envelope.ErrKeyServiceUnavailable.
func (s *KeyService) Ping(context.Context) error {
	key, err := load(s.path)
	if err != nil {
		return fmt.Errorf("%w: %w", envelope.ErrKeyServiceUnavailable, err)
	}
	defer clear(key)
	if subtle.ConstantTimeCompare(key, s.key) != 1 {
		return fmt.Errorf("%w: localkey: %s changed since start (was key %q); restore it or restart",
			envelope.ErrKeyServiceUnavailable, s.path, s.keyID)
	}
	return nil
}

func (s *KeyService) associatedData(encCtx map[string]string) []byte {
	var b bytes.Buffer
	b.WriteByte(wrapVersion)
	b.WriteString(s.keyID)
	b.WriteByte(0)
	b.Write(envelope.EncodeContext(encCtx))
	return b.Bytes()
}
