package confluence_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/confluence-graph/confluence-graph/confluence"
	"github.com/confluence-graph/confluence-graph/confluence/confluencetest"
)

// TestSimAllAncestorsBeyondOneCall: the ancestors endpoint has no cursor
// and returns at most 250, nearest last; AllAncestors asks again from the
// highest one found until a call comes back short, and returns the whole
// chain highest first.
func TestSimAllAncestorsBeyondOneCall(t *testing.T) {
	t.Parallel()
	sim := newSim(t, 0)
	// A chain of 300 pages under home: 8000 (top) ... 8299 (bottom).
	var chain []confluencetest.Page
	want := []string{homeID}
	for i := range 300 {
		parent := homeID
		if i > 0 {
			parent = fmt.Sprint(8000 + i - 1)
		}
		id := fmt.Sprint(8000 + i)
		chain = append(chain, confluencetest.Page{ID: id, SpaceKey: "ENG", Title: "Level " + id, ParentID: parent, AuthorID: alice})
		if i < 299 {
			want = append(want, id)
		}
	}
	if err := sim.Seed(confluencetest.Dataset{Pages: chain}); err != nil {
		t.Fatal(err)
	}
	sim.ResetStats()
	c := simClient(t, sim, "classic", confluence.TokenClassic, nil)
	anc, err := c.Pages.AllAncestors(t.Context(), "8299")
	if err != nil {
		t.Fatal(err)
	}
	got := make([]string, len(anc))
	for i, a := range anc {
		got[i] = a.ID
	}
	if !slices.Equal(got, want) {
		t.Errorf("AllAncestors = %d ids from %v to %v, want %d from %s to 8298", len(got), first(got), last(got), len(want), homeID)
	}
	// 250, then the remaining 50.
	wantCalls(t, sim, "GET /wiki/api/v2/pages/{id}/ancestors", 2)
}

func first(s []string) string {
	if len(s) == 0 {
		return ""
	}
	return s[0]
}

func last(s []string) string {
	if len(s) == 0 {
		return ""
	}
	return s[len(s)-1]
}
