package confluence_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/confluence-graph/confluence-graph/confluence"
)

// The client against the simulator where Cloud's wording and shapes matter:
// 400s, CQL parse errors, version navigation, the end of a cursor walk and
// array parameters.

// TestSimBadRequests: the simulator's 400s are Confluence's bodies and the
// client maps each to ErrBadRequest.
func TestSimBadRequests(t *testing.T) {
	t.Parallel()
	_, c := simPair(t, 0, "classic", confluence.TokenClassic, nil)
	ctx := t.Context()

	_, _, err := c.Pages.List(ctx, &confluence.PageListOptions{ListOptions: confluence.ListOptions{Limit: 300}})
	var ce *confluence.Error
	if !errors.Is(err, confluence.ErrBadRequest) || !errors.As(err, &ce) || ce.Code != "INVALID_REQUEST_PARAMETER" ||
		ce.Message != "Provided size {300} for 'limit' is greater than the max allowed: 250" {
		t.Errorf("limit 300: %v, want ErrBadRequest with INVALID_REQUEST_PARAMETER and Confluence's title", err)
	}

	// type is one value in the spec: a comma list is one unknown value, as Spring binds it.
	_, _, err = c.Spaces.List(ctx, &confluence.SpaceListOptions{Type: "global,personal"})
	if !errors.Is(err, confluence.ErrBadRequest) || !errors.As(err, &ce) ||
		!strings.HasPrefix(ce.Message, "Provided value {global,personal} for 'type' is not the correct type. Expected type is SpaceType") {
		t.Errorf("type=global,personal: %v, want ErrBadRequest naming the joined value", err)
	}

	ids := make([]string, 251)
	for i := range ids {
		ids[i] = fmt.Sprint(3001 + i)
	}
	_, _, err = c.Pages.List(ctx, &confluence.PageListOptions{IDs: ids})
	if !errors.Is(err, confluence.ErrBadRequest) || !errors.As(err, &ce) || ce.Message != "Provided size {251} for 'id' is greater than the max allowed: 250" {
		t.Errorf("251 repeated ids: %v, want ErrBadRequest counting 251 ids", err)
	}

	for _, q := range []string{"type = page AND (", "type = page AND space ~ ENG", `type = page AND lastmodified > "2026-05-12T09:00:00.000Z"`} {
		_, _, err = c.Search.CQL(ctx, &confluence.SearchOptions{CQL: q})
		var cq *confluence.CQLError
		if !errors.Is(err, confluence.ErrInvalidCQL) || !errors.Is(err, confluence.ErrBadRequest) || !errors.As(err, &cq) ||
			cq.Message != "com.atlassian.confluence.api.service.exceptions.BadRequestException: Could not parse cql : "+q {
			t.Errorf("search %q: %v, want a 400 *CQLError with Confluence's \"Could not parse cql : <cql>\"", q, err)
		}
	}
}

// TestSimVersionNavigation: DetailedVersion carries its neighbours as
// integers, none before the first version or after the latest.
func TestSimVersionNavigation(t *testing.T) {
	t.Parallel()
	_, c := simPair(t, 0, "classic", confluence.TokenClassic, nil)
	for _, tc := range []struct{ n, prev, next int }{{1, 0, 2}, {2, 1, 3}, {3, 2, 0}} {
		v, _, err := c.Versions.Get(t.Context(), homeID, tc.n)
		if err != nil || v.Number != tc.n || v.PrevVersion != tc.prev || v.NextVersion != tc.next {
			t.Errorf("version %d = %+v, %v; want prev %d, next %d", tc.n, v, err, tc.prev, tc.next)
		}
	}
}

// TestSimCursorWalkEnds: every page but the last carries a Link header and
// _links.next; the last has neither, and the walk stops there with one
// request per page.
func TestSimCursorWalkEnds(t *testing.T) {
	t.Parallel()
	sim, c := simPair(t, 0, "classic", confluence.TokenClassic, nil)
	opts := &confluence.SpacePagesOptions{ListOptions: confluence.ListOptions{Limit: 4}}
	var got []string
	for pages := 0; ; pages++ {
		if pages > 10 {
			t.Fatal("walk does not end")
		}
		items, resp, err := c.Spaces.ListPages(t.Context(), engID, opts)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range items {
			got = append(got, p.ID)
		}
		link := resp.Header.Get("Link")
		if resp.NextURL == "" {
			if link != "" {
				t.Errorf("last page Link = %q, want none", link)
			}
			break
		}
		if !strings.Contains(link, `rel="next"`) || !strings.Contains(link, `rel="base"`) {
			t.Errorf("page %d Link = %q, want rel=\"next\" and rel=\"base\"", pages, link)
		}
		opts.Cursor = resp.NextCursor
	}
	// ENG holds home, its ten children and the three deep pages: 14, so 4 pages of 4.
	if len(got) != 14 {
		t.Errorf("walk read %d pages (%v), want 14", len(got), got)
	}
	wantCalls(t, sim, "GET /wiki/api/v2/spaces/{id}/pages", 4)
}

// TestSimRepeatedIDs: the simulator reads the repeated ids the client sends
// and answers exactly those pages, in one request.
func TestSimRepeatedIDs(t *testing.T) {
	t.Parallel()
	sim, c := simPair(t, 0, "classic", confluence.TokenClassic, nil)
	pages, _, err := c.Pages.List(t.Context(), &confluence.PageListOptions{IDs: []string{"3003", homeID, deepID}, Sort: "id"})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range pages {
		got = append(got, p.ID)
	}
	if want := []string{homeID, "3003", deepID}; !slices.Equal(got, want) {
		t.Errorf("pages = %v, want %v", got, want)
	}
	spaces, _, err := c.Spaces.List(t.Context(), &confluence.SpaceListOptions{Keys: []string{"eng", "SEC"}})
	if err != nil || len(spaces) != 2 {
		t.Errorf("spaces by two keys = %+v, %v; want ENG and SEC", spaces, err)
	}
	wantCalls(t, sim, "GET /wiki/api/v2/pages", 1)
	wantCalls(t, sim, "GET /wiki/api/v2/spaces", 1)
}
