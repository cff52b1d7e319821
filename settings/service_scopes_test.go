package settings_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/client"

	"github.com/confluence-graph/confluence-graph/graph"
)

// Hierarchy fields without the hierarchy scopes, through connect (the capability probe),
// graph.SettingsSource (the fallback wrapper) and the GraphQL API, against the simulator.

const (
	direct      = "GET /wiki/api/v2/pages/{id}/direct-children"
	descendants = "GET /wiki/api/v2/pages/{id}/descendants"
	ancestors   = "GET /wiki/api/v2/pages/{id}/ancestors"
	cqlContent  = "GET /wiki/rest/api/content/search"
)

// hierarchyQuery asks every hierarchy field: a page's parent, ancestors, children (one page, and
// two pages, the batched path) and descendants, and a space's page tree whole and below a root.
const hierarchyQuery = `{
  one: page(id: "100001") { parent { id } ancestors { id } children(first: 50) { nodes { id title type } }
        descendants(depth: 3, first: 50) { nodes { id title type } } }
  two_down: page(id: "100002") { parent { id } ancestors { id } children(first: 50) { nodes { id title } }
        descendants(depth: 3, first: 50) { nodes { id title } } }
  deep: page(id: "100005") { parent { id } ancestors { id title } }
  two: pages(ids: ["100001", "100002"]) { id children(first: 50) { nodes { id title } } }
  space(key: "OPS") {
    pageTree(maxDepth: 3) { entries { content { id type } depth parentId hasChildren } truncated }
    sub: pageTree(rootId: "100002", maxDepth: 2) { entries { page { id } depth parentId hasChildren } }
  }
}`

var reader = graph.Caller{TenantID: "acme", KeyID: "k-reader", Role: graph.RoleReader}

// hierarchyAnswer connects tenant acme with account (after taking drop from its scopes) and
// returns the JSON answer of hierarchyQuery and the simulator's calls for it.
func hierarchyAnswer(t *testing.T, account string, drop ...string) (string, map[string]int) {
	t.Helper()
	e := newEnv(t, storeKinds()[0])
	if len(drop) > 0 {
		a := e.sim.Account(account)
		e.sim.SetScopes(a.Email, slices.DeleteFunc(slices.Clone(a.Scopes), func(s string) bool { return slices.Contains(drop, s) }))
	}
	e.mustConnect(t, "acme", account)
	g := newGQL(t, e)
	e.sim.ResetStats()
	var out any
	if errs := g.as(reader, hierarchyQuery, &out); len(errs) > 0 {
		t.Fatalf("%s: hierarchy query errors = %+v", account, errs)
	}
	b, _ := json.Marshal(out)
	return string(b), e.sim.Stats().ByEndpoint
}

// TestHierarchySameOnEveryToken: every hierarchy field answers the same on a classic token, a
// scoped token with every scope, one without read:hierarchical-content and read:folder (the
// demo "scoped-nohier"), and one without read:content.metadata (v2 ancestors) either; the
// tokens without the scopes never call the routes they lack (the probe told the read path).
func TestHierarchySameOnEveryToken(t *testing.T) {
	want, classic := hierarchyAnswer(t, "classic")
	if !strings.Contains(want, `"100003"`) || !strings.Contains(want, `"depth":3`) {
		t.Fatalf("classic answer lacks the tree: %s", want)
	}
	if classic[descendants] == 0 || classic[ancestors] == 0 {
		t.Errorf("classic calls = %v; want the v2 descendants and ancestors routes used", classic)
	}
	for _, c := range []struct {
		name, account string
		drop          []string
		noV2          []string
		// cql is the number of CQL content searches: the batched children of the three pages
		// asked, one for the folders and whiteboards of the whole-space page tree, then one per
		// level of each descendants walk, below 100001 and below 100002 (3 levels each; the page
		// tree below 100002 shares that walk), then one per ancestors read (3 pages).
		cql int
		// walks says the descendants walks go through CQL, so they may share batches.
		walks bool
	}{
		{"granular scopes", "scoped", nil, nil, 1 + 1, false},
		{"no hierarchy scopes", "scoped-nohier", nil, []string{direct, descendants}, 1 + 1 + 3 + 3, true},
		{"no hierarchy nor metadata scope", "scoped-nohier", []string{"read:content.metadata:confluence"}, []string{direct, descendants, ancestors}, 1 + 1 + 3 + 3 + 3, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, calls := hierarchyAnswer(t, c.account, c.drop...)
			if got != want {
				t.Errorf("answer =\n%s\nwant (classic)\n%s", got, want)
			}
			for _, ep := range c.noV2 {
				if calls[ep] != 0 {
					t.Errorf("%s called %d times; want 0 (the probe found the scope missing)", ep, calls[ep])
				}
			}
			// The two descendants walks run side by side; a level of one may join the other's
			// batch when their loads meet in the loader's wait window, so up to 3 searches fewer.
			least := c.cql
			if c.walks {
				least -= walkLevels
			}
			if n := calls[cqlContent]; n > c.cql || n < least {
				t.Errorf("calls = %v; want %d CQL content searches (%d when the walks share batches)", calls, c.cql, least)
			}
		})
	}
}

