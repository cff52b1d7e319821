package graph_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/confluence-graph/confluence-graph/confluence/confluencetest"
	"github.com/confluence-graph/confluence-graph/graph"
)

// CQL that passes our checks but that Confluence refuses (400 on the search endpoint) is still
// INVALID_CQL, with Confluence's reason and without a position we do not know.
func TestErrorsCQLRejectedUpstream(t *testing.T) {
	e := demoEnv(t)
	e.sim.InjectFaults(confluencetest.Fault{Kind: confluencetest.FaultStatus, Status: 400, PathPrefix: "/wiki/rest/api/search"})
	var r struct{ Ok *struct{ Title string } }
	errs := e.do(t, `{ search(cql: "type = page AND text ~ runbook") { totalCount } ok: page(id: "100003") { title } }`, &r)
	ge := errorAt(t, errs, "search")
	if codeOf(ge) != graph.CodeInvalidCQL || !strings.HasPrefix(ge.Message, "Confluence rejected the CQL query: ") {
		t.Errorf("error = %s %q, want INVALID_CQL from Confluence", codeOf(ge), ge.Message)
	}
	if _, ok := ge.Extensions["line"]; ok {
		t.Errorf("extensions = %v, want no line for an upstream rejection", ge.Extensions)
	}
	if r.Ok == nil || r.Ok.Title != "Deployment Runbook" {
		t.Errorf("ok = %+v, want the page despite the search error", r.Ok)
	}
}

// A 403 on one item (the connected account may not see that page or space) is
// CONFLUENCE_FORBIDDEN with a hint to grant read access, distinct from rejected credentials
// (CONFLUENCE_UNAUTHORIZED), and it fails only that field.
func TestErrorsConfluenceForbiddenItem(t *testing.T) {
	e := demoEnv(t)
	e.sim.InjectFaults(confluencetest.Fault{Kind: confluencetest.FaultStatus, Status: http.StatusForbidden,
		PathPrefix: "/wiki/api/v2/pages"})
	var r struct {
		Page  *struct{ Title string }
		Space *struct{ Key string }
	}
	errs := e.do(t, `{ page(id: "100003") { title } space(key: "OPS") { key } }`, &r)
	ge := errorAt(t, errs, "page")
	if got := codeOf(ge); got != graph.CodeConfluenceForbidden {
		t.Errorf("code = %s, want %s (%+v)", got, graph.CodeConfluenceForbidden, ge)
	}
	if !strings.Contains(ge.Message, "cannot see this") || !strings.Contains(ge.Message, "read access") {
		t.Errorf("message = %q, want the read-access hint", ge.Message)
	}
	if r.Page != nil || r.Space == nil || r.Space.Key != "OPS" {
		t.Errorf("page = %+v, space = %+v; want only the page to fail", r.Page, r.Space)
	}
}
