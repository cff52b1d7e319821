package confluencetest_test

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/confluence-graph/confluence-graph/confluence/confluencetest"
)

// TestSpacesFilters: GET /spaces filters by type and status and sorts by
// name either way, as GET /wiki/api/v2/spaces documents; the demo has only global, current
// spaces, so a personal and an archived one are seeded.
func TestSpacesFilters(t *testing.T) {
	s, a := demoClassic(t)
	if err := s.Seed(confluencetest.Dataset{Spaces: []confluencetest.Space{
		{ID: "98400", Key: "ALICE", Name: "Alice Chen", Type: "personal"},
		{ID: "98401", Key: "OLD", Name: "Old Wiki", Status: "archived"},
	}}); err != nil {
		t.Fatal(err)
	}
	demo := []string{"98305", "98306", "98307", "98308", "98309", "98310"}
	tests := []struct {
		name, query string
		want        []string
	}{
		{"no filter has every type and status", "", append(slices.Clone(demo), "98400", "98401")},
		{"type personal", "type=personal", []string{"98400"}},
		{"type global leaves out personal", "type=global", append(slices.Clone(demo), "98401")},
		{"status archived", "status=archived", []string{"98401"}},
		{"status current leaves out archived", "status=current", append(slices.Clone(demo), "98400")},
		{"type and status together", "type=global&status=current", demo},
		{"sort by name", "sort=name", []string{"98400", "98306", "98308", "98401", "98305", "98307", "98309", "98310"}},
		{"sort by -name", "sort=-name", []string{"98310", "98309", "98307", "98305", "98401", "98308", "98306", "98400"}},
		{"sort by -id", "sort=-id&type=global&status=current", []string{"98310", "98309", "98308", "98307", "98306", "98305"}},
		{"sort by key", "sort=key&keys=ops,old,alice", []string{"98400", "98401", "98305"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := ids(mustGet(t, s.URL()+"/wiki/api/v2/spaces?"+tc.query, a).results(t))
			if !slices.Equal(got, tc.want) {
				t.Errorf("ids = %v, want %v", got, tc.want)
			}
		})
	}
	keys := make([]string, 251)
	for i := range keys {
		keys[i] = fmt.Sprintf("K%d", i)
	}
	bad := []struct{ name, query, title string }{
		{"unknown type", "type=team", "Provided value {team} for 'type' is not the correct type. Expected type is SpaceType"},
		{"unknown status", "status=deleted", "Provided value {deleted} for 'status' is not the correct type. Expected type is SpaceStatus"},
		{"unknown sort", "sort=created", "Provided value {created} for 'sort' is not the correct type. Expected type is SpaceSortOrder"},
		{"251 keys", "keys=" + strings.Join(keys, ","), "Provided size {251} for 'keys' is greater than the max allowed: 250"},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			r := get(t, s.URL()+"/wiki/api/v2/spaces?"+tc.query, a)
			wantBadParam(t, r, tc.title)
		})
	}
}

