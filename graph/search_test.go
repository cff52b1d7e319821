package graph_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/client"
)

type searchResp struct {
	Nodes []struct {
		Type, Title, URL string
		Excerpt          *string
		LastModified     *string
		Page             *struct {
			ID    string
			Body  struct{ Value string }
			Space struct{ Key string }
		}
		Space *struct{ Key string }
	}
	TotalCount int
	Cql        string
	PageInfo   struct{ HasNextPage bool }
}

func titles(r searchResp) []string {
	var out []string
	for _, n := range r.Nodes {
		out = append(out, n.Title)
	}
	return out
}

// The product's four example questions, answered from the demo dataset the way Annie asks them.
func TestProductQuestions(t *testing.T) {
	e := demoEnv(t)

	t.Run("search Confluence for the deployment runbook", func(t *testing.T) {
		var r struct{ Search searchResp }
		e.mustDo(t, `{ search(cql: "type = page AND text ~ \"deployment runbook\"", first: 1) {
		  nodes { type title url excerpt page { id space { key } body(section: "Steps") { value } } } totalCount cql } }`, &r)
		if len(r.Search.Nodes) == 0 || r.Search.Nodes[0].Title != "Deployment Runbook" {
			t.Fatalf("hits = %q, want Deployment Runbook first", titles(r.Search))
		}
		top := r.Search.Nodes[0]
		if top.Type != "PAGE" || top.Page == nil || top.Page.Space.Key != "OPS" || !strings.Contains(top.Page.Body.Value, "kubectl -n payments rollout restart") {
			t.Errorf("top hit = %+v, want the OPS page with its rollout steps", top)
		}
		if !strings.Contains(r.Search.Cql, "deployment runbook") {
			t.Errorf("cql = %q, want the query sent", r.Search.Cql)
		}
	})

	t.Run("find documentation about Redis failover procedures", func(t *testing.T) {
		var r struct{ SearchPages searchResp }
		e.mustDo(t, `{ searchPages(filter: { text: "redis failover", labels: ["runbook"] }) {
		  nodes { title page { body(maxChars: 4000) { value } } } cql } }`, &r)
		if len(r.SearchPages.Nodes) != 1 || r.SearchPages.Nodes[0].Title != "Redis Failover Procedure" {
			t.Fatalf("hits = %q, want exactly Redis Failover Procedure", titles(r.SearchPages))
		}
		if !strings.Contains(r.SearchPages.Nodes[0].Page.Body.Value, "SENTINEL failover sessions") {
			t.Errorf("body lacks the failover command")
		}
		if !strings.Contains(r.SearchPages.Cql, `label IN ("runbook")`) && !strings.Contains(r.SearchPages.Cql, `label in ("runbook")`) && !strings.Contains(strings.ToLower(r.SearchPages.Cql), "label in") {
			t.Errorf("cql = %q, want a label clause", r.SearchPages.Cql)
		}
	})

	t.Run("what does the architecture page say about the payment service", func(t *testing.T) {
		var r struct {
			SearchPages searchResp
			PageByURL   struct {
				Title string
				Body  struct{ Value string }
			}
		}
		e.mustDo(t, `query($u: String!) { searchPages(filter: { title: "payment service architecture", spaces: ["ARCH"] }) { nodes { title page { id } } }
		  pageByUrl(url: $u) {
		    title body(section: "Dependencies") { value } } }`, &r,
			client.Var("u", "http://"+e.sim.Host()+"/wiki/spaces/ARCH/pages/100021/Payment+Service+Architecture"))
		if len(r.SearchPages.Nodes) == 0 || r.SearchPages.Nodes[0].Title != "Payment Service Architecture" {
			t.Fatalf("hits = %q, want Payment Service Architecture first", titles(r.SearchPages))
		}
		body := r.PageByURL.Body.Value
		if !strings.HasPrefix(body, "## Dependencies") || !strings.Contains(body, "PostgreSQL (orders)") || strings.Contains(body, "## SLOs") {
			t.Errorf("Dependencies section = %q", body)
		}
	})

	t.Run("search for post-incident reviews related to database outages", func(t *testing.T) {
		var r struct{ Search searchResp }
		e.mustDo(t, `{ search(cql: "type = page AND space = PIR AND label = postmortem AND text ~ database ORDER BY lastmodified DESC") {
		  nodes { title lastModified space { key } } } }`, &r)
		got := titles(r.Search)
		if len(got) != 2 || got[0] != "PIR-2026-014: Primary database outage" || got[1] != "PIR-2025-088: Database connection pool exhaustion" {
			t.Errorf("hits = %q, want the two database PIRs, newest first", got)
		}
		for _, n := range r.Search.Nodes {
			if n.Space == nil || n.Space.Key != "PIR" || n.LastModified == nil {
				t.Errorf("hit %q: space %+v lastModified %v", n.Title, n.Space, n.LastModified)
			}
		}
	})
}

