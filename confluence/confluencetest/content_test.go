package confluencetest_test

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/confluence-graph/confluence-graph/confluence/confluencetest"
)

// What hangs off a page: the tree endpoints, comments, attachments, labels,
// users, id conversion and the collections included in single objects.

func TestTreeEndpoints(t *testing.T) {
	s, a := demoClassic(t)
	base := s.URL() + "/wiki/api/v2/pages/"
	if got := ids(mustGet(t, base+"100002/children", a).results(t)); !slices.Equal(got, []string{"100003", "100006", "100008", "100013"}) {
		t.Errorf("children = %v", got)
	}
	dc := mustGet(t, base+"100002/direct-children?sort=-child-position", a).results(t)
	if got := ids(dc); !slices.Equal(got, []string{"100013", "100008", "100006", "100003"}) || dc[0]["type"] != "page" {
		t.Errorf("direct-children = %v", dc)
	}
	if r := get(t, base+"999/direct-children", a); r.status != 404 || !strings.Contains(string(r.body), "Cannot find [page] entity with id [999]") {
		t.Errorf("direct-children of missing: %d %s", r.status, r.body)
	}
	d1 := mustGet(t, base+"100001/descendants?depth=1", a).results(t)
	// Every kind of content: the folder "Team handbooks" and the whiteboard sit beside the pages.
	if got := ids(d1); !slices.Equal(got, []string{"100002", "100010", "400001", "400003"}) || d1[2]["type"] != "folder" || d1[3]["type"] != "whiteboard" {
		t.Errorf("descendants depth=1 = %v", got)
	}
	d3 := mustGet(t, base+"100001/descendants?depth=3&limit=250", a).results(t)
	// 12 pages, 2 folders, the whiteboard, and the 2 pages inside the folders.
	if len(d3) != 17 || d3[len(d3)-1]["depth"] != 3.0 {
		t.Errorf("descendants depth=3 = %d rows, last depth %v; want 17 rows ending at depth 3", len(d3), d3[len(d3)-1]["depth"])
	}
	if r := get(t, base+"100001/descendants?depth=11", a); r.status != http.StatusBadRequest {
		t.Errorf("depth=11 status = %d, want 400", r.status)
	}
	anc := mustGet(t, base+"100004/ancestors", a)
	if got := ids(anc.results(t)); !slices.Equal(got, []string{"100001", "100002", "100003"}) {
		t.Errorf("ancestors = %v, want top first", got)
	}
	if anc.header.Get("Link") != "" {
		t.Errorf("ancestors has a Link header, want none")
	}
	if got := ids(mustGet(t, base+"100004/ancestors?limit=1", a).results(t)); !slices.Equal(got, []string{"100003"}) {
		t.Errorf("ancestors limit=1 = %v, want the nearest [100003]", got)
	}
	labels := mustGet(t, base+"100008/labels", a).results(t)
	var names []string
	for _, l := range labels {
		names = append(names, str(l["name"]))
		if l["prefix"] != "global" || str(l["id"]) == "" {
			t.Errorf("label %v lacks prefix/id", l)
		}
	}
	if !slices.Equal(names, []string{"runbook", "database", "postgres"}) {
		t.Errorf("labels = %v", names)
	}
}

