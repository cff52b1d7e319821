package settings_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/99designs/gqlgen/client"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/transport"

	"github.com/confluence-graph/confluence-graph/graph"
	"github.com/confluence-graph/confluence-graph/loaders"
	"github.com/confluence-graph/confluence-graph/readpolicy"
	"github.com/confluence-graph/confluence-graph/settings"
)

// cachedGQL is newGQL with the cross-request cache serve uses, so the tests see that cached
// content is filtered by the policy of the request that reads it.
func cachedGQL(t *testing.T, e *env, svc *settings.Service) *gql {
	t.Helper()
	srv := handler.New(graph.New(graph.Deps{Integrations: graph.NewSettingsIntegrations(svc)}))
	srv.AddTransport(transport.POST{})
	srv.SetErrorPresenter(graph.NewErrorPresenter(slog.New(slog.DiscardHandler)))
	cfg := loaders.Config{Source: graph.SettingsSource(svc), Cache: loaders.NewCache(0, time.Minute), Wait: 50 * time.Millisecond,
		Tenant: func(ctx context.Context) string { c, _ := graph.CallerFrom(ctx); return c.TenantID }}
	h := loaders.Middleware(cfg, srv)
	g := &gql{t: t}
	g.client = client.New(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(w, r.WithContext(graph.WithCaller(r.Context(), *g.caller)))
	}))
	return g
}

const (
	allowedPage  = "100003" // Deployment Runbook, OPS
	labelledPage = "100006" // Redis Failover Procedure, OPS: comments, attachments; labelled confidential below
	oncallPage   = "100010" // On-call Guide, OPS: links to both
)

// policyReads are the read fields of a page, each named, with %s the page id.
var policyReads = map[string]string{
	"page":      `{ page(id: "%s") { id title labels { name } body { value } comments { nodes { id } } versions { nodes { number } } attachments { nodes { id } } ancestors { id } parent { id } } }`,
	"pages":     `{ pages(ids: ["%s"]) { id } }`,
	"pageByUrl": `{ pageByUrl(url: "/wiki/spaces/X/pages/%s/T") { id } }`,
	"entities":  `{ _entities(representations: [{__typename: "Page", id: "%s"}]) { ... on Page { id } } }`,
	"content":   `{ content(id: "%s") { id } }`,
	"search":    `{ search(cql: "id = %s") { nodes { title page { id } } } }`,
	"version":   `{ page(id: "%s") { id version(number: 1) { number } } }`,
}

// readsOf runs every read of id as caller and reports, per read, whether the page came back.
func readsOf(t *testing.T, g *gql, caller graph.Caller, id string) map[string]bool {
	t.Helper()
	seen := map[string]bool{}
	for name, q := range policyReads {
		var out any
		errs := g.as(caller, fmt.Sprintf(q, id), &out)
		b, _ := json.Marshal(out)
		seen[name] = strings.Contains(string(b), `"`+id+`"`)
		for _, e := range errs {
			if code, _ := e.Extensions["code"].(string); code != "NOT_FOUND" {
				t.Errorf("%s of %s: error %s %q; want data or NOT_FOUND", name, id, code, e.Message)
			}
		}
	}
	return seen
}

