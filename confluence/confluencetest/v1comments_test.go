package confluencetest_test

import (
	"net/http"
	"net/url"
	"slices"
	"testing"
)

// TestV1ChildCommentIsTopLevelOnly: GET content/{id}/child/comment lists a page's top-level
// comments only, whatever depth says (Cloud ignores it), filtered by location and offset-paged.
func TestV1ChildCommentIsTopLevelOnly(t *testing.T) {
	s, a := demoClassic(t)
	base := s.URL() + "/wiki/rest/api/content/"
	for _, q := range []string{"", "?depth=all", "?depth=root"} {
		if got := ids(mustGet(t, base+"100003/child/comment"+q, a).results(t)); !slices.Equal(got, []string{"200001", "200003"}) {
			t.Errorf("child/comment%s = %v, want [200001 200003] (replies 200002, 200015, 200016 left out)", q, got)
		}
	}
	if got := ids(mustGet(t, base+"100006/child/comment?location=footer", a).results(t)); len(got) != 0 {
		t.Errorf("footer comments of 100006 = %v, want none", got)
	}
	if got := ids(mustGet(t, base+"100006/child/comment?location=resolved", a).results(t)); !slices.Equal(got, []string{"200012"}) {
		t.Errorf("resolved comments of 100006 = %v, want [200012]", got)
	}
	first := mustGet(t, base+"100003/child/comment?limit=1", a).json(t)
	next, _ := first["_links"].(map[string]any)["next"].(string)
	if rs := first["results"].([]any); len(rs) != 1 || next == "" {
		t.Fatalf("limit=1: %d results, next %q; want one and a next link", len(rs), next)
	}
	second := mustGet(t, s.URL()+"/wiki"+next, a)
	if got := ids(second.results(t)); !slices.Equal(got, []string{"200003"}) {
		t.Errorf("second page = %v, want [200003]", got)
	}
	if _, ok := second.json(t)["_links"].(map[string]any)["next"]; ok {
		t.Errorf("the last page has a next link")
	}
	if r := get(t, base+"999999/child/comment", a); r.status != http.StatusNotFound {
		t.Errorf("unknown page: status %d, want 404", r.status)
	}
}

// TestV1CommentExtensionsOnlyWhenExpanded: an inline comment's selection and resolution come only
// with the extensions.inlineProperties and extensions.resolution expansions; location always.
func TestV1CommentExtensionsOnlyWhenExpanded(t *testing.T) {
	s, a := demoClassic(t)
	u := s.URL() + "/wiki/rest/api/content/100006/child/comment?location=inline"
	for _, tc := range []struct {
		expand                string
		selection, resolution bool
	}{
		{"", false, false},
		{"body.storage", false, false},
		{"extensions.inlineProperties", true, false},
		{"extensions.resolution", false, true},
		{"extensions.inlineProperties,extensions.resolution", true, true},
	} {
		rs := mustGet(t, u+"&expand="+url.QueryEscape(tc.expand), a).results(t)
		if len(rs) != 2 {
			t.Fatalf("expand=%q: %d inline comments, want 2", tc.expand, len(rs))
		}
		ext, _ := rs[0]["extensions"].(map[string]any)
		_, sel := ext["inlineProperties"]
		_, res := ext["resolution"]
		if ext["location"] != "inline" || sel != tc.selection || res != tc.resolution {
			t.Errorf("expand=%q: extensions = %v; want location inline, inlineProperties %v, resolution %v", tc.expand, ext, tc.selection, tc.resolution)
		}
		if tc.selection && ext["inlineProperties"].(map[string]any)["originalSelection"] != "SENTINEL failover sessions" {
			t.Errorf("originalSelection = %v", ext["inlineProperties"])
		}
		if tc.resolution && ext["resolution"].(map[string]any)["status"] != "open" {
			t.Errorf("resolution = %v", ext["resolution"])
		}
	}
}

// TestV1RepliesAreTheCommentsChildren: a page's children.comment expansion holds its top-level
// comments; a comment's own children.comment (a content search on comment ids) its direct
// replies, one level each, as v2 footer-comments/{id}/children does.
func TestV1RepliesAreTheCommentsChildren(t *testing.T) {
	s, a := demoClassic(t)
	search := func(cql, expand string) map[string][]string {
		t.Helper()
		rows := mustGet(t, s.URL()+"/wiki/rest/api/content/search?cql="+url.QueryEscape(cql)+"&expand="+url.QueryEscape(expand), a).results(t)
		out := map[string][]string{}
		for _, r := range rows {
			cm := r["children"].(map[string]any)["comment"].(map[string]any)
			out[str(r["id"])] = ids(toMaps(cm["results"].([]any)))
		}
		return out
	}
	if got := search("id in (100003, 100006)", "children.comment"); !slices.Equal(got["100003"], []string{"200001", "200003"}) ||
		!slices.Equal(got["100006"], []string{"200010", "200012"}) {
		t.Errorf("pages' children.comment = %v, want the top-level comments only", got)
	}
	got := search("id in (200001, 200002, 200015, 200016, 200010, 200011)", "children.comment")
	want := map[string][]string{"200001": {"200002"}, "200002": {"200015"}, "200015": {"200016"}, "200016": nil,
		"200010": {"200011"}, "200011": {"200017"}}
	for id, w := range want {
		if r, ok := got[id]; !ok || !slices.Equal(r, w) {
			t.Errorf("children.comment of %s = %v (row %v), want %v", id, r, ok, w)
		}
	}
	if got := ids(mustGet(t, s.URL()+"/wiki/api/v2/footer-comments/200002/children", a).results(t)); !slices.Equal(got, []string{"200015"}) {
		t.Errorf("v2 children of 200002 = %v, want [200015]", got)
	}
}