func TestComments(t *testing.T) {
	s, a := demoClassic(t)
	base := s.URL() + "/wiki/api/v2/"
	foot := mustGet(t, base+"pages/100008/footer-comments?body-format=storage", a).results(t)
	if got := ids(foot); !slices.Equal(got, []string{"200004"}) {
		t.Errorf("footer comments = %v, want root comments only", got)
	}
	if foot[0]["body"].(map[string]any)["storage"] == nil {
		t.Errorf("footer comment lacks storage body")
	}
	if got := ids(mustGet(t, base+"footer-comments/200004/children", a).results(t)); !slices.Equal(got, []string{"200005", "200006"}) {
		t.Errorf("replies = %v", got)
	}
	in := mustGet(t, base+"pages/100006/inline-comments", a).results(t)
	if got := ids(in); !slices.Equal(got, []string{"200010", "200012"}) {
		t.Errorf("inline comments = %v", got)
	}
	if in[0]["resolutionStatus"] != "open" || in[0]["properties"].(map[string]any)["inlineOriginalSelection"] != "SENTINEL failover sessions" {
		t.Errorf("inline comment = %v", in[0])
	}
	if got := ids(mustGet(t, base+"pages/100006/inline-comments?resolution-status=resolved", a).results(t)); !slices.Equal(got, []string{"200012"}) {
		t.Errorf("resolved inline comments = %v", got)
	}
	if got := ids(mustGet(t, base+"inline-comments/200010/children", a).results(t)); !slices.Equal(got, []string{"200011"}) {
		t.Errorf("inline replies = %v", got)
	}
	inl := mustGet(t, base+"inline-comments/200010?body-format=storage", a).json(t)
	if inl["resolutionStatus"] != "open" || inl["resolutionLastModifierId"] == nil {
		t.Errorf("single inline comment = %v", inl)
	}
	one := mustGet(t, base+"footer-comments/200005?body-format=view", a).json(t)
	if one["parentCommentId"] != "200004" || one["pageId"] != "100008" {
		t.Errorf("single comment = %v", one)
	}
	if r := get(t, base+"footer-comments/200010", a); r.status != http.StatusNotFound {
		t.Errorf("inline id on footer route: %d, want 404", r.status)
	}
}

func TestAttachments(t *testing.T) {
	s, a := demoClassic(t)
	list := mustGet(t, s.URL()+"/wiki/api/v2/pages/100003/attachments", a).results(t)
	if got := ids(list); !slices.Equal(got, []string{"att300001", "att300002"}) {
		t.Fatalf("attachments = %v", got)
	}
	if list[0]["mediaType"] != "text/plain" || list[0]["fileSize"].(float64) <= 0 || !strings.HasPrefix(str(list[0]["downloadLink"]), "/download/attachments/100003/") {
		t.Errorf("attachment = %v", list[0])
	}
	if got := ids(mustGet(t, s.URL()+"/wiki/api/v2/pages/100003/attachments?mediaType=image/png", a).results(t)); !slices.Equal(got, []string{"att300002"}) {
		t.Errorf("mediaType filter = %v", got)
	}
	for _, id := range []string{"att300003", "300003"} {
		if m := mustGet(t, s.URL()+"/wiki/api/v2/attachments/"+id, a).json(t); m["title"] != "failover-notes.md" {
			t.Errorf("attachments/%s title = %v", id, m["title"])
		}
	}
	dl := get(t, s.URL()+"/wiki/rest/api/content/100008/child/attachment/att300003/download", a)
	if dl.status != http.StatusFound {
		t.Fatalf("download status = %d, want 302", dl.status)
	}
	media := get(t, dl.header.Get("Location"), confluencetest.Account{})
	if media.status != http.StatusOK || !strings.HasPrefix(string(media.body), "# Failover notes") || media.header.Get("Content-Type") != "text/markdown" {
		t.Errorf("media: %d %q %q", media.status, media.header.Get("Content-Type"), media.body)
	}
	if leaked := get(t, dl.header.Get("Location"), a); leaked.status != http.StatusBadRequest {
		t.Errorf("media request with Authorization: %d, want 400 (credentials must not cross hosts)", leaked.status)
	}
}

func TestAttachmentsDefaultLimitIs50(t *testing.T) {
	s := MustDemo(t)
	var atts []confluencetest.Attachment
	for i := range 60 {
		atts = append(atts, confluencetest.Attachment{ID: fmt.Sprintf("att9%04d", i), PageID: "100042", Title: fmt.Sprintf("f%d.txt", i), Content: []byte("x")})
	}
	if err := s.Seed(confluencetest.Dataset{Attachments: atts}); err != nil {
		t.Fatal(err)
	}
	r := mustGet(t, s.URL()+"/wiki/api/v2/pages/100042/attachments", s.Account("classic"))
	if got := len(r.results(t)); got != 50 {
		t.Errorf("default page = %d attachments, want 50", got)
	}
	if r.json(t)["_links"].(map[string]any)["next"] == nil {
		t.Errorf("no next link with 60 attachments")
	}
}

