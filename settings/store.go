package settings

import "context"

// Store persists integrations, API keys and the audit log. Its consumers
// are the settings service and the server's authentication.
//
// Contract shared by every implementation (settingstest checks it):
//
//   - A Store is safe for concurrent use by multiple goroutines and, for
//     shared databases, by multiple processes.
//   - Every method that takes a tenant id reads or changes only that
//     tenant's rows. Methods keyed by API key id alone (GetAPIKey,
//     TouchAPIKey) serve authentication, where the key names the tenant.
//   - Each write is atomic: it takes effect entirely or not at all. A
//     write that fails (invalid record, constraint violation, cancelled
//     context, lost connection) leaves the previous state intact.
//   - Errors wrap ErrNotFound, ErrConflict, ErrStale or ErrInvalid where the method
//     says so, or the context's error when ctx ends; anything else is an
//     unexpected storage failure. Errors never contain tokens, secrets,
//     hashes or encrypted blobs.
//   - Times are stored and returned in UTC, truncated to microseconds.
//     Store-kept times (CreatedAt, UpdatedAt, LastUsedAt, RevokedAt, At)
//     come from the store's clock.
//   - Returned records are fresh copies owned by the caller.
type Store interface {
	// GetIntegration returns the tenant's integration, or an error
	// wrapping ErrNotFound if it has none.
	GetIntegration(ctx context.Context, tenantID string) (*Integration, error)

	// ListIntegrations returns up to limit integrations (every one when
	// limit <= 0) of tenants whose id sorts after afterTenantID ("" starts
	// at the first), ordered by tenant id, for paging through every
	// tenant's record. It is meant for operators (re-encrypting tokens).
	ListIntegrations(ctx context.Context, afterTenantID string, limit int) ([]Integration, error)

	// PutIntegration stores in as the whole integration of in.TenantID,
	// replacing any previous one field for field (concurrent puts never
	// mix fields), and appends audit (when not nil) in the same
	// transaction: both are written or neither is.
	//
	// The put is compare-and-set on in.Revision, the revision of the
	// record the write is based on: when it is not 0 and differs from the
	// stored revision (or nothing is stored), nothing is written and the
	// error wraps ErrStale. In.Revision 0 replaces whatever is stored (a
	// write based on nothing read, such as a new connection).
	//
	// It keeps CreatedAt of an existing record, sets UpdatedAt, takes the
	// tenant's next Revision, bumps CredentialVersion when EncryptedToken
	// differs from the stored one (or there is none), and writes these
	// four values back into in; audit gets Revision and CredentialVersion
	// and, like AppendAudit, its ID and At. It returns an error wrapping
	// ErrInvalid, without writing, if in.Validate or audit.Validate
	// fails or audit names another tenant.
	PutIntegration(ctx context.Context, in *Integration, audit *AuditEvent) error

	// DeleteIntegration removes the tenant's integration and appends
	// audit (when not nil) in the same transaction. The delete takes the
	// tenant's next revision, which audit gets with the deleted record's
	// CredentialVersion. The tenant's revision and credential version
	// counters survive, so a later put continues from them. It returns
	// an error wrapping ErrNotFound, writing nothing (no audit either),
	// if there was none, and ErrInvalid as PutIntegration does for audit.
	DeleteIntegration(ctx context.Context, tenantID string, audit *AuditEvent) error

	// CreateAPIKey stores a new key and sets k.CreatedAt. LastUsedAt and
	// RevokedAt are stored as given (normally zero). It returns an error
	// wrapping ErrInvalid if k.Validate fails and ErrConflict if a key
	// with k.ID exists (in any tenant); the existing key is unchanged.
	CreateAPIKey(ctx context.Context, k *APIKey) error

	// GetAPIKey returns the key with id whatever its tenant, revoked or
	// not, or an error wrapping ErrNotFound.
	GetAPIKey(ctx context.Context, id string) (*APIKey, error)

	// ListAPIKeys returns the tenant's keys, revoked ones included,
	// oldest first. An empty tenant id is an error wrapping ErrInvalid
	// (use ListAllAPIKeys to see every tenant's keys).
	ListAPIKeys(ctx context.Context, tenantID string) ([]APIKey, error)

	// ListAllAPIKeys returns every tenant's keys, ordered by tenant id,
	// then oldest first. It is meant for operators (the CLI).
	ListAllAPIKeys(ctx context.Context) ([]APIKey, error)

	// RevokeAPIKey marks the tenant's key id revoked now. Revoking a
	// revoked key succeeds and keeps the first RevokedAt. It returns an
	// error wrapping ErrNotFound if the tenant has no such key.
	RevokeAPIKey(ctx context.Context, tenantID, id string) error

	// TouchAPIKey sets the key's LastUsedAt to now. Callers should
	// throttle it (it is a write). It returns an error wrapping
	// ErrNotFound if no key has id.
	TouchAPIKey(ctx context.Context, id string) error

	// AppendAudit appends e to its tenant's audit log and sets e.ID and
	// e.At. It is for events that change no record (a refused or failed
	// attempt); a change's event goes with the change (PutIntegration,
	// DeleteIntegration). It returns an error wrapping ErrInvalid if e.Validate fails.
	// There is no way to change or remove an appended event.
	AppendAudit(ctx context.Context, e *AuditEvent) error

	// ListAudit returns the tenant's audit events in append order (by
	// ascending ID), windowed by opts. An empty tenant id is an error
	// wrapping ErrInvalid.
	ListAudit(ctx context.Context, tenantID string, opts AuditListOptions) ([]AuditEvent, error)

	// Ping reports whether the database is reachable (for /readyz).
	Ping(ctx context.Context) error

	// Close releases the database. Calls after Close fail.
	Close() error
}
