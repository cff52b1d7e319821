package confluencetest_test

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/confluence-graph/confluence-graph/confluence/confluencetest"
)

func TestFolderRoutes(t *testing.T) {
	s, a := demoClassic(t)
	v2 := s.URL() + "/wiki/api/v2/"
	f := mustGet(t, v2+"folders/400002", a).json(t)
	if f["type"] != "folder" || f["title"] != "Network" || f["parentId"] != "400001" || f["parentType"] != "folder" ||
		f["spaceId"] != "98305" || f["position"] != 1.0 {
		t.Errorf("folder 400002 = %v", f)
	}
	links := f["_links"].(map[string]any)
	if links["webui"] != "/spaces/OPS/folder/400002" || links["base"] == nil {
		t.Errorf("folder _links = %v", links)
	}
	// A page inside a folder names the folder as its parent, with the folder's type.
	p := mustGet(t, v2+"pages/100060", a).json(t)
	if p["parentId"] != "400002" || p["parentType"] != "folder" {
		t.Errorf("page in folder: parentId %v parentType %v", p["parentId"], p["parentType"])
	}
	// A folder id is not a page, and a page id is not a folder.
	if r := get(t, v2+"pages/400001", a); r.status != http.StatusNotFound {
		t.Errorf("pages/{folder} = %d, want 404", r.status)
	}
	if r := get(t, v2+"pages/400001/direct-children", a); r.status != http.StatusNotFound || !strings.Contains(string(r.body), "Cannot find [page] entity with id [400001]") {
		t.Errorf("pages/{folder}/direct-children = %d %s", r.status, r.body)
	}
	if r := get(t, v2+"folders/100001", a); r.status != http.StatusNotFound {
		t.Errorf("folders/{page} = %d, want 404", r.status)
	}
	if r := get(t, v2+"folders/400003", a); r.status != http.StatusNotFound {
		t.Errorf("folders/{whiteboard} = %d, want 404", r.status)
	}
	for path, typ := range map[string]string{"whiteboards/400003": "whiteboard", "databases/400004": "database", "embeds/400005": "embed"} {
		if n := mustGet(t, v2+path, a).json(t); n["type"] != typ {
			t.Errorf("%s type = %v", path, n["type"])
		}
	}

	kids := mustGet(t, v2+"folders/400001/direct-children", a).results(t)
	if got := ids(kids); !slices.Equal(got, []string{"400002", "100061"}) || kids[0]["type"] != "folder" || kids[1]["type"] != "page" {
		t.Errorf("folder children = %v", kids)
	}
	for _, k := range kids {
		if _, ok := k["spaceId"]; ok {
			t.Errorf("direct-children row carries spaceId: %v", k)
		}
	}
	desc := mustGet(t, v2+"folders/400001/descendants?depth=2", a).results(t)
	if got := ids(desc); !slices.Equal(got, []string{"400002", "100061", "100060"}) || desc[2]["parentId"] != "400002" || desc[2]["depth"] != 2.0 {
		t.Errorf("folder descendants = %v", desc)
	}
	anc := mustGet(t, v2+"pages/100060/ancestors", a).results(t)
	var typed []string
	for _, x := range anc {
		typed = append(typed, str(x["id"])+":"+str(x["type"]))
	}
	if !slices.Equal(typed, []string{"100001:page", "400001:folder", "400002:folder"}) {
		t.Errorf("ancestors of a page two folders down = %v", typed)
	}
	if got := ids(mustGet(t, v2+"folders/400002/ancestors", a).results(t)); !slices.Equal(got, []string{"100001", "400001"}) {
		t.Errorf("folder ancestors = %v", got)
	}

	// The scoped token needs the kind's own read scope.
	gw := s.GatewayURL() + "/wiki/api/v2/"
	if r := get(t, gw+"folders/400001", s.Account("scoped")); r.status != http.StatusOK {
		t.Errorf("scoped folder read = %d", r.status)
	}
	sc := s.Account("scoped")
	sc.Name, sc.Email, sc.Token = "nofolder", "nofolder@example.com", "ATATT3xNoFolder"
	sc.Scopes = slices.DeleteFunc(slices.Clone(sc.Scopes), func(x string) bool { return x == "read:folder:confluence" })
	if err := s.Seed(confluencetest.Dataset{Accounts: []confluencetest.Account{sc}}); err != nil {
		t.Fatal(err)
	}
	if r := get(t, gw+"folders/400001", sc); r.status != http.StatusUnauthorized {
		t.Errorf("folder read without read:folder:confluence = %d, want 401", r.status)
	}
}

