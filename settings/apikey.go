package settings

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"strings"
	"time"
)

// Role is what an API key may do.
type Role string

// The roles.
const (
	// RoleReader may run queries for its tenant (the agent's key).
	RoleReader Role = "reader"
	// RoleAdmin may also run the settings mutations for its tenant.
	RoleAdmin Role = "admin"
)

// Valid reports whether r is one of the declared roles.
func (r Role) Valid() bool { return r == RoleReader || r == RoleAdmin }

// API key format: "cg_" + id + "_" + secret, both lowercase hex.
const (
	apiKeyPrefix    = "cg_"
	apiKeyIDBytes   = 8  // 64-bit id: public, names the key in lists and audit
	apiKeySecretLen = 32 // 256-bit secret: shown once, stored only as SHA-256
)

// APIKey is a caller credential bound to one tenant and one role. The
// record holds only the SHA-256 of the key's secret; the full key string
// exists once, as returned by NewAPIKey.
type APIKey struct {
	// ID is the public part of the key (16 lowercase hex characters).
	// Unique across all tenants.
	ID string
	// TenantID is the tenant the key acts for. Required.
	TenantID string
	// Role is what the key may do. Required.
	Role Role
	// SecretHash is SHA-256 of the key's secret part.
	SecretHash [sha256.Size]byte `json:"-"`
	// CreatedAt is set by the store when the key is created. UTC,
	// microsecond precision.
	CreatedAt time.Time
	// LastUsedAt is when the key last authenticated a request (set by
	// Store.TouchAPIKey); zero means never.
	LastUsedAt time.Time
	// RevokedAt is when the key was revoked; zero means active.
	RevokedAt time.Time
}

// Revoked reports whether k has been revoked.
func (k *APIKey) Revoked() bool { return !k.RevokedAt.IsZero() }

// Verify reports whether secret is the secret of k, comparing hashes in
// constant time. It does not look at RevokedAt.
func (k *APIKey) Verify(secret string) bool {
	h := HashAPIKeySecret(secret)
	return subtle.ConstantTimeCompare(h[:], k.SecretHash[:]) == 1
}

// Validate reports whether k may be stored. It returns an error wrapping
// ErrInvalid that names the first bad field.
func (k *APIKey) Validate() error {
	switch {
	case k == nil:
		return fmt.Errorf("%w: nil api key", ErrInvalid)
	case !validKeyPart(k.ID, apiKeyIDBytes):
		return fmt.Errorf("%w: api key id must be %d lowercase hex characters", ErrInvalid, 2*apiKeyIDBytes)
	case k.TenantID == "":
		return fmt.Errorf("%w: api key tenant id is empty", ErrInvalid)
	case !k.Role.Valid():
		return fmt.Errorf("%w: api key role %q is unknown", ErrInvalid, k.Role)
	case k.SecretHash == [sha256.Size]byte{}:
		return fmt.Errorf("%w: api key secret hash is empty", ErrInvalid)
	}
	return nil
}

// NewAPIKey makes a new key for tenantID with role, using crypto/rand. It
// returns the record to store (CreatedAt unset) and the full key string
// "cg_<id>_<secret>" to show the user once. The string is not kept
// anywhere. The error wraps ErrInvalid for an empty tenant or unknown role.
func NewAPIKey(tenantID string, role Role) (*APIKey, string, error) {
	if tenantID == "" {
		return nil, "", fmt.Errorf("%w: api key tenant id is empty", ErrInvalid)
	}
	if !role.Valid() {
		return nil, "", fmt.Errorf("%w: api key role %q is unknown", ErrInvalid, role)
	}
	id := make([]byte, apiKeyIDBytes)
	secret := make([]byte, apiKeySecretLen)
	// crypto/rand.Read never returns an error (it crashes the program
	// rather than return weak randomness).
	_, _ = rand.Read(id)
	_, _ = rand.Read(secret)
	k := &APIKey{
		ID:       hex.EncodeToString(id),
		TenantID: tenantID,
		Role:     role,
	}
	secretHex := hex.EncodeToString(secret)
	k.SecretHash = HashAPIKeySecret(secretHex)
	return k, apiKeyPrefix + k.ID + "_" + secretHex, nil
}

// ParseAPIKey splits a key string of the form "cg_<id>_<secret>" into its
// id and secret. It checks the shape only (prefix, lengths, lowercase hex);
// whether the key exists is for the store to say. The error wraps
// ErrMalformedKey and never contains s.
func ParseAPIKey(s string) (id, secret string, err error) {
	rest, ok := strings.CutPrefix(s, apiKeyPrefix)
	if !ok {
		return "", "", ErrMalformedKey
	}
	id, secret, ok = strings.Cut(rest, "_")
	if !ok || !validKeyPart(id, apiKeyIDBytes) || !validKeyPart(secret, apiKeySecretLen) {
		return "", "", ErrMalformedKey
	}
	return id, secret, nil
}

// HashAPIKeySecret returns the SHA-256 of a key's secret part, the value
// stored in APIKey.SecretHash.
func HashAPIKeySecret(secret string) [sha256.Size]byte {
	return sha256.Sum256([]byte(secret))
}

// validKeyPart reports whether s is exactly n bytes in lowercase hex.
func validKeyPart(s string, n int) bool {
	if len(s) != 2*n {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}
