package graph_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/client"

	"github.com/confluence-graph/confluence-graph/cql"
)

const relatedQuery = `query($in: IncidentInput!, $first: Int, $kinds: [ContentKind!], $spaces: [String!]) {
  related(incident: $in, first: $first, kinds: $kinds, spaces: $spaces) {
    queries signals pageInfo { hasNextPage }
    nodes { score kind excerpt reasons { signal detail } content { id title } }
  } }`

type relatedResp struct {
	Related struct {
		Queries  []string
		Signals  []string
		PageInfo struct{ HasNextPage bool }
		Nodes    []struct {
			Score   float64
			Kind    string
			Excerpt string
			Reasons []struct{ Signal, Detail string }
			Content struct {
				ID, Title string
				Body      *struct{ Value string }
			}
		}
	}
}

func (r relatedResp) titles() []string {
	var out []string
	for _, n := range r.Related.Nodes {
		out = append(out, n.Content.Title)
	}
	return out
}

var redisIncident = map[string]any{"title": "RedisPrimaryDown alert firing on sessions cluster", "alertName": "RedisPrimaryDown", "service": "sessions"}

// The example: the alert text finds nothing with every word required, and related
// puts the runbook, the known issue and the review that name the alert on top, with reasons,
// for at most four upstream calls.
func TestRelatedRedisPrimaryDown(t *testing.T) {
	e := demoEnv(t)
	var all struct {
		SearchPages struct{ Nodes []struct{ Title string } }
	}
	e.mustDo(t, `{ searchPages(filter: {text: "RedisPrimaryDown alert firing on sessions cluster"}) { nodes { title } } }`, &all)
	if len(all.SearchPages.Nodes) != 0 {
		t.Fatalf("every-word search found %d pages; the example expects none", len(all.SearchPages.Nodes))
	}
	e.sim.ResetStats()
	var r relatedResp
	e.mustDo(t, relatedQuery, &r, client.Var("in", redisIncident))
	if n := e.sim.Stats().Total; n > 4 {
		t.Errorf("upstream calls = %d, want at most 4", n)
	}
	var links struct {
		Related struct {
			Nodes []struct{ URL, SpaceKey string }
		}
	}
	e.mustDo(t, `query($in: IncidentInput!) { related(incident: $in, first: 3) { nodes { url spaceKey lastModified } } }`, &links, client.Var("in", redisIncident))
	for _, n := range links.Related.Nodes {
		if !strings.HasPrefix(n.URL, "http") || n.SpaceKey == "" {
			t.Errorf("node url %q space %q", n.URL, n.SpaceKey)
		}
	}
	if len(r.Related.Queries) == 0 || len(r.Related.Queries) > 4 {
		t.Errorf("queries = %q, want 1 to 4", r.Related.Queries)
	}
	got := r.titles()
	t.Logf("ranked: %q", got)
	top := got[:min(3, len(got))]
	for _, want := range []string{"Redis Failover Procedure", "Known issue: Sentinel cannot elect a new Redis primary when a zone is lost"} {
		if !slices.Contains(top, want) {
			t.Errorf("top 3 = %q, want %q among them", top, want)
		}
	}
	// Two reviews of Redis failovers: the PIR page and the review published as a blog post.
	if !slices.ContainsFunc(got[:min(5, len(got))], func(s string) bool {
		return s == "PIR-2026-017: Redis failover did not trigger" || s == "Post-incident review: sessions logout during Redis failover"
	}) {
		t.Errorf("no Redis review in the top 5 of %q", got)
	}
	for i, n := range r.Related.Nodes {
		if i > 0 && n.Score > r.Related.Nodes[i-1].Score {
			t.Errorf("scores not descending at %d: %v > %v", i, n.Score, r.Related.Nodes[i-1].Score)
		}
		if len(n.Reasons) == 0 || n.Reasons[len(n.Reasons)-1].Signal != "KIND" {
			t.Errorf("%s: reasons %+v, want at least the KIND reason last", n.Content.Title, n.Reasons)
		}
		if n.Content.Title == "SEC-2026-003: Leaked credential rotation" {
			t.Errorf("a restricted page is among the results")
		}
	}
	first := r.Related.Nodes[0]
	if first.Kind != "RUNBOOK" && first.Kind != "KNOWN_ISSUE" {
		t.Errorf("first = %s (%s), want a runbook or known issue", first.Content.Title, first.Kind)
	}
	if !slices.ContainsFunc(first.Reasons, func(x struct{ Signal, Detail string }) bool {
		return x.Signal == "ALERT_NAME" && x.Detail == "names alert RedisPrimaryDown"
	}) {
		t.Errorf("first reasons = %+v, want ALERT_NAME 'names alert RedisPrimaryDown'", first.Reasons)
	}
	kinds := map[string]string{}
	for _, n := range r.Related.Nodes {
		kinds[n.Content.Title] = n.Kind
	}
	for title, want := range map[string]string{"Redis Failover Procedure": "RUNBOOK", "PIR-2026-017: Redis failover did not trigger": "POSTMORTEM",
		"Session Store Architecture": "ARCHITECTURE", "Known issue: Sentinel cannot elect a new Redis primary when a zone is lost": "KNOWN_ISSUE"} {
		if got, ok := kinds[title]; ok && got != want {
			t.Errorf("%s: kind %s, want %s", title, got, want)
		}
	}
	// Ancestors arrive with the search hits: a page labelled only "redis" is a runbook because
	// it sits under the Runbooks page.
	ancestry := false
	for _, n := range r.Related.Nodes {
		for _, x := range n.Reasons {
			ancestry = ancestry || (x.Signal == "KIND" && strings.Contains(x.Detail, `under "Runbooks"`))
		}
	}
	if !ancestry {
		t.Errorf("no KIND reason from an ancestor in %+v", r.Related.Nodes)
	}
	if !slices.ContainsFunc(r.Related.Signals, func(s string) bool { return s == "alert RedisPrimaryDown (redis primary down)" }) {
		t.Errorf("signals = %q, want the alert split", r.Related.Signals)
	}
}

