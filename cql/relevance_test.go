package cql_test

import (
	"slices"
	"testing"

	"github.com/confluence-graph/confluence-graph/cql"
)

// Without ORDER BY a text search ranks by relevance: a title match and more of the words first;
// with ORDER BY, or without a text search, the order is Sort's.
func TestSortRelevance(t *testing.T) {
	sortedByRelevance := func(t *testing.T, text string) []string {
		q, err := cql.Parse(text)
		if err != nil {
			t.Fatal(err)
		}
		return sortedWith(t, q, env(), q.SortRelevance)
	}
	got := sortedByRelevance(t, `text ~ runbook OR text ~ deployment`)
	if len(got) < 3 || !slices.Contains(got[:2], "101") {
		t.Errorf("runbook OR deployment = %v, want 101 (Deployment Runbook: both words, one in the title) in the first two", got)
	}
	if i, j := slices.Index(got, "101"), slices.Index(got, "200"); i > j {
		t.Errorf("order %v: the page with both words in title and text after one with one word in the text", got)
	}
	byTitle, err := cql.Parse(`text ~ "deployment procedure" ORDER BY title`)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := sortedByRelevance(t, byTitle.String()), sorted(t, byTitle, env()); !slices.Equal(got, want) {
		t.Errorf("with ORDER BY = %v, want %v", got, want)
	}
	if got := sortedByRelevance(t, `space = OPS AND type = page`); !slices.Equal(got, []string{"103", "101", "102", "100"}) {
		t.Errorf("without a text search = %v, want Sort's default order", got)
	}
	if got := sortedByRelevance(t, `text ~ "deployment procedure" AND NOT text ~ draft`); slices.Contains(got, "103") {
		t.Errorf("NOT text ~ draft kept 103: %v", got)
	}
}
