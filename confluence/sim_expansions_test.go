package confluence_test

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/confluence-graph/confluence-graph/confluence"
	"github.com/confluence-graph/confluence-graph/confluence/confluencetest"
)

// detailsExpand is what a caller reads comments, attachments and labels of many pages with.
var detailsExpand = []string{"metadata.labels", "children.comment.body.storage", "children.comment.version",
	"children.comment.ancestors", "children.comment.extensions.inlineProperties", "children.comment.extensions.resolution",
	"children.attachment.version"}

// TestSimContentSearchDecodesChildrenExpansions reads the home page's labels, top-level comments
// (authors, inline selection and resolution; replies are not listed, as on Cloud) and attachment
// (media type, size, author) from one content search row.
func TestSimContentSearchDecodesChildrenExpansions(t *testing.T) {
	t.Parallel()
	sim, c := simPair(t, 0, "classic", confluence.TokenClassic, nil)
	rows, _, err := c.Search.Content(t.Context(), &confluence.ContentSearchOptions{CQL: "id in (" + homeID + ", 3002)", Expand: detailsExpand})
	if err != nil {
		t.Fatalf("content search: %v", err)
	}
	if got, want := sim.Stats().Total, 1; got != want {
		t.Errorf("upstream calls = %d, want %d", got, want)
	}
	byID := map[string]confluence.Content{}
	for _, r := range rows {
		byID[r.ID] = r
	}
	home, ok := byID[homeID]
	if !ok || len(rows) != 2 {
		t.Fatalf("rows = %d (%v), want home and 3002", len(rows), byID)
	}

	t.Run("labels are complete", func(t *testing.T) {
		ls := home.Metadata.Labels
		if ls == nil || len(ls.Results) != 3 || !ls.Complete() || ls.Limit != 200 {
			t.Errorf("labels = %+v, want 3 of a 200 limit, complete", ls)
		}
	})

	t.Run("page position", func(t *testing.T) {
		child := byID["3002"]
		if child.Extensions == nil || child.Extensions.Position == nil || *child.Extensions.Position != 0 {
			t.Errorf("3002 extensions = %+v, want position 0", child.Extensions)
		}
	})

	t.Run("top-level comments with kinds and authors", func(t *testing.T) {
		cm := home.Children.Comment
		if cm == nil || !cm.Complete() {
			t.Fatalf("children.comment = %+v, want a complete collection", cm)
		}
		type row struct{ id, location, parent, author, body, selection, resolution string }
		var got []row
		for _, x := range cm.Results {
			r := row{id: x.ID}
			if x.Extensions != nil {
				r.location = x.Extensions.Location
				if x.Extensions.InlineProperties != nil {
					r.selection = x.Extensions.InlineProperties.OriginalSelection
				}
				if x.Extensions.Resolution != nil {
					r.resolution = x.Extensions.Resolution.Status
				}
			}
			if n := len(x.Ancestors); n > 0 && x.Ancestors[n-1].Type == "comment" {
				r.parent = x.Ancestors[n-1].ID
			}
			if x.Version != nil && x.Version.By != nil {
				r.author = x.Version.By.AccountID + "/" + x.Version.By.DisplayName
			}
			if x.Body != nil && x.Body.Storage != nil {
				r.body = x.Body.Storage.Value
			}
			got = append(got, r)
		}
		want := []row{
			{"7001", "footer", "", bob + "/Bob", "<p>root footer</p>", "", ""},
			{"7004", "inline", "", bob + "/Bob", "<p>inline note</p>", "third", "open"},
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("comments =\n%v\nwant\n%v", got, want)
		}
		if w := cm.Results[0].Version.When; !w.Equal(simNow.Add(-5 * 24 * 3600e9)) {
			t.Errorf("7001 version.when = %v, want 5 days before %v", w, simNow)
		}
	})

	t.Run("attachment media type, size and author", func(t *testing.T) {
		at := home.Children.Attachment
		if at == nil || !at.Complete() || len(at.Results) != 1 {
			t.Fatalf("children.attachment = %+v, want one complete", at)
		}
		a := at.Results[0]
		e := a.Extensions
		if a.ID != "att8001" || a.Title != "diagram.png" || e == nil || e.MediaType != "image/png" ||
			e.FileSize == nil || *e.FileSize != int64(len("\x89PNG fake image bytes")) || a.Links.Download == "" {
			t.Errorf("attachment = %+v, extensions %+v; want att8001 diagram.png image/png with its size and a download link", a, e)
		}
		if a.Version == nil || a.Version.Number != 1 || a.Version.By == nil || a.Version.By.AccountID != alice {
			t.Errorf("attachment version = %+v, want 1 by alice", a.Version)
		}
	})

	t.Run("an empty page's collections are complete and empty", func(t *testing.T) {
		child := byID["3002"]
		if ch := child.Children; ch == nil || !ch.Comment.Complete() || len(ch.Comment.Results) != 0 ||
			!ch.Attachment.Complete() || ch.Page != nil {
			t.Errorf("3002 children = %+v, want empty complete comment and attachment collections and no page collection", ch)
		}
	})
}

