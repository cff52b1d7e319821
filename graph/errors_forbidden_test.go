package graph_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/confluence-graph/confluence-graph/confluence/confluencetest"
	"github.com/confluence-graph/confluence-graph/graph"
)

// A 403 on one item (the connected account may not see that page or space) is
// CONFLUENCE_FORBIDDEN with a hint to grant read access, distinct from rejected credentials
// (CONFLUENCE_UNAUTHORIZED), and it fails only that field.
func TestErrorsConfluenceForbiddenItem(t *testing.T) {
	e := newEnv(t, envOptions{dataset: "demo"})
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