// The four CQL examples from the product's docs run as written.
func TestProductCQLExamples(t *testing.T) {
	e := demoEnv(t)
	tests := []struct {
		cql     string
		want    string // a title that must be among the hits
		notWant string // a title that must not be
		min     int
	}{
		{`type = page AND lastModified >= now('-7d')`, "Deployment Runbook", "Payment Service: Data Model", 3},
		{`space = OPS AND type = page`, "Redis Failover Procedure", "Payment Service Architecture", 10},
		{`label = runbook AND type = page`, "Database Failover", "Canary analysis checklist", 4},
	}
	for _, tt := range tests {
		t.Run(tt.cql, func(t *testing.T) {
			var r struct{ Search searchResp }
			e.mustDo(t, `query($q: String!) { search(cql: $q, first: 50) { nodes { title } totalCount } }`, &r, varQ(tt.cql))
			got := titles(r.Search)
			if len(got) < tt.min || !slices.Contains(got, tt.want) || slices.Contains(got, tt.notWant) {
				t.Errorf("hits = %q; want at least %d including %q and not %q", got, tt.min, tt.want, tt.notWant)
			}
			if r.Search.TotalCount < len(got) {
				t.Errorf("totalCount = %d, below the %d hits returned", r.Search.TotalCount, len(got))
			}
		})
	}
}

// text ~ "a b" means both words (CQL ANDs the terms; only inner quotes, text ~ "\"a b\"", make a
// phrase): the hits are exactly the pages found by each word alone.
func TestProductCQLTextExample(t *testing.T) {
	e := demoEnv(t)
	run := func(q string) []string {
		var r struct{ Search searchResp }
		e.mustDo(t, `query($q: String!) { search(cql: $q, first: 100) { nodes { title } } }`, &r, varQ(q))
		return titles(r.Search)
	}
	got := run(`text ~ "deployment procedure"`)
	var want []string
	procedure := run(`text ~ procedure`)
	for _, title := range run(`text ~ deployment`) {
		if slices.Contains(procedure, title) {
			want = append(want, title)
		}
	}
	if len(run(`text ~ deployment`)) < 5 || len(procedure) < 1 {
		t.Fatalf("the single-word searches found too little to compare")
	}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf(`text ~ "deployment procedure" = %q, want the pages with both words %q`, got, want)
	}
}

func TestValidateCQLAndPageByURLShapes(t *testing.T) {
	e := demoEnv(t)
	var r struct {
		Ok struct {
			Valid      bool
			Normalized *string
			Errors     []struct{}
		}
		Bad struct {
			Valid  bool
			Errors []struct {
				Message      string
				Line, Column int
			}
		}
		Tiny   struct{ ID string }
		View   struct{ ID string }
		Disp   struct{ ID string }
		Search struct{ Nodes []struct{ Title string } }
	}
	e.mustDo(t, `query($view: String!) { ok: validateCql(cql: "space = OPS and type = page") { valid normalized errors { message } }
	  bad: validateCql(cql: "type = page AND\n  title ~ ") { valid errors { message line column } }
	  tiny: pageByUrl(url: "/wiki/x/o4YB") { id }
	  view: pageByUrl(url: $view) { id }
	  disp: pageByUrl(url: "/display/OPS/Redis+Failover+Procedure") { id } }`, &r,
		client.Var("view", "http://"+e.sim.Host()+"/wiki/pages/viewpage.action?pageId=100006"))
	if !r.Ok.Valid || r.Ok.Normalized == nil || len(r.Ok.Errors) != 0 {
		t.Errorf("valid query: %+v", r.Ok)
	}
	if r.Bad.Valid || len(r.Bad.Errors) != 1 || r.Bad.Errors[0].Line != 2 || r.Bad.Errors[0].Column < 9 {
		t.Errorf("invalid query: %+v, want one error on line 2 past the ~", r.Bad)
	}
	if r.Tiny.ID != "100003" || r.View.ID != "100006" || r.Disp.ID != "100006" {
		t.Errorf("pageByUrl ids = %s, %s, %s; want 100003, 100006, 100006", r.Tiny.ID, r.View.ID, r.Disp.ID)
	}
}