// TestChildrenOfOnePageWithoutHierarchyScope: children of one page and of two pages both answer
// on the hierarchy-less token (before the fallback, one page went to v2 direct-children and
// failed while two went through CQL), with one CQL call each and no v2 call.
func TestChildrenOfOnePageWithoutHierarchyScope(t *testing.T) {
	e := newEnv(t, storeKinds()[0])
	e.mustConnect(t, "acme", "scoped-nohier")
	g := newGQL(t, e)
	type kids struct {
		Children struct{ Nodes []struct{ ID string } }
	}
	var one struct{ Page kids }
	e.sim.ResetStats()
	if errs := g.as(reader, `{ page(id: "100002") { children(first: 50) { nodes { id } } } }`, &one); len(errs) > 0 {
		t.Fatalf("children of one page: %+v", errs)
	}
	st := e.sim.Stats()
	if st.ByEndpoint[cqlContent] != 1 || st.ByEndpoint[direct] != 0 || st.ByStatus[401] != 0 {
		t.Errorf("one page calls = %v (statuses %v); want one CQL content search, no direct-children", st.ByEndpoint, st.ByStatus)
	}
	var two struct{ Pages []kids }
	e.sim.ResetStats()
	if errs := g.as(reader, `{ pages(ids: ["100002", "100001"]) { children(first: 50) { nodes { id } } } }`, &two); len(errs) > 0 {
		t.Fatalf("children of two pages: %+v", errs)
	}
	if st := e.sim.Stats(); st.ByEndpoint[cqlContent] != 1 || st.ByEndpoint[direct] != 0 {
		t.Errorf("two pages calls = %v; want one batched CQL content search", st.ByEndpoint)
	}
	a, _ := json.Marshal(one.Page)
	b, _ := json.Marshal(two.Pages[0])
	if len(one.Page.Children.Nodes) != 3 || string(a) != string(b) {
		t.Errorf("children of 100002: alone %s, batched %s; want the same 3", a, b)
	}

	// Paging through the fallback: two, then the rest after the cursor.
	type paged struct {
		Page struct {
			Children struct {
				Nodes    []struct{ ID string }
				PageInfo struct {
					HasNextPage bool
					EndCursor   string
				}
			}
		}
	}
	const q = `query($after: String) { page(id: "100002") { children(first: 2, after: $after) { nodes { id } pageInfo { hasNextPage endCursor } } } }`
	var first, rest paged
	if errs := g.as(reader, q, &first); len(errs) > 0 || !first.Page.Children.PageInfo.HasNextPage {
		t.Fatalf("first two children = %+v, %+v", first, errs)
	}
	if errs := g.as(reader, q, &rest, client.Var("after", first.Page.Children.PageInfo.EndCursor)); len(errs) > 0 || rest.Page.Children.PageInfo.HasNextPage {
		t.Fatalf("children after the cursor = %+v, %+v", rest, errs)
	}
	got := append(ids(first.Page.Children.Nodes), ids(rest.Page.Children.Nodes)...)
	if !slices.Equal(got, ids(one.Page.Children.Nodes)) {
		t.Errorf("children paged by 2 = %v, want %v", got, ids(one.Page.Children.Nodes))
	}
}

