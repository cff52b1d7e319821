package settings

import (
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/confluence-graph/confluence-graph/readpolicy"
)

// TokenType says how a Confluence API token authenticates. It is detected
// when the credential is validated, never chosen by the user.
type TokenType string

// The token types. Their values match the GraphQL TokenType enum.
const (
	// TokenClassic is an unscoped API token used against the site host
	// (https://<site>.atlassian.net/wiki/...).
	TokenClassic TokenType = "CLASSIC"
	// TokenScoped is a scoped API token used through the API gateway
	// (https://api.atlassian.com/ex/confluence/<cloudId>/...).
	TokenScoped TokenType = "SCOPED"
)

// Valid reports whether t is one of the declared token types.
func (t TokenType) Valid() bool { return t == TokenClassic || t == TokenScoped }

// Status is the outcome of the last validation of an integration's
// credential, in the spelling of the GraphQL IntegrationStatus enum (which
// may expose a subset). The store accepts any non-empty value, so a new
// status needs no migration.
type Status string

// The statuses an integration is stored with.
const (
	// StatusConnected means the last validation succeeded.
	StatusConnected Status = "CONNECTED"
	// StatusInvalidCredentials means Confluence rejected the email and
	// token (expired, revoked, or not matching).
	StatusInvalidCredentials Status = "INVALID_CREDENTIALS"
	// StatusMissingScopes means the credential works but lacks a scope
	// the service needs.
	StatusMissingScopes Status = "MISSING_SCOPES"
	// StatusUnreachable means the site could not be reached or timed out.
	StatusUnreachable Status = "UNREACHABLE"
)

// Capability is one probed ability of a credential, such as reading spaces
// or searching, with the scope a scoped token needs for it.
type Capability struct {
	// Name identifies the capability, e.g. "READ_SPACES" or "SEARCH".
	Name string `json:"name"`
	// OK reports whether the probe succeeded.
	OK bool `json:"ok"`
	// RequiredScope is the Atlassian scope the capability needs, e.g.
	// "search:confluence". Empty when no specific scope applies.
	RequiredScope string `json:"requiredScope,omitempty"`
	// Detail is a short, secret-free explanation of a failed probe.
	Detail string `json:"detail,omitempty"`
	// Degraded reports a failed capability whose fields are served through
	// a fallback route (the page tree through CQL search).
	Degraded bool `json:"degraded,omitempty"`
	// AffectedFields names the GraphQL fields ("Page.children") a failed
	// capability degrades or makes unavailable; nil when OK.
	AffectedFields []string `json:"affectedFields,omitempty"`
}

// Integration is one tenant's connection to its Confluence Cloud site. A
// tenant has at most one. The token is held only as an envelope blob
// produced by the caller; no field ever holds the plaintext token.
//
// An Integration is a plain value: it is not safe for concurrent mutation.
// Its String and LogValue methods omit EncryptedToken.
type Integration struct {
	// TenantID owns the record. Required.
	TenantID string
	// Domain is the bare site host, e.g. "acme.atlassian.net". Required.
	Domain string
	// Email is the Atlassian account email paired with the token. Required.
	Email string
	// TokenType is the detected token type. Required.
	TokenType TokenType
	// CloudID is the site's cloud id; set for scoped tokens, may be empty
	// for classic ones.
	CloudID string
	// EncryptedToken is the envelope that holds the Confluence token
	// (see package envelope). Required and opaque to the store.
	EncryptedToken []byte `json:"-"`
	// TokenHint is the last four characters of the token, for display.
	TokenHint string
	// AccountID and AccountName describe the Confluence user the token
	// belongs to, as reported by the site. Empty when unknown.
	AccountID   string
	AccountName string
	// Capabilities lists the probed capabilities in probe order. Nil and
	// empty are stored alike; reads return nil for an empty list.
	Capabilities []Capability
	// Status is the outcome of the last validation. Required.
	Status Status
	// LastValidatedAt is when the credential was last validated; the zero
	// time means never. Stored in UTC at microsecond precision.
	LastValidatedAt time.Time
	// LastError is a secret-free description of the last failed
	// validation; empty after a success.
	LastError string
	// ReadPath is the API the read path uses with this token, decided by
	// the last validation (ReadPathV1 for a token the v2 routes refuse);
	// "" (never decided) reads as ReadPathV2.
	ReadPath ReadPath
	// ReadPolicy restricts what the tenant's reads return (the zero value
	// allows every space the account can see). Set with
	// Service.SetReadPolicy, normalized; kept by Connect, Update and Test,
	// deleted with the credentials by Disconnect.
	ReadPolicy readpolicy.Policy
	// Deployment is DeploymentCloud ("" reads as Cloud) or
	// DeploymentDataCenter. For Data Center, Domain holds the base URL's
	// host, BaseURL the base URL with its context path, Email the email
	// given at connect or else the token's Data Center username,
	// TokenType is TokenClassic (a personal access token: unscoped, sent to
	// the instance itself) and ServerVersion the version the last
	// validation reported ("" when the instance did not say).
	Deployment    Deployment
	BaseURL       string
	ServerVersion string

	// Revision names one stored state of the tenant's integration. Every
	// change (a put or a delete) takes the next value of a per-tenant
	// counter that never decreases, not even across DeleteIntegration, so
	// a revision is never reused. GetIntegration returns the stored
	// revision; PutIntegration reads it as the revision the write is
	// based on (compare-and-set: 0 means based on nothing stored, replace
	// whatever is there) and writes the new one back.
	Revision int64

	// CredentialVersion, CreatedAt and UpdatedAt are kept by the store;
	// whatever the caller sets is ignored by PutIntegration, which writes
	// the stored values back into the record it was given.
	//
	// CredentialVersion starts at 1 and grows by one each time a put
	// changes EncryptedToken. It never decreases for a tenant, not even
	// across DeleteIntegration, so (TenantID, CredentialVersion) names
	// one credential for caching.
	CredentialVersion int64
	// CreatedAt is when the tenant's integration was first put (reset by
	// a put after a delete). UTC, microsecond precision.
	CreatedAt time.Time
	// UpdatedAt is when the record was last put. UTC, microsecond
	// precision.
	UpdatedAt time.Time
}

