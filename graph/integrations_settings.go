package graph

import (
	"context"
	"errors"
	"fmt"

	"github.com/confluence-graph/confluence-graph/confluence"
	"github.com/confluence-graph/confluence-graph/loaders"
	"github.com/confluence-graph/confluence-graph/readpolicy"
	"github.com/confluence-graph/confluence-graph/settings"
)

// SettingsIntegrations adapts a *settings.Service to Integrations: it passes
// the caller's tenant and key id through and translates records and user
// errors into the GraphQL layer's structs. It is safe for concurrent use.
//
// Use: graph.Deps{Integrations: graph.NewSettingsIntegrations(svc)}.
type SettingsIntegrations struct {
	svc *settings.Service
}

var _ Integrations = (*SettingsIntegrations)(nil)

// NewSettingsIntegrations returns the adapter over svc, which must not be nil.
func NewSettingsIntegrations(svc *settings.Service) *SettingsIntegrations {
	if svc == nil {
		panic("graph: NewSettingsIntegrations with nil service")
	}
	return &SettingsIntegrations{svc: svc}
}

// Get returns the tenant's integration, or nil when it has none.
func (a *SettingsIntegrations) Get(ctx context.Context, tenantID string) (*Integration, error) {
	in, err := a.svc.Get(ctx, tenantID)
	if errors.Is(err, settings.ErrNotConnected) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return fromSettingsIntegration(in), nil
}

// Connect validates and stores the credentials (settings.Service.Connect).
func (a *SettingsIntegrations) Connect(ctx context.Context, tenantID string, actor Caller, in ConnectInput) (IntegrationResult, error) {
	res, err := a.svc.Connect(ctx, tenantID, actor.KeyID, settings.ConnectInput{Domain: in.Domain, Email: in.Email, APIToken: in.APIToken,
		Deployment: settings.Deployment(in.Deployment), BaseURL: in.BaseURL})
	return fromSettingsResult(res), err
}

// Update changes the stored integration (settings.Service.Update).
func (a *SettingsIntegrations) Update(ctx context.Context, tenantID string, actor Caller, in UpdateInput) (IntegrationResult, error) {
	res, err := a.svc.Update(ctx, tenantID, actor.KeyID, settings.UpdateInput{Domain: in.Domain, Email: in.Email, APIToken: in.APIToken})
	return fromSettingsResult(res), err
}

// Test re-validates the stored credentials (settings.Service.Test).
func (a *SettingsIntegrations) Test(ctx context.Context, tenantID string, actor Caller) (IntegrationResult, error) {
	res, err := a.svc.Test(ctx, tenantID, actor.KeyID)
	return fromSettingsResult(res), err
}

// Disconnect deletes the credentials and drops the tenant's caches
// (settings.Service.Disconnect). It never returns user errors.
func (a *SettingsIntegrations) Disconnect(ctx context.Context, tenantID string, actor Caller) (bool, []IntegrationUserError, error) {
	done, err := a.svc.Disconnect(ctx, tenantID, actor.KeyID)
	return done, nil, err
}

func fromSettingsResult(res settings.Result) IntegrationResult {
	out := IntegrationResult{Integration: fromSettingsIntegration(res.Integration)}
	for _, e := range res.UserErrors {
		hints := append([]string{}, e.Hints...)
		out.UserErrors = append(out.UserErrors, IntegrationUserError{
			Field: e.Field, Code: string(e.Code), Message: e.Message, Hints: hints,
		})
	}
	return out
}

// fromSettingsIntegration maps a record to the settings page's view. The
// stored MISSING_SCOPES status is INVALID_CREDENTIALS in the schema;
// required scopes are shown for scoped tokens only (classic tokens have no
// scopes).
func fromSettingsIntegration(in *settings.Integration) *Integration {
	if in == nil {
		return nil
	}
	status := string(in.Status)
	switch in.Status {
	case settings.StatusConnected, settings.StatusInvalidCredentials, settings.StatusUnreachable:
	default:
		status = string(settings.StatusInvalidCredentials)
	}
	out := &Integration{
		Status:          status,
		Domain:          in.Domain,
		Email:           in.Email,
		TokenType:       string(in.TokenType),
		TokenHint:       in.TokenHint,
		CloudID:         in.CloudID,
		CreatedAt:       in.CreatedAt,
		UpdatedAt:       in.UpdatedAt,
		LastValidatedAt: timeOrNil(in.LastValidatedAt),
		ReadPolicy:      in.ReadPolicy,
		Deployment:      string(in.Deployment),
		BaseURL:         in.BaseURL,
		ServerVersion:   in.ServerVersion,
	}
	if in.AccountID != "" {
		out.Account = &IntegrationAccount{AccountID: in.AccountID, DisplayName: in.AccountName}
	}
	for _, c := range in.Capabilities {
		scope := c.RequiredScope
		if in.TokenType != settings.TokenScoped {
			scope = ""
		}
		msg := ""
		if !c.OK {
			msg = c.Detail
		}
		out.Capabilities = append(out.Capabilities, IntegrationCapability{
			Name: c.Name, OK: c.OK, RequiredScope: scope, Message: msg,
			Degraded: c.Degraded, AffectedFields: c.AffectedFields,
		})
	}
	return out
}

// SettingsSource returns the loaders.Source that binds each request to its
// tenant's pooled Confluence client (settings.Service.ReadClient; the v1
// upstream, loaders.NewV1Upstream's, when the stored read path is v1), the
// tenant taken from the request's Caller. It reads the stored integration on
// every request, before the request's first cross-request cache read, and
// binds the request to the integration's credential version, so a disconnect
// or a new token stored by any replica is seen by the next request here. A
// tenant without an integration (or a request without a caller) gets an error
// matching both loaders.ErrNotConnected and settings.ErrNotConnected, which
// the error presenter reports as NOT_CONNECTED.
//
// Use: loaders.Config{Source: graph.SettingsSource(svc), ...}.
//
// The Upstream reads the page tree through CQL search where the token lacks the v2 hierarchy
// scopes (loaders.WithHierarchyFallback): known from the stored capabilities, or learnt from a
// refused call and remembered per tenant and credential version for the Source's lifetime.
func SettingsSource(svc *settings.Service) loaders.Source {
	memo := loaders.NewFallbackMemo()
	return func(ctx context.Context) (loaders.Upstream, error) {
		var (
			tenant string
			known  loaders.HierarchyRoutes
			policy readpolicy.Policy
		)
		up, err := loaders.ReadPathClientSource(func(ctx context.Context) (*confluence.Client, int64, bool, error) {
			c, ok := CallerFrom(ctx)
			if !ok {
				return nil, 0, false, ErrUnauthenticated
			}
			rc, err := svc.ReadClient(ctx, c.TenantID)
			if errors.Is(err, settings.ErrNotConnected) {
				return nil, 0, false, fmt.Errorf("%w: %w", loaders.ErrNotConnected, err)
			}
			tenant = c.TenantID
			known.NoHierarchy, known.NoAncestors = settings.HierarchyFallback(rc.Capabilities)
			policy = rc.ReadPolicy
			return rc.Client, rc.CredentialVersion, rc.ReadPath == settings.ReadPathV1, err
		})(ctx)
		if err != nil {
			return nil, err
		}
		return loaders.WithReadPolicy(loaders.WithHierarchyFallback(up, memo, tenant, known), policy), nil
	}
}
