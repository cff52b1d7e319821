package cql_test

import (
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/confluence-graph/confluence-graph/cql"
)

// indexed returns the ids of the corpus documents q matches, evaluating Match only on the
// documents Candidates admits (as an index would give them), in corpus order.
func indexed(t *testing.T, q *cql.Query, e cql.Env) (ids []string, narrowed bool) {
	t.Helper()
	key, values, ok := q.Candidates(e)
	if !ok {
		return matching(t, q, e), false
	}
	for _, d := range corpus() {
		var have []string
		switch key {
		case cql.IndexID:
			have = []string{d.ID()}
		case cql.IndexParent:
			have = []string{d.ParentID()}
		case cql.IndexAncestor:
			have = d.AncestorIDs()
		case cql.IndexSpace:
			have = []string{strings.ToLower(d.SpaceKey())}
		}
		if !slices.ContainsFunc(have, func(h string) bool { return h != "" && slices.Contains(values, h) }) {
			continue
		}
		if m, err := q.Match(d, e); err != nil {
			t.Fatal(err)
		} else if m {
			ids = append(ids, d.ID())
		}
	}
	return ids, true
}

// TestCandidates checks that matching only the documents Candidates admits gives what a full
// scan gives, and that the narrowest clause is the one chosen.
func TestCandidates(t *testing.T) {
	for _, tc := range []struct {
		cql    string
		narrow bool
		key    cql.IndexKey
	}{
		{`id in (101, 102, 999)`, true, cql.IndexID},
		{`id = 101 and label = runbook`, true, cql.IndexID},
		{`parent in (100, 201) and type = page`, true, cql.IndexParent},
		{`type = page and parent = 100 and space = ops`, true, cql.IndexParent},
		{`space = "ops" and text ~ deployment`, true, cql.IndexSpace},
		{`space = currentSpace() and label = runbook`, true, cql.IndexSpace},
		{`space in (Ops, ENG) and label = runbook`, true, cql.IndexSpace},
		{`ancestor = 100 and space = OPS`, true, cql.IndexAncestor},
		{`(id = 101 or id = 200) and label = runbook`, false, 0},
		{`id = 101 or label = runbook`, false, 0},
		{`id != 101`, false, 0},
		{`id not in (101)`, false, 0},
		{`type = page and not (space = OPS)`, false, 0},
		{`label = runbook`, false, 0},
		{`id = 101 and pageStatus = current`, false, 0},
	} {
		q, err := cql.Parse(tc.cql)
		if err != nil {
			t.Fatalf("%s: %v", tc.cql, err)
		}
		key, _, ok := q.Candidates(env())
		if ok != tc.narrow || key != tc.key {
			t.Errorf("%s: Candidates = %v, %v; want %v, %v", tc.cql, key, ok, tc.key, tc.narrow)
		}
		if !ok {
			continue
		}
		got, _ := indexed(t, q, env())
		if want := matching(t, q, env()); !slices.Equal(got, want) {
			t.Errorf("%s: through the index %v, full scan %v", tc.cql, got, want)
		}
	}
}

// analyzedDoc keeps its terms, as a search index does. Its text terms have spare capacity, so a
// caller that appended to them (labels, say) would write into memory every search shares: the
// race detector reports it when two searches run at once.
type analyzedDoc struct {
	*doc
	title, text []string
}

func (d *analyzedDoc) TitleTerms() []string { return d.title }
func (d *analyzedDoc) TextTerms() []string  { return d.text }

// TestAnalyzedDocumentsSearchAlike checks that documents that keep their own index terms match
// and rank exactly as documents analyzed on every query.
func TestAnalyzedDocumentsSearchAlike(t *testing.T) {
	var plain, kept []cql.Document
	for _, d := range corpus() {
		plain = append(plain, d)
		text := cql.IndexTerms(d.text)
		spare := append(text, make([]string, 8)...)[:len(text)] // room to append in place
		kept = append(kept, &analyzedDoc{doc: d, title: cql.IndexTerms(d.title), text: spare})
	}
	for _, s := range []string{`text ~ "deployment procedure"`, `title ~ runbook`, `text ~ runbook and space = OPS`} {
		q, err := cql.Parse(s)
		if err != nil {
			t.Fatal(err)
		}
		ids := func(docs []cql.Document) []string {
			var out []cql.Document
			for _, d := range docs {
				if ok, err := q.Match(d, env()); err != nil {
					t.Error(err) // not Fatal: ids also runs on other goroutines
				} else if ok {
					out = append(out, d)
				}
			}
			q.SortRelevance(out, env())
			var r []string
			for _, d := range out {
				r = append(r, d.ID())
			}
			return r
		}
		want := ids(plain)
		if len(want) == 0 {
			t.Fatalf("%s matches nothing; the test would prove nothing", s)
		}
		var wg sync.WaitGroup
		for range 2 { // two at once, as the simulator's searches share its documents
			wg.Go(func() {
				if got := ids(kept); !slices.Equal(got, want) {
					t.Errorf("%s: with kept terms %v, analyzed each time %v", s, got, want)
				}
			})
		}
		wg.Wait()
	}
}
