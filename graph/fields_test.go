package graph_test

import (
	"strings"
	"testing"
	"time"
)

const pageFieldsQuery = `{ page(id: "100003") {
  id title status url createdAt updatedAt
  space { id key name type status url description homepage { id title } }
  author { accountId displayName email }
  currentVersion { number message minorEdit createdAt author { displayName } }
  body { format value truncated totalChars }
  short: body(maxChars: 25) { value truncated totalChars }
  storage: body(format: STORAGE) { format value }
  text: body(format: TEXT) { value }
  view: body(format: VIEW) { value }
  adf: body(format: ATLAS_DOC_FORMAT) { value }
  section: body(section: "Pre-flight checklist") { value }
  parent { id title }
  ancestors { id title }
  children { edges { cursor node { id title } } nodes { id url ... on Page { status } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } }
  descendants(depth: 1) { nodes { id title } }
  comments { nodes { id kind author { displayName } createdAt body { value } resolutionStatus highlightedText
                     replies { nodes { id kind body(format: TEXT) { value } author { displayName } } } } }
  labels { id name prefix }
  versions(first: 2) { nodes { number message author { displayName } } pageInfo { hasNextPage endCursor } }
  version(number: 1) { number message body { value } }
  missingVersion: version(number: 99) { number }
  diff { from { number } to { number } unified linesAdded linesRemoved titleChanged fromTitle toTitle hunks { oldStart oldLines newStart newLines lines } }
  attachments { nodes { id title mediaType fileSize comment createdAt version author { displayName } downloadUrl webUrl } }
  pngs: attachments(mediaType: "image/png") { nodes { title } }
} }`

type user struct {
	AccountID   string
	DisplayName *string
	Email       *string
}

type pageFields struct {
	Page struct {
		ID, Title, Status, URL, CreatedAt, UpdatedAt string
		Space                                        struct {
			ID, Key, Name, Type, Status, URL string
			Description                      *string
			Homepage                         *struct{ ID, Title string }
		}
		Author         *user
		CurrentVersion struct {
			Number    int
			Message   *string
			MinorEdit bool
			CreatedAt string
			Author    *user
		}
		Body struct {
			Format, Value string
			Truncated     bool
			TotalChars    int
		}
		Short struct {
			Value      string
			Truncated  bool
			TotalChars int
		}
		Storage   struct{ Format, Value string }
		Text      struct{ Value string }
		View      struct{ Value string }
		Adf       struct{ Value string }
		Section   struct{ Value string }
		Parent    *struct{ ID, Title string }
		Ancestors []struct{ ID, Title string }
		Children  struct {
			Edges []struct {
				Cursor string
				Node   struct{ ID, Title string }
			}
			Nodes    []struct{ ID, Status, URL string }
			PageInfo struct {
				HasNextPage, HasPreviousPage bool
				StartCursor, EndCursor       *string
			}
		}
		Descendants struct{ Nodes []struct{ ID, Title string } }
		Comments    struct {
			Nodes []struct {
				ID, Kind, CreatedAt string
				Author              *user
				Body                struct{ Value string }
				ResolutionStatus    *string
				HighlightedText     *string
				Replies             struct {
					Nodes []struct {
						ID, Kind string
						Body     struct{ Value string }
						Author   *user
					}
				}
			}
		}
		Labels   []struct{ ID, Name, Prefix string }
		Versions struct {
			Nodes []struct {
				Number  int
				Message *string
				Author  *user
			}
			PageInfo struct {
				HasNextPage bool
				EndCursor   *string
			}
		}
		Version *struct {
			Number  int
			Message *string
			Body    struct{ Value string }
		}
		MissingVersion *struct{ Number int }
		Diff           diffResp
		Attachments    struct {
			Nodes []struct {
				ID, Title, MediaType, CreatedAt, DownloadURL, WebURL string
				FileSize                                             *int
				Comment                                              *string
				Version                                              int
				Author                                               *user
			}
		}
		Pngs struct{ Nodes []struct{ Title string } }
	}
}

// diffResp is a PageDiff as the tests select it.
type diffResp struct {
	From, To                 struct{ Number int }
	Unified                  string
	LinesAdded, LinesRemoved int
	TitleChanged             bool
	FromTitle, ToTitle       string
	Hunks                    []struct {
		OldStart, OldLines, NewStart, NewLines int
		Lines                                  []string
	}
}

func name(u *user) string {
	if u == nil || u.DisplayName == nil {
		return ""
	}
	return *u.DisplayName
}