// related with the bodies of its top three costs at most six upstream calls.
func TestRelatedWithBodiesCallCount(t *testing.T) {
	e := demoEnv(t)
	e.sim.ResetStats()
	var r relatedResp
	e.mustDo(t, `query($in: IncidentInput!) { related(incident: $in, first: 3) {
	  nodes { content { id title ... on Page { body(maxChars: 400) { value } } ... on BlogPost { body(maxChars: 400) { value } } } } } }`, &r, client.Var("in", redisIncident))
	st := e.sim.Stats()
	if len(r.Related.Nodes) != 3 {
		t.Fatalf("nodes = %d, want 3", len(r.Related.Nodes))
	}
	for _, n := range r.Related.Nodes {
		if n.Content.Body == nil || n.Content.Body.Value == "" {
			t.Errorf("%s: no body", n.Content.Title)
		}
	}
	if st.Total > 6 {
		t.Errorf("upstream calls = %d, want at most 6:\n%s", st.Total, perEndpoint(st.ByEndpoint))
	}
}

// kinds and spaces narrow the answer; first caps it and pageInfo says more followed.
func TestRelatedFilters(t *testing.T) {
	e := demoEnv(t)
	var r relatedResp
	e.mustDo(t, relatedQuery, &r, client.Var("in", redisIncident), client.Var("kinds", []string{"POSTMORTEM"}))
	if len(r.Related.Nodes) == 0 {
		t.Fatal("no postmortem found")
	}
	for _, n := range r.Related.Nodes {
		if n.Kind != "POSTMORTEM" {
			t.Errorf("%s is %s, want only POSTMORTEM", n.Content.Title, n.Kind)
		}
	}
	r = relatedResp{}
	e.mustDo(t, relatedQuery, &r, client.Var("in", redisIncident), client.Var("spaces", []string{"OPS"}), client.Var("first", 2))
	if len(r.Related.Nodes) != 2 || !r.Related.PageInfo.HasNextPage {
		t.Errorf("nodes = %q, hasNextPage %v; want 2 and more following", r.titles(), r.Related.PageInfo.HasNextPage)
	}
	for _, q := range r.Related.Queries {
		if !strings.Contains(q, `space IN ("OPS")`) && !strings.Contains(q, `space IN (OPS)`) {
			t.Errorf("query %s lacks the space filter", q)
		}
	}
}

