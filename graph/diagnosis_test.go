package graph_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/client"
)

const diagnosisFields = `totalCount cql diagnosis { summary visibleSpaces eliminatedBy broaderCql conditions { cql hits } }`

type diagnosisResp struct {
	TotalCount int
	Cql        string
	Diagnosis  *struct {
		Summary       string
		VisibleSpaces []string
		EliminatedBy  *string
		BroaderCql    *string
		Conditions    []struct {
			Cql  string
			Hits int
		}
	}
}

// A search with hits has no diagnosis and costs nothing more.
func TestDiagnosisOnlyWhenNothingFound(t *testing.T) {
	e := demoEnv(t)
	e.sim.ResetStats()
	var r struct{ SearchPages diagnosisResp }
	e.mustDo(t, `{ searchPages(filter: {text: "redis"}) { `+diagnosisFields+` } }`, &r)
	if r.SearchPages.TotalCount == 0 || r.SearchPages.Diagnosis != nil {
		t.Errorf("total %d, diagnosis %+v; want hits and no diagnosis", r.SearchPages.TotalCount, r.SearchPages.Diagnosis)
	}
	if n := e.sim.Stats().Total; n != 1 {
		t.Errorf("upstream calls = %d, want 1", n)
	}
}

// The word that eliminated everything is named, with a broader query and the visible spaces,
// within five more calls.
func TestDiagnosisNamesTheEliminatingWord(t *testing.T) {
	e := demoEnv(t)
	e.sim.ResetStats()
	var r struct{ SearchPages diagnosisResp }
	e.mustDo(t, `{ searchPages(filter: {text: "redis failover zebra", spaces: ["OPS", "PIR"]}) { `+diagnosisFields+` } }`, &r)
	d := r.SearchPages.Diagnosis
	if d == nil {
		t.Fatalf("no diagnosis for %s", r.SearchPages.Cql)
	}
	if n := e.sim.Stats().Total; n > 6 {
		t.Errorf("upstream calls = %d, want at most 1 + 5", n)
	}
	if d.EliminatedBy == nil || *d.EliminatedBy != "text ~ zebra" {
		t.Errorf("eliminatedBy = %v, want text ~ zebra (summary %q)", d.EliminatedBy, d.Summary)
	}
	if !slices.Contains(d.VisibleSpaces, "OPS") || !slices.Contains(d.VisibleSpaces, "SEC") {
		t.Errorf("visibleSpaces = %q", d.VisibleSpaces)
	}
	if len(d.Conditions) != 4 {
		t.Errorf("conditions = %+v, want the space filter and the three words", d.Conditions)
	}
	if d.BroaderCql == nil || strings.Contains(*d.BroaderCql, "zebra") || !strings.Contains(*d.BroaderCql, "text ~ redis OR text ~ failover") {
		t.Fatalf("broaderCql = %v", d.BroaderCql)
	}
	var again struct{ Search struct{ TotalCount int } }
	e.mustDo(t, `query($q: String!) { search(cql: $q) { totalCount } }`, &again, varQ(*d.BroaderCql))
	if again.Search.TotalCount == 0 {
		t.Errorf("the broader query %s finds nothing either", *d.BroaderCql)
	}
}

// A space the account cannot see is named as the condition that eliminated everything.
func TestDiagnosisInvisibleSpace(t *testing.T) {
	e := demoEnv(t)
	var r struct{ Search diagnosisResp }
	e.mustDo(t, `{ search(cql: "type = page AND space = NOPE AND text ~ redis") { `+diagnosisFields+` } }`, &r)
	d := r.Search.Diagnosis
	if d == nil || d.EliminatedBy == nil || *d.EliminatedBy != `space = NOPE` || !strings.Contains(d.Summary, "cannot see space NOPE") {
		t.Fatalf("diagnosis = %+v", d)
	}
	if d.BroaderCql == nil || *d.BroaderCql != "type = page AND text ~ redis" {
		t.Errorf("broaderCql = %v", d.BroaderCql)
	}
}

// Every word found alone, none together: the diagnosis says so and suggests any-word.
func TestDiagnosisTooNarrowTogether(t *testing.T) {
	e := demoEnv(t)
	var r struct{ SearchPages diagnosisResp }
	e.mustDo(t, `{ searchPages(filter: {text: "kafka sentinel"}) { `+diagnosisFields+` } }`, &r)
	d := r.SearchPages.Diagnosis
	if d == nil || d.EliminatedBy != nil || !strings.Contains(d.Summary, "too narrow") {
		t.Fatalf("diagnosis = %+v", d)
	}
	if d.BroaderCql == nil || *d.BroaderCql != "type = page AND (text ~ kafka OR text ~ sentinel)" {
		t.Errorf("broaderCql = %v", d.BroaderCql)
	}
}

// match: ANY finds pages with any word, by relevance; ALL (the default) needs every word.
func TestSearchPagesMatchAny(t *testing.T) {
	e := demoEnv(t)
	var r struct {
		All, Any struct {
			Cql   string
			Nodes []struct{ Title string }
		}
	}
	e.mustDo(t, `query($t: String!) { all: searchPages(filter: {text: $t}) { cql nodes { title } }
	  any: searchPages(filter: {text: $t, match: ANY}) { cql nodes { title } } }`, &r,
		client.Var("t", "RedisPrimaryDown alert firing on sessions cluster"))
	if len(r.All.Nodes) != 0 {
		t.Errorf("all words: %d hits, want 0", len(r.All.Nodes))
	}
	if !strings.Contains(r.Any.Cql, "text ~ RedisPrimaryDown OR text ~ alert") {
		t.Errorf("any word cql = %s", r.Any.Cql)
	}
	if len(r.Any.Nodes) == 0 || !slices.ContainsFunc(r.Any.Nodes[:min(3, len(r.Any.Nodes))], func(n struct{ Title string }) bool {
		return n.Title == "Redis Failover Procedure" || strings.HasPrefix(n.Title, "Known issue: Sentinel")
	}) {
		t.Errorf("any word hits = %+v, want a page naming the alert in the top 3", r.Any.Nodes)
	}
}

// A query of one condition names it; dropping it would leave only the content type, which is
// no suggestion.
func TestDiagnosisSingleCondition(t *testing.T) {
	e := demoEnv(t)
	e.sim.ResetStats()
	var r struct{ Search diagnosisResp }
	e.mustDo(t, `{ search(cql: "type = page AND text ~ zebra") { `+diagnosisFields+` } }`, &r)
	d := r.Search.Diagnosis
	if d == nil || d.EliminatedBy == nil || *d.EliminatedBy != "text ~ zebra" || d.BroaderCql != nil || len(d.Conditions) != 0 {
		t.Fatalf("diagnosis = %+v", d)
	}
	if n := e.sim.Stats().Total; n != 2 {
		t.Errorf("upstream calls = %d, want the search and the spaces", n)
	}
}