func TestPageFields(t *testing.T) {
	e := demoEnv(t)
	var r pageFields
	e.mustDo(t, pageFieldsQuery, &r)
	p := r.Page
	check := func(what string, got, want any) {
		t.Helper()
		if got != want {
			t.Errorf("%s = %v, want %v", what, got, want)
		}
	}
	check("title", p.Title, "Deployment Runbook")
	check("status", p.Status, "CURRENT")
	check("url has the page path", strings.HasSuffix(p.URL, "/wiki/spaces/OPS/pages/100003/Deployment+Runbook") || strings.Contains(p.URL, "/pages/100003"), true)
	check("space key", p.Space.Key, "OPS")
	check("space type", p.Space.Type, "GLOBAL")
	check("space homepage", p.Space.Homepage != nil && p.Space.Homepage.Title == "Operations Home", true)
	check("space description", p.Space.Description != nil && strings.Contains(*p.Space.Description, "Runbooks"), true)
	check("author", p.Author != nil && p.Author.AccountID != "" && name(p.Author) != "", true)
	check("current version", p.CurrentVersion.Number, 4)
	check("current version message", p.CurrentVersion.Message != nil && strings.Contains(*p.CurrentVersion.Message, "release status"), true)
	check("updatedAt is the current version's", p.UpdatedAt, p.CurrentVersion.CreatedAt)
	check("body format", p.Body.Format, "MARKDOWN")
	check("markdown heading", strings.Contains(p.Body.Value, "# Deployment Runbook"), true)
	check("markdown code", strings.Contains(p.Body.Value, "kubectl -n payments rollout restart"), true)
	check("markdown mention resolved", strings.Contains(p.Body.Value, "@712020"), false)
	check("not truncated", p.Body.Truncated, false)
	check("totalChars", p.Body.TotalChars, len([]rune(p.Body.Value)))
	check("short length", len([]rune(p.Short.Value)), 25)
	check("short truncated", p.Short.Truncated, true)
	check("short total", p.Short.TotalChars, p.Body.TotalChars)
	check("storage is XHTML", strings.Contains(p.Storage.Value, "<ac:structured-macro"), true)
	check("storage format", p.Storage.Format, "STORAGE")
	check("text has no markdown heading", strings.Contains(p.Text.Value, "# Deployment"), false)
	check("text has the words", strings.Contains(p.Text.Value, "Deployment Runbook"), true)
	check("view is HTML", strings.Contains(p.View.Value, "<"), true)
	check("adf is JSON", strings.HasPrefix(strings.TrimSpace(p.Adf.Value), "{"), true)
	check("section starts at its heading", strings.HasPrefix(p.Section.Value, "## Pre-flight checklist"), true)
	check("section stops at the next heading", strings.Contains(p.Section.Value, "## Steps"), false)
	check("parent", p.Parent != nil && p.Parent.Title == "Runbooks", true)
	if len(p.Ancestors) != 2 || p.Ancestors[0].Title != "Operations Home" || p.Ancestors[1].Title != "Runbooks" {
		t.Errorf("ancestors = %+v, want Operations Home, Runbooks", p.Ancestors)
	}
	if len(p.Children.Edges) != 2 || p.Children.Edges[0].Node.Title != "Rolling back a deployment" || p.Children.Edges[1].Node.Title != "Canary analysis checklist" {
		t.Errorf("children = %+v, want the two children in child order", p.Children.Edges)
	}
	check("children nodes status", len(p.Children.Nodes) == 2 && p.Children.Nodes[0].Status == "CURRENT" && p.Children.Nodes[0].URL != "", true)
	check("children hasNextPage", p.Children.PageInfo.HasNextPage, false)
	check("children endCursor", p.Children.PageInfo.EndCursor != nil && *p.Children.PageInfo.EndCursor == p.Children.Edges[1].Cursor, true)
	check("descendants depth 1", len(p.Descendants.Nodes), 2)
	if len(p.Comments.Nodes) != 2 {
		t.Fatalf("comments = %+v, want 2 top-level footer comments", p.Comments.Nodes)
	}
	c := p.Comments.Nodes[0]
	check("comment kind", c.Kind, "FOOTER")
	check("comment body", strings.Contains(c.Body.Value, "canary step"), true)
	check("comment author", name(c.Author) != "", true)
	check("footer comment has no resolution", c.ResolutionStatus == nil && c.HighlightedText == nil, true)
	check("reply", len(c.Replies.Nodes) == 1 && strings.Contains(c.Replies.Nodes[0].Body.Value, "release status table"), true)
	var labels []string
	for _, l := range p.Labels {
		labels = append(labels, l.Name+"/"+l.Prefix)
		if l.ID == "" {
			t.Errorf("label %q has no id", l.Name)
		}
	}
	check("labels", strings.Join(labels, ","), "runbook/global,deployment/global")
	check("versions newest first", len(p.Versions.Nodes) == 2 && p.Versions.Nodes[0].Number == 4 && p.Versions.Nodes[1].Number == 3, true)
	check("versions hasNextPage", p.Versions.PageInfo.HasNextPage, true)
	check("version 1", p.Version != nil && p.Version.Number == 1 && *p.Version.Message == "first draft", true)
	check("version 1 body", p.Version != nil && strings.Contains(p.Version.Body.Value, "Merge to `main`") && !strings.Contains(p.Version.Body.Value, "Pre-flight"), true)
	check("missing version is null", p.MissingVersion == nil, true)
	d := p.Diff
	check("diff from", d.From.Number, 3)
	check("diff to", d.To.Number, 4)
	check("diff adds release status", strings.Contains(d.Unified, "+## Release status"), true)
	check("diff added lines", d.LinesAdded > 0, true)
	check("diff title unchanged", d.TitleChanged, false)
	check("diff hunks", len(d.Hunks) > 0 && len(d.Hunks[0].Lines) > 0, true)
	if len(p.Attachments.Nodes) != 2 {
		t.Fatalf("attachments = %+v, want 2", p.Attachments.Nodes)
	}
	a := p.Attachments.Nodes[0]
	check("attachment fields", a.ID != "" && a.Title != "" && a.MediaType != "" && a.DownloadURL != "" && a.WebURL != "" && a.Version >= 1 && a.FileSize != nil, true)
	check("attachment author", name(a.Author) != "", true)
	check("version author", name(p.Versions.Nodes[0].Author) != "" && name(p.CurrentVersion.Author) == name(p.Versions.Nodes[0].Author), true)
	check("png filter", len(p.Pngs.Nodes) == 1 && p.Pngs.Nodes[0].Title == "deploy-pipeline.png", true)
}

