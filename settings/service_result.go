package settings

import "strings"

// ErrorCode classifies a UserError. The values match the GraphQL
// UserErrorCode enum.
type ErrorCode string

// The user error codes the Service returns.
const (
	// CodeInvalidDomain: the domain is not a valid host name (port,
	// userinfo, query, path, bad characters).
	CodeInvalidDomain ErrorCode = "INVALID_DOMAIN"
	// CodeDomainNotAllowed: a well-formed host that is not an Atlassian
	// Cloud site, an IP address, or a name that resolves to a private one.
	CodeDomainNotAllowed ErrorCode = "DOMAIN_NOT_ALLOWED"
	// CodeInvalidEmail: the email is not a bare address.
	CodeInvalidEmail ErrorCode = "INVALID_EMAIL"
	// CodeInvalidCredentials: Confluence rejected the email and token.
	CodeInvalidCredentials ErrorCode = "INVALID_CREDENTIALS"
	// CodeMissingScopes: a scoped token lacks scopes the service needs;
	// the hints name each one.
	CodeMissingScopes ErrorCode = "MISSING_SCOPES"
	// CodeSiteNotFound: no Confluence site answers at the domain.
	CodeSiteNotFound ErrorCode = "SITE_NOT_FOUND"
	// CodeConnectionTimeout: the site did not answer (timeout, refused
	// connection, 5xx).
	CodeConnectionTimeout ErrorCode = "CONNECTION_TIMEOUT"
	// CodeRateLimited: Confluence rate-limited the validation.
	CodeRateLimited ErrorCode = "RATE_LIMITED"
	// CodeEncryptionUnavailable: the key service is down; nothing was
	// stored (or the stored token could not be opened).
	CodeEncryptionUnavailable ErrorCode = "ENCRYPTION_UNAVAILABLE"
	// CodeNotConnected: there is no stored integration to update or test.
	CodeNotConnected ErrorCode = "NOT_CONNECTED"
	// CodeTokenRequired: a new domain or email was given without a new
	// token (a token is bound to the site and account it was validated
	// for), or the token is empty.
	CodeTokenRequired ErrorCode = "TOKEN_REQUIRED"
	// CodeConflict: the stored integration changed (another request, or
	// another replica) while this change was being validated, in a way
	// the change depended on; nothing was written.
	CodeConflict ErrorCode = "CONFLICT"
)

// UserError is an expected problem the user can fix: bad input, rejected
// credentials, a missing scope, an unreachable site. It never contains the
// token. UserError implements error so it can be logged or wrapped, but the
// Service returns it in Result.UserErrors, not as an error.
type UserError struct {
	// Field is the input path at fault, e.g. ["input", "domain"]; nil when
	// the problem is not one field.
	Field []string
	// Code classifies the problem.
	Code ErrorCode
	// Message is a sentence for the settings page.
	Message string
	// Hints are concrete steps that fix it (never nil in Results).
	Hints []string
}

// Error implements error.
func (e *UserError) Error() string { return "settings: " + string(e.Code) + ": " + e.Message }

// Result is the outcome of Connect, Update and Test.
type Result struct {
	// Integration is the stored integration after the call (EncryptedToken
	// cleared); nil when nothing is stored (a failed Connect, or Test and
	// Update of a tenant with no integration). A failed Update leaves and
	// returns nil; a failed Test returns the record with its new status.
	Integration *Integration
	// UserErrors lists what the user must fix; empty on success.
	UserErrors []UserError
}

// OK reports whether the call succeeded without user errors.
func (r Result) OK() bool { return len(r.UserErrors) == 0 }

// Codes returns the codes of r's user errors, in order.
func (r Result) Codes() []ErrorCode {
	out := make([]ErrorCode, 0, len(r.UserErrors))
	for _, e := range r.UserErrors {
		out = append(out, e.Code)
	}
	return out
}

// codesString joins codes for audit details.
func codesString(errs []UserError) string {
	parts := make([]string, 0, len(errs))
	for _, e := range errs {
		parts = append(parts, string(e.Code))
	}
	return strings.Join(parts, ",")
}

// Invalid-credentials hints: the three likely causes of a rejected email and token.
var invalidCredentialHints = []string{
	"Check that the email is the one of the Atlassian account that created the token (the token only works with its own account's email).",
	"Check that the token has not expired or been revoked at id.atlassian.com/manage-profile/security/api-tokens; create a new one if needed.",
	"Check that the token was created for an account with access to this site (a token of another account or another site is rejected).",
}

func invalidCredentials(msg string) UserError {
	return UserError{Field: []string{"input", "apiToken"}, Code: CodeInvalidCredentials, Message: msg,
		Hints: append([]string(nil), invalidCredentialHints...)}
}
