package confluence_test

import (
	"errors"
	"slices"
	"testing"

	"github.com/confluence-graph/confluence-graph/confluence"
	"github.com/confluence-graph/confluence-graph/confluence/confluencetest"
)

// TestSimBlogPosts reads a blog post and what hangs off it through the /blogposts routes, on a
// scoped token (the routes take the page, comment and attachment scopes).
func TestSimBlogPosts(t *testing.T) {
	t.Parallel()
	sim := newSim(t, 0)
	if err := sim.Seed(confluencetest.Dataset{
		BlogPosts: []confluencetest.BlogPost{{ID: "7001", SpaceKey: "ENG", Title: "Release notes", AuthorID: alice, Labels: []string{"release"},
			Versions: []confluencetest.Version{{Body: "<p>one</p>"}, {Body: "<p>two</p>", Message: "second"}}}},
		Comments:    []confluencetest.Comment{{ID: "7101", PageID: "7001", AuthorID: alice, Body: "<p>nice</p>"}, {ID: "7102", PageID: "7001", Kind: "inline", AuthorID: alice, Body: "<p>typo</p>", Selection: "two"}},
		Attachments: []confluencetest.Attachment{{ID: "att7201", PageID: "7001", Title: "notes.txt", MediaType: "text/plain", Content: []byte("x")}},
	}); err != nil {
		t.Fatal(err)
	}
	c := simClient(t, sim, "scoped", confluence.TokenScoped, nil)
	ctx := t.Context()
	got, err := c.BlogPosts.GetMany(ctx, []string{"7001", homeID}, &confluence.PageBatchOptions{BodyFormat: confluence.FormatStorage})
	if err != nil || len(got) != 1 || got[0].ID != "7001" || got[0].Body.Storage == nil || got[0].Body.Storage.Value != "<p>two</p>" || got[0].ParentID != "" {
		t.Fatalf("GetMany = %+v, %v; want the blog post only, with its current body", got, err)
	}
	old, _, err := c.BlogPosts.Get(ctx, "7001", &confluence.PageGetOptions{BodyFormat: confluence.FormatStorage, Version: 1})
	if err != nil || old.Body.Storage.Value != "<p>one</p>" || old.Links.Base == "" {
		t.Errorf("Get version 1 = %+v, %v", old, err)
	}
	if _, _, err := c.BlogPosts.Get(ctx, homeID, nil); !errors.Is(err, confluence.ErrNotFound) {
		t.Errorf("Get(page id) err = %v, want ErrNotFound", err)
	}
	ls, _, err := c.BlogPosts.ListLabels(ctx, "7001", nil)
	if err != nil || len(ls) != 1 || ls[0].Name != "release" {
		t.Errorf("labels = %v, %v", ls, err)
	}
	vs, _, err := c.BlogPosts.ListVersions(ctx, "7001", &confluence.VersionListOptions{BodyFormat: confluence.FormatStorage})
	if err != nil || len(vs) != 2 || vs[0].BlogPost == nil || vs[0].BlogPost.Body.Storage.Value != "<p>two</p>" {
		t.Errorf("versions = %+v, %v", vs, err)
	}
	if v, _, err := c.BlogPosts.GetVersion(ctx, "7001", 2); err != nil || v.Message != "second" {
		t.Errorf("version 2 = %+v, %v", v, err)
	}
	fc, _, err := c.BlogPosts.ListFooterComments(ctx, "7001", nil)
	ic, _, err2 := c.BlogPosts.ListInlineComments(ctx, "7001", nil)
	if err != nil || err2 != nil || len(fc) != 1 || fc[0].BlogPostID != "7001" || len(ic) != 1 || ic[0].ID != "7102" {
		t.Errorf("comments = %+v %+v, %v %v", fc, ic, err, err2)
	}
	as, _, err := c.BlogPosts.ListAttachments(ctx, "7001", nil)
	if err != nil || len(as) != 1 || as[0].BlogPostID != "7001" {
		t.Errorf("attachments = %+v, %v", as, err)
	}
	in, _, err := c.BlogPosts.ListInSpace(ctx, engID, &confluence.SpacePagesOptions{Depth: "root"})
	var inIDs []string
	for _, b := range in {
		inIDs = append(inIDs, b.ID)
	}
	if err != nil || !slices.Contains(inIDs, "7001") {
		t.Errorf("ListInSpace = %v, %v", inIDs, err)
	}
	wantCalls(t, sim, "GET /wiki/api/v2/blogposts", 1)
	wantCalls(t, sim, "GET /wiki/api/v2/blogposts/{id}", 2)
}