// capability is one probed capability as the GraphQL API reports it.
type capability struct {
	Name           string
	OK             bool
	RequiredScope  *string
	Degraded       bool
	AffectedFields []string
}

func capsByName(cs []capability) map[string]capability {
	out := map[string]capability{}
	for _, c := range cs {
		out[c.Name] = c
	}
	return out
}

// TestProbeCoversEveryRouteFamily: connecting probes every route family the read path uses;
// the hierarchy-less token connects, with READ_HIERARCHY degraded (served through CQL) and
// READ_FOLDERS failed, each naming the fields it affects; a classic token has every one OK.
func TestProbeCoversEveryRouteFamily(t *testing.T) {
	all := []string{"READ_ME", "READ_SPACES", "READ_PAGES", "SEARCH", "READ_COMMENTS", "READ_ATTACHMENTS", "READ_LABELS",
		"READ_VERSIONS", "READ_HIERARCHY", "READ_ANCESTORS", "READ_FOLDERS", "READ_USERS"}
	for _, account := range []string{"classic", "scoped", "scoped-nohier"} {
		t.Run(account, func(t *testing.T) {
			e := newEnv(t, storeKinds()[0])
			g := newGQL(t, e)
			a := e.sim.Account(account)
			var d struct {
				ConnectConfluence struct {
					Integration struct {
						Status       string
						Capabilities []capability
					}
					UserErrors []struct{ Code string }
				}
			}
			admin := graph.Caller{TenantID: "acme", KeyID: "k-admin", Role: graph.RoleAdmin}
			if errs := g.as(admin, `mutation($d: String!, $e: String!, $t: String!) { connectConfluence(input: {domain: $d, email: $e, apiToken: $t}) {
			    integration { status capabilities { name ok requiredScope degraded affectedFields } } userErrors { code } } }`, &d,
				varsOf("d", e.sim.Host(), "e", a.Email, "t", a.Token)...); len(errs) > 0 {
				t.Fatalf("connect: %+v", errs)
			}
			it := d.ConnectConfluence.Integration
			var names []string
			for _, c := range it.Capabilities {
				names = append(names, c.Name)
			}
			if it.Status != "CONNECTED" || len(d.ConnectConfluence.UserErrors) != 0 || !slices.Equal(names, all) {
				t.Fatalf("connect = %s %v %v; want CONNECTED with %v", it.Status, d.ConnectConfluence.UserErrors, names, all)
			}
			caps := capsByName(it.Capabilities)
			for _, c := range it.Capabilities {
				failed := account == "scoped-nohier" && (c.Name == "READ_HIERARCHY" || c.Name == "READ_FOLDERS")
				if c.OK == failed || (c.OK && (c.Degraded || len(c.AffectedFields) != 0)) {
					t.Errorf("%s = %+v", c.Name, c)
				}
			}
			if account != "scoped-nohier" {
				return
			}
			h, f := caps["READ_HIERARCHY"], caps["READ_FOLDERS"]
			if !h.Degraded || !slices.Contains(h.AffectedFields, "Page.children") || !slices.Contains(h.AffectedFields, "Space.pageTree") ||
				h.RequiredScope == nil || *h.RequiredScope != "read:hierarchical-content:confluence" {
				t.Errorf("READ_HIERARCHY = %+v; want degraded, naming Page.children and Space.pageTree", h)
			}
			if f.Degraded || len(f.AffectedFields) == 0 || f.RequiredScope == nil || *f.RequiredScope != "read:folder:confluence" {
				t.Errorf("READ_FOLDERS = %+v; want failed, not degraded, naming its scope and fields", f)
			}
		})
	}
}

// walkLevels is how many searches the two side-by-side descendants walks of hierarchyQuery may
// save by sharing batches: one per level.
const walkLevels = 3
