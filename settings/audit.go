package settings

import (
	"fmt"
	"time"
)

// Audit outcomes. Action names are chosen by the code that records events
// (for example "integration.connect", "apikey.create").
const (
	// OutcomeSuccess marks an action that took effect.
	OutcomeSuccess = "success"
	// OutcomeFailure marks an action that was attempted and did not take
	// effect (failed validation, unreachable site, ...).
	OutcomeFailure = "failure"
	// OutcomeDenied marks an action refused for lack of authorization.
	OutcomeDenied = "denied"
)

// AuditEvent is one entry of a tenant's append-only audit log of
// credential changes and validation attempts. Events are never updated or
// deleted. No field may hold a token, key secret or other credential.
type AuditEvent struct {
	// ID is assigned by the store on append; IDs grow in append order.
	ID int64
	// TenantID is the tenant the action concerned. Required.
	TenantID string
	// ActorKeyID is the id of the API key that requested the action;
	// empty for actions taken outside a request (the CLI).
	ActorKeyID string
	// Action names what was attempted. Required.
	Action string
	// Outcome is OutcomeSuccess, OutcomeFailure, OutcomeDenied or another
	// short word. Required.
	Outcome string
	// Detail is an optional, secret-free explanation (an error code, the
	// domain, the token hint).
	Detail string
	// Revision and CredentialVersion are set by the store for the event
	// of an integration change (PutIntegration, DeleteIntegration): the
	// record revision the change produced and the credential version it
	// stored (or deleted). Zero for events that changed no record; the
	// caller's values are ignored.
	Revision          int64
	CredentialVersion int64
	// At is set by the store on append. UTC, microsecond precision.
	At time.Time
}

// Validate reports whether e may be appended. It returns an error wrapping
// ErrInvalid that names the first bad field.
func (e *AuditEvent) Validate() error {
	switch {
	case e == nil:
		return fmt.Errorf("%w: nil audit event", ErrInvalid)
	case e.TenantID == "":
		return fmt.Errorf("%w: audit event tenant id is empty", ErrInvalid)
	case e.Action == "":
		return fmt.Errorf("%w: audit event action is empty", ErrInvalid)
	case e.Outcome == "":
		return fmt.Errorf("%w: audit event outcome is empty", ErrInvalid)
	}
	return nil
}

// AuditListOptions selects a window of a tenant's audit log.
type AuditListOptions struct {
	// AfterID returns only events with an ID greater than AfterID; zero
	// starts at the beginning.
	AfterID int64
	// Limit caps the number of events returned; zero or negative means
	// no cap.
	Limit int
}
