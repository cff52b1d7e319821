package graph_test

import (
	"strings"
	"testing"

	"github.com/99designs/gqlgen/client"
)

// A searchPages value that tries to close its string and add a clause stays one value: the
// query Confluence receives matches no space, where the injected `OR type = space` would have
// matched every space.
func TestSearchPagesValueCannotInjectCQL(t *testing.T) {
	e := demoEnv(t)
	var r struct{ SearchPages searchResp }
	evil := `OPS" OR type = space OR space = "OPS`
	e.mustDo(t, `query($s: String!) { searchPages(filter: { spaces: [$s], labels: [$s] }) { nodes { type title } cql } }`,
		&r, client.Var("s", evil))
	if len(r.SearchPages.Nodes) != 0 {
		t.Errorf("hits = %q, want none (the value is one space key)", titles(r.SearchPages))
	}
	if want := `space IN ("OPS\" OR type = space OR space = \"OPS")`; !strings.Contains(r.SearchPages.Cql, want) {
		t.Errorf("cql = %q, want it to contain %q", r.SearchPages.Cql, want)
	}
}

// validateCql parses locally: valid or not, Confluence is never asked.
func TestValidateCQLSendsNothing(t *testing.T) {
	e := demoEnv(t)
	e.sim.ResetStats()
	var r struct {
		Ok, Bad, Unknown struct {
			Valid  bool
			Errors []struct{ Message string }
		}
	}
	e.mustDo(t, `{ ok: validateCql(cql: "space = OPS AND label = runbook ORDER BY title") { valid errors { message } }
	  bad: validateCql(cql: "space = (") { valid errors { message } }
	  unknown: validateCql(cql: "colour = red") { valid errors { message } } }`, &r)
	if !r.Ok.Valid || r.Bad.Valid || r.Unknown.Valid || len(r.Bad.Errors) == 0 || len(r.Unknown.Errors) == 0 {
		t.Errorf("validations = %+v", r)
	}
	if got := e.sim.Stats().Total; got != 0 {
		t.Errorf("upstream calls = %d, want 0", got)
	}
}
