package settings_test

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/client"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/transport"

	"github.com/confluence-graph/confluence-graph/graph"
	"github.com/confluence-graph/confluence-graph/loaders"
	"github.com/confluence-graph/confluence-graph/settings"
)

// gql serves the GraphQL schema over the Service the way the server wires
// it: graph.NewSettingsIntegrations for the settings fields and
// graph.SettingsSource for the read API, the caller put on the context.
type gql struct {
	t      *testing.T
	client *client.Client
	caller *graph.Caller
	tokens []string // secrets that must never appear in a response
}

func newGQL(t *testing.T, e *env) *gql {
	t.Helper()
	srv := handler.New(graph.New(graph.Deps{Integrations: graph.NewSettingsIntegrations(e.svc)}))
	srv.AddTransport(transport.POST{})
	srv.SetErrorPresenter(graph.NewErrorPresenter(slog.New(slog.DiscardHandler)))
	srv.SetRecoverFunc(graph.NewRecover(slog.New(slog.DiscardHandler)))
	h := loaders.Middleware(loaders.Config{Source: graph.SettingsSource(e.svc)}, srv)
	g := &gql{t: t}
	for _, a := range e.sim.Accounts() {
		g.tokens = append(g.tokens, a.Token)
	}
	g.client = client.New(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(w, r.WithContext(graph.WithCaller(r.Context(), *g.caller)))
	}))
	return g
}

type gqlErr struct {
	Message    string         `json:"message"`
	Extensions map[string]any `json:"extensions"`
}

// as runs query as caller and decodes data into out; it returns the errors.
func (g *gql) as(c graph.Caller, query string, out any, opts ...client.Option) []gqlErr {
	g.t.Helper()
	g.caller = &c
	resp, err := g.client.RawPost(query, opts...)
	if err != nil {
		g.t.Fatalf("post: %v", err)
	}
	raw, _ := json.Marshal(resp)
	for _, tok := range g.tokens {
		if strings.Contains(string(raw), tok) {
			g.t.Errorf("response contains a token: %s", raw)
		}
	}
	var errs []gqlErr
	if len(resp.Errors) > 0 {
		if err := json.Unmarshal(resp.Errors, &errs); err != nil {
			g.t.Fatalf("errors %s: %v", resp.Errors, err)
		}
	}
	if out != nil && resp.Data != nil {
		b, _ := json.Marshal(resp.Data)
		if err := json.Unmarshal(b, out); err != nil {
			g.t.Fatalf("data %s: %v", b, err)
		}
	}
	return errs
}

const connectMutation = `mutation($d: String!, $e: String!, $t: String!) {
  connectConfluence(input: {domain: $d, email: $e, apiToken: $t}) {
    integration { status domain email tokenType tokenHint cloudId account { accountId }
                  capabilities { name ok requiredScope message } }
    userErrors { field code message hints }
  }
}`

type connectData struct {
	ConnectConfluence struct {
		Integration *struct {
			Status, Domain, Email, TokenType, TokenHint string
			CloudID                                     *string
			Account                                     *struct{ AccountID string }
			Capabilities                                []struct {
				Name          string
				OK            bool
				RequiredScope *string
				Message       *string
			}
		}
		UserErrors []struct {
			Field   []string
			Code    string
			Message string
			Hints   []string
		}
	}
}

func codeOf(errs []gqlErr) string {
	if len(errs) == 0 {
		return ""
	}
	c, _ := errs[0].Extensions["code"].(string)
	return c
}

