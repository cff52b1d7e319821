package confluence_test

import (
	"iter"
	"slices"
	"strings"
	"testing"

	"github.com/confluence-graph/confluence-graph/confluence"
)

// ids drains an iterator into the ids that key returns, failing on error.
func ids[T any](t *testing.T, seq iter.Seq2[T, error], key func(T) string) []string {
	t.Helper()
	var out []string
	for v, err := range seq {
		if err != nil {
			t.Fatalf("iterating: %v", err)
		}
		out = append(out, key(v))
	}
	return out
}

func sameSet(got, want []string) bool {
	g, w := slices.Clone(got), slices.Clone(want)
	slices.Sort(g)
	slices.Sort(w)
	return slices.Equal(g, w)
}

func pageID(p confluence.Page) string { return p.ID }

// TestSimReads calls every read method against the simulator, with a
// classic token on the site and a scoped token through the gateway.
func TestSimReads(t *testing.T) {
	t.Parallel()
	modes := []struct {
		account string
		tt      confluence.TokenType
		wantMe  string
	}{
		{"classic", confluence.TokenClassic, alice},
		{"scoped", confluence.TokenScoped, bot},
	}
	for _, m := range modes {
		t.Run(m.account, func(t *testing.T) {
			t.Parallel()
			sim, c := simPair(t, 0, m.account, m.tt, nil)
			ctx := t.Context()
			small := confluence.ListOptions{Limit: 3}

			t.Run("tenant info", func(t *testing.T) {
				info, err := c.TenantInfo(ctx)
				if err != nil || info.CloudID != sim.CloudID() {
					t.Errorf("TenantInfo = %+v, %v; want cloudId %s", info, err, sim.CloudID())
				}
			})
			t.Run("current user", func(t *testing.T) {
				u, _, err := c.Users.Current(ctx)
				if err != nil || u.AccountID != m.wantMe {
					t.Fatalf("Current = %+v, %v; want %s", u, err, m.wantMe)
				}
			})
			t.Run("spaces", func(t *testing.T) {
				got := ids(t, c.Spaces.ListIter(ctx, &confluence.SpaceListOptions{ListOptions: confluence.ListOptions{Limit: 1}}), func(s confluence.Space) string { return s.ID })
				if !slices.Equal(got, []string{engID, secID}) {
					t.Errorf("spaces = %v, want [%s %s]", got, engID, secID)
				}
				many, err := c.Spaces.GetMany(ctx, []string{engID}, []string{"sec"}, "plain")
				if err != nil || len(many) != 2 {
					t.Fatalf("GetMany = %d spaces, %v; want 2", len(many), err)
				}
				sp, _, err := c.Spaces.Get(ctx, engID, &confluence.SpaceGetOptions{DescriptionFormat: "plain"})
				if err != nil {
					t.Fatal(err)
				}
				if sp.Key != "ENG" || sp.HomepageID != homeID || sp.Description == nil || sp.Description.Plain == nil || sp.Description.Plain.Value != "Eng docs" {
					t.Errorf("space = %+v, want ENG with homepage %s and plain description", sp, homeID)
				}
				if sp.CreatedAt.IsZero() {
					t.Error("space CreatedAt is zero")
				}
			})
			t.Run("space pages", func(t *testing.T) {
				root := ids(t, c.Spaces.ListPagesIter(ctx, engID, &confluence.SpacePagesOptions{Depth: "root", ListOptions: small}), pageID)
				if !slices.Equal(root, []string{homeID}) {
					t.Errorf("root pages = %v, want [%s]", root, homeID)
				}
				all := ids(t, c.Spaces.ListPagesIter(ctx, engID, &confluence.SpacePagesOptions{Depth: "all", ListOptions: small}), pageID)
				if want := sim.PageIDs("ENG"); !sameSet(all, want) || len(all) != 14 {
					t.Errorf("all pages = %v, want the 14 of %v", all, want)
				}
			})
			t.Run("pages by ids", func(t *testing.T) {
				got, err := c.Pages.GetMany(ctx, []string{homeID, deepID, "4001", "999999", homeID}, &confluence.PageBatchOptions{BodyFormat: confluence.FormatStorage})
				if err != nil {
					t.Fatal(err)
				}
				gotIDs := make([]string, len(got))
				for i, p := range got {
					gotIDs[i] = p.ID
					if p.Body.Storage == nil {
						t.Errorf("page %s has no storage body", p.ID)
					}
				}
				if !sameSet(gotIDs, []string{homeID, deepID, "4001"}) {
					t.Errorf("GetMany ids = %v, want %s %s 4001", gotIDs, homeID, deepID)
				}
				one, _, err := c.Pages.List(ctx, &confluence.PageListOptions{IDs: []string{deepID}})
				if err != nil || len(one) != 1 || one[0].ParentID != "3020" || one[0].SpaceID != engID {
					t.Errorf("List(id=%s) = %+v, %v", deepID, one, err)
				}
			})
			t.Run("page bodies and versions", func(t *testing.T) {
				p, resp, err := c.Pages.Get(ctx, homeID, &confluence.PageGetOptions{BodyFormat: confluence.FormatStorage, IncludeLabels: true})
				if err != nil {
					t.Fatal(err)
				}
				if p.Title != "Home" || p.Version == nil || p.Version.Number != 3 || p.Body.Storage == nil || p.Body.Storage.Value != "<h1>Home</h1><p>third</p>" {
					t.Errorf("page = %+v, want Home v3 with its storage body", p)
				}
				if p.Labels == nil || len(p.Labels.Results) != 3 {
					t.Errorf("embedded labels = %+v, want 3", p.Labels)
				}
				if resp.Base != sim.URL()+"/wiki" {
					t.Errorf("Response.Base = %q, want %q", resp.Base, sim.URL()+"/wiki")
				}
				old, _, err := c.Pages.Get(ctx, homeID, &confluence.PageGetOptions{BodyFormat: confluence.FormatStorage, Version: 1})
				if err != nil || old.Body.Storage == nil || old.Body.Storage.Value != "<p>first</p>" {
					t.Errorf("version 1 = %+v, %v; want body <p>first</p>", old, err)
				}
				for _, f := range []confluence.BodyFormat{confluence.FormatAtlasDocFormat, confluence.FormatView} {
					p, _, err := c.Pages.Get(ctx, homeID, &confluence.PageGetOptions{BodyFormat: f})
					if err != nil || p.Body.Get(f) == nil || p.Body.Get(f).Value == "" {
						t.Errorf("body %s = %+v, %v; want a value", f, p.Body, err)
					}
				}
				nums := ids(t, c.Versions.ListIter(ctx, homeID, &confluence.VersionListOptions{BodyFormat: confluence.FormatStorage, ListOptions: confluence.ListOptions{Limit: 2}}),
					func(v confluence.Version) string { return v.Page.Body.Storage.Value })
				if !slices.Equal(nums, []string{"<h1>Home</h1><p>third</p>", "<p>second</p>", "<p>first</p>"}) {
					t.Errorf("version bodies = %v, want newest first", nums)
				}
				v, _, err := c.Versions.Get(ctx, homeID, 2)
				if err != nil || v.Number != 2 || v.AuthorID != bob || v.PrevVersion != 1 || v.NextVersion != 3 || v.Message != "v2" {
					t.Errorf("version 2 = %+v, %v", v, err)
				}
			})
			t.Run("tree", func(t *testing.T) {
				kids := ids(t, c.Pages.ListDirectChildrenIter(ctx, homeID, &confluence.ChildrenOptions{ListOptions: small}), func(ch confluence.ChildContent) string { return ch.ID })
				want := []string{"3002", "3003", "3004", "3005", "3006", "3007", "3008", "3009", "3010", "3011"}
				if !slices.Equal(kids, want) {
					t.Errorf("direct children = %v, want %v", kids, want)
				}
				var deepest int
				desc := ids(t, c.Pages.ListDescendantsIter(ctx, homeID, &confluence.DescendantsOptions{Depth: 3, ListOptions: small}), func(d confluence.Descendant) string {
					if d.ID == deepID {
						deepest = d.Depth
					}
					return d.ID
				})
				if len(desc) != 13 || deepest != 3 {
					t.Errorf("descendants = %v (deepest depth %d), want 13 with %s at depth 3", desc, deepest, deepID)
				}
				anc, err := c.Pages.AllAncestors(ctx, deepID)
				if err != nil {
					t.Fatal(err)
				}
				var ancIDs []string
				for _, a := range anc {
					ancIDs = append(ancIDs, a.ID)
				}
				if !slices.Equal(ancIDs, []string{homeID, "3002", "3020"}) {
					t.Errorf("ancestors = %v, want [%s 3002 3020]", ancIDs, homeID)
				}
			})
			t.Run("labels", func(t *testing.T) {
				names := ids(t, c.Labels.ListForPageIter(ctx, homeID, &confluence.LabelListOptions{ListOptions: confluence.ListOptions{Limit: 1}}), func(l confluence.Label) string { return l.Name })
				if !sameSet(names, []string{"home", "runbook", "sre"}) {
					t.Errorf("labels = %v, want home runbook sre", names)
				}
			})
			t.Run("comments", func(t *testing.T) {
				cid := func(c confluence.Comment) string { return c.ID }
				if got := ids(t, c.Comments.ListFooterIter(ctx, homeID, nil), cid); !slices.Equal(got, []string{"7001"}) {
					t.Errorf("footer = %v, want [7001]", got)
				}
				if got := ids(t, c.Comments.ListFooterRepliesIter(ctx, "7001", &confluence.CommentListOptions{ListOptions: confluence.ListOptions{Limit: 1}}), cid); !slices.Equal(got, []string{"7002", "7003"}) {
					t.Errorf("footer replies = %v, want [7002 7003]", got)
				}
				var sel string
				inline := ids(t, c.Comments.ListInlineIter(ctx, homeID, nil), func(c confluence.Comment) string {
					if c.Properties != nil {
						sel = c.Properties.InlineOriginalSelection
					}
					return c.ID + "/" + c.ResolutionStatus
				})
				if !slices.Equal(inline, []string{"7004/open"}) || sel != "third" {
					t.Errorf("inline = %v (selection %q), want [7004/open] on %q", inline, sel, "third")
				}
				if got := ids(t, c.Comments.ListInlineRepliesIter(ctx, "7004", nil), cid); !slices.Equal(got, []string{"7005"}) {
					t.Errorf("inline replies = %v, want [7005]", got)
				}
				reply, _, err := c.Comments.GetFooter(ctx, "7002", &confluence.CommentGetOptions{BodyFormat: confluence.FormatStorage})
				if err != nil || reply.ParentCommentID != "7001" || reply.Body.Storage == nil || reply.Body.Storage.Value != "<p>reply one</p>" {
					t.Errorf("GetFooter(7002) = %+v, %v", reply, err)
				}
				in, _, err := c.Comments.GetInline(ctx, "7004", nil)
				if err != nil || in.ResolutionStatus != "open" || in.PageID != homeID {
					t.Errorf("GetInline(7004) = %+v, %v", in, err)
				}
			})
			t.Run("attachments", func(t *testing.T) {
				got := ids(t, c.Attachments.ListForPageIter(ctx, homeID, nil), func(a confluence.Attachment) string { return a.ID + "/" + a.Title })
				if !slices.Equal(got, []string{"att8001/diagram.png"}) {
					t.Errorf("attachments = %v, want [att8001/diagram.png]", got)
				}
				a, _, err := c.Attachments.Get(ctx, "att8001")
				if err != nil || a.MediaType != "image/png" || a.FileSize != int64(len("\x89PNG fake image bytes")) {
					t.Errorf("Get(att8001) = %+v, %v", a, err)
				}
				f, _, err := c.Attachments.Download(ctx, homeID, "att8001")
				if err != nil {
					t.Fatalf("Download: %v", err)
				}
				if string(f.Data) != "\x89PNG fake image bytes" || f.ContentType != "image/png" {
					t.Errorf("download = %q (%s), want the PNG bytes", f.Data, f.ContentType)
				}
			})
			t.Run("users", func(t *testing.T) {
				us, err := c.Users.GetMany(ctx, []string{alice, bob, "712020:nobody", alice})
				if err != nil {
					t.Fatal(err)
				}
				var names []string
				for _, u := range us {
					names = append(names, u.DisplayName)
				}
				if !sameSet(names, []string{"Alice", "Bob"}) {
					t.Errorf("users = %v, want Alice Bob", names)
				}
			})
			t.Run("search", func(t *testing.T) {
				opts := &confluence.SearchOptions{CQL: `type = page AND title ~ "alpha" ORDER BY title`, Limit: 3, Expand: []string{"content.space", "content.version"}}
				titles := ids(t, c.Search.CQLIter(ctx, opts), func(r confluence.SearchResult) string { return r.Content.Title })
				want := []string{"alpha 01", "alpha 02", "alpha 03", "alpha 03 s", "alpha 03 t", "alpha 03 u", "alpha 04", "alpha 05", "alpha 06"}
				if !slices.Equal(titles, want) {
					t.Errorf("CQL titles = %v, want %v", titles, want)
				}
				first, resp, err := c.Search.CQL(ctx, opts)
				if err != nil {
					t.Fatal(err)
				}
				if first.TotalSize < 3 || first.CQLQuery == "" || resp.NextCursor == "" || len(first.Results) != 3 {
					t.Errorf("first page = total %d, cql %q, cursor %q, %d rows", first.TotalSize, first.CQLQuery, resp.NextCursor, len(first.Results))
				}
				r := first.Results[0]
				if r.Content.Space == nil || r.Content.Space.Key != "ENG" || r.Content.Version == nil || r.Content.Version.Number != 1 || r.LastModified.IsZero() {
					t.Errorf("first row content = %+v, want space ENG and version 1", r.Content)
				}
				next := *opts
				next.Cursor = resp.NextCursor
				second, _, err := c.Search.CQL(ctx, &next)
				if err != nil || len(second.Results) != 3 || second.Results[0].Content.Title != "alpha 03 s" {
					t.Errorf("second page by cursor = %+v, %v; want it to start at alpha 03 s", second, err)
				}
				content := ids(t, c.Search.ContentIter(ctx, &confluence.ContentSearchOptions{CQL: `type = page AND title ~ "beta" ORDER BY title`, Limit: 2, Expand: []string{"body.storage", "ancestors"}}),
					func(ct confluence.Content) string { return ct.ID })
				if !slices.Equal(content, []string{"3008", "3009", "3010", "3011"}) {
					t.Errorf("content search = %v, want [3008 3009 3010 3011]", content)
				}
				rows, _, err := c.Search.Content(ctx, &confluence.ContentSearchOptions{CQL: "id = " + deepID, Expand: []string{"ancestors", "space"}})
				if err != nil || len(rows) != 1 || len(rows[0].Ancestors) != 3 || rows[0].Space == nil || rows[0].Space.ID != engID {
					t.Errorf("content %s = %+v, %v; want 3 ancestors and space %s", deepID, rows, err, engID)
				}
			})
		})
	}
}

