package graph_test

import (
	"strings"
	"testing"

	"github.com/confluence-graph/confluence-graph/confluence/confluencetest"
	"github.com/confluence-graph/confluence-graph/graph"
)

// CQL that passes our checks but that Confluence refuses (400 on the search endpoint) is still
// INVALID_CQL, with Confluence's reason and without a position we do not know.
func TestErrorsCQLRejectedUpstream(t *testing.T) {
	e := newEnv(t, envOptions{dataset: "demo"})
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
