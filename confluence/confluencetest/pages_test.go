package confluencetest_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/confluence-graph/confluence-graph/confluence/confluencetest"
)

func TestPagePathsInSiteAndGatewayMode(t *testing.T) {
	s := MustDemo(t)
	gw := s.URL() + "/ex/confluence/" + s.CloudID()
	tests := []struct {
		name string
		url  string
		acct string
	}{
		{"site mode, classic token", s.URL() + "/wiki/api/v2/pages/100003", "classic"},
		{"gateway mode, classic token", gw + "/wiki/api/v2/pages/100003", "classic"},
		{"gateway mode, scoped token", gw + "/wiki/api/v2/pages/100003", "scoped"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := mustGet(t, tc.url, s.Account(tc.acct)).json(t)
			if got, want := m["title"], "Deployment Runbook"; got != want {
				t.Errorf("title = %v, want %v", got, want)
			}
			if got, want := m["_links"].(map[string]any)["base"], s.URL()+"/wiki"; got != want {
				t.Errorf("_links.base = %v, want the site wiki base %v", got, want)
			}
		})
	}
	if got, want := s.Count("GET /wiki/api/v2/pages/{id}"), 3; got != want {
		t.Errorf("Count(pages/{id}) = %d, want %d (site and gateway under one pattern)", got, want)
	}
	if got := s.GatewayURL(); got != gw {
		t.Errorf("GatewayURL() = %q, want %q", got, gw)
	}
}

func TestGatewayWithWrongCloudIDIs404(t *testing.T) {
	s := MustDemo(t)
	r := get(t, s.URL()+"/ex/confluence/not-this-site/wiki/api/v2/pages/100003", s.Account("classic"))
	if r.status != http.StatusNotFound {
		t.Errorf("status = %d, want 404", r.status)
	}
}

func TestTenantInfoIsUnauthenticated(t *testing.T) {
	s := MustDemo(t)
	m := mustGet(t, s.URL()+"/_edge/tenant_info", confluencetest.Account{}).json(t)
	if got, want := m["cloudId"], s.CloudID(); got != want {
		t.Errorf("cloudId = %v, want %v", got, want)
	}
}

var linkNext = regexp.MustCompile(`<([^>]+)>; rel="next"`)

// collect follows a v2 list to its end, by the Link header or by
// _links.next, and returns the ids in order.
func collect(t *testing.T, base, first string, a confluencetest.Account, byHeader bool) (got []string, calls int) {
	t.Helper()
	next := first
	for next != "" {
		calls++
		if calls > 200 {
			t.Fatal("pagination does not end")
		}
		r := mustGet(t, base+next, a)
		got = append(got, ids(r.results(t))...)
		links := r.json(t)["_links"].(map[string]any)
		hdr := ""
		if m := linkNext.FindStringSubmatch(r.header.Get("Link")); m != nil {
			hdr = m[1]
		}
		body, _ := links["next"].(string)
		if hdr != body {
			t.Errorf("Link next %q != _links.next %q", hdr, body)
		}
		switch link := r.header.Get("Link"); {
		case body != "" && !strings.Contains(link, `rel="base"`):
			t.Errorf("Link = %q, want a rel=\"base\" entry beside rel=\"next\"", link)
		case body == "" && link != "":
			t.Errorf("last page Link = %q, want no Link header", link)
		}
		if byHeader {
			next = hdr
		} else {
			next = body
		}
	}
	return got, calls
}

func TestV2PaginationToTheEnd(t *testing.T) {
	s, a := demoClassic(t)
	all := ids(mustGet(t, s.URL()+"/wiki/api/v2/pages?limit=250", a).results(t))
	if len(all) < 20 {
		t.Fatalf("demo has %d pages, want at least 20", len(all))
	}
	for _, tc := range []struct {
		name     string
		base     string
		byHeader bool
	}{
		{"site, Link header", s.URL(), true},
		{"site, _links.next", s.URL(), false},
		{"gateway, _links.next appended to the gateway base", s.GatewayURL(), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, calls := collect(t, tc.base, "/wiki/api/v2/pages?limit=7&status=current&status=archived", a, tc.byHeader)
			if !slices.Equal(got, all) {
				t.Errorf("paged ids = %v, want %v", got, all)
			}
			if want := (len(all) + 6) / 7; calls != want {
				t.Errorf("calls = %d, want %d", calls, want)
			}
		})
	}
	r := mustGet(t, s.URL()+"/wiki/api/v2/pages?limit=2", a)
	next := r.json(t)["_links"].(map[string]any)["next"].(string)
	u, _ := url.Parse(next)
	if u.Path != "/wiki/api/v2/pages" || u.Query().Get("limit") != "2" || u.Query().Get("cursor") == "" {
		t.Errorf("_links.next = %q, want /wiki/api/v2/pages keeping limit=2 with a cursor", next)
	}
}

