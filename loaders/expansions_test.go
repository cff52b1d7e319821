package loaders_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/confluence-graph/confluence-graph/confluence/confluencetest"
	"github.com/confluence-graph/confluence-graph/loaders"
)

// details loads the comments (both kinds) and attachments of ids at once, as sibling fields do,
// each item as one comparable line.
func details(t *testing.T, l *loaders.Loaders, ids []string) (map[string][]string, map[string][]string) {
	t.Helper()
	comments, attachments := map[string][]string{}, map[string][]string{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	// load runs one list read of a page and records its lines under the page's id in into.
	load := func(what, id string, into map[string][]string, read func() ([]string, error)) {
		wg.Go(func() {
			got, err := read()
			if err != nil {
				t.Errorf("%s(%s): %v", what, id, err)
			}
			mu.Lock()
			into[id] = got
			mu.Unlock()
		})
	}
	for _, id := range ids {
		load("comments", id, comments, func() ([]string, error) {
			cs, err := l.Comments(t.Context(), id, "", 100)
			var got []string
			for _, c := range cs.Items {
				got = append(got, c.ID+"/"+string(c.Kind)+"/"+c.AuthorID+"/"+c.Storage)
			}
			return got, err
		})
		load("attachments", id, attachments, func() ([]string, error) {
			as, err := l.Attachments(t.Context(), id, "", 100)
			var got []string
			for _, a := range as.Items {
				got = append(got, fmt.Sprint(a.ID, "/", a.Title, "/", a.MediaType, "/", deref(a.FileSize), "/", a.Version, "/", a.AuthorID))
			}
			return got, err
		})
	}
	wg.Wait()
	return comments, attachments
}

func TestClientUpstreamExpandsChildren(t *testing.T) {
	f := newFixture(t, "demo")
	x, ok := f.up.(loaders.ExpandingUpstream)
	if !ok || !x.ExpandsChildren() {
		t.Fatalf("NewClientUpstream = %T, want an ExpandingUpstream that expands children", f.up)
	}
}

// Comments and attachments of many pages come from one content search with the children
// expansions. A page with more comments than an expanded collection holds (25) is read through
// the per-page endpoints, alone, so none is dropped; the answers equal the per-page ones.
func TestExpandedDetailsFallBackPerPageWhenCut(t *testing.T) {
	const crowded = "100003"
	ids := []string{crowded, "100006", "100008", "100021"}
	f := newFixture(t, "demo")
	var extra []confluencetest.Comment
	for i := range 30 {
		extra = append(extra, confluencetest.Comment{ID: fmt.Sprint(990000 + i), PageID: crowded, AuthorID: f.sim.Accounts()[0].AccountID,
			Body: fmt.Sprintf("<p>note %d</p>", i)})
	}
	if err := f.sim.Seed(confluencetest.Dataset{Comments: extra}); err != nil {
		t.Fatal(err)
	}

	f.sim.ResetStats()
	batched, batchedAtt := details(t, f.newLoaders(t), ids)
	st := f.sim.Stats()

	perPage := f.config("t1", nil)
	perPage.NoCQLBatching = true
	f.sim.ResetStats()
	want, wantAtt := details(t, loaders.New(t.Context(), perPage), ids)

	if got := len(batched[crowded]); got < 30 {
		t.Errorf("comments of %s = %d, want all (at least the 30 seeded)", crowded, got)
	}
	attached := 0
	for _, id := range ids {
		if fmt.Sprint(batched[id]) != fmt.Sprint(want[id]) {
			t.Errorf("comments of %s =\n%v\nwant (per page)\n%v", id, batched[id], want[id])
		}
		if fmt.Sprint(batchedAtt[id]) != fmt.Sprint(wantAtt[id]) {
			t.Errorf("attachments of %s =\n%v\nwant (per page)\n%v", id, batchedAtt[id], wantAtt[id])
		}
		attached += len(wantAtt[id])
	}
	if attached == 0 {
		t.Errorf("no attachments on %v: the test checks nothing about them", ids)
	}
	// One details search; the crowded page's footer and inline lists on their own; no other
	// per-page list.
	wantCalls := map[string]int{
		"GET /wiki/rest/api/content/search":           1,
		"GET /wiki/api/v2/pages/{id}/footer-comments": 1,
		"GET /wiki/api/v2/pages/{id}/inline-comments": 1,
	}
	for ep, n := range st.ByEndpoint {
		if ep == "POST /wiki/api/v2/users-bulk" {
			continue
		}
		if n != wantCalls[ep] {
			t.Errorf("%s = %d, want %d (all: %v)", ep, n, wantCalls[ep], st.ByEndpoint)
		}
	}
	for ep, n := range wantCalls {
		if st.ByEndpoint[ep] != n {
			t.Errorf("%s = %d, want %d", ep, st.ByEndpoint[ep], n)
		}
	}
}

// The expanded comments name their authors, so resolving them costs no users-bulk call.
func TestExpandedCommentsPrimeTheirAuthors(t *testing.T) {
	f := newFixture(t, "demo")
	l := f.newLoaders(t)
	ids := []string{"100003", "100006", "100008", "100021"}
	comments, _ := details(t, l, ids)
	var authors []string
	for _, id := range ids {
		cs, err := l.Comments(context.Background(), id, "", 100)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cs.Items {
			authors = append(authors, c.AuthorID)
		}
	}
	if len(authors) == 0 {
		t.Fatalf("no comments on %v (%v): the test checks nothing", ids, comments)
	}
	f.sim.ResetStats()
	us, errs := l.Users(t.Context(), authors)
	for i := range us {
		if errs[i] != nil || us[i].DisplayName == nil {
			t.Errorf("user %s = %+v, %v; want a name", authors[i], us[i], errs[i])
		}
	}
	if st := f.sim.Stats(); st.Total != 0 {
		t.Errorf("upstream calls = %v, want 0 (primed by the expansion)", st.ByEndpoint)
	}
}

func deref[T any](p *T) any {
	if p == nil {
		return nil
	}
	return *p
}
