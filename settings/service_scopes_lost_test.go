package settings_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/client"

	"github.com/confluence-graph/confluence-graph/graph"
)

func varsOf(kv ...string) []client.Option {
	var out []client.Option
	for i := 0; i+1 < len(kv); i += 2 {
		out = append(out, client.Var(kv[i], kv[i+1]))
	}
	return out
}

// dropScopes takes scopes from the demo account's token in the simulator, as if it had lost them.
func dropScopes(e *env, account string, drop ...string) {
	a := e.sim.Account(account)
	e.sim.SetScopes(a.Email, slices.DeleteFunc(slices.Clone(a.Scopes), func(s string) bool { return slices.Contains(drop, s) }))
}

// missingOf returns extensions.missingScopes of an error.
func missingOf(e gqlErr) []string {
	raw, _ := e.Extensions["missingScopes"].([]any)
	var out []string
	for _, r := range raw {
		s, _ := r.(string)
		out = append(out, s)
	}
	return out
}

// TestScopeLostAfterConnecting: a token that loses read:hierarchical-content and read:comment
// after connecting keeps its children (the refused v2 call switches the tenant to the CQL
// fallback and is retried once; the next request goes to the fallback at once), gets an error
// naming read:comment:confluence on the comments field only, and testConfluenceConnection
// reports the degradation while the connection stays CONNECTED.
func TestScopeLostAfterConnecting(t *testing.T) {
	e := newEnv(t, storeKinds()[0])
	e.mustConnect(t, "acme", "scoped")
	g := newGQL(t, e)
	const q = `{ page(id: "100002") { title children(first: 50) { nodes { id } } comments(first: 5) { nodes { id } } } }`
	type answer struct {
		Page *struct {
			Title    string
			Children struct{ Nodes []struct{ ID string } }
			Comments *struct{ Nodes []struct{ ID string } }
		}
	}
	var before answer
	if errs := g.as(reader, q, &before); len(errs) > 0 || before.Page == nil || len(before.Page.Children.Nodes) != 3 {
		t.Fatalf("before = %+v, %+v", before.Page, errs)
	}

	dropScopes(e, "scoped", "read:hierarchical-content:confluence", "read:comment:confluence")
	for i := range 2 {
		e.sim.ResetStats()
		var after answer
		errs := g.as(reader, q, &after)
		if after.Page == nil || after.Page.Title != before.Page.Title || !slices.Equal(ids(after.Page.Children.Nodes), ids(before.Page.Children.Nodes)) {
			t.Fatalf("request %d: page = %+v; want the title and the same children", i, after.Page)
		}
		if len(errs) != 1 || codeOf(errs) != graph.CodeConfluenceUnauthorized ||
			!slices.Equal(missingOf(errs[0]), []string{"read:comment:confluence"}) || !strings.Contains(errs[0].Message, "read:comment:confluence") {
			t.Fatalf("request %d: errors = %+v; want one naming read:comment:confluence", i, errs)
		}
		if after.Page.Comments != nil {
			t.Errorf("request %d: comments = %+v; want null", i, after.Page.Comments)
		}
		// The first request learns the scope is gone (one refused direct-children call); the
		// second goes to the fallback at once.
		st := e.sim.Stats()
		if want := 1 - i; st.ByEndpoint[direct] != want || st.ByEndpoint[cqlContent] != 1 {
			t.Errorf("request %d: calls = %v; want %d direct-children and 1 CQL content search", i, st.ByEndpoint, want)
		}
	}

	admin := graph.Caller{TenantID: "acme", KeyID: "k-admin", Role: graph.RoleAdmin}
	var d struct {
		TestConfluenceConnection struct {
			Integration struct {
				Status       string
				Capabilities []capability
			}
			UserErrors []struct{ Code, Message string }
		}
	}
	if errs := g.as(admin, `mutation { testConfluenceConnection {
	    integration { status capabilities { name ok requiredScope degraded affectedFields } } userErrors { code message } } }`, &d); len(errs) > 0 {
		t.Fatalf("test: %+v", errs)
	}
	res := d.TestConfluenceConnection
	if res.Integration.Status != "CONNECTED" || len(res.UserErrors) != 1 || res.UserErrors[0].Code != "DEGRADED" ||
		!strings.Contains(res.UserErrors[0].Message, "read:hierarchical-content:confluence") ||
		!strings.Contains(res.UserErrors[0].Message, "read:comment:confluence") || !strings.Contains(res.UserErrors[0].Message, "Page.comments") {
		t.Fatalf("testConfluenceConnection = %+v; want CONNECTED and one DEGRADED naming both scopes", res)
	}
	caps := capsByName(res.Integration.Capabilities)
	if h := caps["READ_HIERARCHY"]; h.OK || !h.Degraded || !slices.Contains(h.AffectedFields, "Page.descendants") {
		t.Errorf("READ_HIERARCHY = %+v; want failed and degraded", h)
	}
	if c := caps["READ_COMMENTS"]; c.OK || c.Degraded || !slices.Contains(c.AffectedFields, "Page.comments") {
		t.Errorf("READ_COMMENTS = %+v; want failed, not degraded", c)
	}
	if p := caps["READ_PAGES"]; !p.OK {
		t.Errorf("READ_PAGES = %+v; want OK", p)
	}
}

// TestHierarchyUnservable: a token that loses both the hierarchy scope and the search scopes
// its fallback needs gets, on the children field only, an error naming both.
func TestHierarchyUnservable(t *testing.T) {
	e := newEnv(t, storeKinds()[0])
	e.mustConnect(t, "acme", "scoped")
	g := newGQL(t, e)
	dropScopes(e, "scoped", "read:hierarchical-content:confluence", "search:confluence", "read:content-details:confluence")
	var d struct {
		Page *struct {
			Title    string
			Children *struct{ Nodes []struct{ ID string } }
		}
	}
	errs := g.as(reader, `{ page(id: "100002") { title children { nodes { id } } } }`, &d)
	if d.Page == nil || d.Page.Title == "" || d.Page.Children != nil {
		t.Errorf("page = %+v; want the title and null children", d.Page)
	}
	if len(errs) != 1 || !slices.Equal(missingOf(errs[0]), []string{"read:hierarchical-content:confluence", "search:confluence"}) {
		t.Errorf("errors = %+v; want one naming the hierarchy scope and the fallback's search scope", errs)
	}
}

func ids(ns []struct{ ID string }) []string {
	var out []string
	for _, n := range ns {
		out = append(out, n.ID)
	}
	return out
}