func TestFolderCQLAndV1(t *testing.T) {
	s, a := demoClassic(t)
	if got := contentIDs(mustGet(t, searchURL(s, "type = folder AND space = OPS", ""), a).results(t)); !slices.Equal(sorted(got), []string{"400001", "400002"}) {
		t.Errorf("type = folder = %v", got)
	}
	if got := contentIDs(mustGet(t, searchURL(s, "type = whiteboard", ""), a).results(t)); !slices.Equal(got, []string{"400003"}) {
		t.Errorf("type = whiteboard = %v", got)
	}
	if got := contentIDs(mustGet(t, searchURL(s, "type in (page, folder) AND parent = 400001", ""), a).results(t)); !slices.Equal(sorted(got), []string{"100061", "400002"}) {
		t.Errorf("parent = folder = %v", got)
	}
	if got := contentIDs(mustGet(t, searchURL(s, "type = page AND ancestor = 400001", ""), a).results(t)); !slices.Equal(sorted(got), []string{"100060", "100061"}) {
		t.Errorf("ancestor = folder = %v", got)
	}
	if got := contentIDs(mustGet(t, searchURL(s, `type = folder AND text ~ "handbooks"`, ""), a).results(t)); len(got) != 0 {
		t.Errorf("full text matched a folder: %v", got)
	}
	// v1 content search: the folder row with its position, its ancestors and children.
	q := url.Values{"cql": {"id = 400002"}, "expand": {"ancestors,children.page,children.folder"}}
	rows := mustGet(t, s.URL()+"/wiki/rest/api/content/search?"+q.Encode(), a).results(t)
	if len(rows) != 1 || rows[0]["type"] != "folder" || rows[0]["extensions"].(map[string]any)["position"] != 1.0 {
		t.Fatalf("folder row = %v", rows)
	}
	var anc []string
	for _, x := range rows[0]["ancestors"].([]any) {
		anc = append(anc, str(x.(map[string]any)["id"])+":"+str(x.(map[string]any)["type"]))
	}
	if !slices.Equal(anc, []string{"100001:page", "400001:folder"}) {
		t.Errorf("folder ancestors (v1) = %v", anc)
	}
	ch := rows[0]["children"].(map[string]any)
	if got := ids(toMaps(ch["page"].(map[string]any)["results"])); !slices.Equal(got, []string{"100060"}) {
		t.Errorf("children.page of the folder = %v", got)
	}
	// A page's v1 children: pages only under page, folders and whiteboards under their own kinds.
	q = url.Values{"cql": {"id = 100001"}, "expand": {"children.page,children.folder,children.whiteboard"}}
	ch = mustGet(t, s.URL()+"/wiki/rest/api/content/search?"+q.Encode(), a).results(t)[0]["children"].(map[string]any)
	if got := ids(toMaps(ch["folder"].(map[string]any)["results"])); !slices.Equal(got, []string{"400001"}) {
		t.Errorf("children.folder = %v", got)
	}
	if got := ids(toMaps(ch["whiteboard"].(map[string]any)["results"])); !slices.Equal(got, []string{"400003"}) {
		t.Errorf("children.whiteboard = %v", got)
	}
	if got := ids(toMaps(ch["page"].(map[string]any)["results"])); slices.Contains(got, "400001") || slices.Contains(got, "100061") {
		t.Errorf("children.page lists folder content: %v", got)
	}
	types := do(t, http.MethodPost, s.URL()+"/wiki/api/v2/content/convert-ids-to-types", a,
		strings.NewReader(`{"contentIds":["400001","400003","400004","400005","100060"]}`)).json(t)
	want := map[string]any{"400001": "folder", "400003": "whiteboard", "400004": "database", "400005": "embed", "100060": "page"}
	for id, w := range want {
		if types["results"].(map[string]any)[id] != w {
			t.Errorf("convert-ids-to-types %s = %v, want %v", id, types["results"].(map[string]any)[id], w)
		}
	}
}

func sorted(s []string) []string { s = slices.Clone(s); slices.Sort(s); return s }

func toMaps(v any) []map[string]any {
	var out []map[string]any
	for _, x := range v.([]any) {
		out = append(out, x.(map[string]any))
	}
	return out
}
