package envelope

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
)

// Envelope seals and opens blobs with data keys from a [KeyService].
// It is safe for concurrent use.
type Envelope struct {
	ks KeyService
}

// New returns an Envelope over ks, which must not be nil.
func New(ks KeyService) *Envelope {
	if ks == nil {
		panic("envelope: New with nil KeyService")
	}
	return &Envelope{ks: ks}
}

// Encrypt seals plaintext under a fresh data key bound to c and returns a
// version-1 blob (see the package doc). Every call generates a new data key
// and a random nonce, so equal plaintexts give different blobs.
//
// On error the blob is nil. Errors wrap [ErrInvalidContext] for an
// incomplete c or [ErrKeyServiceUnavailable] when no data key could be
// obtained. plaintext is never included in an error.
func (e *Envelope) Encrypt(ctx context.Context, plaintext []byte, c Context) ([]byte, error) {
	if err := c.validate(); err != nil {
		return nil, err
	}
	encCtx := c.Map()
	dk, err := e.ks.GenerateDataKey(ctx, encCtx)
	defer clear(dk.Plaintext)
	if err != nil {
		return nil, classify(err, ErrKeyServiceUnavailable)
	}
	if len(dk.Plaintext) != DataKeySize || len(dk.Wrapped) == 0 || dk.KeyID == "" {
		return nil, fmt.Errorf("%w: key service %T returned a %d-byte data key, %d-byte wrapped key, key id %q; want %d, >0, non-empty",
			ErrKeyServiceUnavailable, e.ks, len(dk.Plaintext), len(dk.Wrapped), dk.KeyID, DataKeySize)
	}
	aead, err := NewGCM(dk.Plaintext)
	if err != nil {
		return nil, err
	}
	nonce := make([]byte, nonceSize)
	rand.Read(nonce) // never fails (crypto/rand, Go 1.24+)
	b := blob{keyID: dk.KeyID, wrapped: dk.Wrapped, nonce: nonce}
	b.sealed = aead.Seal(nil, nonce, plaintext, associatedData(b, encCtx))
	return b.marshal()
}

// Decrypt opens a blob made by Encrypt with the same c. The returned slice
// is the caller's; zero it when done if practical.
//
// Errors wrap [ErrInvalidContext]; [ErrMalformed] or [ErrUnsupportedVersion]
// (checked before any key service call); [ErrDecrypt] for a tampered blob, a
// different context or master key; or [ErrKeyServiceUnavailable] when the key
// service could not be asked. errors.Is tells them apart.
func (e *Envelope) Decrypt(ctx context.Context, in []byte, c Context) ([]byte, error) {
	if err := c.validate(); err != nil {
		return nil, err
	}
	b, err := parseBlob(in)
	if err != nil {
		return nil, err
	}
	encCtx := c.Map()
	key, err := e.ks.Decrypt(ctx, b.keyID, b.wrapped, encCtx)
	defer clear(key)
	if err != nil {
		return nil, classify(err, ErrKeyServiceUnavailable)
	}
	if len(key) != DataKeySize {
		return nil, fmt.Errorf("%w: key %q unwrapped to %d bytes, want %d", ErrDecrypt, b.keyID, len(key), DataKeySize)
	}
	aead, err := NewGCM(key)
	if err != nil {
		return nil, err
	}
	plaintext, err := aead.Open(nil, b.nonce, b.sealed, associatedData(b, encCtx))
	if err != nil {
		return nil, fmt.Errorf("%w: ciphertext authentication failed (tampered blob or context other than %s/%s/%s)",
			ErrDecrypt, c.TenantID, c.Purpose, c.RecordID)
	}
	return plaintext, nil
}

// Ping reports whether the key service is usable, for readiness checks.
// A non-nil error wraps [ErrKeyServiceUnavailable].
func (e *Envelope) Ping(ctx context.Context) error {
	if err := e.ks.Ping(ctx); err != nil {
		return classify(err, ErrKeyServiceUnavailable)
	}
	return nil
}

// classify keeps an error that a key service already classified and wraps
// any other one in fallback.
func classify(err, fallback error) error {
	if errors.Is(err, ErrKeyServiceUnavailable) || errors.Is(err, ErrDecrypt) {
		return err
	}
	return fmt.Errorf("%w: %w", fallback, err)
}

// associatedData is the GCM associated data: the format version, the key id
// and the wrapped data key (each length-prefixed), then the canonical
// encryption context. Authenticating the header as well as the context means
// any change to any byte of a blob fails locally, whatever the key service
// checks on its side.
func associatedData(b blob, encCtx map[string]string) []byte {
	ad := []byte{Version1}
	ad = binary.AppendUvarint(ad, uint64(len(b.keyID)))
	ad = append(ad, b.keyID...)
	ad = binary.AppendUvarint(ad, uint64(len(b.wrapped)))
	ad = append(ad, b.wrapped...)
	return append(ad, EncodeContext(encCtx)...)
}

// NewGCM returns AES-GCM (standard nonce and tag sizes) under key, which is 16, 24 or 32 bytes
// (AES-128, -192 or -256): the AEAD that seals blobs under their data keys, and that
// envelope/localkey wraps data keys with. The error for a key of another size is prefixed
// "envelope:".
func NewGCM(key []byte) (cipher.AEAD, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("envelope: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("envelope: %w", err)
	}
	return aead, nil
}