func TestInlineCommentsAndKindFilter(t *testing.T) {
	e := demoEnv(t)
	var r struct {
		Page struct {
			All    struct{ Nodes []struct{ ID, Kind string } }
			Inline struct {
				Nodes []struct {
					Kind             string
					ResolutionStatus *string
					HighlightedText  *string
					Replies          struct{ Nodes []struct{ ID string } }
				}
			}
			Footer struct{ Nodes []struct{ ID string } }
		}
	}
	e.mustDo(t, `{ page(id: "100006") {
	  all: comments { nodes { id kind } }
	  inline: comments(kind: INLINE) { nodes { kind resolutionStatus highlightedText replies { nodes { id } } } }
	  footer: comments(kind: FOOTER) { nodes { id } } } }`, &r)
	if len(r.Page.All.Nodes) != 2 || len(r.Page.Inline.Nodes) != 2 || len(r.Page.Footer.Nodes) != 0 {
		t.Fatalf("comments all/inline/footer = %d/%d/%d, want 2/2/0", len(r.Page.All.Nodes), len(r.Page.Inline.Nodes), len(r.Page.Footer.Nodes))
	}
	in := r.Page.Inline.Nodes[0]
	if in.Kind != "INLINE" || in.ResolutionStatus == nil || *in.ResolutionStatus != "open" || in.HighlightedText == nil || *in.HighlightedText != "SENTINEL failover sessions" {
		t.Errorf("inline comment = %+v", in)
	}
	if len(in.Replies.Nodes) != 1 || in.Replies.Nodes[0].ID != "200011" {
		t.Errorf("inline replies = %+v, want 200011", in.Replies.Nodes)
	}
}

