package confluencetest_test

import (
	"encoding/base64"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/confluence-graph/confluence-graph/confluence/confluencetest"
)

func seedData() confluencetest.Dataset {
	created := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	return confluencetest.Dataset{
		Users: []confluencetest.User{{AccountID: "acc-tess", DisplayName: "Tess Tester", Email: "tess@example.com"}},
		Accounts: []confluencetest.Account{
			{Name: "tess", Email: "tess@example.com", Token: "tess-token", AccountID: "acc-tess", Type: "classic"},
		},
		Spaces: []confluencetest.Space{{ID: "500", Key: "TST", Name: "Test space", HomepageID: "501"}},
		Pages: []confluencetest.Page{
			{ID: "501", SpaceKey: "TST", Title: "Home", AuthorID: "acc-tess", CreatedAt: created,
				Labels:   []string{"seeded"},
				Versions: []confluencetest.Version{{Body: "<p>one</p>"}, {Body: "<p>two</p>", Message: "second"}}},
			{ID: "502", SpaceKey: "TST", ParentID: "501", Title: "Child", Position: 1},
		},
		Comments: []confluencetest.Comment{
			{ID: "601", PageID: "501", Body: "<p>root</p>"},
			{ID: "602", PageID: "501", ParentID: "601", Body: "<p>reply</p>"},
			{ID: "603", PageID: "501", Kind: "inline", Selection: "one", Body: "<p>inline</p>"},
		},
		Attachments: []confluencetest.Attachment{{ID: "att701", PageID: "501", Title: "a.txt", MediaType: "text/plain", Content: []byte("hello")}},
	}
}

// checkSeeded asserts, over HTTP, that seedData is served.
func checkSeeded(t *testing.T, s *confluencetest.Server) {
	t.Helper()
	a := s.Account("tess")
	if a.Token != "tess-token" {
		t.Fatalf("Account(tess) = %+v, want the seeded account", a)
	}
	p := mustGet(t, s.URL()+"/wiki/api/v2/pages/501?body-format=storage", a).json(t)
	if p["title"] != "Home" || p["version"].(map[string]any)["number"] != 2.0 ||
		p["body"].(map[string]any)["storage"].(map[string]any)["value"] != "<p>two</p>" || p["createdAt"] != "2026-01-02T03:04:05.000Z" {
		t.Errorf("page 501 = %v", p)
	}
	if got := ids(mustGet(t, s.URL()+"/wiki/api/v2/pages/501/children", a).results(t)); !slices.Equal(got, []string{"502"}) {
		t.Errorf("children = %v", got)
	}
	if got := ids(mustGet(t, s.URL()+"/wiki/api/v2/footer-comments/601/children", a).results(t)); !slices.Equal(got, []string{"602"}) {
		t.Errorf("replies = %v", got)
	}
	if got := ids(mustGet(t, s.URL()+"/wiki/api/v2/pages/501/inline-comments", a).results(t)); !slices.Equal(got, []string{"603"}) {
		t.Errorf("inline = %v", got)
	}
	if got := ids(mustGet(t, s.URL()+"/wiki/api/v2/pages/501/attachments", a).results(t)); !slices.Equal(got, []string{"att701"}) {
		t.Errorf("attachments = %v", got)
	}
	users := do(t, http.MethodPost, s.URL()+"/wiki/api/v2/users-bulk", a, jsonBody(t, map[string]any{"accountIds": []string{"acc-tess"}}))
	if res := users.results(t); users.status != http.StatusOK || len(res) != 1 || res[0]["displayName"] != "Tess Tester" {
		t.Errorf("users-bulk for the seeded user: %d %s", users.status, users.body)
	}
	hits := contentIDs(mustGet(t, searchURL(s, "label = seeded", ""), a).results(t))
	if !slices.Equal(hits, []string{"501"}) {
		t.Errorf("search after seeding = %v, want [501]", hits)
	}
	if got := s.Spaces(); !slices.ContainsFunc(got, func(sp confluencetest.SpaceInfo) bool { return sp.Key == "TST" && sp.ID == "500" }) {
		t.Errorf("Spaces() = %v, want TST", got)
	}
}

func TestSeedFromGo(t *testing.T) {
	s := confluencetest.NewServer()
	t.Cleanup(s.Close)
	if err := s.Seed(seedData()); err != nil {
		t.Fatal(err)
	}
	checkSeeded(t, s)
}

