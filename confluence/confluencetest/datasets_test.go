package confluencetest_test

import (
	"bytes"
	"encoding/json"
	"image/png"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/confluence-graph/confluence-graph/confluence/confluencetest"
)

func TestDemoDataset(t *testing.T) {
	s, a := demoClassic(t)

	var keys []string
	for _, sp := range mustGet(t, s.URL()+"/wiki/api/v2/spaces", a).results(t) {
		keys = append(keys, str(sp["key"]))
	}
	if !slices.Equal(keys, []string{"OPS", "ARCH", "PIR", "ENG", "SEC", "KB"}) {
		t.Errorf("space keys = %v", keys)
	}

	pages := mustGet(t, s.URL()+"/wiki/api/v2/pages?limit=250&body-format=storage", a).results(t)
	byTitle := map[string]map[string]any{}
	var storage strings.Builder
	for _, p := range pages {
		byTitle[str(p["title"])] = p
		storage.WriteString(p["body"].(map[string]any)["storage"].(map[string]any)["value"].(string))
	}
	spaceOf := map[string]string{"98305": "OPS", "98306": "ARCH", "98307": "PIR"}
	for title, key := range map[string]string{
		"Deployment Runbook": "OPS", "Redis Failover Procedure": "OPS", "Database Failover": "OPS", "On-call Guide": "OPS",
		"Payment Service Architecture": "ARCH", "PIR-2026-014: Primary database outage": "PIR",
	} {
		p := byTitle[title]
		if p == nil {
			t.Errorf("demo lacks %q", title)
			continue
		}
		if got := spaceOf[str(p["spaceId"])]; got != key {
			t.Errorf("%q is in %s, want %s", title, got, key)
		}
	}
	for _, title := range []string{"Deployment Runbook", "Redis Failover Procedure", "Database Failover", "On-call Guide"} {
		if kids := mustGet(t, s.URL()+"/wiki/api/v2/pages/"+str(byTitle[title]["id"])+"/children", a).results(t); len(kids) == 0 {
			t.Errorf("runbook %q has no child pages", title)
		}
	}
	for _, c := range []struct{ name, text string }{
		{"heading", "<h2>"}, {"table", "<table>"}, {"code macro with CDATA", `ac:name="code"`}, {"CDATA", "<![CDATA["},
		{"info panel", `ac:name="info"`}, {"warning panel", `ac:name="warning"`}, {"expand", `ac:name="expand"`},
		{"status", `ac:name="status"`}, {"jira", `ac:name="jira"`}, {"user mention", "<ri:user ri:account-id="},
		{"page link", "<ri:page "}, {"image", "<ac:image"}, {"task list", "<ac:task-list>"},
	} {
		if !strings.Contains(storage.String(), c.text) {
			t.Errorf("no demo storage body uses %s (%s)", c.name, c.text)
		}
	}

	for _, label := range []string{"runbook", "postmortem", "database", "redis", "deployment"} {
		if n := len(mustGet(t, searchURL(s, "type = page AND label = "+label, ""), a).results(t)); n == 0 {
			t.Errorf("no page labelled %s", label)
		}
	}
	pirs := contentIDs(mustGet(t, searchURL(s, "space = PIR AND label = postmortem AND label = database", ""), a).results(t))
	if len(pirs) < 2 {
		t.Errorf("PIR database postmortems = %v, want at least 2", pirs)
	}

	multi := 0
	for _, p := range pages {
		vs := mustGet(t, s.URL()+"/wiki/api/v2/pages/"+str(p["id"])+"/versions?body-format=storage", a).results(t)
		if len(vs) < 2 {
			continue
		}
		multi++
		if len(vs) > 6 {
			t.Errorf("page %v has %d versions, want at most 6", p["id"], len(vs))
		}
		for i := 1; i < len(vs); i++ {
			b := func(v map[string]any) string {
				return v["page"].(map[string]any)["body"].(map[string]any)["storage"].(map[string]any)["value"].(string)
			}
			if b(vs[i]) == b(vs[i-1]) {
				t.Errorf("page %v versions %v and %v have the same body", p["id"], vs[i]["number"], vs[i-1]["number"])
			}
		}
	}
	if multi < 5 {
		t.Errorf("%d pages have several versions, want at least 5", multi)
	}

	if n := len(mustGet(t, searchURL(s, "type = comment", "&limit=100"), a).results(t)); n < 10 {
		t.Errorf("comments = %d, want at least 10", n)
	}

	media := map[string][]byte{}
	for _, att := range mustGet(t, searchURL(s, "type = attachment", "&limit=100"), a).results(t) {
		c := att["content"].(map[string]any)
		pageID := str(c["container"].(map[string]any)["id"])
		dl := get(t, s.URL()+"/wiki/rest/api/content/"+pageID+"/child/attachment/"+str(c["id"])+"/download", a)
		body := get(t, dl.header.Get("Location"), confluencetest.Account{})
		media[str(c["extensions"].(map[string]any)["mediaType"])] = body.body
	}
	for _, mt := range []string{"text/plain", "text/markdown", "image/png", "application/pdf"} {
		if len(media[mt]) == 0 {
			t.Errorf("no %s attachment content", mt)
		}
	}
	if _, err := png.Decode(bytes.NewReader(media["image/png"])); err != nil {
		t.Errorf("image attachment is not a PNG: %v", err)
	}
	if !bytes.HasPrefix(media["application/pdf"], []byte("%PDF-")) {
		t.Errorf("PDF attachment does not start with %%PDF-")
	}

	accts := s.Accounts()
	var names []string
	for _, ac := range accts {
		names = append(names, ac.Name+"/"+ac.Type)
	}
	if !slices.Equal(names, []string{"classic/classic", "scoped/scoped", "scoped-nosearch/scoped", "scoped-nohier/scoped", "scoped-guide/scoped", "restricted/classic"}) {
		t.Errorf("accounts = %v", names)
	}
	if sc := s.Account("scoped-nosearch").Scopes; slices.Contains(sc, "search:confluence") || !slices.Contains(sc, "read:page:confluence") {
		t.Errorf("scoped-nosearch scopes = %v", sc)
	}
}