// TestSimAutoMode: auto tries the site, falls back to the gateway on 401,
// and reports which worked.
func TestSimAutoMode(t *testing.T) {
	t.Parallel()
	tests := []struct {
		account         string
		want            confluence.TokenType
		wantTenantInfos int
	}{
		{"classic", confluence.TokenClassic, 0},
		{"scoped", confluence.TokenScoped, 1},
	}
	for _, tt := range tests {
		t.Run(tt.account, func(t *testing.T) {
			t.Parallel()
			sim, c := simPair(t, 0, tt.account, confluence.TokenAuto, nil)
			if _, _, err := c.Users.Current(t.Context()); err != nil {
				t.Fatalf("Current: %v", err)
			}
			if got := c.TokenType(); got != tt.want {
				t.Errorf("TokenType = %v, want %v", got, tt.want)
			}
			// Later calls go straight to the right host.
			if _, _, err := c.Pages.Get(t.Context(), homeID, nil); err != nil {
				t.Fatalf("Get: %v", err)
			}
			wantCalls(t, sim, "GET /wiki/api/v2/pages/{id}", 1)
			wantCalls(t, sim, "GET /_edge/tenant_info", tt.wantTenantInfos)
			if tt.want == confluence.TokenScoped && c.CloudID() != sim.CloudID() {
				t.Errorf("CloudID = %q, want %q", c.CloudID(), sim.CloudID())
			}
		})
	}
}

