package loaders

import (
	"encoding/json"
	"testing"

	"github.com/confluence-graph/confluence-graph/confluence"
)

// v1Comment reads the kind from the comment's location (footer, inline, resolved) or its inline
// properties, the direct parent from the last comment ancestor, and the author from version.by.
func TestV1CommentMapping(t *testing.T) {
	tests := []struct {
		name, json                string
		kind                      CommentKind
		parent, author, selection string
	}{
		{"footer", `{"id":"1","type":"comment","extensions":{"location":"footer"},"version":{"by":{"accountId":"a1","displayName":"Ann"},"number":1}}`,
			CommentFooter, "", "a1", ""},
		{"inline with selection", `{"id":"2","extensions":{"location":"inline","inlineProperties":{"originalSelection":"text"},"resolution":{"status":"open"}}}`,
			CommentInline, "", "", "text"},
		{"resolved inline", `{"id":"3","extensions":{"location":"resolved"}}`, CommentInline, "", "", ""},
		{"reply to a reply", `{"id":"4","ancestors":[{"id":"9","type":"page"},{"id":"1","type":"comment"},{"id":"2","type":"comment"}],"extensions":{"location":"footer"}}`,
			CommentFooter, "2", "", ""},
		{"no extensions", `{"id":"5"}`, CommentFooter, "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var c confluence.Content
			if err := json.Unmarshal([]byte(tt.json), &c); err != nil {
				t.Fatal(err)
			}
			cm, by := v1Comment(c, "9")
			if cm.Kind != tt.kind || cm.ParentID != tt.parent || cm.AuthorID != tt.author || deref(cm.HighlightedText) != tt.selection || cm.PageID != "9" {
				t.Errorf("comment = %+v, want kind %s parent %q author %q selection %q on page 9", cm, tt.kind, tt.parent, tt.author, tt.selection)
			}
			if (by != nil) != (tt.author != "") || (by != nil && (by.AccountID != tt.author || deref(by.DisplayName) != "Ann")) {
				t.Errorf("author record = %+v, want one for %q", by, tt.author)
			}
		})
	}
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}