func TestSearchPagesFiltersAndPaging(t *testing.T) {
	e := demoEnv(t)
	var r struct {
		Recent searchResp
		Typed  struct{ Nodes []struct{ Key string } }
	}
	e.mustDo(t, `{ recent: searchPages(filter: { ancestorId: "100002", modifiedWithinDays: 30, orderBy: LAST_MODIFIED_DESC }) { nodes { title } cql }
	  typed: spaces(type: GLOBAL, first: 10) { nodes { key } } }`, &r)
	want := "Database Failover|Deployment Runbook|Redis Failover Procedure"
	if got := strings.Join(titles(r.Recent), "|"); got != want {
		t.Errorf("recent runbooks = %s, want %s (cql %s)", got, want, r.Recent.Cql)
	}
	if !strings.Contains(r.Recent.Cql, "ancestor") || !strings.Contains(r.Recent.Cql, "now(") {
		t.Errorf("cql = %q, want ancestor and now() clauses", r.Recent.Cql)
	}
	if len(r.Typed.Nodes) != 6 {
		t.Errorf("global spaces = %+v, want the 6 demo spaces", r.Typed.Nodes)
	}

	// Two pages of five hits: disjoint, and together the first ten.
	q := `query($after: String) { search(cql: "space = OPS AND type = page ORDER BY title", first: 5, after: $after) {
	  edges { cursor node { title } } pageInfo { hasNextPage hasPreviousPage endCursor } } }`
	type page struct {
		Search struct {
			Edges []struct {
				Cursor string
				Node   struct{ Title string }
			}
			PageInfo struct {
				HasNextPage, HasPreviousPage bool
				EndCursor                    string
			}
		}
	}
	var p1, p2, all page
	e.mustDo(t, q, &p1)
	e.mustDo(t, q, &p2, varAfter(p1.Search.PageInfo.EndCursor))
	e.mustDo(t, strings.Replace(q, "first: 5", "first: 10", 1), &all)
	var got, want2 []string
	for _, ed := range append(p1.Search.Edges, p2.Search.Edges...) {
		got = append(got, ed.Node.Title)
	}
	for _, ed := range all.Search.Edges {
		want2 = append(want2, ed.Node.Title)
	}
	if strings.Join(got, "|") != strings.Join(want2, "|") || len(got) != 10 {
		t.Errorf("paged = %q\nwant  %q", got, want2)
	}
	if !p1.Search.PageInfo.HasNextPage || p1.Search.PageInfo.HasPreviousPage || !p2.Search.PageInfo.HasPreviousPage {
		t.Errorf("page infos = %+v / %+v", p1.Search.PageInfo, p2.Search.PageInfo)
	}
}

func TestPageByURLDisplayLinkNotFound(t *testing.T) {
	e := demoEnv(t)
	errs := e.do(t, `{ pageByUrl(url: "/display/OPS/No+Such+Page") { id } bad: pageByUrl(url: "https://example.com/foo") { id } }`, nil)
	if got := codeOf(errorAt(t, errs, "pageByUrl")); got != "NOT_FOUND" {
		t.Errorf("display link to a missing title: code %s, want NOT_FOUND", got)
	}
	if got := codeOf(errorAt(t, errs, "bad")); got != "BAD_USER_INPUT" {
		t.Errorf("foreign URL: code %s, want BAD_USER_INPUT", got)
	}
}

// A link to another company's site never resolves against this tenant's site, even when a page
// of that id exists here: BAD_USER_INPUT naming the expected host. The
// tenant's own host (any case, trailing dot) and relative links resolve.
func TestPageByURLOtherSiteRefused(t *testing.T) {
	e := demoEnv(t)
	e.sim.ResetStats()
	var r struct{ Own, Dotted, Rel *struct{ ID string } }
	errs := e.do(t, `query($other: String!, $tiny: String!, $own: String!, $dotted: String!) {
	  other: pageByUrl(url: $other) { id } tiny: pageByUrl(url: $tiny) { id }
	  own: pageByUrl(url: $own) { id } dotted: pageByUrl(url: $dotted) { id } rel: pageByUrl(url: "/wiki/x/o4YB") { id } }`, &r,
		client.Var("other", "https://other.atlassian.net/wiki/spaces/OPS/pages/100003/Deployment+Runbook"),
		client.Var("tiny", "https://other.atlassian.net/wiki/x/o4YB"),
		client.Var("own", "http://"+strings.ToUpper(e.sim.Host())+"/wiki/spaces/OPS/pages/100003"),
		client.Var("dotted", "http://"+strings.Replace(e.sim.Host(), ":", ".:", 1)+"/wiki/x/o4YB"))
	for _, f := range []string{"other", "tiny"} {
		ge := errorAt(t, errs, f)
		if codeOf(ge) != "BAD_USER_INPUT" || !strings.Contains(ge.Message, e.sim.Host()) || !strings.Contains(ge.Message, "other.atlassian.net") {
			t.Errorf("%s: error = %s %q, want BAD_USER_INPUT naming both hosts", f, codeOf(ge), ge.Message)
		}
	}
	if len(errs) != 2 {
		t.Errorf("errors = %+v, want only the two foreign links to fail", errs)
	}
	for name, p := range map[string]*struct{ ID string }{"own": r.Own, "dotted": r.Dotted, "rel": r.Rel} {
		if p == nil || p.ID != "100003" {
			t.Errorf("%s = %+v, want page 100003", name, p)
		}
	}
}
