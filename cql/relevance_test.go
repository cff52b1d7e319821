package cql_test

import (
	"slices"
	"testing"

	"github.com/confluence-graph/confluence-graph/cql"
)

func sortedByRelevance(t *testing.T, text string) []string {
	t.Helper()
	q, err := cql.Parse(text)
	if err != nil {
		t.Fatal(err)
	}
	var docs []cql.Document
	for _, d := range corpus() {
		if ok, err := q.Match(d, env()); err != nil {
			t.Fatal(err)
		} else if ok {
			docs = append(docs, d)
		}
	}
	q.SortRelevance(docs, env())
	ids := make([]string, len(docs))
	for i, d := range docs {
		ids[i] = d.ID()
	}
	return ids
}

// Without ORDER BY a text search ranks by relevance: a title match and more of the words first;
// with ORDER BY, or without a text search, the order is Sort's.
func TestSortRelevance(t *testing.T) {
	got := sortedByRelevance(t, `text ~ runbook OR text ~ deployment`)
	if len(got) < 3 || !slices.Contains(got[:2], "101") {
		t.Errorf("runbook OR deployment = %v, want 101 (Deployment Runbook: both words, one in the title) in the first two", got)
	}
	if i, j := slices.Index(got, "101"), slices.Index(got, "200"); i > j {
		t.Errorf("order %v: the page with both words in title and text after one with one word in the text", got)
	}
	if got, want := sortedByRelevance(t, `text ~ "deployment procedure" ORDER BY title`), sortedTitleOrder(t); !slices.Equal(got, want) {
		t.Errorf("with ORDER BY = %v, want %v", got, want)
	}
	if got := sortedByRelevance(t, `space = OPS AND type = page`); !slices.Equal(got, []string{"103", "101", "102", "100"}) {
		t.Errorf("without a text search = %v, want Sort's default order", got)
	}
	if got := sortedByRelevance(t, `text ~ "deployment procedure" AND NOT text ~ draft`); slices.Contains(got, "103") {
		t.Errorf("NOT text ~ draft kept 103: %v", got)
	}
}

func sortedTitleOrder(t *testing.T) []string {
	t.Helper()
	q, err := cql.Parse(`text ~ "deployment procedure" ORDER BY title`)
	if err != nil {
		t.Fatal(err)
	}
	return sorted(t, q, env())
}
