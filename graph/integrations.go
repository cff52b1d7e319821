package graph

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/confluence-graph/confluence-graph/graph/model"
	"github.com/confluence-graph/confluence-graph/readpolicy"
)

// Integrations is what the GraphQL layer needs from the integration settings service
// (settings.Service adapts to it). tenantID always comes from the authenticated Caller; actor
// is passed for the audit trail. Expected failures (bad credentials, missing scopes, bad domain)
// are returned as UserErrors in the result with a nil error; a non-nil error is a failure of the
// service itself and reaches the client through the error presenter. Implementations must be
// safe for concurrent use.
type Integrations interface {
	// Get returns the tenant's stored integration, or nil and no error when there is none.
	Get(ctx context.Context, tenantID string) (*Integration, error)
	// Connect validates the credentials against Confluence and stores them only when valid.
	Connect(ctx context.Context, tenantID string, actor Caller, in ConnectInput) (IntegrationResult, error)
	// Update changes the stored integration; a new domain or email needs a new token.
	Update(ctx context.Context, tenantID string, actor Caller, in UpdateInput) (IntegrationResult, error)
	// Test re-validates the stored credentials and records the outcome.
	Test(ctx context.Context, tenantID string, actor Caller) (IntegrationResult, error)
	// Disconnect deletes the stored credentials and drops the tenant's cached data; it reports
	// whether anything was deleted.
	Disconnect(ctx context.Context, tenantID string, actor Caller) (bool, []IntegrationUserError, error)
}

// ConnectInput is connectConfluence's input. APIToken is a secret: never log it. Deployment
// is DeploymentCloud ("" too) or DeploymentDataCenter; BaseURL is Data Center's base URL with its
// context path.
type ConnectInput struct {
	Domain, Email, APIToken string
	Deployment              string
	BaseURL                 string
}

// The deployments of ConnectInput and Integration.
const (
	DeploymentCloud      = "cloud"
	DeploymentDataCenter = "datacenter"
)

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// UpdateInput is updateConfluence's input; nil fields keep their stored values.
type UpdateInput struct {
	Domain, Email, APIToken *string
}

// Integration is a stored connection as the settings page sees it (no token).
type Integration struct {
	Status          string // CONNECTED, INVALID_CREDENTIALS, UNREACHABLE, NOT_CONNECTED
	Domain          string
	Email           string
	TokenType       string // CLASSIC or SCOPED
	TokenHint       string // last 4 characters
	CloudID         string // "" when unknown
	Account         *IntegrationAccount
	Capabilities    []IntegrationCapability
	LastValidatedAt *time.Time
	CreatedAt       time.Time
	UpdatedAt       time.Time
	ReadPolicy      readpolicy.Policy // what the assistant may read
	Deployment      string            // DeploymentCloud ("" too) or DeploymentDataCenter
	BaseURL         string            // Data Center's base URL, "" for Cloud
	ServerVersion   string            // Data Center's version, "" when unknown
}

// IntegrationAccount is the Confluence account the token acts as.
type IntegrationAccount struct {
	AccountID, DisplayName, Email string
}

// IntegrationCapability is the outcome of one capability probe.
type IntegrationCapability struct {
	Name          string // a CapabilityName: READ_ME, READ_SPACES, READ_PAGES, SEARCH, READ_HIERARCHY, ...
	OK            bool
	RequiredScope string // "" for classic tokens
	Message       string // "" when OK
	// Degraded: failed, but its fields are served through a fallback route.
	Degraded bool
	// AffectedFields: the GraphQL fields a failed capability degrades or makes unavailable.
	AffectedFields []string
}

// IntegrationUserError is an expected, user-fixable problem (see the UserErrorCode enum).
type IntegrationUserError struct {
	Field   []string
	Code    string
	Message string
	Hints   []string
}

// IntegrationResult is the outcome of connect, update and test.
type IntegrationResult struct {
	Integration *Integration // nil when nothing is stored
	UserErrors  []IntegrationUserError
}

var errNoIntegrations = errors.New("graph: integration settings are not configured")

func (r *Resolver) integrationService() (Integrations, error) {
	if r.integrations == nil {
		return nil, errNoIntegrations
	}
	return r.integrations, nil
}

// failed logs a failure of the integration service with who it concerned.
func (r *Resolver) failed(ctx context.Context, op string, c Caller, err error) error {
	r.log.WarnContext(ctx, "graph: integration service failed", "op", op, "tenant", c.TenantID, "key", c.KeyID, "err", err.Error())
	return err
}

func toModelIntegration(in *Integration) (*model.ConfluenceIntegration, error) {
	if in == nil {
		return nil, nil
	}
	status := model.IntegrationStatus(in.Status)
	tokenType := model.TokenType(in.TokenType)
	if !status.IsValid() || !tokenType.IsValid() {
		return nil, fmt.Errorf("graph: integration has status %q, token type %q", in.Status, in.TokenType)
	}
	out := &model.ConfluenceIntegration{
		Status:          status,
		Domain:          in.Domain,
		Email:           in.Email,
		TokenType:       tokenType,
		TokenHint:       in.TokenHint,
		LastValidatedAt: in.LastValidatedAt,
		CreatedAt:       in.CreatedAt,
		UpdatedAt:       in.UpdatedAt,
		Capabilities:    []*model.Capability{},
		ReadPolicy:      modelReadPolicy(in.ReadPolicy),
	}
	if in.CloudID != "" {
		out.CloudID = &in.CloudID
	}
	out.Deployment = model.ConfluenceDeploymentCloud
	if in.Deployment == DeploymentDataCenter {
		out.Deployment = model.ConfluenceDeploymentDataCenter
		out.BaseURL, out.ServerVersion = strPtr(in.BaseURL), strPtr(in.ServerVersion)
	}
	if a := in.Account; a != nil {
		out.Account = &model.User{AccountID: a.AccountID, DisplayName: strPtr(a.DisplayName), Email: strPtr(a.Email)}
	}
	for _, c := range in.Capabilities {
		name := model.CapabilityName(c.Name)
		if !name.IsValid() {
			continue
		}
		out.Capabilities = append(out.Capabilities, &model.Capability{
			Name: name, Ok: c.OK, RequiredScope: strPtr(c.RequiredScope), Message: strPtr(c.Message),
			Degraded: c.Degraded, AffectedFields: nonNilSlice(c.AffectedFields),
		})
	}
	return out, nil
}

