// Command correlation measures incident correlation on the repository's corpus: `related`
// against two baselines a person would try, both CQL searches of pages and blog posts on the
// same simulator — every word of the incident title (text ~ each, AND) and any word of it (OR),
// in Confluence's relevance order. It reports recall@5 and MRR and writes its section of
// bench/RESULTS.md.
//
//	go run ./bench/correlation [-out bench/RESULTS.md]
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/confluence-graph/confluence-graph/bench"
	"github.com/confluence-graph/confluence-graph/cql"
)

// Markers around this report's section of bench/RESULTS.md.
const (
	sectionBegin = "<!-- bench:correlation:begin (written by go run ./bench/correlation; edits inside are overwritten) -->"
	sectionEnd   = "<!-- bench:correlation:end -->"
)

// Targets the report checks (and main_test.go asserts).
const (
	targetRecall = 0.9
	targetMRR    = 0.7
	cutoff       = 5  // recall@cutoff
	depth        = 10 // results read per incident; MRR counts the first wanted page among them
)

// method is one way of finding pages for an incident.
type method struct {
	Name  string
	About string
	query string
	vars  func(incident) map[string]any
	ids   func(data map[string]any) []string
}

var methods = []method{
	{Name: "related", About: "`related(incident:)` with every field of the incident",
		query: `query($in: IncidentInput!) { related(incident: $in, first: 10) { nodes { content { id } } } }`,
		vars:  func(in incident) map[string]any { return map[string]any{"in": in} },
		ids:   func(d map[string]any) []string { return pluck(d, "related", "nodes", "content") }},
	{Name: "all words", About: "`search(cql:)`: pages and blog posts with `text ~` every word of the title",
		query: searchQuery, vars: func(in incident) map[string]any { return map[string]any{"q": baselineCQL(in.Title, cql.LogicAnd)} },
		ids: func(d map[string]any) []string { return pluck(d, "search", "nodes", "content") }},
	{Name: "any word", About: "`search(cql:)`: pages and blog posts with `text ~` any word of the title, by relevance",
		query: searchQuery, vars: func(in incident) map[string]any { return map[string]any{"q": baselineCQL(in.Title, cql.LogicOr)} },
		ids: func(d map[string]any) []string { return pluck(d, "search", "nodes", "content") }},
}

// searchQuery runs a baseline's CQL, Confluence's relevance order.
const searchQuery = `query($q: String!) { search(cql: $q, first: 10) { nodes { content { id } } } }`

// baselineCQL is what a person would type for the title: its words (quoted and escaped by the
// CQL builder) joined by op, over pages and blog posts (reviews are often blog posts).
func baselineCQL(title string, op cql.Logic) string {
	var words []cql.Expr
	for _, w := range strings.Fields(title) {
		if w = strings.Trim(w, ".,:;()\"'"); w != "" {
			words = append(words, cql.Field("text").Contains(cql.Terms(w)))
		}
	}
	text := cql.And(words...)
	if op == cql.LogicOr {
		text = cql.Or(words...)
	}
	q, err := cql.Build(cql.And(cql.Field("type").In(cql.Strings("page", "blogpost")...), text))
	if err != nil {
		panic(fmt.Sprintf("baseline CQL for %q: %v", title, err))
	}
	return q.String()
}

// pluck reads data[top].nodes[i][node].id.
func pluck(d map[string]any, top, list, node string) []string {
	conn, _ := d[top].(map[string]any)
	items, _ := conn[list].([]any)
	var out []string
	for _, it := range items {
		m, _ := it.(map[string]any)
		if n, ok := m[node].(map[string]any); ok {
			if id, ok := n["id"].(string); ok {
				out = append(out, id)
			}
		}
	}
	return out
}

// score is one method's result over the corpus.
type score struct {
	Method     method
	Recall     float64 // mean recall@cutoff
	MRR        float64
	Calls      float64 // mean upstream calls per incident
	Misses     []string
	Incidents  int
	ZeroResult int
}