func TestSpacesAndTree(t *testing.T) {
	e := demoEnv(t)
	var r struct {
		ByID   struct{ Key string }
		Spaces struct {
			Nodes    []struct{ Key string }
			PageInfo struct {
				HasNextPage bool
				EndCursor   string
			}
		}
		Filtered struct{ Nodes []struct{ Key, Name string } }
		Space    struct {
			Pages    struct{ Nodes []struct{ Title string } }
			All      struct{ Nodes []struct{ ID string } }
			PageTree struct {
				Entries []struct {
					Content     struct{ Title string }
					Depth       int
					ParentID    *string
					HasChildren bool
				}
				Truncated bool
				EndCursor *string
			}
			Sub struct {
				Entries []struct {
					Content struct{ Title string }
					Depth   int
				}
			}
		}
	}
	e.mustDo(t, `{ byId: space(id: "98306") { key }
	  spaces(first: 2) { nodes { key } pageInfo { hasNextPage endCursor } }
	  filtered: spaces(keys: ["pir", "ENG"]) { nodes { key name } }
	  space(key: "ops") {
	    pages { nodes { title } }
	    all: pages(depth: ALL, first: 100) { nodes { id } }
	    pageTree(maxDepth: 2) { entries { content { title } depth parentId hasChildren } truncated endCursor }
	    sub: pageTree(rootId: "100002", maxDepth: 1) { entries { content { title } depth } } } }`, &r)
	if r.ByID.Key != "ARCH" {
		t.Errorf("space(id: 98306).key = %q, want ARCH", r.ByID.Key)
	}
	if len(r.Spaces.Nodes) != 2 || !r.Spaces.PageInfo.HasNextPage {
		t.Errorf("spaces(first: 2) = %+v, want 2 and a next page", r.Spaces)
	}
	if len(r.Filtered.Nodes) != 2 {
		t.Errorf("spaces(keys) = %+v, want PIR and ENG", r.Filtered.Nodes)
	}
	if len(r.Space.Pages.Nodes) != 1 || r.Space.Pages.Nodes[0].Title != "Operations Home" {
		t.Errorf("root pages = %+v, want Operations Home", r.Space.Pages.Nodes)
	}
	if len(r.Space.All.Nodes) != 14 { // 16 (2 inside folders) minus one archived and one trashed page
		t.Errorf("all OPS pages = %d, want 14", len(r.Space.All.Nodes))
	}
	var tree []string
	for _, e := range r.Space.PageTree.Entries {
		tree = append(tree, strings.Repeat(">", e.Depth)+e.Content.Title)
	}
	// Scratch notes is trashed; the folder and the whiteboard are entries like the pages.
	want := ">Operations Home,>>Runbooks,>>On-call Guide,>>Team handbooks,>>Incident response flow"
	if strings.Join(tree, ",") != want {
		t.Errorf("pageTree = %s\nwant %s", strings.Join(tree, ","), want)
	}
	if r.Space.PageTree.Truncated || r.Space.PageTree.EndCursor != nil {
		t.Errorf("pageTree of 5 entries: truncated %v, endCursor %v; want false, null", r.Space.PageTree.Truncated, r.Space.PageTree.EndCursor)
	}
	if len(r.Space.PageTree.Entries) == 5 && (!r.Space.PageTree.Entries[1].HasChildren || r.Space.PageTree.Entries[1].ParentID == nil || *r.Space.PageTree.Entries[1].ParentID != "100001") {
		t.Errorf("pageTree entries = %+v", r.Space.PageTree.Entries)
	}
	if len(r.Space.Sub.Entries) != 3 || r.Space.Sub.Entries[0].Content.Title != "Deployment Runbook" || r.Space.Sub.Entries[0].Depth != 1 {
		t.Errorf("pageTree(rootId: Runbooks) = %+v, want its 3 current children at depth 1", r.Space.Sub)
	}
}

func TestPagesPaginationAndOrder(t *testing.T) {
	e := demoEnv(t)
	var r struct {
		Pages []*struct{ ID, Title string }
	}
	e.mustDo(t, `{ pages(ids: ["100021", "999999", "100003"]) { id title } }`, &r)
	if len(r.Pages) != 3 || r.Pages[0] == nil || r.Pages[0].ID != "100021" || r.Pages[1] != nil || r.Pages[2] == nil || r.Pages[2].ID != "100003" {
		t.Fatalf("pages = %+v, want [100021, null, 100003]", r.Pages)
	}
	// Walk OPS/Runbooks' children two at a time with cursors.
	var seen []string
	after := ""
	for range 5 {
		var pr struct {
			Page struct {
				Children struct {
					Nodes    []struct{ Title string }
					PageInfo struct {
						HasNextPage bool
						EndCursor   *string
					}
				}
			}
		}
		q := `query($after: String) { page(id: "100002") { children(first: 2, after: $after) { nodes { title } pageInfo { hasNextPage endCursor } } } }`
		if after == "" {
			e.mustDo(t, q, &pr)
		} else {
			e.mustDo(t, q, &pr, varAfter(after))
		}
		for _, n := range pr.Page.Children.Nodes {
			seen = append(seen, n.Title)
		}
		if !pr.Page.Children.PageInfo.HasNextPage {
			break
		}
		after = *pr.Page.Children.PageInfo.EndCursor
	}
	want := "Deployment Runbook,Redis Failover Procedure,Database Failover" // Old deploy process is archived
	if strings.Join(seen, ",") != want {
		t.Errorf("children pages = %s, want %s", strings.Join(seen, ","), want)
	}
}