func toModelUserErrors(in []IntegrationUserError) []*model.UserError {
	out := make([]*model.UserError, 0, len(in))
	for _, e := range in {
		code := model.UserErrorCode(e.Code)
		if !code.IsValid() {
			code = model.UserErrorCodeInvalidCredentials
		}
		hints := e.Hints
		if hints == nil {
			hints = []string{}
		}
		out = append(out, &model.UserError{Field: e.Field, Code: code, Message: e.Message, Hints: hints})
	}
	return out
}

// strPtr returns nil for "" and &s otherwise.
func strPtr(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func (r *Resolver) confluenceIntegration(ctx context.Context) (*model.ConfluenceIntegration, error) {
	in, err := withIntegrations(ctx, r, requireCaller, "get", func(svc Integrations, c Caller) (*Integration, error) {
		return svc.Get(ctx, c.TenantID)
	})
	if err != nil {
		return nil, err
	}
	return toModelIntegration(in)
}

// asIntegrationAdmin runs call with the integration service for the request's caller, who must
// be an admin; a failure of the service itself is logged as op with who it concerned.
func asIntegrationAdmin[T any](ctx context.Context, r *Resolver, op string, call func(Integrations, Caller) (T, error)) (T, error) {
	return withIntegrations(ctx, r, requireAdmin, op, call)
}

// withIntegrations runs call with the integration service for the request's caller, whom
// require admits; a failure of the service itself is logged as op with who it concerned.
func withIntegrations[T any](ctx context.Context, r *Resolver, require func(context.Context) (Caller, error), op string, call func(Integrations, Caller) (T, error)) (T, error) {
	var zero T
	c, err := require(ctx)
	if err != nil {
		return zero, err
	}
	svc, err := r.integrationService()
	if err != nil {
		return zero, err
	}
	v, err := call(svc, c)
	if err != nil {
		return zero, r.failed(ctx, op, c, err)
	}
	return v, nil
}

func (r *Resolver) connect(ctx context.Context, input model.ConnectConfluenceInput) (*model.ConnectConfluencePayload, error) {
	return r.storeCredentials(ctx, "connect", func(svc Integrations, c Caller) (IntegrationResult, error) {
		in := ConnectInput{Domain: deref(input.Domain), Email: deref(input.Email), APIToken: input.APIToken, BaseURL: deref(input.BaseURL)}
		if input.Deployment != nil && *input.Deployment == model.ConfluenceDeploymentDataCenter {
			in.Deployment = DeploymentDataCenter
		}
		return svc.Connect(ctx, c.TenantID, c, in)
	})
}

func (r *Resolver) update(ctx context.Context, input model.UpdateConfluenceInput) (*model.ConnectConfluencePayload, error) {
	return r.storeCredentials(ctx, "update", func(svc Integrations, c Caller) (IntegrationResult, error) {
		return svc.Update(ctx, c.TenantID, c, UpdateInput{Domain: input.Domain, Email: input.Email, APIToken: input.APIToken})
	})
}

// storeCredentials runs connect or update (op) as an admin and reports its result.
func (r *Resolver) storeCredentials(ctx context.Context, op string, call func(Integrations, Caller) (IntegrationResult, error)) (*model.ConnectConfluencePayload, error) {
	res, err := asIntegrationAdmin(ctx, r, op, call)
	if err != nil {
		return nil, err
	}
	return connectPayload(res)
}

func connectPayload(res IntegrationResult) (*model.ConnectConfluencePayload, error) {
	in, err := toModelIntegration(res.Integration)
	if err != nil {
		return nil, err
	}
	return &model.ConnectConfluencePayload{Integration: in, UserErrors: toModelUserErrors(res.UserErrors)}, nil
}

func (r *Resolver) testConnection(ctx context.Context) (*model.ConnectionTestPayload, error) {
	res, err := asIntegrationAdmin(ctx, r, "test", func(svc Integrations, c Caller) (IntegrationResult, error) {
		return svc.Test(ctx, c.TenantID, c)
	})
	if err != nil {
		return nil, err
	}
	in, err := toModelIntegration(res.Integration)
	if err != nil {
		return nil, err
	}
	return &model.ConnectionTestPayload{Integration: in, UserErrors: toModelUserErrors(res.UserErrors)}, nil
}

func (r *Resolver) disconnect(ctx context.Context) (*model.DisconnectConfluencePayload, error) {
	type disconnected struct {
		done bool
		ues  []IntegrationUserError
	}
	res, err := asIntegrationAdmin(ctx, r, "disconnect", func(svc Integrations, c Caller) (disconnected, error) {
		done, ues, err := svc.Disconnect(ctx, c.TenantID, c)
		return disconnected{done, ues}, err
	})
	if err != nil {
		return nil, err
	}
	return &model.DisconnectConfluencePayload{Disconnected: res.done, UserErrors: toModelUserErrors(res.ues)}, nil
}