func TestReadPolicyHoldsOnEveryReadPath(t *testing.T) {
	eachStore(t, func(t *testing.T, e *env) {
		e.mustConnect(t, "acme", "classic")
		e.mustConnect(t, "free", "classic")
		if res, err := e.svc.SetReadPolicy(t.Context(), "acme", "admin", readpolicy.Policy{
			AllowedSpaces: []string{"OPS", "PIR", "ARCH"}, ExcludedLabels: []string{"confidential"}}); err != nil || !res.OK() {
			t.Fatalf("SetReadPolicy = %+v, %v", res.UserErrors, err)
		}
		e.sim.AddLabel(labelledPage, "confidential")
		hiddenSpacePage := e.sim.PageIDs("ENG")[0]
		g := cachedGQL(t, e, e.svc)
		acme := graph.Caller{TenantID: "acme", KeyID: "k", Role: graph.RoleReader}
		free := graph.Caller{TenantID: "free", KeyID: "k", Role: graph.RoleReader}

		for _, c := range []struct {
			name    string
			id      string
			caller  graph.Caller
			visible bool
		}{
			{"allowed page", allowedPage, acme, true},
			{"page in a hidden space", hiddenSpacePage, acme, false},
			{"page with an excluded label", labelledPage, acme, false},
			{"no policy: allowed page", allowedPage, free, true},
			{"no policy: other space", hiddenSpacePage, free, true},
			{"no policy: labelled page", labelledPage, free, true},
		} {
			// Twice: the second read is served from the cache the first filled, and must be
			// filtered just the same.
			for round := range 2 {
				for read, ok := range readsOf(t, g, c.caller, c.id) {
					if ok != c.visible {
						t.Errorf("%s, %s (round %d): visible = %t; want %t", c.name, read, round, ok, c.visible)
					}
				}
			}
		}

		// Lists and hierarchy leave hidden content out; spaces outside the allow-list are gone.
		var tree struct {
			Page struct {
				Children    struct{ Nodes []struct{ ID string } }
				Descendants struct{ Nodes []struct{ ID string } }
			}
			Spaces struct{ Nodes []struct{ Key string } }
			Space  struct {
				PageTree struct {
					Entries []struct{ Content struct{ ID string } }
				}
			}
			Comments struct{ Nodes []struct{ Title string } }
		}
		errs := g.as(acme, `{ page(id: "100002") { children(first: 50) { nodes { id } } descendants(depth: 3, first: 100) { nodes { id } } }
		  spaces(first: 100) { nodes { key } }
		  space(key: "OPS") { pageTree(maxDepth: 5) { entries { content { id } } } }
		  comments: search(cql: "type = comment", first: 100) { nodes { title } } }`, &tree)
		if len(errs) > 0 {
			t.Fatalf("tree query errors: %+v", errs)
		}
		for _, n := range append(tree.Page.Children.Nodes, tree.Page.Descendants.Nodes...) {
			if n.ID == labelledPage {
				t.Errorf("children/descendants list the labelled page %s", labelledPage)
			}
		}
		for _, n := range tree.Space.PageTree.Entries {
			if n.Content.ID == labelledPage {
				t.Errorf("pageTree lists the labelled page")
			}
		}
		for _, s := range tree.Spaces.Nodes {
			if s.Key != "OPS" && s.Key != "PIR" && s.Key != "ARCH" {
				t.Errorf("spaces lists %s, outside the allow-list", s.Key)
			}
		}
		if len(tree.Spaces.Nodes) != 3 {
			t.Errorf("spaces = %+v; want OPS, PIR, ARCH", tree.Spaces.Nodes)
		}
		var all struct {
			Search struct{ Nodes []struct{ Title string } }
		}
		g.as(free, `{ search(cql: "type = comment", first: 100) { nodes { title } } }`, &all)
		if len(tree.Comments.Nodes) == 0 || len(tree.Comments.Nodes) >= len(all.Search.Nodes) {
			t.Errorf("comment hits with the policy = %d, without = %d; want fewer but some (those on the labelled page and in hidden spaces left out)",
				len(tree.Comments.Nodes), len(all.Search.Nodes))
		}
		// Correlation and structured search run through the same wrapped, filtered search.
		const found = `{ related(incident: {title: "RedisPrimaryDown alert firing on sessions cluster"}) { nodes { content { id } } }
		  searchPages(filter: {title: "Redis Failover"}) { nodes { page { id } } } }`
		var withPolicy, without any
		g.as(acme, found, &withPolicy)
		g.as(free, found, &without)
		wp, _ := json.Marshal(withPolicy)
		wo, _ := json.Marshal(without)
		if strings.Contains(string(wp), `"`+labelledPage+`"`) || !strings.Contains(string(wo), `"`+labelledPage+`"`) {
			t.Errorf("related/searchPages: with the policy %s; without %s; want the labelled page only without", wp, wo)
		}
		// A link from an allowed page to a hidden one keeps its text but gets no URL.
		var body struct {
			Page struct{ Body struct{ Value string } }
		}
		const oncall = `{ page(id: "%s") { body { value } } }`
		g.as(acme, fmt.Sprintf(oncall, oncallPage), &body)
		if v := body.Page.Body.Value; !strings.Contains(v, "/pages/"+allowedPage+"/") || strings.Contains(v, "/pages/"+labelledPage+"/") {
			t.Errorf("on-call guide under the policy links: %s; want the runbook linked and the hidden page not", v)
		}
		g.as(free, fmt.Sprintf(oncall, oncallPage), &body)
		if v := body.Page.Body.Value; !strings.Contains(v, "/pages/"+labelledPage+"/") {
			t.Errorf("on-call guide without a policy does not link the Redis procedure: %s", v)
		}
		var sp struct{ Space *struct{ Key string } }
		if errs := g.as(acme, `{ space(key: "ENG") { key } }`, &sp); sp.Space != nil || len(errs) != 1 || errs[0].Extensions["code"] != "NOT_FOUND" {
			t.Errorf("space ENG = %+v, %+v; want NOT_FOUND", sp.Space, errs)
		}
	})
}