// Validate reports whether the caller-set fields of in may be stored. It
// returns an error wrapping ErrInvalid that names the first bad field.
func (in *Integration) Validate() error {
	switch {
	case in == nil:
		return fmt.Errorf("%w: nil integration", ErrInvalid)
	case in.TenantID == "":
		return fmt.Errorf("%w: integration tenant id is empty", ErrInvalid)
	case in.Domain == "":
		return fmt.Errorf("%w: integration domain is empty", ErrInvalid)
	case in.Email == "" && in.Deployment != DeploymentDataCenter:
		return fmt.Errorf("%w: integration email is empty", ErrInvalid)
	case in.Deployment == DeploymentDataCenter && in.BaseURL == "":
		return fmt.Errorf("%w: data center integration has no base URL", ErrInvalid)
	case !in.TokenType.Valid():
		return fmt.Errorf("%w: integration token type %q is unknown", ErrInvalid, in.TokenType)
	case len(in.EncryptedToken) == 0:
		return fmt.Errorf("%w: integration encrypted token is empty", ErrInvalid)
	case in.Status == "":
		return fmt.Errorf("%w: integration status is empty", ErrInvalid)
	}
	for i, c := range in.Capabilities {
		if c.Name == "" {
			return fmt.Errorf("%w: integration capability %d has no name", ErrInvalid, i)
		}
	}
	return nil
}

// Clone returns a deep copy of in (nil for nil).
func (in *Integration) Clone() *Integration {
	if in == nil {
		return nil
	}
	out := *in
	if in.EncryptedToken != nil {
		out.EncryptedToken = append([]byte(nil), in.EncryptedToken...)
	}
	out.Capabilities = CloneCapabilities(in.Capabilities)
	out.ReadPolicy = in.ReadPolicy.Clone()
	return &out
}

// CloneCapabilities returns a deep copy of cs (nil for nil).
func CloneCapabilities(cs []Capability) []Capability {
	if cs == nil {
		return nil
	}
	out := slices.Clone(cs)
	for i := range out {
		out[i].AffectedFields = slices.Clone(out[i].AffectedFields)
	}
	return out
}

// String describes in without the encrypted token. It has a value
// receiver so that fmt's %v and %+v use it for values and pointers alike.
func (in Integration) String() string {
	return fmt.Sprintf("settings.Integration{TenantID:%q Domain:%q TokenType:%s TokenHint:%q Status:%s CredentialVersion:%d Revision:%d}",
		in.TenantID, in.Domain, in.TokenType, in.TokenHint, in.Status, in.CredentialVersion, in.Revision)
}

// GoString is String, so %#v does not print the encrypted token either.
func (in Integration) GoString() string { return in.String() }

// LogValue implements slog.LogValuer; it never includes the encrypted token.
func (in Integration) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("tenant_id", in.TenantID),
		slog.String("domain", in.Domain),
		slog.String("token_type", string(in.TokenType)),
		slog.String("token_hint", in.TokenHint),
		slog.String("status", string(in.Status)),
		slog.Int64("credential_version", in.CredentialVersion),
		slog.Int64("revision", in.Revision),
	)
}
