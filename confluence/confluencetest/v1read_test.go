package confluencetest_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"
)

// TestGuideRecipeScopes: the guide-recipe token reads through the gateway's v1 routes and is
// refused by every v2 route and by the attachment download (which needs
// readonly:content.attachment:confluence or read:attachment:confluence).
func TestGuideRecipeScopes(t *testing.T) {
	s := MustDemo(t)
	a := s.Account("scoped-guide")
	gw := s.GatewayURL() + "/wiki"
	for _, path := range []string{
		"/rest/api/content/100003?expand=body.storage,version,ancestors,space,history,metadata.labels",
		"/rest/api/content/100003/child/page", "/rest/api/content/100003/child/comment", "/rest/api/content/100003/child/attachment",
		"/rest/api/content/100003/label", "/rest/api/content/100003/version", "/rest/api/content/100003/version/2",
		"/rest/api/content/100003/history", "/rest/api/space", "/rest/api/space/OPS", "/rest/api/space/OPS/content/page",
		"/rest/api/user?accountId=712020:5b1f0c3e-a7d4-4c52-9e21-0a1b2c3d4e01",
		"/rest/api/user/bulk?accountId=712020:5b1f0c3e-a7d4-4c52-9e21-0a1b2c3d4e01",
		"/rest/api/content/search?cql=id%3D100003", "/rest/api/user/current",
	} {
		mustGet(t, gw+path, a)
	}
	for _, path := range []string{"/api/v2/pages/100003", "/api/v2/spaces", "/api/v2/pages/100003/footer-comments",
		"/rest/api/content/100003/child/attachment/att300001/download"} {
		r := get(t, gw+path, a)
		if r.status != http.StatusUnauthorized || !strings.Contains(string(r.body), "scope does not match") {
			t.Errorf("GET %s = %d %s; want 401 scope does not match", path, r.status, r.body)
		}
	}
}

// TestV1ContentRoutes: shapes and paging of the v1 read routes.
func TestV1ContentRoutes(t *testing.T) {
	s, a := demoClassic(t)
	base := s.URL() + "/wiki/rest/api"

	m := mustGet(t, base+"/content/100003?expand=body.storage,version,ancestors,space", a).json(t)
	if m["status"] != "current" || m["version"].(map[string]any)["number"] != float64(4) || len(m["ancestors"].([]any)) != 2 ||
		m["space"].(map[string]any)["key"] != "OPS" || !strings.Contains(m["body"].(map[string]any)["storage"].(map[string]any)["value"].(string), "Release status") {
		t.Errorf("content 100003 = %v", m)
	}
	if r := get(t, base+"/content/100003?version=1", a); r.status != http.StatusNotFound {
		t.Errorf("old version without status=historical = %d; want 404", r.status)
	}
	m = mustGet(t, base+"/content/100003?version=1&status=historical&expand=body.storage,version", a).json(t)
	if m["status"] != "historical" || m["version"].(map[string]any)["number"] != float64(1) ||
		strings.Contains(m["body"].(map[string]any)["storage"].(map[string]any)["value"].(string), "Pre-flight") {
		t.Errorf("content 100003 v1 = %v", m)
	}
	if r := get(t, base+"/content/100013", a); r.status != http.StatusNotFound {
		t.Errorf("archived page without status = %d; want 404", r.status)
	}
	mustGet(t, base+"/content/100013?status=any", a)

	// Children in child order, start/limit paging with a context-relative next link.
	r := mustGet(t, base+"/content/100002/child/page?limit=2", a)
	if got := ids(r.results(t)); !slices.Equal(got, []string{"100003", "100006"}) {
		t.Errorf("children page 1 = %v", got)
	}
	next, _ := r.json(t)["_links"].(map[string]any)["next"].(string)
	if !strings.HasPrefix(next, "/rest/api/content/100002/child/page?") || !strings.Contains(next, "start=2") {
		t.Fatalf("next = %q", next)
	}
	r = mustGet(t, s.URL()+"/wiki"+next, a)
	if got := ids(r.results(t)); !slices.Equal(got, []string{"100008"}) || r.json(t)["_links"].(map[string]any)["next"] != nil {
		t.Errorf("children page 2 = %v %s", got, r.body)
	}
	// Top-level comments only; a comment's replies are its children.
	if got := ids(mustGet(t, base+"/content/100008/child/comment", a).results(t)); !slices.Equal(got, []string{"200004"}) {
		t.Errorf("comments = %v", got)
	}
	if got := ids(mustGet(t, base+"/content/200004/child/comment", a).results(t)); !slices.Equal(got, []string{"200005", "200006"}) {
		t.Errorf("replies = %v", got)
	}
	if got := ids(mustGet(t, base+"/content/100006/child/comment?location=inline", a).results(t)); !slices.Equal(got, []string{"200010", "200012"}) {
		t.Errorf("inline comments = %v", got)
	}
	if got := ids(mustGet(t, base+"/content/100006/child/comment?location=resolved", a).results(t)); !slices.Equal(got, []string{"200012"}) {
		t.Errorf("resolved inline comments = %v", got)
	}
	if r := get(t, base+"/content/100003/child/blogpost", a); r.status != http.StatusBadRequest {
		t.Errorf("child/blogpost = %d; want 400", r.status)
	}
	vs := mustGet(t, base+"/content/100003/version", a).results(t)
	if len(vs) != 4 || vs[0]["number"] != float64(4) {
		t.Errorf("versions = %v", vs)
	}
	sp := mustGet(t, base+"/space?spaceKey=ARCH&expand=description.plain,homepage", a).results(t)
	if len(sp) != 1 || sp[0]["homepage"].(map[string]any)["id"] != "100020" ||
		sp[0]["description"].(map[string]any)["plain"].(map[string]any)["value"] != "Service architecture and design decisions." {
		t.Errorf("space ARCH = %v", sp)
	}
	if got := ids(mustGet(t, base+"/space/ARCH/content/page?depth=root", a).results(t)); !slices.Equal(got, []string{"100020"}) {
		t.Errorf("ARCH root pages = %v", got)
	}
	us := mustGet(t, base+"/user/bulk?accountId=712020:5b1f0c3e-a7d4-4c52-9e21-0a1b2c3d4e01,nobody", a).results(t)
	if len(us) != 1 || us[0]["displayName"] != "Alice Chen" {
		t.Errorf("users bulk = %v", us)
	}
	// The restricted account sees nothing outside its spaces.
	if r := get(t, base+"/content/100051", s.Account("restricted")); r.status != http.StatusNotFound {
		t.Errorf("restricted content = %d; want 404", r.status)
	}
}