// evaluate runs every method on every incident through the API.
func evaluate(ctx context.Context) ([]score, error) {
	sim, err := bench.SeededSim(Dataset(time.Now()))
	if err != nil {
		return nil, err
	}
	defer sim.Close()
	api, err := bench.NewAPI(sim, bench.ClientLimits{RateLimit: -1, MaxConcurrency: 64}, &bench.Recorder{})
	if err != nil {
		return nil, err
	}
	defer api.Close()
	var out []score
	for _, m := range methods {
		s := score{Method: m, Incidents: len(incidents)}
		if err := sim.ResetStats(); err != nil {
			return nil, err
		}
		for _, in := range incidents {
			var data map[string]any
			if err := api.Query(ctx, m.query, m.vars(in), &data); err != nil {
				return nil, fmt.Errorf("%s on %q: %w", m.Name, in.Title, err)
			}
			got := m.ids(data)
			r, rr := judge(got, in.want)
			s.Recall += r
			s.MRR += rr
			if len(got) == 0 {
				s.ZeroResult++
			}
			if r < 1 {
				s.Misses = append(s.Misses, fmt.Sprintf("%s (recall %.2f)", in.Title, r))
			}
		}
		st, err := sim.Stats()
		if err != nil {
			return nil, err
		}
		n := float64(len(incidents))
		s.Recall, s.MRR, s.Calls = s.Recall/n, s.MRR/n, float64(st.Total)/n
		out = append(out, s)
	}
	return out, nil
}

// judge returns recall@cutoff and the reciprocal rank of the first wanted page in got.
func judge(got, want []string) (recall, rr float64) {
	top := got[:min(len(got), cutoff)]
	found := 0
	for _, w := range want {
		if slices.Contains(top, w) {
			found++
		}
	}
	for i, id := range got[:min(len(got), depth)] {
		if slices.Contains(want, id) {
			rr = 1 / float64(i+1)
			break
		}
	}
	return float64(found) / float64(len(want)), rr
}

// markdown renders the section, markers included.
func markdown(scores []score) string {
	var b strings.Builder
	p := func(f string, a ...any) { fmt.Fprintf(&b, f+"\n", a...) }
	p("%s", sectionBegin)
	p("## Incident correlation (`go run ./bench/correlation`)")
	p("")
	p("%d incidents (alert names, descriptions, services, error messages) over a corpus of %d pages and %d blog posts: "+
		"runbooks, post-incident reviews (the blog posts are reviews, as many teams publish them), known issues, playbooks, architecture pages and distractors that share their words "+
		"(`bench/correlation/corpus.go`, `incidents.go`). Each incident lists the pages an on-call engineer would open. "+
		"Targets: recall@%d >= %.1f and MRR >= %.1f, ahead of both baselines.", len(incidents), len(pages)-len(blogReviews), len(blogReviews), cutoff, targetRecall, targetMRR)
	p("")
	p("| Method | recall@%d | MRR | no result | upstream calls per incident |", cutoff)
	p("|---|---:|---:|---:|---:|")
	for _, s := range scores {
		p("| %s | %.2f | %.2f | %d of %d | %.1f |", s.Method.About, s.Recall, s.MRR, s.ZeroResult, s.Incidents, s.Calls)
	}
	p("")
	for _, s := range scores {
		if s.Method.Name != "related" {
			continue
		}
		if len(s.Misses) == 0 {
			p("`related` found every wanted page in its top %d.", cutoff)
			break
		}
		p("Incidents where `related` missed a wanted page in its top %d:", cutoff)
		p("")
		for _, m := range s.Misses {
			p("- %s", m)
		}
	}
	p("%s", sectionEnd)
	return b.String()
}

func main() {
	out := flag.String("out", "bench/RESULTS.md", "Markdown file whose correlation section is replaced")
	flag.Parse()
	scores, err := evaluate(context.Background())
	if err != nil {
		fmt.Fprintln(os.Stderr, "correlation:", err)
		os.Exit(1)
	}
	md := markdown(scores)
	fmt.Print(md)
	if err := bench.WriteSection(*out, sectionBegin, sectionEnd, md); err != nil {
		fmt.Fprintln(os.Stderr, "correlation:", err)
		os.Exit(1)
	}
}
