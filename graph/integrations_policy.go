package graph

import (
	"context"

	"github.com/confluence-graph/confluence-graph/graph/model"
	"github.com/confluence-graph/confluence-graph/readpolicy"
)

// PolicySetter is implemented by an Integrations that stores read policies
// (SettingsIntegrations). It is declared apart from Integrations so test
// doubles that do not need it stay small; setConfluenceReadPolicy answers
// an error when the configured Integrations lacks it.
type PolicySetter interface {
	// SetReadPolicy validates and stores the tenant's read policy.
	SetReadPolicy(ctx context.Context, tenantID string, actor Caller, p readpolicy.Policy) (IntegrationResult, error)
}

// SetReadPolicy stores the tenant's read policy (settings.Service.SetReadPolicy).
func (a *SettingsIntegrations) SetReadPolicy(ctx context.Context, tenantID string, actor Caller, p readpolicy.Policy) (IntegrationResult, error) {
	res, err := a.svc.SetReadPolicy(ctx, tenantID, actor.KeyID, p)
	return fromSettingsResult(res), err
}

var _ PolicySetter = (*SettingsIntegrations)(nil)

func (r *Resolver) setReadPolicy(ctx context.Context, input model.ReadPolicyInput) (*model.ConfluenceIntegrationPayload, error) {
	res, err := asIntegrationAdmin(ctx, r, "read_policy", func(svc Integrations, c Caller) (IntegrationResult, error) {
		ps, ok := svc.(PolicySetter)
		if !ok {
			return IntegrationResult{}, errNoIntegrations
		}
		return ps.SetReadPolicy(ctx, c.TenantID, c, readpolicy.Policy{AllowedSpaces: input.AllowedSpaces, ExcludedLabels: input.ExcludedLabels})
	})
	if err != nil {
		return nil, err
	}
	in, err := toModelIntegration(res.Integration)
	if err != nil {
		return nil, err
	}
	return &model.ConfluenceIntegrationPayload{Integration: in, UserErrors: toModelUserErrors(res.UserErrors)}, nil
}

// modelReadPolicy is the schema's view of a stored policy: lists, never null.
func modelReadPolicy(p readpolicy.Policy) *model.ReadPolicy {
	out := &model.ReadPolicy{AllowedSpaces: []string{}, ExcludedLabels: []string{}}
	out.AllowedSpaces = append(out.AllowedSpaces, p.AllowedSpaces...)
	out.ExcludedLabels = append(out.ExcludedLabels, p.ExcludedLabels...)
	return out
}
