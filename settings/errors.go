package settings

import "errors"

// Sentinel errors returned (wrapped) by Store implementations and by the
// helpers in this package. Test for them with errors.Is.
var (
	// ErrNotFound means the requested record does not exist for the
	// tenant (or at all, for lookups by key id).
	ErrNotFound = errors.New("settings: not found")

	// ErrConflict means a write would violate a unique constraint, such
	// as creating an API key whose id is already taken.
	ErrConflict = errors.New("settings: conflict")

	// ErrInvalid means a record was rejected before it was written
	// because a required field is missing or holds an unknown value.
	ErrInvalid = errors.New("settings: invalid record")

	// ErrMalformedKey means a string is not an API key of the form
	// cg_<id>_<secret>. The error never repeats the offending string.
	ErrMalformedKey = errors.New("settings: malformed api key")
)

// ErrNotConnected means the tenant has no Confluence integration
// (Service.Get, Service.Client). The GraphQL layer reports it as
// NOT_CONNECTED.
var ErrNotConnected = errors.New("settings: confluence is not connected for this tenant")

// ErrStale means a compare-and-set write (Store.PutIntegration with a
// Revision) was refused because the record changed, or was deleted, since
// the writer read it: nothing was written; re-read and decide.
var ErrStale = errors.New("settings: stale write: the record changed since it was read")

// ErrEncryptionUnavailable means the stored token cannot be opened because
// the key service (KMS) is unavailable: a temporary condition, worth a
// retry. Service.Client returns it wrapped together with the key
// service's error (which matches envelope.ErrKeyServiceUnavailable). The
// GraphQL layer reports it as ENCRYPTION_UNAVAILABLE, retryable.
var ErrEncryptionUnavailable = errors.New("settings: the key service is unavailable; the stored token cannot be opened")