// The scalar fields TestPageFields only checks for presence carry the simulator's values.
func TestFieldValues(t *testing.T) {
	e := demoEnv(t)
	var r struct {
		Page struct {
			CreatedAt time.Time
			Author    struct{ AccountID, DisplayName, Email string }
			Space     struct{ ID, Key, Name, Type, Status, URL string }
			Current   struct {
				Number    int
				MinorEdit bool
				CreatedAt time.Time
			} `json:"currentVersion"`
			Text        struct{ Format string }
			Attachments struct {
				Nodes []struct {
					Title, Comment, MediaType, DownloadURL, WebURL string
					FileSize, Version                              int
					CreatedAt                                      time.Time
				}
			}
		}
		Search struct {
			Nodes []struct {
				Type, Title, URL, Excerpt string
				LastModified              time.Time
			}
			TotalCount int
		}
	}
	e.mustDo(t, `{ page(id: "100003") { createdAt author { accountId displayName email }
	  space { id key name type status url }
	  currentVersion { number minorEdit createdAt }
	  text: body(format: TEXT) { format }
	  attachments(first: 1) { nodes { title fileSize comment createdAt version mediaType downloadUrl webUrl } } }
	  search(cql: "type = page AND title ~ \"Deployment Runbook\"", first: 1) { nodes { type title url excerpt lastModified } totalCount } }`, &r)
	p, site := r.Page, e.sim.URL()+"/wiki"
	check := func(what string, got, want any) {
		t.Helper()
		if got != want {
			t.Errorf("%s = %v, want %v", what, got, want)
		}
	}
	check("author", p.Author.AccountID+" "+p.Author.DisplayName+" "+p.Author.Email,
		"712020:5b1f0c3e-a7d4-4c52-9e21-0a1b2c3d4e01 Alice Chen alice@example.com")
	check("space", p.Space.ID+" "+p.Space.Key+" "+p.Space.Name+" "+p.Space.Type+" "+p.Space.Status, "98305 OPS Operations GLOBAL current")
	check("space url", p.Space.URL, site+"/spaces/OPS")
	check("current version", p.Current.Number, 4)
	check("minor edit", p.Current.MinorEdit, false)
	check("created before the current version", p.CreatedAt.Before(p.Current.CreatedAt), true)
	check("TEXT body format", p.Text.Format, "TEXT")
	if len(p.Attachments.Nodes) != 1 {
		t.Fatalf("attachments = %+v, want 1", p.Attachments.Nodes)
	}
	a := p.Attachments.Nodes[0]
	check("attachment", a.Title+" "+a.MediaType+" "+a.Comment, "deploy-checklist.txt text/plain printable checklist")
	check("attachment size", a.FileSize, 94)
	check("attachment version", a.Version, 1)
	check("attachment created", a.CreatedAt.IsZero(), false)
	// downloadUrl is this service's route (absolute when the server knows its address).
	check("download url", a.DownloadURL, "/attachments/att300001/download")
	check("web url", strings.HasPrefix(a.WebURL, site+"/pages/viewpageattachments.action?pageId=100003"), true)
	if len(r.Search.Nodes) != 1 {
		t.Fatalf("search = %+v, want 1 hit", r.Search)
	}
	h := r.Search.Nodes[0]
	check("hit", h.Type+" "+h.Title, "PAGE Deployment Runbook")
	check("hit url", h.URL, site+"/spaces/OPS/pages/100003/Deployment+Runbook")
	check("hit excerpt", strings.HasPrefix(h.Excerpt, "Deployment Runbook How we ship services to production."), true)
	check("hit lastModified is the current version's", h.LastModified.Equal(p.Current.CreatedAt), true)
	// "Deployment Runbook: payments-api" (KB) has both words too; the shorter title ranks first.
	check("totalCount", r.Search.TotalCount, 2)
}