// TestSimPaginationToTheEnd: lists are followed until no next link, with
// exact request counts, and an empty search page in the middle does not
// stop the iteration.
func TestSimPaginationToTheEnd(t *testing.T) {
	t.Parallel()
	sim, c := simPair(t, 0, "restricted", confluence.TokenClassic, nil)
	kids := ids(t, c.Pages.ListDirectChildrenIter(t.Context(), homeID, &confluence.ChildrenOptions{ListOptions: confluence.ListOptions{Limit: 3}}),
		func(ch confluence.ChildContent) string { return ch.ID })
	if len(kids) != 10 {
		t.Errorf("children = %d, want 10", len(kids))
	}
	// Ten children at limit 3: pages of 3, 3, 3 and 1.
	wantCalls(t, sim, "GET /wiki/api/v2/pages/{id}/direct-children", 4)
	// The restricted account cannot see the three SEC rows that fill the
	// second page of 3: that page comes back empty, with a next link.
	var sizes []int
	var titles []string
	opts := &confluence.SearchOptions{CQL: `type = page AND title ~ "alpha" ORDER BY title`, Limit: 3}
	for {
		res, resp, err := c.Search.CQL(t.Context(), opts)
		if err != nil {
			t.Fatal(err)
		}
		sizes = append(sizes, len(res.Results))
		if resp.NextCursor == "" {
			break
		}
		next := *opts
		next.Cursor = resp.NextCursor
		opts = &next
	}
	if !slices.Equal(sizes, []int{3, 0, 3}) {
		t.Errorf("page sizes = %v, want [3 0 3] (a short page in the middle)", sizes)
	}
	titles = ids(t, c.Search.CQLIter(t.Context(), &confluence.SearchOptions{CQL: `type = page AND title ~ "alpha" ORDER BY title`, Limit: 3}),
		func(r confluence.SearchResult) string { return r.Content.Title })
	if want := []string{"alpha 01", "alpha 02", "alpha 03", "alpha 04", "alpha 05", "alpha 06"}; !slices.Equal(titles, want) {
		t.Errorf("iterated titles = %v, want %v", titles, want)
	}
}