// TestGraphQLThroughAdapter runs the settings mutations and a read query
// through graph.Integrations and graph.SettingsSource with graph.Callers of
// two tenants and both roles.
func TestGraphQLThroughAdapter(t *testing.T) {
	e := newEnv(t, storeKinds()[0])
	g := newGQL(t, e)
	adminA := graph.Caller{TenantID: "tenant-a", KeyID: "ka-admin", Role: graph.RoleAdmin}
	readerA := graph.Caller{TenantID: "tenant-a", KeyID: "ka-reader", Role: graph.RoleReader}
	adminB := graph.Caller{TenantID: "tenant-b", KeyID: "kb-admin", Role: graph.RoleAdmin}
	connectVars := func(account string) []client.Option {
		a := e.sim.Account(account)
		return []client.Option{client.Var("d", e.sim.Host()), client.Var("e", a.Email), client.Var("t", a.Token)}
	}
	const spacesQuery = `{ spaces(first: 1) { nodes { key } } }`

	t.Run("ReaderCannotConnect", func(t *testing.T) {
		var d connectData
		errs := g.as(readerA, connectMutation, &d, connectVars("classic")...)
		if codeOf(errs) != graph.CodeForbidden {
			t.Errorf("reader connect errors = %+v; want FORBIDDEN", errs)
		}
		if _, err := e.store.GetIntegration(t.Context(), "tenant-a"); err == nil {
			t.Errorf("a reader's connect stored an integration")
		}
	})

	t.Run("ReadBeforeConnectIsNotConnected", func(t *testing.T) {
		if errs := g.as(readerA, spacesQuery, nil); codeOf(errs) != graph.CodeNotConnected {
			t.Errorf("spaces before connect errors = %+v; want NOT_CONNECTED", errs)
		}
	})

	t.Run("MissingSearchScopeIsAUserError", func(t *testing.T) {
		var d connectData
		if errs := g.as(adminA, connectMutation, &d, connectVars("scoped-nosearch")...); len(errs) > 0 {
			t.Fatalf("errors = %+v", errs)
		}
		p := d.ConnectConfluence
		if p.Integration != nil || len(p.UserErrors) != 1 || p.UserErrors[0].Code != "MISSING_SCOPES" ||
			!strings.Contains(p.UserErrors[0].Message, "search:confluence") {
			t.Errorf("payload = %+v; want no integration and MISSING_SCOPES naming search:confluence", p)
		}
	})

	t.Run("ClassicConnect", func(t *testing.T) {
		var d connectData
		if errs := g.as(adminA, connectMutation, &d, connectVars("classic")...); len(errs) > 0 {
			t.Fatalf("errors = %+v", errs)
		}
		in := d.ConnectConfluence.Integration
		if in == nil || len(d.ConnectConfluence.UserErrors) > 0 {
			t.Fatalf("payload = %+v; want an integration", d.ConnectConfluence)
		}
		tok := e.sim.Account("classic").Token
		if in.Status != "CONNECTED" || in.TokenType != "CLASSIC" || in.TokenHint != tok[len(tok)-4:] {
			t.Errorf("integration = %+v; want CONNECTED, CLASSIC, hint %s", in, tok[len(tok)-4:])
		}
		if in.Account == nil || in.Account.AccountID != e.sim.Account("classic").AccountID {
			t.Errorf("account = %+v; want the classic account", in.Account)
		}
		if len(in.Capabilities) < 4 {
			t.Errorf("capabilities = %+v; want at least READ_ME, READ_SPACES, READ_PAGES, SEARCH", in.Capabilities)
		}
		for _, c := range in.Capabilities {
			if !c.OK || c.RequiredScope != nil {
				t.Errorf("classic capability %+v; want ok with no scope", c)
			}
		}
	})

	t.Run("TenantBSeesNothingOfA", func(t *testing.T) {
		var d struct{ ConfluenceIntegration *struct{ Domain string } }
		if errs := g.as(adminB, `{ confluenceIntegration { domain } }`, &d); len(errs) > 0 || d.ConfluenceIntegration != nil {
			t.Errorf("B's confluenceIntegration = %+v, %+v; want null", d.ConfluenceIntegration, errs)
		}
		if errs := g.as(adminB, spacesQuery, nil); codeOf(errs) != graph.CodeNotConnected {
			t.Errorf("B's spaces errors = %+v; want NOT_CONNECTED", errs)
		}
		var dd struct{ DisconnectConfluence struct{ Disconnected bool } }
		if errs := g.as(adminB, `mutation { disconnectConfluence { disconnected } }`, &dd); len(errs) > 0 || dd.DisconnectConfluence.Disconnected {
			t.Errorf("B's disconnect = %+v, %+v; want false", dd, errs)
		}
	})

	t.Run("ReaderReadsAndCannotDisconnect", func(t *testing.T) {
		var d struct {
			Spaces struct{ Nodes []struct{ Key string } }
		}
		if errs := g.as(readerA, spacesQuery, &d); len(errs) > 0 || len(d.Spaces.Nodes) != 1 {
			t.Errorf("A's spaces = %+v, %+v; want one space", d, errs)
		}
		if errs := g.as(readerA, `mutation { disconnectConfluence { disconnected } }`, nil); codeOf(errs) != graph.CodeForbidden {
			t.Errorf("reader disconnect errors = %+v; want FORBIDDEN", errs)
		}
		if errs := g.as(readerA, `mutation { testConfluenceConnection { integration { status } } }`, nil); codeOf(errs) != graph.CodeForbidden {
			t.Errorf("reader test errors = %+v; want FORBIDDEN", errs)
		}
	})

	t.Run("UpdateToScoped", func(t *testing.T) {
		a := e.sim.Account("scoped")
		var d struct {
			UpdateConfluence struct {
				Integration *struct{ TokenType, CloudID string }
				UserErrors  []struct{ Code string }
			}
		}
		errs := g.as(adminA, `mutation($e: String!, $t: String!) { updateConfluence(input: {email: $e, apiToken: $t}) {
			integration { tokenType cloudId } userErrors { code } } }`, &d, client.Var("e", a.Email), client.Var("t", a.Token))
		if len(errs) > 0 || d.UpdateConfluence.Integration == nil {
			t.Fatalf("update = %+v, %+v", d, errs)
		}
		if got := d.UpdateConfluence.Integration; got.TokenType != "SCOPED" || got.CloudID != e.sim.CloudID() {
			t.Errorf("updated = %+v; want SCOPED with cloud id %s", got, e.sim.CloudID())
		}
		var s struct {
			Spaces struct{ Nodes []struct{ Key string } }
		}
		if errs := g.as(readerA, spacesQuery, &s); len(errs) > 0 || len(s.Spaces.Nodes) != 1 {
			t.Errorf("spaces through the scoped credential = %+v, %+v; want one", s, errs)
		}
	})

	t.Run("DisconnectThenQueryIsNotConnected", func(t *testing.T) {
		var dd struct{ DisconnectConfluence struct{ Disconnected bool } }
		if errs := g.as(adminA, `mutation { disconnectConfluence { disconnected } }`, &dd); len(errs) > 0 || !dd.DisconnectConfluence.Disconnected {
			t.Fatalf("disconnect = %+v, %+v; want true", dd, errs)
		}
		if errs := g.as(readerA, spacesQuery, nil); codeOf(errs) != graph.CodeNotConnected {
			t.Errorf("spaces after disconnect errors = %+v; want NOT_CONNECTED", errs)
		}
		var d struct {
			TestConfluenceConnection struct{ UserErrors []struct{ Code string } }
		}
		if errs := g.as(adminA, `mutation { testConfluenceConnection { userErrors { code } } }`, &d); len(errs) > 0 ||
			len(d.TestConfluenceConnection.UserErrors) != 1 || d.TestConfluenceConnection.UserErrors[0].Code != "NOT_CONNECTED" {
			t.Errorf("test after disconnect = %+v, %+v; want NOT_CONNECTED user error", d, errs)
		}
	})

	t.Run("AuditCarriesTheCallerKey", func(t *testing.T) {
		events, err := e.store.ListAudit(t.Context(), "tenant-a", settings.AuditListOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if len(events) < 4 {
			t.Fatalf("tenant-a has %d audit events; want connect failure, connect, update, disconnect, test", len(events))
		}
		for _, ev := range events {
			if ev.ActorKeyID != "ka-admin" {
				t.Errorf("event %s actor = %q; want ka-admin (reader attempts never reach the service)", ev.Action, ev.ActorKeyID)
			}
		}
	})
}