// TestSimContentSearchExpansionLimits: an expanded children collection holds at most 25 items
// and says it continues; a body expansion caps a call at 50 rows however many are asked for.
func TestSimContentSearchExpansionLimits(t *testing.T) {
	t.Parallel()
	sim := newSim(t, 60)
	var cs []confluencetest.Comment
	for i := range 30 {
		cs = append(cs, confluencetest.Comment{ID: fmt.Sprint(9000 + i), PageID: "3003", AuthorID: alice, Body: fmt.Sprintf("<p>c%d</p>", i)})
	}
	if err := sim.Seed(confluencetest.Dataset{Comments: cs}); err != nil {
		t.Fatal(err)
	}
	c := simClient(t, sim, "classic", confluence.TokenClassic, nil)

	t.Run("children collection cut at 25", func(t *testing.T) {
		rows, _, err := c.Search.Content(t.Context(), &confluence.ContentSearchOptions{CQL: "id = 3003", Expand: detailsExpand})
		if err != nil || len(rows) != 1 {
			t.Fatalf("rows = %+v, %v", rows, err)
		}
		cm := rows[0].Children.Comment
		if got, want := len(cm.Results), 25; got != want {
			t.Errorf("comments = %d, want %d", got, want)
		}
		if cm.Complete() || cm.Links.Next == "" {
			t.Errorf("collection = limit %d size %d next %q; want it incomplete with a next link", cm.Limit, cm.Size, cm.Links.Next)
		}
	})

	t.Run("body expansion caps rows at 50", func(t *testing.T) {
		rows, resp, err := c.Search.Content(t.Context(), &confluence.ContentSearchOptions{CQL: "parent = " + deepID, Expand: detailsExpand, Limit: 250})
		if err != nil {
			t.Fatal(err)
		}
		if got, want := len(rows), 50; got != want || resp.NextCursor == "" {
			t.Errorf("rows = %d (next cursor %q), want %d and a next cursor", got, resp.NextCursor, want)
		}
	})
}

func TestContentArrayComplete(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		a    *confluence.ContentArray
		want bool
	}{
		{"nil: not expanded", nil, false},
		{"short, no next", &confluence.ContentArray{Results: make([]confluence.Content, 3), Limit: 25, Size: 3}, true},
		{"empty", &confluence.ContentArray{Limit: 25}, true},
		{"next link", &confluence.ContentArray{Results: make([]confluence.Content, 3), Limit: 25, Size: 3, Links: confluence.ArrayLinks{Next: "/x"}}, false},
		{"full without a next link may be cut", &confluence.ContentArray{Results: make([]confluence.Content, 25), Limit: 25, Size: 25}, false},
		{"size missing, results full", &confluence.ContentArray{Results: make([]confluence.Content, 25), Limit: 25}, false},
		{"no limit reported", &confluence.ContentArray{Results: make([]confluence.Content, 30)}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.a.Complete(); got != tt.want {
				t.Errorf("Complete() = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestContentExtensionsPosition(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, json string
		want       string
	}{
		{"number", `{"position": 42}`, "42"},
		{"numeric string", `{"position": "7"}`, "7"},
		{"none", `{"position": "none"}`, "nil"},
		{"absent", `{"mediaType": "image/png"}`, "nil"},
		{"null", `{"position": null}`, "nil"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var e confluence.ContentExtensions
			if err := json.Unmarshal([]byte(tt.json), &e); err != nil {
				t.Fatal(err)
			}
			got := "nil"
			if e.Position != nil {
				got = fmt.Sprint(*e.Position)
			}
			if got != tt.want {
				t.Errorf("position of %s = %s, want %s", tt.json, got, tt.want)
			}
		})
	}
}