func TestDemoTimesFollowTheClock(t *testing.T) {
	s := MustDemo(t)
	p := mustGet(t, s.URL()+"/wiki/api/v2/pages/100003", s.Account("classic")).json(t)
	want := fixedNow.Add(-2*24*time.Hour - 3*time.Hour).Format("2006-01-02T15:04:05.000Z")
	if got := p["version"].(map[string]any)["createdAt"]; got != want {
		t.Errorf("current version createdAt = %v, want %v (2 days 3 hours before the clock)", got, want)
	}
}

func benchServer(t *testing.T, seed int64, spaces, pages int) *confluencetest.Server {
	t.Helper()
	s := confluencetest.NewServer(confluencetest.WithDataset("bench"), confluencetest.WithSeed(seed),
		confluencetest.WithBenchSize(spaces, pages), confluencetest.WithClock(func() time.Time { return fixedNow }))
	t.Cleanup(s.Close)
	return s
}

func TestBenchDeterminism(t *testing.T) {
	snapshot := func(s *confluencetest.Server) string {
		var out []string
		for _, p := range []string{"/wiki/api/v2/pages?limit=250&body-format=storage", "/wiki/api/v2/spaces"} {
			b, _ := json.Marshal(mustGet(t, s.URL()+p, s.Account("classic")).results(t))
			out = append(out, string(b))
		}
		return strings.Join(out, "\n")
	}
	a, b, c := benchServer(t, 7, 2, 30), benchServer(t, 7, 2, 30), benchServer(t, 8, 2, 30)
	if snapshot(a) != snapshot(b) {
		t.Errorf("two bench datasets with seed 7 differ")
	}
	if snapshot(a) == snapshot(c) {
		t.Errorf("seeds 7 and 8 gave the same bench dataset")
	}
}

func TestBenchShape(t *testing.T) {
	s := benchServer(t, 42, 3, 40)
	a := s.Account("classic")
	if got := len(mustGet(t, s.URL()+"/wiki/api/v2/spaces", a).results(t)); got != 3 {
		t.Errorf("spaces = %d, want 3", got)
	}
	pages := mustGet(t, s.URL()+"/wiki/api/v2/pages?limit=250", a).results(t)
	if len(pages) != 120 {
		t.Fatalf("pages = %d, want 3 x 40", len(pages))
	}
	maxDepth, withLabels, withAtts := 0, 0, 0
	for _, p := range pages {
		base := s.URL() + "/wiki/api/v2/pages/" + str(p["id"])
		maxDepth = max(maxDepth, len(mustGet(t, base+"/ancestors", a).results(t))+1)
		nl := len(mustGet(t, base+"/labels", a).results(t))
		nv := len(mustGet(t, base+"/versions?limit=250", a).results(t))
		na := len(mustGet(t, base+"/attachments", a).results(t))
		if nl > 5 || nv < 1 || nv > 10 || na > 4 {
			t.Errorf("page %v: %d labels, %d versions, %d attachments; want 0-5, 1-10, 0-4", p["id"], nl, nv, na)
		}
		if nl > 0 {
			withLabels++
		}
		if na > 0 {
			withAtts++
		}
	}
	if maxDepth > 6 || maxDepth < 3 {
		t.Errorf("max tree depth = %d, want 3..6", maxDepth)
	}
	if withLabels == 0 || withAtts == 0 {
		t.Errorf("pages with labels = %d, with attachments = %d; want some of each", withLabels, withAtts)
	}
	perPage := map[string]int{}
	link := "/rest/api/search?" + url.Values{"cql": {"type = comment"}, "limit": {"250"}}.Encode()
	for link != "" {
		r := mustGet(t, s.URL()+"/wiki"+link, a)
		for _, row := range r.results(t) {
			perPage[str(row["content"].(map[string]any)["container"].(map[string]any)["id"])]++
		}
		link, _ = r.json(t)["_links"].(map[string]any)["next"].(string)
	}
	for id, n := range perPage {
		if n > 8 {
			t.Errorf("page %s has %d comments, want at most 8", id, n)
		}
	}
	if len(perPage) == 0 {
		t.Errorf("no comments in the bench dataset")
	}
	if got := s.Account("restricted").Spaces; len(got) != 2 {
		t.Errorf("restricted account sees %v, want all but the last space", got)
	}
}

func TestBenchDefaultSize(t *testing.T) {
	s := confluencetest.NewServer(confluencetest.WithDataset("bench"))
	t.Cleanup(s.Close)
	sp := s.Spaces()
	if len(sp) != 10 {
		t.Fatalf("spaces = %d, want 10", len(sp))
	}
	link := "/wiki/api/v2/spaces/" + sp[0].ID + "/pages?limit=250"
	n := 0
	for link != "" {
		r := mustGet(t, s.URL()+link, s.Account("classic"))
		n += len(r.results(t))
		link, _ = r.json(t)["_links"].(map[string]any)["next"].(string)
	}
	if n != 1000 {
		t.Errorf("pages in %s = %d, want 1000", sp[0].Key, n)
	}
}
