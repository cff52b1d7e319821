package envelope

import "context"

// DataKeySize is the size in bytes of an AES-256 data key.
const DataKeySize = 32

// DataKey is a fresh data key from [KeyService.GenerateDataKey].
type DataKey struct {
	// KeyID identifies the master key that wrapped the data key (for AWS KMS
	// the key ARN). It is stored in the blob and passed back to Decrypt.
	KeyID string
	// Plaintext is the DataKeySize-byte key. The caller zeroes it after use.
	Plaintext []byte
	// Wrapped is the data key encrypted under the master key.
	Wrapped []byte
}

// KeyService is the part of a key-management service that [Envelope] uses.
// Implementations must be safe for concurrent use and classify their errors:
// failures of the service itself wrap [ErrKeyServiceUnavailable], failures
// caused by the wrapped key or the context wrap [ErrDecrypt]. Errors never
// contain key material.
type KeyService interface {
	// GenerateDataKey returns a new AES-256 data key, wrapped under the
	// service's master key and bound to encCtx.
	GenerateDataKey(ctx context.Context, encCtx map[string]string) (DataKey, error)
	// Decrypt unwraps a data key produced by GenerateDataKey. keyID is the
	// DataKey.KeyID stored with it and encCtx must equal the context it was
	// generated with. The caller zeroes the returned key after use.
	Decrypt(ctx context.Context, keyID string, wrapped []byte, encCtx map[string]string) ([]byte, error)
	// Ping reports whether the service and its master key are usable now,
	// for readiness checks. It returns nil or an error wrapping
	// ErrKeyServiceUnavailable.
	Ping(ctx context.Context) error
}