// Bad input gets a clear error or a sensible answer, never an injected query.
func TestRelatedBadInput(t *testing.T) {
	e := demoEnv(t)
	bad := []struct {
		name  string
		in    map[string]any
		first int
	}{
		{"empty title", map[string]any{"title": ""}, 10},
		{"title of stop words and an alert of stop words", map[string]any{"title": "the alert is firing", "alertName": "TheAlertIsFiring"}, 10},
		{"first over the cap", redisIncident, 51},
		{"first zero", redisIncident, 0},
		{"description over 1,000,000 characters", map[string]any{"title": "redis", "description": strings.Repeat("x", 1_000_001)}, 10},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			errs := e.do(t, relatedQuery, nil, client.Var("in", tt.in), client.Var("first", tt.first))
			if len(errs) != 1 || codeOf(errs[0]) != "BAD_USER_INPUT" {
				t.Errorf("errors = %+v, want one BAD_USER_INPUT", errs)
			}
		})
	}
	t.Run("100 KB description", func(t *testing.T) {
		var r relatedResp
		desc := "Sentinel reports the sessions primary down. " + strings.Repeat("log line without meaning ", 4200)
		e.mustDo(t, relatedQuery, &r, client.Var("in", map[string]any{"title": "RedisPrimaryDown", "description": desc}))
		if len(r.Related.Nodes) == 0 || r.Related.Nodes[0].Content.Title == "" {
			t.Errorf("no answer for a long description")
		}
	})
	t.Run("empty description and stop-word alert name", func(t *testing.T) {
		var r relatedResp
		e.mustDo(t, relatedQuery, &r, client.Var("in", map[string]any{"title": "Redis failover", "description": "", "alertName": "TheAlert"}))
		if len(r.Related.Nodes) == 0 {
			t.Error("no answer")
		}
		for _, s := range r.Related.Signals {
			if strings.HasPrefix(s, "alert ") {
				t.Errorf("signals = %q: an alert name of stop words is ignored", r.Related.Signals)
			}
		}
	})
	t.Run("CQL metacharacters and quotes in every field", func(t *testing.T) {
		nasty := `x" OR space = SEC OR title ~ "y \" ) ( * ? ~ AND NOT type = page ORDER BY title --`
		in := map[string]any{"title": "redis " + nasty, "description": nasty, "service": nasty, "alertName": `Redis"PrimaryDown OR 1=1`,
			"labels": []string{nasty, `sev1"`}, "errorMessages": []string{nasty, `ERR-4031" OR "`}}
		var r relatedResp
		e.mustDo(t, relatedQuery, &r, client.Var("in", in), client.Var("spaces", []string{`OPS") OR space = SEC OR (space = "OPS`}))
		for _, q := range r.Related.Queries {
			parsed, err := cql.Parse(q)
			if err != nil {
				t.Errorf("query %s does not parse: %v", q, err)
				continue
			}
			for _, f := range clauseFields(parsed.Expr()) {
				if !slices.Contains([]string{"type", "space", "text", "title", "label", "created"}, f) {
					t.Errorf("query %s has a clause on %q", q, f)
				}
			}
			if len(parsed.OrderBy()) > 0 {
				t.Errorf("query %s gained an ORDER BY", q)
			}
		}
		for _, n := range r.Related.Nodes {
			if strings.HasPrefix(n.Content.Title, "SEC-") {
				t.Errorf("injection reached the SEC space: %s", n.Content.Title)
			}
		}
	})
}

// clauseFields lists the field of every clause of x.
func clauseFields(x cql.Expr) []string {
	switch x := x.(type) {
	case *cql.BinaryExpr:
		return append(clauseFields(x.X), clauseFields(x.Y)...)
	case *cql.NotExpr:
		return clauseFields(x.X)
	case *cql.Clause:
		return []string{x.Field}
	}
	return nil
}