// TestSimBulkPagesChunked: GetMany splits ids into chunks of 250 and asks
// for limit=250, so 614 ids cost exactly 3 requests.
func TestSimBulkPagesChunked(t *testing.T) {
	t.Parallel()
	sim, c := simPair(t, 600, "classic", confluence.TokenClassic, nil)
	all := sim.PageIDs("ENG")
	if len(all) != 614 {
		t.Fatalf("dataset has %d ENG pages, want 614", len(all))
	}
	got, err := c.Pages.GetMany(t.Context(), append(all, all[:10]...), nil)
	if err != nil {
		t.Fatal(err)
	}
	gotIDs := make([]string, len(got))
	for i, p := range got {
		gotIDs[i] = p.ID
	}
	if !sameSet(gotIDs, all) {
		t.Errorf("GetMany returned %d pages, want the %d asked for", len(got), len(all))
	}
	wantCalls(t, sim, "GET /wiki/api/v2/pages", 3)
	// Descendants of the deepest page span several cursor pages at limit 250.
	n := len(ids(t, c.Pages.ListDescendantsIter(t.Context(), deepID, &confluence.DescendantsOptions{ListOptions: confluence.ListOptions{Limit: 250}}),
		func(d confluence.Descendant) string { return d.ID }))
	if n != 600 {
		t.Errorf("descendants = %d, want 600", n)
	}
	wantCalls(t, sim, "GET /wiki/api/v2/pages/{id}/descendants", 3)
}

// TestSimSearchKeepsExcerptMode: Confluence's next links drop excerpt; the
// iterator puts it back, so no page falls back to highlighting.
func TestSimSearchKeepsExcerptMode(t *testing.T) {
	t.Parallel()
	_, c := simPair(t, 0, "classic", confluence.TokenClassic, nil)
	count := func(excerpt string) (rows, highlighted int) {
		for r, err := range c.Search.CQLIter(t.Context(), &confluence.SearchOptions{CQL: `type = page AND title ~ "alpha" ORDER BY title`, Limit: 3, Excerpt: excerpt}) {
			if err != nil {
				t.Fatal(err)
			}
			rows++
			if strings.Contains(r.Title, "@@@hl@@@") {
				highlighted++
			}
		}
		return rows, highlighted
	}
	if rows, hl := count(""); rows != 9 || hl != 9 {
		t.Errorf("default excerpt: %d rows, %d highlighted; want 9, 9", rows, hl)
	}
	if rows, hl := count("none"); rows != 9 || hl != 0 {
		t.Errorf("excerpt none: %d rows, %d highlighted; want 9, 0", rows, hl)
	}
}