func TestSeedOverHTTP(t *testing.T) {
	s := confluencetest.NewServer()
	t.Cleanup(s.Close)
	r := do(t, http.MethodPost, s.URL()+"/__sim/seed", confluencetest.Account{}, jsonBody(t, seedData()))
	if r.status != http.StatusNoContent {
		t.Fatalf("POST /__sim/seed: %d %s", r.status, r.body)
	}
	checkSeeded(t, s)
	if st := s.Stats(); st.Total != 7 {
		t.Errorf("Total = %d, want 7 (the checks): the seed call is not counted", st.Total)
	}
	// Attachment content travels as base64 in JSON.
	raw := `{"attachments":[{"id":"att702","pageId":"501","title":"b.bin","content":"` + base64.StdEncoding.EncodeToString([]byte{0, 1, 2}) + `"}]}`
	if r := do(t, http.MethodPost, s.URL()+"/__sim/seed", confluencetest.Account{}, strings.NewReader(raw)); r.status != http.StatusNoContent {
		t.Fatalf("seed attachment: %d %s", r.status, r.body)
	}
	m := mustGet(t, s.URL()+"/wiki/api/v2/attachments/att702", s.Account("tess")).json(t)
	if m["fileSize"] != 3.0 {
		t.Errorf("fileSize = %v, want 3", m["fileSize"])
	}
}

func TestSeedRejectsBadElements(t *testing.T) {
	s := confluencetest.NewServer()
	t.Cleanup(s.Close)
	err := s.Seed(confluencetest.Dataset{Pages: []confluencetest.Page{{ID: "1", SpaceKey: "NOPE", Title: "orphan"}}})
	if err == nil || !strings.Contains(err.Error(), `unknown space "NOPE"`) || !strings.HasPrefix(err.Error(), "confluencetest: ") {
		t.Errorf("Seed(page in unknown space) = %v, want a confluencetest error naming the space", err)
	}
	r := do(t, http.MethodPost, s.URL()+"/__sim/seed", confluencetest.Account{}, strings.NewReader(`{"accounts":[{"email":"x@example.com","token":"t","type":"weird"}]}`))
	if r.status != http.StatusBadRequest || !strings.Contains(string(r.body), "weird") {
		t.Errorf("seed bad account type: %d %s, want 400 naming the type", r.status, r.body)
	}
	if r := do(t, http.MethodPost, s.URL()+"/__sim/seed", confluencetest.Account{}, strings.NewReader(`{`)); r.status != http.StatusBadRequest {
		t.Errorf("seed bad JSON: %d, want 400", r.status)
	}
}

func TestStartListensOnAddr(t *testing.T) {
	s, err := confluencetest.Start("127.0.0.1:0", confluencetest.WithDataset("demo"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	if !strings.HasPrefix(s.URL(), "http://127.0.0.1:") || s.Host() != strings.TrimPrefix(s.URL(), "http://") {
		t.Errorf("URL = %q, Host = %q", s.URL(), s.Host())
	}
	mustGet(t, s.URL()+"/wiki/api/v2/spaces", s.Account("classic"))
	if _, err := confluencetest.Start("127.0.0.1:0", confluencetest.WithDataset("nope")); err == nil || !strings.Contains(err.Error(), `unknown dataset "nope"`) {
		t.Errorf("Start(unknown dataset) err = %v", err)
	}
}

func TestWriteBanner(t *testing.T) {
	s := MustDemo(t)
	var b strings.Builder
	if err := s.WriteBanner(&b); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	want := []string{"base url: " + s.URL(), "cloud id: " + s.CloudID()}
	for _, a := range s.Accounts() {
		sc := "-"
		if len(a.Scopes) > 0 {
			sc = strings.Join(a.Scopes, ",")
		}
		want = append(want, "account: "+a.Email+" "+a.Token+" "+a.Type+" "+sc)
	}
	if !slices.Equal(lines, want) {
		t.Errorf("banner = %q, want %q", lines, want)
	}
	if n := len(s.Accounts()); len(lines) != 2+n || n < 6 {
		t.Errorf("banner has %d lines for %d accounts, want 2 + one per demo account (at least 6)", len(lines), n)
	}
}
