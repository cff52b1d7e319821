package confluence_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/confluence-graph/confluence-graph/confluence"
)

// TestContentServicePagesByStart: a v1 child list pages by start, NextStart naming the next
// page's offset and 0 on the last; the children come in child order.
func TestContentServicePagesByStart(t *testing.T) {
	sim, c := simPair(t, 5, "classic", confluence.TokenClassic, nil)
	var got []string
	start, calls := 0, 0
	for {
		items, resp, err := c.Content.Children(t.Context(), homeID, "page", &confluence.ChildOptions{V1ListOptions: confluence.V1ListOptions{Start: start, Limit: 2}})
		if err != nil {
			t.Fatal(err)
		}
		calls++
		for _, it := range items {
			got = append(got, it.ID)
		}
		if start = resp.NextStart(); start == 0 {
			break
		}
		if calls > 20 {
			t.Fatal("no end")
		}
	}
	all, _, err := c.Content.Children(t.Context(), homeID, "page", &confluence.ChildOptions{V1ListOptions: confluence.V1ListOptions{Limit: 200}})
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, it := range all {
		want = append(want, it.ID)
	}
	if len(want) < 3 || !slices.Equal(got, want) || calls != (len(want)+1)/2 {
		t.Errorf("paged children = %v in %d calls; want %v in %d", got, calls, want, (len(want)+1)/2)
	}
	wantCalls(t, sim, "GET /wiki/rest/api/content/{id}/child/{type}", calls+1)
}

// TestUsersBulkChunks: 201 distinct ids (and a repeat) take two /user/bulk calls of at most
// 200; unknown ids are absent.
func TestUsersBulkChunks(t *testing.T) {
	sim, c := simPair(t, 0, "classic", confluence.TokenClassic, nil)
	ids := []string{alice, bob, alice}
	for i := range 199 {
		ids = append(ids, fmt.Sprintf("712020:nobody-%d", i))
	}
	us, err := c.Content.UsersBulk(t.Context(), ids)
	if err != nil {
		t.Fatal(err)
	}
	if len(us) != 2 || us[0].DisplayName != "Alice" || us[1].AccountID != bob {
		t.Errorf("users = %+v; want Alice and Bob", us)
	}
	wantCalls(t, sim, "GET /wiki/rest/api/user/bulk", 2)
}