func TestLimitAndIDCountErrors(t *testing.T) {
	s := MustDemo(t)
	many := make([]string, 251)
	for i := range many {
		many[i] = fmt.Sprint(100000 + i)
	}
	tests := []struct {
		name, path, want string
	}{
		{"limit over 250", "/wiki/api/v2/pages?limit=300",
			`{"errors":[{"code":"INVALID_REQUEST_PARAMETER","detail":null,"status":400,"title":"Provided size {300} for 'limit' is greater than the max allowed: 250"}]}`},
		{"251 ids as a comma list", "/wiki/api/v2/pages?id=" + strings.Join(many, ","),
			`{"errors":[{"code":"INVALID_REQUEST_PARAMETER","detail":null,"status":400,"title":"Provided size {251} for 'id' is greater than the max allowed: 250"}]}`},
		{"251 ids repeated", "/wiki/api/v2/pages?id=" + strings.Join(many, "&id="),
			`{"errors":[{"code":"INVALID_REQUEST_PARAMETER","detail":null,"status":400,"title":"Provided size {251} for 'id' is greater than the max allowed: 250"}]}`},
		{"limit over 250 on spaces", "/wiki/api/v2/spaces?limit=251",
			`{"errors":[{"code":"INVALID_REQUEST_PARAMETER","detail":null,"status":400,"title":"Provided size {251} for 'limit' is greater than the max allowed: 250"}]}`},
		{"two body formats", "/wiki/api/v2/pages/100003?body-format=storage,atlas_doc_format",
			`{"errors":[{"code":"INVALID_REQUEST_PARAMETER","detail":"PrimaryBodyRepresentationSingle is one of [STORAGE, ATLAS_DOC_FORMAT, VIEW, EXPORT_VIEW, ANONYMOUS_EXPORT_VIEW, STYLED_VIEW, EDITOR].","status":400,"title":"Provided value {storage,atlas_doc_format} for 'body-format' is not the correct type. Expected type is PrimaryBodyRepresentationSingle"}]}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := get(t, s.URL()+tc.path, s.Account("classic"))
			if r.status != http.StatusBadRequest || strings.TrimSpace(string(r.body)) != tc.want {
				t.Errorf("got %d %s, want 400 %s", r.status, r.body, tc.want)
			}
		})
	}
	r := get(t, s.URL()+"/wiki/api/v2/pages?limit=250&id="+strings.Join(many[:250], ","), s.Account("classic"))
	if r.status != http.StatusOK {
		t.Errorf("250 ids: status %d, want 200", r.status)
	}
}

func TestTinyLink(t *testing.T) {
	s := MustDemo(t)
	if err := s.Seed(confluencetest.Dataset{Pages: []confluencetest.Page{{ID: "39813121", SpaceKey: "ENG", Title: "MarkSync Spike"}}}); err != nil {
		t.Fatal(err)
	}
	m := mustGet(t, s.URL()+"/wiki/api/v2/pages/39813121", s.Account("classic")).json(t)
	if got, want := m["_links"].(map[string]any)["tinyui"], "/x/AYBfAg"; got != want {
		t.Errorf("tinyui = %v, want %v", got, want)
	}
	if got, want := confluencetest.TinyUI("39813121"), "/x/AYBfAg"; got != want {
		t.Errorf("TinyUI = %v, want %v", got, want)
	}
}

func TestPageBodiesAndVersions(t *testing.T) {
	s, a := demoClassic(t)
	list := mustGet(t, s.URL()+"/wiki/api/v2/pages?id=100003", a).results(t)
	if b, _ := json.Marshal(list[0]["body"]); string(b) != "{}" {
		t.Errorf("list body without body-format = %s, want {}", b)
	}
	if _, ok := list[0]["_links"].(map[string]any)["base"]; ok {
		t.Errorf("PageBulk _links has base, want it only at collection level")
	}
	body := func(m map[string]any, f string) string {
		return m["body"].(map[string]any)[f].(map[string]any)["value"].(string)
	}
	st := mustGet(t, s.URL()+"/wiki/api/v2/pages/100003?body-format=storage", a).json(t)
	if v := body(st, "storage"); !strings.Contains(v, `<ac:structured-macro ac:name="code"`) || !strings.Contains(v, "<![CDATA[kubectl") {
		t.Errorf("storage body lacks the code macro with CDATA: %.200s", v)
	}
	view := body(mustGet(t, s.URL()+"/wiki/api/v2/pages/100003?body-format=view", a).json(t), "view")
	for _, want := range []string{`<pre class="syntaxhighlighter-pre" data-language="bash">kubectl -n payments`, "confluence-information-macro-warning", "@Alice Chen", `class="inline-task-list"`, `<img class="confluence-embedded-image" src="/wiki/download/attachments/100003/deploy-pipeline.png"`, "OPS-1423"} {
		if !strings.Contains(view, want) {
			t.Errorf("view body lacks %q", want)
		}
	}
	if strings.Contains(view, "ac:structured-macro") || strings.Contains(view, "CDATA") {
		t.Errorf("view body still has storage markup")
	}
	adf := body(mustGet(t, s.URL()+"/wiki/api/v2/pages/100003?body-format=atlas_doc_format", a).json(t), "atlas_doc_format")
	var doc map[string]any
	if err := json.Unmarshal([]byte(adf), &doc); err != nil || doc["type"] != "doc" {
		t.Errorf("atlas_doc_format value %.100q is not an ADF doc string: %v", adf, err)
	}

	old := mustGet(t, s.URL()+"/wiki/api/v2/pages/100003?version=1&body-format=storage", a).json(t)
	if got := old["version"].(map[string]any)["number"]; got != 1.0 {
		t.Errorf("version=1 returned version %v", got)
	}
	if strings.Contains(body(old, "storage"), "CDATA") {
		t.Errorf("version 1 body has the code macro added in version 3")
	}
	if r := get(t, s.URL()+"/wiki/api/v2/pages/100003?version=99", a); r.status != http.StatusNotFound {
		t.Errorf("version=99 status = %d, want 404", r.status)
	}

	inc := mustGet(t, s.URL()+"/wiki/api/v2/pages/100003?include-labels=true&include-versions=true", a).json(t)
	labels := inc["labels"].(map[string]any)
	if got := len(labels["results"].([]any)); got != 2 || labels["meta"].(map[string]any)["hasMore"] != false ||
		labels["_links"].(map[string]any)["self"] != "/wiki/api/v2/pages/100003/labels" {
		t.Errorf("include-labels = %v, want 2 labels with meta and self link", labels)
	}
	if got := len(inc["versions"].(map[string]any)["results"].([]any)); got != 4 {
		t.Errorf("include-versions count = %d, want 4", got)
	}

	vs := mustGet(t, s.URL()+"/wiki/api/v2/pages/100003/versions?body-format=storage", a).results(t)
	if len(vs) != 4 || vs[0]["number"] != 4.0 {
		t.Fatalf("versions = %v, want 4 newest first", vs)
	}
	if _, ok := vs[0]["id"]; ok {
		t.Errorf("version objects must not have an id")
	}
	if vs[0]["page"].(map[string]any)["body"] == nil {
		t.Errorf("versions?body-format=storage has no page.body")
	}
	v2 := mustGet(t, s.URL()+"/wiki/api/v2/pages/100003/versions/2", a).json(t)
	// DetailedVersion in the v2 OpenAPI document: prevVersion and nextVersion are integers.
	if v2["prevVersion"] != 1.0 || v2["nextVersion"] != 3.0 {
		t.Errorf("versions/2 prev/next = %v/%v, want the integers 1/3", v2["prevVersion"], v2["nextVersion"])
	}
	v1 := mustGet(t, s.URL()+"/wiki/api/v2/pages/100003/versions/1", a).json(t)
	if _, ok := v1["prevVersion"]; ok || v1["nextVersion"] != 2.0 {
		t.Errorf("versions/1 prev/next = %v/%v, want none/2", v1["prevVersion"], v1["nextVersion"])
	}
	if r := get(t, s.URL()+"/wiki/api/v2/pages/100003/versions/9", a); r.status != http.StatusNotFound {
		t.Errorf("versions/9 status = %d, want 404", r.status)
	}
}

func TestPageFilters(t *testing.T) {
	s, a := demoClassic(t)
	tests := []struct {
		name, query string
		want        []string
	}{
		{"title is exact and case-insensitive", "title=deployment%20runbook", []string{"100003"}},
		{"title substring matches nothing", "title=Deployment", nil},
		{"empty title matches nothing", "title=", nil},
		{"archived only", "status=archived", []string{"100013"}},
		{"trashed only", "status=trashed", []string{"100014"}},
		{"space-id filter", "space-id=98308&sort=-id", []string{"100043", "100042", "100041", "100040"}},
		{"ids keep sort, unknown ids omitted", "id=100010,100003,999&sort=title", []string{"100003", "100010"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := ids(mustGet(t, s.URL()+"/wiki/api/v2/pages?limit=250&"+tc.query, a).results(t))
			if !slices.Equal(got, tc.want) {
				t.Errorf("ids = %v, want %v", got, tc.want)
			}
		})
	}
	def := ids(mustGet(t, s.URL()+"/wiki/api/v2/pages?limit=250", a).results(t))
	if !slices.Contains(def, "100013") || slices.Contains(def, "100014") {
		t.Errorf("default statuses: ids %v, want archived 100013 in and trashed 100014 out", def)
	}
	if r := get(t, s.URL()+"/wiki/api/v2/pages?status=draft", a); r.status != http.StatusBadRequest {
		t.Errorf("status=draft: %d, want 400", r.status)
	}
	tr := mustGet(t, s.URL()+"/wiki/api/v2/pages/100014", a).json(t)
	if tr["status"] != "trashed" || tr["parentId"] != nil || tr["position"] != nil {
		t.Errorf("trashed page = status %v parent %v position %v, want trashed with null parent and position", tr["status"], tr["parentId"], tr["position"])
	}
	if r := get(t, s.URL()+"/wiki/api/v2/pages/424242", a); r.status != http.StatusNotFound || !strings.Contains(string(r.body), "Cannot find a page with id [424242]") {
		t.Errorf("missing page: %d %s", r.status, r.body)
	}
}

func TestSpaces(t *testing.T) {
	s, a := demoClassic(t)
	tests := []struct {
		name, query string
		want        []string
	}{
		{"all by id", "", []string{"98305", "98306", "98307", "98308", "98309", "98310"}},
		{"keys case-insensitive", "keys=ops,Pir", []string{"98305", "98307"}},
		{"ids", "ids=98306&ids=98308", []string{"98306", "98308"}},
		{"labels", "labels=sre", []string{"98305"}},
		{"sort by -key", "sort=-key&keys=OPS,ARCH,ENG", []string{"98309", "98305", "98308", "98306"}[1:]},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := ids(mustGet(t, s.URL()+"/wiki/api/v2/spaces?"+tc.query, a).results(t))
			if !slices.Equal(got, tc.want) {
				t.Errorf("ids = %v, want %v", got, tc.want)
			}
		})
	}
	sp := mustGet(t, s.URL()+"/wiki/api/v2/spaces/98305?description-format=plain", a).json(t)
	if sp["key"] != "OPS" || sp["homepageId"] != "100001" || sp["description"].(map[string]any)["plain"] == nil {
		t.Errorf("space 98305 = %v", sp)
	}
	root := ids(mustGet(t, s.URL()+"/wiki/api/v2/spaces/98305/pages?depth=root", a).results(t))
	if !slices.Equal(root, []string{"100001"}) {
		t.Errorf("depth=root pages = %v, want [100001]", root)
	}
	all := ids(mustGet(t, s.URL()+"/wiki/api/v2/spaces/98305/pages?limit=250", a).results(t))
	if len(all) != 15 { // 13 in the page tree and 2 inside folders
		t.Errorf("OPS pages (current+archived) = %d %v, want 15", len(all), all)
	}
}

func TestHandlerAndCloudIDOptions(t *testing.T) {
	s := confluencetest.NewServer(confluencetest.WithDataset("demo"), confluencetest.WithCloudID("11111111-2222-3333-4444-555555555555"))
	t.Cleanup(s.Close)
	if s.CloudID() != "11111111-2222-3333-4444-555555555555" {
		t.Fatalf("CloudID = %q", s.CloudID())
	}
	mustGet(t, s.URL()+"/ex/confluence/11111111-2222-3333-4444-555555555555/wiki/api/v2/spaces", s.Account("scoped"))
	mounted := httptest.NewServer(s.Handler())
	t.Cleanup(mounted.Close)
	m := mustGet(t, mounted.URL+"/_edge/tenant_info", confluencetest.Account{}).json(t)
	if m["cloudId"] != s.CloudID() {
		t.Errorf("via Handler(): cloudId = %v", m["cloudId"])
	}
	if got := s.PageIDs("ENG"); !slices.Equal(got, []string{"100040", "100041", "100042", "100043"}) {
		t.Errorf("PageIDs(ENG) = %v", got)
	}
}
