package confluencetest_test

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/confluence-graph/confluence-graph/confluence/confluencetest"
)

func searchURL(s *confluencetest.Server, cql string, extra string) string {
	return s.URL() + "/wiki/rest/api/search?cql=" + url.QueryEscape(cql) + extra
}

func contentIDs(rows []map[string]any) []string {
	var out []string
	for _, r := range rows {
		if c, ok := r["content"].(map[string]any); ok {
			out = append(out, str(c["id"]))
		}
	}
	return out
}

func TestSearchCQL(t *testing.T) {
	s, a := demoClassic(t)
	tests := []struct {
		name, cql string
		want      []string // sorted ids
	}{
		{"id in", "id in (100003, 100008, 100051)", []string{"100003", "100008", "100051"}},
		{"parent in", "type = page AND parent in (100003, 100006)", []string{"100004", "100005", "100007"}},
		{"ancestor in", "type = page AND ancestor in (100002)", []string{"100003", "100004", "100005", "100006", "100007", "100008", "100009"}},
		{"label and space", "type = page AND space = pir AND label = database", []string{"100031", "100034"}},
		{"modified in the last 7 days", "type = page AND space = OPS AND lastmodified >= now(\"-7d\")", []string{"100003", "100006", "100008", "100010"}},
		{"archived pages are not indexed", "id = 100013", nil},
		{"text search is an AND of terms", "type = page AND text ~ \"redis sentinel\"", []string{"100006", "100007", "100023", "100032", "100101", "100107"}},
		{"macro", "type = page AND macro = jira AND space = OPS", []string{"100003", "100008"}},
		{"favourite of the caller", "type = page AND favourite = currentUser()", []string{"100003", "100008"}},
		{"creator is the caller", "type = page AND space = PIR AND creator = currentUser()", []string{"100030", "100031", "100035"}},
		{"contributor counts every version author", "type = page AND label = redis AND contributor = currentUser()", []string{"100006"}},
		{"watcher", "type = page AND space = OPS AND watcher = \"712020:5b1f0c3e-a7d4-4c52-9e21-0a1b2c3d4e04\"", []string{"100004", "100006", "100007"}},
		{"comments are children of their page", "type = comment AND parent = 100003", []string{"200001", "200002", "200003", "200015", "200016"}},
		{"mention", "type = page AND mention = \"712020:5b1f0c3e-a7d4-4c52-9e21-0a1b2c3d4e04\"", []string{"100006", "100032"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := contentIDs(mustGet(t, searchURL(s, tc.cql, "&limit=100"), a).results(t))
			slices.Sort(got)
			if !slices.Equal(got, tc.want) {
				t.Errorf("ids = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestSearchPagingBehaviour(t *testing.T) {
	s, a := demoClassic(t)
	const q = "type = page"
	all := contentIDs(mustGet(t, searchURL(s, q, "&limit=250"), a).results(t))
	if len(all) < 20 {
		t.Fatalf("type = page found %d, want at least 20", len(all))
	}
	first := mustGet(t, searchURL(s, q, "&limit=5&excerpt=indexed&expand=content.space"), a).json(t)
	startIgnored := mustGet(t, searchURL(s, q, "&limit=5&start=10&excerpt=indexed&expand=content.space"), a).results(t)
	if got, want := contentIDs(startIgnored), all[:5]; !slices.Equal(got, want) {
		t.Errorf("start=10 gave %v, want the first page %v (start is ignored)", got, want)
	}
	next := first["_links"].(map[string]any)["next"].(string)
	u, _ := url.Parse(next)
	nq := u.Query()
	if u.Path != "/rest/api/search" || nq.Get("cql") != q || nq.Get("limit") != "5" || nq.Get("expand") != "content.space" || nq.Get("next") != "true" || nq.Get("cursor") == "" || nq.Has("excerpt") {
		t.Errorf("next = %q, want context-relative /rest/api/search keeping cql, limit, expand, cursor and dropping excerpt", next)
	}
	var got []string
	calls := 0
	link := "/rest/api/search?" + url.Values{"cql": {q}, "limit": {"5"}}.Encode()
	for link != "" {
		calls++
		if calls > 50 {
			t.Fatal("search paging does not end")
		}
		m := mustGet(t, s.URL()+"/wiki"+link, a)
		body := m.json(t)
		got = append(got, contentIDs(m.results(t))...)
		if ts := body["totalSize"].(float64); int(ts) < len(all) {
			t.Errorf("totalSize = %v, want an estimate no lower than %d", ts, len(all))
		}
		if calls > 1 && body["_links"].(map[string]any)["prev"] == nil {
			t.Errorf("page %d has no prev link", calls)
		}
		link, _ = body["_links"].(map[string]any)["next"].(string)
	}
	if !slices.Equal(got, all) {
		t.Errorf("paged = %v, want %v", got, all)
	}
}

func TestSearchShortPageIsNotTheEnd(t *testing.T) {
	s := MustDemo(t)
	r := mustGet(t, searchURL(s, "label = postmortem", "&limit=1"), s.Account("restricted"))
	// Ordered by lastModified desc, the restricted SEC page (5 days ago)
	// is second; with limit=1 some page of results is empty yet has next.
	var sawShort bool
	link := r.json(t)["_links"].(map[string]any)["next"]
	for i := 0; link != nil && i < 20; i++ {
		m := mustGet(t, s.URL()+"/wiki"+link.(string), s.Account("restricted"))
		if len(m.results(t)) == 0 && m.json(t)["_links"].(map[string]any)["next"] != nil {
			sawShort = true
		}
		link = m.json(t)["_links"].(map[string]any)["next"]
	}
	if !sawShort {
		t.Errorf("no empty page with a next link: permission filtering should make short pages")
	}
}

func TestSearchRowShape(t *testing.T) {
	s, a := demoClassic(t)
	if err := s.Seed(confluencetest.Dataset{Pages: []confluencetest.Page{{ID: "945029121", SpaceKey: "ENG", Title: `Apple - 15" Macbook Air (M4)`,
		Versions: []confluencetest.Version{{Body: "<p>Manufacturer Apple, model Macbook Air, a laptop for the on-call engineer and more text to make the body long enough for an excerpt.</p>"}}}}}); err != nil {
		t.Fatal(err)
	}
	cql := `type = page AND title ~ "apple macbook"`
	r := mustGet(t, searchURL(s, cql, "&expand=content.space,content.version,content.metadata.labels"), a)
	if !strings.Contains(string(r.body), `"score":0.0`) {
		t.Errorf("body lacks \"score\":0.0")
	}
	rows := r.results(t)
	if len(rows) != 1 {
		t.Fatalf("rows = %d, want 1", len(rows))
	}
	row := rows[0]
	if got, want := row["title"], `@@@hl@@@Apple@@@endhl@@@ - 15&quot; @@@hl@@@Macbook@@@endhl@@@ Air (M4)`; got != want {
		t.Errorf("row title = %q, want %q", got, want)
	}
	c := row["content"].(map[string]any)
	if got, want := c["title"], `Apple - 15" Macbook Air (M4)`; got != want {
		t.Errorf("content.title = %q, want the clean %q", got, want)
	}
	if !strings.Contains(str(row["excerpt"]), "@@@hl@@@Apple@@@endhl@@@") {
		t.Errorf("excerpt %q lacks highlight markers", row["excerpt"])
	}
	if row["entityType"] != "content" || len(row["breadcrumbs"].([]any)) != 0 || row["url"] != "/spaces/ENG/pages/945029121/Apple+-+15%22+Macbook+Air+%28M4%29" {
		t.Errorf("row = %v", row)
	}
	if c["space"].(map[string]any)["key"] != "ENG" || c["version"].(map[string]any)["number"] != 1.0 || c["metadata"].(map[string]any)["labels"] == nil {
		t.Errorf("expansions missing: space %v version %v metadata %v", c["space"], c["version"], c["metadata"])
	}
	if c["_links"].(map[string]any)["tinyui"] != confluencetest.TinyUI("945029121") {
		t.Errorf("content tinyui = %v", c["_links"])
	}
	body := r.json(t)
	for _, k := range []string{"start", "limit", "size", "totalSize", "cqlQuery", "searchDuration", "_links"} {
		if _, ok := body[k]; !ok {
			t.Errorf("response lacks %s", k)
		}
	}

	modes := []struct{ mode, check string }{
		{"indexed", "max50"}, {"none", "empty"}, {"bogus", "empty"}, {"highlight_unescaped", "marker"},
	}
	for _, m := range modes {
		t.Run("excerpt="+m.mode, func(t *testing.T) {
			row := mustGet(t, searchURL(s, cql, "&excerpt="+m.mode), a).results(t)[0]
			ex := str(row["excerpt"])
			switch m.check {
			case "max50":
				if n := len([]rune(ex)); n == 0 || n > 50 || strings.Contains(ex, "@@@hl@@@") {
					t.Errorf("excerpt %q: want 1..50 chars without markers", ex)
				}
			case "empty":
				if ex != "" {
					t.Errorf("excerpt = %q, want empty", ex)
				}
			case "marker":
				if !strings.Contains(ex, "@@@hl@@@") {
					t.Errorf("excerpt = %q, want markers", ex)
				}
			}
		})
	}
}

func TestSearchOtherTypes(t *testing.T) {
	s, a := demoClassic(t)
	sp := mustGet(t, searchURL(s, "type = space AND space = OPS", ""), a).results(t)
	if len(sp) != 1 || sp[0]["entityType"] != "space" || sp[0]["content"] != nil || sp[0]["space"].(map[string]any)["key"] != "OPS" {
		t.Errorf("space rows = %v", sp)
	}
	cm := mustGet(t, searchURL(s, "type = comment AND ancestor = 100008", ""), a).results(t)
	if got := len(cm); got != 3 {
		t.Errorf("comments under 100008 = %d, want 3 (root and two replies)", got)
	}
	at := mustGet(t, searchURL(s, "type = attachment AND text ~ patronictl", ""), a).results(t)
	if got := contentIDs(at); !slices.Equal(got, []string{"att300003"}) {
		t.Errorf("attachment search = %v", got)
	}
}

func TestContentSearchExpansions(t *testing.T) {
	s, a := demoClassic(t)
	u := s.URL() + "/wiki/rest/api/content/search?limit=100&cql=" + url.QueryEscape("id in (100003, 100008)") +
		"&expand=" + url.QueryEscape("metadata.labels,children.comment,children.attachment,version,space,body.storage")
	r := mustGet(t, u, a)
	body := r.json(t)
	if got := body["limit"]; got != 50.0 {
		t.Errorf("limit with a body expansion = %v, want capped at 50", got)
	}
	rows := r.results(t)
	if len(rows) != 2 {
		t.Fatalf("rows = %d, want 2", len(rows))
	}
	byID := map[string]map[string]any{}
	for _, c := range rows {
		byID[str(c["id"])] = c
	}
	p := byID["100008"]
	if p == nil {
		t.Fatalf("no 100008 in %v", ids(rows))
	}
	if !strings.Contains(str(p["body"].(map[string]any)["storage"].(map[string]any)["value"]), "patronictl") {
		t.Errorf("body.storage missing")
	}
	ch := p["children"].(map[string]any)
	if n := ch["comment"].(map[string]any)["size"]; n != 1.0 {
		t.Errorf("children.comment size = %v, want 1 (the top-level comment, not its two replies)", n)
	}
	if n := ch["attachment"].(map[string]any)["size"]; n != 1.0 {
		t.Errorf("children.attachment size = %v, want 1", n)
	}
	var labels []string
	for _, l := range p["metadata"].(map[string]any)["labels"].(map[string]any)["results"].([]any) {
		labels = append(labels, str(l.(map[string]any)["name"]))
	}
	if !slices.Equal(labels, []string{"runbook", "database", "postgres"}) {
		t.Errorf("labels = %v", labels)
	}
	if p["version"].(map[string]any)["number"] != 5.0 || p["space"].(map[string]any)["key"] != "OPS" {
		t.Errorf("version/space = %v / %v", p["version"], p["space"])
	}
	capTests := []struct {
		expand string
		want   float64
	}{
		{"", 250}, {"body.view", 50}, {"body.export_view", 25}, {"version", 250},
	}
	for _, tc := range capTests {
		m := mustGet(t, s.URL()+"/wiki/rest/api/content/search?limit=300&cql=type%3Dpage&expand="+tc.expand, a).json(t)
		if m["limit"] != tc.want {
			t.Errorf("expand=%q: limit = %v, want %v", tc.expand, m["limit"], tc.want)
		}
	}
}

func TestCurrentUser(t *testing.T) {
	s := MustDemo(t)
	m := mustGet(t, s.URL()+"/wiki/rest/api/user/current", s.Account("restricted")).json(t)
	if m["accountId"] != s.Account("restricted").AccountID || m["displayName"] != "Bob Martinez" || m["type"] != "known" {
		t.Errorf("user/current = %v", m)
	}
}

func TestSearchMissingCQLIs400(t *testing.T) {
	s := MustDemo(t)
	if r := get(t, s.URL()+"/wiki/rest/api/search", s.Account("classic")); r.status != http.StatusBadRequest {
		t.Errorf("no cql: %d, want 400", r.status)
	}
}

// TestSearchRejectedValues: CQL Confluence cannot parse, and values it
// refuses after parsing, are 400 v1 envelopes on both search endpoints (an
// empty text term is its 500), while the same fields with good values
// answer 200.
func TestSearchRejectedValues(t *testing.T) {
	s, a := demoClassic(t)
	tests := []struct {
		name, cql  string
		wantStatus int
		wantMsg    string
	}{
		{"syntax", "type = page AND (", 400, "Could not parse cql : type = page AND ("},
		{"unknown field", "status = current", 400, "No field exists with the name: 'status'\nDid you mean one of : "},
		{"empty text term", `text ~ ""`, 500, "java.lang.NullPointerException: query parameter is required."},
		{"unknown type value", "type = bogustype", 400, "Unsupported value for type, got : bogustype, expected one of : [space, user, page, blogpost, comment, attachment, database, whiteboard, slide, embed, folder]"},
		{"unknown type in a list", "type in (page, wiki) AND space = OPS", 400, "Unsupported value for type, got : wiki"},
		{"unknown type under NOT", "space = OPS AND NOT type = wiki", 400, "Unsupported value for type, got : wiki"},
		{"empty exact title", `title = ""`, 400, `Could not parse cql : title = ""`},
		{"empty title in a list", `type = page AND title in ("a", "")`, 400, "Could not parse cql : "},
		// Operator and value errors have no text of their own on Cloud: the parser's one answer
		// (an ISO date and an unquoted IN list recorded as "Could not parse cql" in a 2026 field
		// report; the simulator gives the same for every query its checker refuses).
		{"ISO date value", `type = page AND lastmodified > "2026-05-12T09:00:00.000Z"`, 400, `com.atlassian.confluence.api.service.exceptions.BadRequestException: Could not parse cql : type = page AND lastmodified > "2026-05-12T09:00:00.000Z"`},
		{"operator the field does not take", `type = page AND space ~ OPS`, 400, `com.atlassian.confluence.api.service.exceptions.BadRequestException: Could not parse cql : type = page AND space ~ OPS`},
		{"unknown function", `type = page AND created > nosuch()`, 400, `com.atlassian.confluence.api.service.exceptions.BadRequestException: Could not parse cql : type = page AND created > nosuch()`},
		{"type value is case-insensitive", "type = PAGE AND space = OPS", 200, ""},
		{"empty title under ~ is the empty-text 500, not this 400", `title ~ ""`, 500, "query parameter is required"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for _, path := range []string{"/wiki/rest/api/search", "/wiki/rest/api/content/search"} {
				r := get(t, s.URL()+path+"?cql="+url.QueryEscape(tc.cql), a)
				if r.status != tc.wantStatus {
					t.Fatalf("%s: status %d, want %d; body %s", path, r.status, tc.wantStatus, r.body)
				}
				if tc.wantMsg == "" {
					continue
				}
				m := r.json(t)
				if !strings.Contains(str(m["message"]), tc.wantMsg) || m["statusCode"] != float64(tc.wantStatus) {
					t.Errorf("%s: body %s, want statusCode %d and message containing %q", path, r.body, tc.wantStatus, tc.wantMsg)
				}
			}
		})
	}
}

// TestSearchExcerptEscaping: the escaped modes HTML-escape the excerpt, the
// _unescaped modes do not; highlight marks the terms, indexed does not; the
// row title is escaped in every mode and content.title never is.
func TestSearchExcerptEscaping(t *testing.T) {
	s, a := demoClassic(t)
	if err := s.Seed(confluencetest.Dataset{Pages: []confluencetest.Page{{ID: "990100", SpaceKey: "ENG", Title: `Tags & "quotes"`,
		Versions: []confluencetest.Version{{Body: `<p>Wrap &lt;b&gt; zebra &amp; more</p>`}}}}}); err != nil {
		t.Fatal(err)
	}
	cql := `type = page AND text ~ zebra`
	tests := []struct {
		mode          string
		wantIn, notIn []string
		wantRowTitle  string
	}{
		{"highlight", []string{"&lt;b&gt;", "@@@hl@@@zebra@@@endhl@@@", "&amp;"}, []string{"<b>"}, `Tags &amp; &quot;quotes&quot;`},
		{"highlight_unescaped", []string{"<b>", "@@@hl@@@zebra@@@endhl@@@", "& more"}, []string{"&lt;"}, `Tags &amp; &quot;quotes&quot;`},
		{"indexed", []string{"&lt;b&gt;", "zebra"}, []string{"<b>", "@@@hl@@@"}, `Tags &amp; &quot;quotes&quot;`},
		{"indexed_unescaped", []string{"<b>", "zebra"}, []string{"&lt;", "@@@hl@@@"}, `Tags &amp; &quot;quotes&quot;`},
	}
	for _, tc := range tests {
		t.Run(tc.mode, func(t *testing.T) {
			rows := mustGet(t, searchURL(s, cql, "&excerpt="+tc.mode), a).results(t)
			if len(rows) != 1 {
				t.Fatalf("rows = %d, want 1", len(rows))
			}
			ex := str(rows[0]["excerpt"])
			for _, w := range tc.wantIn {
				if !strings.Contains(ex, w) {
					t.Errorf("excerpt %q lacks %q", ex, w)
				}
			}
			for _, w := range tc.notIn {
				if strings.Contains(ex, w) {
					t.Errorf("excerpt %q has %q", ex, w)
				}
			}
			if got := rows[0]["title"]; got != tc.wantRowTitle {
				t.Errorf("row title = %q, want %q", got, tc.wantRowTitle)
			}
			if got, want := rows[0]["content"].(map[string]any)["title"], `Tags & "quotes"`; got != want {
				t.Errorf("content.title = %q, want the clean %q", got, want)
			}
		})
	}
}