func TestUsersBulk(t *testing.T) {
	s, a := demoClassic(t)
	r := do(t, http.MethodPost, s.URL()+"/wiki/api/v2/users-bulk", a, jsonBody(t, map[string]any{"accountIds": []string{a.AccountID, "unknown"}}))
	if r.status != http.StatusOK {
		t.Fatalf("users-bulk: %d %s", r.status, r.body)
	}
	res := r.results(t)
	if len(res) != 1 || res[0]["displayName"] != "Alice Chen" || res[0]["accountId"] != a.AccountID {
		t.Errorf("users-bulk = %v", res)
	}
	if st := s.Stats(); st.Writes != 0 || st.ByEndpoint["POST /wiki/api/v2/users-bulk"] != 1 {
		t.Errorf("stats = %+v, want users-bulk counted as a read", st)
	}
	many := make([]string, 251)
	if r := do(t, http.MethodPost, s.URL()+"/wiki/api/v2/users-bulk", a, jsonBody(t, map[string]any{"accountIds": many})); r.status != http.StatusBadRequest {
		t.Errorf("251 accountIds: %d, want 400", r.status)
	}
}

func TestLabelEndpoints(t *testing.T) {
	s, a := demoClassic(t)
	var redisID string
	for _, l := range mustGet(t, s.URL()+"/wiki/api/v2/labels?limit=250", a).results(t) {
		if l["name"] == "redis" {
			redisID = str(l["id"])
		}
	}
	if redisID == "" {
		t.Fatal("GET /labels lacks redis")
	}
	got := ids(mustGet(t, s.URL()+"/wiki/api/v2/labels/"+redisID+"/pages", a).results(t))
	if !slices.Equal(got, []string{"100006", "100007", "100023", "100032", "100101", "100104", "100106", "100107"}) {
		t.Errorf("labels/redis/pages = %v", got)
	}
	sl := mustGet(t, s.URL()+"/wiki/api/v2/spaces/98305/labels", a).results(t)
	if len(sl) != 1 || sl[0]["name"] != "sre" {
		t.Errorf("spaces/98305/labels = %v", sl)
	}
}

func TestConvertIDsToTypes(t *testing.T) {
	s := MustDemo(t)
	r := do(t, http.MethodPost, s.URL()+"/wiki/api/v2/content/convert-ids-to-types", s.Account("restricted"),
		jsonBody(t, map[string]any{"contentIds": []string{"100003", "200010", "200001", "att300001", "100051", "42"}}))
	if r.status != http.StatusOK {
		t.Fatalf("status %d: %s", r.status, r.body)
	}
	got := r.json(t)["results"].(map[string]any)
	want := map[string]any{"100003": "page", "200010": "inline-comment", "200001": "footer-comment", "att300001": "attachment", "100051": nil, "42": nil}
	for id, w := range want {
		if v, ok := got[id]; !ok || v != w {
			t.Errorf("results[%s] = %v, want %v", id, v, w)
		}
	}
	if st := s.Stats(); st.Writes != 0 {
		t.Errorf("Writes = %d, want 0: convert-ids-to-types is a read", st.Writes)
	}
}

func TestIncludeCollectionsCapAt50(t *testing.T) {
	s := MustDemo(t)
	p := confluencetest.Page{ID: "990001", SpaceKey: "ENG", Title: "Busy page"}
	for i := range 60 {
		p.Labels = append(p.Labels, fmt.Sprintf("l%02d", i))
		p.Versions = append(p.Versions, confluencetest.Version{Body: fmt.Sprintf("<p>v%d</p>", i+1)})
	}
	if err := s.Seed(confluencetest.Dataset{Pages: []confluencetest.Page{p}}); err != nil {
		t.Fatal(err)
	}
	m := mustGet(t, s.URL()+"/wiki/api/v2/pages/990001?include-labels=true&include-versions=true", s.Account("classic")).json(t)
	for _, k := range []string{"labels", "versions"} {
		c := m[k].(map[string]any)
		meta := c["meta"].(map[string]any)
		if n := len(c["results"].([]any)); n != 50 || meta["hasMore"] != true || str(meta["cursor"]) == "" {
			t.Errorf("%s: %d results, meta %v; want 50 with hasMore and a cursor", k, n, meta)
		}
	}
	if got := m["versions"].(map[string]any)["results"].([]any)[0].(map[string]any)["number"]; got != 60.0 {
		t.Errorf("first included version = %v, want the newest (60)", got)
	}
}
