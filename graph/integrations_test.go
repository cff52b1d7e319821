package graph_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/confluence-graph/confluence-graph/graph"
)

// memIntegrations is an in-memory graph.Integrations: enough to exercise the resolvers' auth and
// mapping until settings.Service adapts to the interface.
type memIntegrations struct {
	mu     sync.Mutex
	stored map[string]*graph.Integration
	actors []string
}

var _ graph.Integrations = (*memIntegrations)(nil)

func (m *memIntegrations) Get(_ context.Context, tenant string) (*graph.Integration, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.stored[tenant], nil
}

func (m *memIntegrations) Connect(_ context.Context, tenant string, actor graph.Caller, in graph.ConnectInput) (graph.IntegrationResult, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.actors = append(m.actors, actor.KeyID)
	if in.APIToken == "bad" {
		return graph.IntegrationResult{UserErrors: []graph.IntegrationUserError{{Field: []string{"input", "apiToken"}, Code: "INVALID_CREDENTIALS", Message: "Confluence rejected the token"}}}, nil
	}
	if m.stored == nil {
		m.stored = map[string]*graph.Integration{}
	}
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	it := &graph.Integration{Status: "CONNECTED", Domain: in.Domain, Email: in.Email, TokenType: "CLASSIC",
		TokenHint: in.APIToken[len(in.APIToken)-4:], CreatedAt: now, UpdatedAt: now, LastValidatedAt: &now,
		Account:      &graph.IntegrationAccount{AccountID: "a1", DisplayName: "Alice"},
		Capabilities: []graph.IntegrationCapability{{Name: "READ_PAGES", OK: true}, {Name: "SEARCH", OK: false, RequiredScope: "search:confluence", Message: "scope missing"}}}
	m.stored[tenant] = it
	return graph.IntegrationResult{Integration: it}, nil
}

func (m *memIntegrations) Update(ctx context.Context, tenant string, actor graph.Caller, in graph.UpdateInput) (graph.IntegrationResult, error) {
	return graph.IntegrationResult{UserErrors: []graph.IntegrationUserError{{Code: "TOKEN_REQUIRED", Message: "a new domain needs a new token"}}}, nil
}

func (m *memIntegrations) Test(ctx context.Context, tenant string, actor graph.Caller) (graph.IntegrationResult, error) {
	it, _ := m.Get(ctx, tenant)
	return graph.IntegrationResult{Integration: it}, nil
}

func (m *memIntegrations) Disconnect(_ context.Context, tenant string, actor graph.Caller) (bool, []graph.IntegrationUserError, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	_, ok := m.stored[tenant]
	delete(m.stored, tenant)
	return ok, nil, nil
}

func TestIntegrationMutations(t *testing.T) {
	mem := &memIntegrations{}
	e := newEnv(t, envOptions{dataset: "demo", role: graph.RoleAdmin, integrations: mem})
	var bad struct {
		ConnectConfluence struct {
			Integration *struct{ Domain string }
			UserErrors  []struct {
				Field         []string
				Code, Message string
				Hints         []string
			}
		}
	}
	e.mustDo(t, `mutation { connectConfluence(input: {domain: "acme.atlassian.net", email: "a@acme.com", apiToken: "bad"}) {
	  integration { domain } userErrors { field code message hints } } }`, &bad)
	if bad.ConnectConfluence.Integration != nil || len(bad.ConnectConfluence.UserErrors) != 1 || bad.ConnectConfluence.UserErrors[0].Code != "INVALID_CREDENTIALS" ||
		len(bad.ConnectConfluence.UserErrors[0].Field) != 2 || bad.ConnectConfluence.UserErrors[0].Hints == nil {
		t.Errorf("bad connect = %+v", bad.ConnectConfluence)
	}
	var ok struct {
		ConnectConfluence struct {
			Integration struct {
				Status, Domain, TokenType, TokenHint string
				Account                              struct{ DisplayName string }
				Capabilities                         []struct {
					Name          string
					Ok            bool
					RequiredScope *string
				}
			}
		}
		TestConfluenceConnection struct{ Integration struct{ Status string } }
		UpdateConfluence         struct{ UserErrors []struct{ Code string } }
	}
	e.mustDo(t, `mutation { connectConfluence(input: {domain: "acme.atlassian.net", email: "a@acme.com", apiToken: "ATATT-secret-9xyz"}) {
	  integration { status domain tokenType tokenHint account { displayName } capabilities { name ok requiredScope } } }
	  testConfluenceConnection { integration { status } }
	  updateConfluence(input: {domain: "other.atlassian.net"}) { userErrors { code } } }`, &ok)
	it := ok.ConnectConfluence.Integration
	if it.Status != "CONNECTED" || it.TokenHint != "9xyz" || it.TokenType != "CLASSIC" || it.Account.DisplayName != "Alice" || len(it.Capabilities) != 2 || it.Capabilities[1].RequiredScope == nil {
		t.Errorf("integration = %+v", it)
	}
	if ok.TestConfluenceConnection.Integration.Status != "CONNECTED" || len(ok.UpdateConfluence.UserErrors) != 1 || ok.UpdateConfluence.UserErrors[0].Code != "TOKEN_REQUIRED" {
		t.Errorf("test/update = %+v", ok)
	}
	var q struct{ ConfluenceIntegration *struct{ Domain string } }
	e.mustDo(t, `{ confluenceIntegration { domain } }`, &q)
	if q.ConfluenceIntegration == nil || q.ConfluenceIntegration.Domain != "acme.atlassian.net" {
		t.Errorf("confluenceIntegration = %+v", q.ConfluenceIntegration)
	}
	var d struct{ DisconnectConfluence struct{ Disconnected bool } }
	e.mustDo(t, `mutation { disconnectConfluence { disconnected userErrors { code } } }`, &d)
	if !d.DisconnectConfluence.Disconnected {
		t.Errorf("disconnected = false, want true")
	}
	if len(mem.actors) != 2 || mem.actors[0] != "k1" {
		t.Errorf("actors = %v, want the caller's key id passed for audit", mem.actors)
	}
}

func TestIntegrationsNotConfigured(t *testing.T) {
	e := newEnv(t, envOptions{dataset: "demo", role: graph.RoleAdmin})
	errs := e.do(t, `{ confluenceIntegration { domain } }`, nil)
	if got := codeOf(errorAt(t, errs, "confluenceIntegration")); got != graph.CodeInternal {
		t.Errorf("code = %s, want INTERNAL when no Integrations is wired", got)
	}
}
