package settings

import (
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Audit outcomes. Action names are fixed by the code that records events
// (for example "integration.connect", "apikey.create"), never taken from a
// request.
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

// Bounds of an audit event's fields, so that the log holds facts of a
// known shape and size, never a request's free text.
const (
	// MaxAuditDetail is the longest Detail, in bytes.
	MaxAuditDetail = 512
	// maxAuditName bounds TenantID, ActorKeyID, Action and Outcome.
	maxAuditName = 128
)

var (
	// auditActionRE is the shape of an action name: dotted lower-case
	// words, such as "integration.connect".
	auditActionRE = regexp.MustCompile(`^[a-z][a-z0-9_]*(\.[a-z0-9][a-z0-9_-]*)+$`)
	// auditWordRE is the shape of an outcome: one lower-case word.
	auditWordRE = regexp.MustCompile(`^[a-z][a-z_]*$`)
)

// Validate reports whether e may be appended: TenantID, Action and
// Outcome set; Action dotted lower-case words ("integration.connect") and
// Outcome one lower-case word, each at most 128 bytes; TenantID and
// ActorKeyID at most 128 bytes of printable text; Detail at most
// MaxAuditDetail bytes of printable UTF-8 (no control characters). It
// returns an error wrapping ErrInvalid that names the first bad field
// (never its value).
func (e *AuditEvent) Validate() error {
	switch {
	case e == nil:
		return fmt.Errorf("%w: nil audit event", ErrInvalid)
	case e.TenantID == "":
		return fmt.Errorf("%w: audit event tenant id is empty", ErrInvalid)
	case !printable(e.TenantID, maxAuditName):
		return fmt.Errorf("%w: audit event tenant id is over %d bytes or not printable", ErrInvalid, maxAuditName)
	case !printable(e.ActorKeyID, maxAuditName):
		return fmt.Errorf("%w: audit event actor key id is over %d bytes or not printable", ErrInvalid, maxAuditName)
	case e.Action == "":
		return fmt.Errorf("%w: audit event action is empty", ErrInvalid)
	case len(e.Action) > maxAuditName || !auditActionRE.MatchString(e.Action):
		return fmt.Errorf("%w: audit event action is not a dotted lower-case name of at most %d bytes", ErrInvalid, maxAuditName)
	case e.Outcome == "":
		return fmt.Errorf("%w: audit event outcome is empty", ErrInvalid)
	case len(e.Outcome) > maxAuditName || !auditWordRE.MatchString(e.Outcome):
		return fmt.Errorf("%w: audit event outcome is not a lower-case word of at most %d bytes", ErrInvalid, maxAuditName)
	case !printable(e.Detail, MaxAuditDetail):
		return fmt.Errorf("%w: audit event detail is over %d bytes or not printable UTF-8", ErrInvalid, MaxAuditDetail)
	}
	return nil
}

// printable reports whether s is valid UTF-8 of at most max bytes without
// control characters.
func printable(s string, max int) bool {
	return len(s) <= max && utf8.ValidString(s) && strings.IndexFunc(s, unicode.IsControl) < 0
}

// BoundAuditDetail returns s as a valid Detail: invalid UTF-8 and control
// characters replaced by '?', then cut (on a character boundary, marked
// with "…") to at most MaxAuditDetail bytes.
func BoundAuditDetail(s string) string {
	s = strings.Map(func(r rune) rune {
		if r == utf8.RuneError || unicode.IsControl(r) {
			return '?'
		}
		return r
	}, strings.ToValidUTF8(s, "?"))
	if len(s) <= MaxAuditDetail {
		return s
	}
	const mark = "…"
	cut := MaxAuditDetail - len(mark)
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + mark
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