// TestReadPolicyTakesEffectOnEveryReplica: two services on one store; a policy set through one
// hides the page from the next request the other serves, and a label added in Confluence hides
// a page from the next read.
func TestReadPolicyTakesEffectOnEveryReplica(t *testing.T) {
	eachStore(t, func(t *testing.T, e *env) {
		e.mustConnect(t, "acme", "classic")
		other := mustService(t, settings.ServiceConfig{Store: e.store, Sealer: e.sealer, Client: devClient(e.sim.URL(), e.sim.Host()),
			Logger: slog.New(slog.DiscardHandler)})
		g := cachedGQL(t, e, other)
		acme := graph.Caller{TenantID: "acme", KeyID: "k", Role: graph.RoleReader}
		page := func(id string) bool {
			var out struct{ Page *struct{ ID string } }
			g.as(acme, fmt.Sprintf(`{ page(id: "%s") { id } }`, id), &out)
			return out.Page != nil
		}
		if !page(allowedPage) || !page(labelledPage) {
			t.Fatal("pages not visible before any policy")
		}
		if res, err := e.svc.SetReadPolicy(t.Context(), "acme", "admin", readpolicy.Policy{AllowedSpaces: []string{"PIR"}}); err != nil || !res.OK() {
			t.Fatalf("SetReadPolicy = %+v, %v", res.UserErrors, err)
		}
		if page(allowedPage) {
			t.Error("the other replica still serves an OPS page after OPS left the allow-list")
		}
		if res, err := e.svc.SetReadPolicy(t.Context(), "acme", "admin", readpolicy.Policy{ExcludedLabels: []string{"confidential"}}); err != nil || !res.OK() {
			t.Fatalf("SetReadPolicy = %+v, %v", res.UserErrors, err)
		}
		if !page(labelledPage) {
			t.Fatal("page hidden before it carries the label")
		}
		e.sim.AddLabel(labelledPage, "confidential")
		// The labels are cached for the TTL; a new connection test drops the tenant's caches,
		// as does the TTL: here the cache is per replica, so read through a fresh one.
		g2 := cachedGQL(t, e, other)
		g = g2
		if page(labelledPage) {
			t.Error("a page labelled confidential in Confluence is still served")
		}
	})
}

// TestReadPolicyCostsNoExtraCallWhenLabelsAreSelected: a nested query that selects labels and
// space costs the same upstream calls with a policy as without.
func TestReadPolicyCostsNoExtraCallWhenLabelsAreSelected(t *testing.T) {
	e := newEnv(t, storeKinds()[0])
	e.mustConnect(t, "acme", "classic")
	acme := graph.Caller{TenantID: "acme", KeyID: "k", Role: graph.RoleReader}
	const q = `{ space(key: "OPS") { pages(depth: ALL, first: 25) { nodes { id space { key } labels { name } } } } }`
	calls := func() int {
		g := cachedGQL(t, e, e.svc) // a fresh cache: every read goes upstream
		e.sim.ResetStats()
		var out any
		if errs := g.as(acme, q, &out); len(errs) > 0 {
			t.Fatalf("errors: %+v", errs)
		}
		return e.sim.Stats().Total
	}
	without := calls()
	if res, err := e.svc.SetReadPolicy(t.Context(), "acme", "admin", readpolicy.Policy{
		AllowedSpaces: []string{"OPS", "PIR"}, ExcludedLabels: []string{"confidential"}}); err != nil || !res.OK() {
		t.Fatalf("SetReadPolicy = %+v, %v", res.UserErrors, err)
	}
	with := calls()
	if without < 3 || with != without {
		t.Errorf("upstream calls with the policy = %d, without = %d; want the same", with, without)
	}
}

