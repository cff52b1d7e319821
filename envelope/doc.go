// Package envelope seals small secrets (Confluence API tokens) at rest with
// envelope encryption: every Encrypt asks a [KeyService] for a fresh 256-bit
// data key, seals the plaintext locally with AES-256-GCM under that key and
// stores the key only in its wrapped (encrypted) form next to the ciphertext.
//
// The encryption context ({tenant_id, purpose, record_id}, see [Context]) is
// passed to the key service on both GenerateDataKey and Decrypt, and its
// canonical encoding is also part of the GCM associated data, so a blob copied to
// another tenant or record fails to open both at the key service and locally.
//
// Key services live in subpackages, each named for what it adapts:
// envelope/awskms (AWS KMS through aws-sdk-go-v2) and envelope/localkey (a
// local master key file, the embedded default). envelope/envelopetest holds
// the conformance suite both pass, and envelope/localkmstest runs
// nsmithuk/local-kms for the AWS tests.
//
// # Blob format, version 1
//
// All integers are big-endian; every variable field is length-prefixed:
//
//	version     1 byte   (0x01)
//	keyIDLen    uint16,  keyID      (the key service's key id, e.g. a KMS key ARN)
//	wrappedLen  uint16,  wrapped    (the encrypted data key)
//	nonceLen    uint8,   nonce      (12 bytes)
//	sealedLen   uint32,  sealed     (AES-256-GCM ciphertext || 16-byte tag)
//
// The GCM associated data is the version, key id and wrapped key (each
// length-prefixed) followed by [EncodeContext] of the context, so every byte
// of a blob is authenticated locally, not only by the key service.
//
// Trailing bytes, short fields and unknown versions are rejected with
// [ErrMalformed] or [ErrUnsupportedVersion] before any key service call.
//
// Decrypted tokens may be kept in process with [Cache].
package envelope