// TestPageListSortsAndFormats: both page lists sort by every documented key
// either way, take only storage/atlas_doc_format bodies, and cap space-id
// at 100, as the v2 API documents. Seeded pages make each order distinct.
func TestPageListSortsAndFormats(t *testing.T) {
	s, a := demoClassic(t)
	day := func(n int) time.Time { return fixedNow.AddDate(0, 0, -n) }
	v := func(n int, body string) confluencetest.Version {
		return confluencetest.Version{CreatedAt: day(n), Body: body}
	}
	if err := s.Seed(confluencetest.Dataset{
		Spaces: []confluencetest.Space{{ID: "98402", Key: "SRT", Name: "Sorting"}},
		Pages: []confluencetest.Page{
			{ID: "990201", SpaceKey: "SRT", Title: "beta", CreatedAt: day(10), Versions: []confluencetest.Version{v(10, "<p>b</p>")}},
			{ID: "990202", SpaceKey: "SRT", Title: "Alpha", CreatedAt: day(30), Versions: []confluencetest.Version{v(30, "<p>a1</p>"), v(1, "<p>a2</p>")}},
			{ID: "990203", SpaceKey: "SRT", Title: "gamma", CreatedAt: day(5), Versions: []confluencetest.Version{v(5, "<p>g</p>")}},
		},
	}); err != nil {
		t.Fatal(err)
	}
	sorts := []struct {
		sort string
		want []string
	}{
		{"", []string{"990201", "990202", "990203"}},
		{"id", []string{"990201", "990202", "990203"}},
		{"-id", []string{"990203", "990202", "990201"}},
		{"title", []string{"990202", "990201", "990203"}},
		{"-title", []string{"990203", "990201", "990202"}},
		{"created-date", []string{"990202", "990201", "990203"}},
		{"-created-date", []string{"990203", "990201", "990202"}},
		{"modified-date", []string{"990201", "990203", "990202"}},
		{"-modified-date", []string{"990202", "990203", "990201"}},
	}
	for _, tc := range sorts {
		for _, path := range []string{"/wiki/api/v2/pages?space-id=98402", "/wiki/api/v2/spaces/98402/pages?depth=all"} {
			t.Run(path+" sort="+tc.sort, func(t *testing.T) {
				got := ids(mustGet(t, s.URL()+path+"&sort="+tc.sort, a).results(t))
				if !slices.Equal(got, tc.want) {
					t.Errorf("ids = %v, want %v", got, tc.want)
				}
			})
		}
	}

	rows := mustGet(t, s.URL()+"/wiki/api/v2/pages?space-id=98402&sort=id&body-format=storage", a).results(t)
	st, _ := rows[1]["body"].(map[string]any)["storage"].(map[string]any)
	if st["representation"] != "storage" || st["value"] != "<p>a2</p>" {
		t.Errorf("list body with body-format=storage = %v, want the current storage body", rows[1]["body"])
	}
	spaceIDs := make([]string, 101)
	for i := range spaceIDs {
		spaceIDs[i] = fmt.Sprint(98000 + i)
	}
	bad := []struct{ name, path, title string }{
		{"view body on a list", "/wiki/api/v2/pages?body-format=view", "Provided value {view} for 'body-format' is not the correct type. Expected type is PrimaryBodyRepresentation"},
		{"view body on a space's pages", "/wiki/api/v2/spaces/98402/pages?body-format=view", "Provided value {view} for 'body-format' is not the correct type. Expected type is PrimaryBodyRepresentation"},
		{"unknown sort", "/wiki/api/v2/pages?sort=position", "Provided value {position} for 'sort' is not the correct type. Expected type is PageSortOrder"},
		{"101 space ids", "/wiki/api/v2/pages?space-id=" + strings.Join(spaceIDs, ","), "Provided size {101} for 'space-id' is greater than the max allowed: 100"},
		{"limit 0", "/wiki/api/v2/pages?limit=0", "Provided size {0} for 'limit' is less than the min allowed: 1"},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			r := get(t, s.URL()+tc.path, a)
			wantBadParam(t, r, tc.title)
		})
	}
}

// TestTreeLimits: descendants default to depth 2 and refuse depths outside
// 1..10; ancestors never offer a next page, even when limit cuts them.
func TestTreeLimits(t *testing.T) {
	s, a := demoClassic(t)
	base := s.URL() + "/wiki/api/v2/pages/"
	def := mustGet(t, base+"100001/descendants?limit=250", a).results(t)
	two := mustGet(t, base+"100001/descendants?limit=250&depth=2", a).results(t)
	if !slices.Equal(ids(def), ids(two)) {
		t.Errorf("default descendants = %v, want those of depth=2 %v", ids(def), ids(two))
	}
	maxDepth := 0.0
	for _, d := range def {
		maxDepth = max(maxDepth, d["depth"].(float64))
	}
	if maxDepth != 2 {
		t.Errorf("deepest default descendant at depth %v, want 2", maxDepth)
	}
	ten := mustGet(t, base+"100001/descendants?limit=250&depth=10", a).results(t)
	if len(ten) <= len(def) {
		t.Errorf("depth=10 gave %d rows, want more than depth 2's %d", len(ten), len(def))
	}
	for _, d := range []string{"0", "-1", "11", "two"} {
		r := get(t, base+"100001/descendants?depth="+d, a)
		if r.status != http.StatusBadRequest || !strings.Contains(string(r.body), "'depth'") {
			t.Errorf("depth=%s: %d %s, want 400 naming 'depth'", d, r.status, r.body)
		}
	}
	r := mustGet(t, base+"100004/ancestors?limit=1", a)
	if _, ok := r.json(t)["_links"].(map[string]any)["next"]; ok || r.header.Get("Link") != "" {
		t.Errorf("ancestors limit=1: _links %v, Link %q; want no next link of any kind", r.json(t)["_links"], r.header.Get("Link"))
	}
}