// TestAvailableSpacesListsWhatThePolicyHidesToAdminsOnly: the picker of the settings page lists
// every space the account sees whatever the policy, for admin keys; a reader key is refused.
func TestAvailableSpacesListsWhatThePolicyHidesToAdminsOnly(t *testing.T) {
	e := newEnv(t, storeKinds()[0])
	e.mustConnect(t, "acme", "classic")
	if res, err := e.svc.SetReadPolicy(t.Context(), "acme", "admin", readpolicy.Policy{AllowedSpaces: []string{"OPS"}}); err != nil || !res.OK() {
		t.Fatalf("SetReadPolicy = %+v, %v", res.UserErrors, err)
	}
	g := cachedGQL(t, e, e.svc)
	var out struct {
		AvailableSpaces struct{ Nodes []struct{ Key string } }
		Spaces          struct{ Nodes []struct{ Key string } }
	}
	const q = `{ availableSpaces { nodes { key } } spaces { nodes { key } } }`
	if errs := g.as(graph.Caller{TenantID: "acme", KeyID: "a", Role: graph.RoleAdmin}, q, &out); len(errs) > 0 {
		t.Fatalf("errors: %+v", errs)
	}
	if len(out.Spaces.Nodes) != 1 || out.Spaces.Nodes[0].Key != "OPS" || len(out.AvailableSpaces.Nodes) < 4 {
		t.Errorf("spaces = %+v, availableSpaces = %+v; want OPS only, and every visible space", out.Spaces.Nodes, out.AvailableSpaces.Nodes)
	}
	var denied any
	errs := g.as(graph.Caller{TenantID: "acme", KeyID: "r", Role: graph.RoleReader}, `{ availableSpaces { nodes { key } } }`, &denied)
	if len(errs) != 1 || errs[0].Extensions["code"] != "FORBIDDEN" {
		t.Errorf("reader: errors %+v; want FORBIDDEN", errs)
	}
}

// TestReadPolicyLeavesHiddenAncestorsOut: a page under a labelled page keeps its place, but the
// hidden ancestor is left out of ancestors and parent is null.
func TestReadPolicyLeavesHiddenAncestorsOut(t *testing.T) {
	e := newEnv(t, storeKinds()[0])
	e.mustConnect(t, "acme", "classic")
	e.sim.AddLabel("100002", "confidential") // Runbooks, the parent of the Deployment Runbook
	if res, err := e.svc.SetReadPolicy(t.Context(), "acme", "admin", readpolicy.Policy{ExcludedLabels: []string{"confidential"}}); err != nil || !res.OK() {
		t.Fatalf("SetReadPolicy = %+v, %v", res.UserErrors, err)
	}
	g := cachedGQL(t, e, e.svc)
	var out struct {
		Page struct {
			Parent    *struct{ ID string }
			Ancestors []struct{ ID string }
		}
	}
	if errs := g.as(graph.Caller{TenantID: "acme", KeyID: "r", Role: graph.RoleReader}, `{ page(id: "100003") { parent { id } ancestors { id } } }`, &out); len(errs) > 0 {
		t.Fatalf("errors: %+v", errs)
	}
	if out.Page.Parent != nil || len(out.Page.Ancestors) != 1 || out.Page.Ancestors[0].ID != "100001" {
		t.Errorf("parent = %+v, ancestors = %+v; want no parent and only 100001", out.Page.Parent, out.Page.Ancestors)
	}
}
