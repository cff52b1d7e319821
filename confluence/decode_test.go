package confluence_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/confluence-graph/confluence-graph/confluence"
)

// TestTimestampFormsOnEveryType: each type with a timestamp reads it as
// RFC 3339 or epoch milliseconds, and still reads its other members
// (nested ones with their own decoding included).
func TestTimestampFormsOnEveryType(t *testing.T) {
	t.Parallel()
	want := time.Date(2026, 7, 3, 13, 48, 15, 974_000_000, time.UTC)
	decode := func(t *testing.T, js string, v any) {
		t.Helper()
		if err := json.Unmarshal([]byte(js), v); err != nil {
			t.Fatalf("Unmarshal(%s): %v", js, err)
		}
	}
	for _, stamp := range []string{`"2026-07-03T13:48:15.974Z"`, `1783086495974`} {
		t.Run(stamp, func(t *testing.T) {
			var p confluence.Page
			decode(t, `{"id":"1","title":"T","createdAt":`+stamp+`,"version":{"number":2,"createdAt":`+stamp+`},"_links":{"base":"b"}}`, &p)
			if p.ID != "1" || p.Title != "T" || !p.CreatedAt.Equal(want) || p.Version == nil || p.Version.Number != 2 ||
				!p.Version.CreatedAt.Equal(want) || p.Links.Base != "b" {
				t.Errorf("Page = %+v (version %+v)", p, p.Version)
			}
			var sp confluence.Space
			decode(t, `{"id":"9","key":"K","createdAt":`+stamp+`}`, &sp)
			if sp.Key != "K" || !sp.CreatedAt.Equal(want) {
				t.Errorf("Space = %+v", sp)
			}
			var a confluence.Attachment
			decode(t, `{"id":"att1","fileSize":12,"createdAt":`+stamp+`}`, &a)
			if a.ID != "att1" || a.FileSize != 12 || !a.CreatedAt.Equal(want) {
				t.Errorf("Attachment = %+v", a)
			}
			var r confluence.SearchResult
			decode(t, `{"title":"R","lastModified":`+stamp+`,"content":{"id":42,"version":{"number":3,"when":`+stamp+`},"history":{"createdDate":`+stamp+`}}}`, &r)
			if r.Title != "R" || !r.LastModified.Equal(want) || r.Content == nil || r.Content.ID != "42" ||
				r.Content.Version == nil || !r.Content.Version.When.Equal(want) || r.Content.History == nil || !r.Content.History.CreatedDate.Equal(want) {
				t.Errorf("SearchResult = %+v (content %+v)", r, r.Content)
			}
			var res confluence.CommentResolution
			decode(t, `{"status":"resolved","lastModifiedDate":`+stamp+`}`, &res)
			if res.Status != "resolved" || !res.LastModifiedDate.Equal(want) {
				t.Errorf("CommentResolution = %+v", res)
			}
		})
	}
	var ss confluence.SearchSpace
	if err := json.Unmarshal([]byte(`{"id":98305,"key":"OPS"}`), &ss); err != nil || ss.ID != "98305" || ss.Key != "OPS" {
		t.Errorf("SearchSpace with a numeric id = %+v, %v", ss, err)
	}
	var p confluence.Page
	if err := json.Unmarshal([]byte(`{"createdAt":"yesterday"}`), &p); err == nil {
		t.Error("Page with an unreadable createdAt: nil error, want one")
	}
}
