package confluencetest

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

const dcPAT = "dc-pat-alice-0001"

func dcDataset() Dataset {
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	return Dataset{
		Accounts: []Account{{Name: "classic", Email: "alice@corp.example", Token: dcPAT, AccountID: "u-alice", Type: TokenClassic},
			{Name: "scoped", Email: "bot@corp.example", Token: "scoped-tok", AccountID: "u-bot", Type: TokenScoped, Scopes: ReadScopes()}},
		Users:  []User{{AccountID: "u-alice", DisplayName: "Alice Adams", Email: "alice@corp.example"}, {AccountID: "u-bob", DisplayName: "Bob"}},
		Spaces: []Space{{ID: "10", Key: "ENG", Name: "Engineering", HomepageID: "100", AuthorID: "u-alice", CreatedAt: at}},
		Pages: []Page{
			{ID: "100", SpaceKey: "ENG", Title: "Home", AuthorID: "u-alice", CreatedAt: at,
				Versions: []Version{{Number: 1, AuthorID: "u-alice", CreatedAt: at, Body: "<p>one</p>"}, {Number: 2, AuthorID: "u-bob", CreatedAt: at, Body: "<p>two</p>"}}},
			{ID: "101", SpaceKey: "ENG", Title: "Runbook: db (v2)", ParentID: "100", AuthorID: "u-bob", CreatedAt: at},
			{ID: "102", SpaceKey: "ENG", Title: "Third", ParentID: "100", AuthorID: "u-bob", CreatedAt: at},
		},
		Comments: []Comment{{ID: "500", PageID: "100", AuthorID: "u-bob", CreatedAt: at, Body: "<p>q</p>"},
			{ID: "501", PageID: "100", ParentID: "500", AuthorID: "u-alice", CreatedAt: at, Body: "<p>a</p>"}},
		Attachments: []Attachment{{ID: "att900", PageID: "100", Title: "notes.txt", MediaType: "text/plain", AuthorID: "u-alice", CreatedAt: at, Version: 1, Content: []byte("hello dc")}},
	}
}

func newDC(t *testing.T) *Server {
	t.Helper()
	s := NewServer(WithFlavor(FlavorDataCenter))
	t.Cleanup(s.Close)
	if err := s.Seed(dcDataset()); err != nil {
		t.Fatal(err)
	}
	return s
}

// dcGet sends a GET with auth ("" none, "Bearer x" or "Basic") and decodes a JSON answer.
func dcGet(t *testing.T, url, auth string) (int, map[string]any, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	switch {
	case auth == "Basic":
		req.SetBasicAuth("alice@corp.example", dcPAT)
	case auth != "":
		req.Header.Set("Authorization", auth)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var m map[string]any
	_ = json.Unmarshal(b, &m)
	return resp.StatusCode, m, string(b)
}

func TestDataCenterServesV1AtContextPathWithBearer(t *testing.T) {
	s := newDC(t)
	if s.BaseURL() != s.URL()+"/confluence" || s.Flavor() != FlavorDataCenter {
		t.Fatalf("BaseURL %s", s.BaseURL())
	}
	code, m, body := dcGet(t, s.BaseURL()+"/rest/api/content/100?expand=history,space,version", "Bearer "+dcPAT)
	if code != 200 {
		t.Fatalf("%d %s", code, body)
	}
	if strings.Contains(body, "accountId") || strings.Contains(body, "/wiki") || strings.Contains(body, "alice@corp.example") {
		t.Fatalf("Cloud shapes leak into a Data Center answer: %s", body)
	}
	by := m["history"].(map[string]any)["createdBy"].(map[string]any)
	if by["userKey"] != UserKey("u-alice") || by["username"] != "alice" || by["displayName"] != "Alice Adams" {
		t.Fatalf("createdBy = %v", by)
	}
	links := m["_links"].(map[string]any)
	if links["base"] != s.BaseURL() || links["context"] != "/confluence" || links["webui"] != "/display/ENG/Home" {
		t.Fatalf("links = %v", links)
	}
	_, m, _ = dcGet(t, s.BaseURL()+"/rest/api/content/101", "Bearer "+dcPAT)
	if w := m["_links"].(map[string]any)["webui"]; w != "/pages/viewpage.action?pageId=101" {
		t.Fatalf("webui of a title with punctuation = %v", w)
	}
}

func TestDataCenterRefusesWhatDataCenterLacks(t *testing.T) {
	s := newDC(t)
	for _, c := range []struct {
		url, auth string
		code      int
		html      bool
	}{
		{s.BaseURL() + "/rest/api/content/100", "Basic", 401, true},             // PAT only
		{s.BaseURL() + "/rest/api/content/100", "Bearer expired", 401, true},    // unknown/expired PAT
		{s.BaseURL() + "/rest/api/content/100", "Bearer scoped-tok", 401, true}, // no scoped tokens on DC
		{s.URL() + "/rest/api/content/100", "Bearer " + dcPAT, 404, true},       // no context path
		{s.BaseURL() + "/wiki/api/v2/pages/100", "Bearer " + dcPAT, 404, true},  // no v2
		{s.URL() + "/wiki/rest/api/content/100", "Bearer " + dcPAT, 404, true},  // no /wiki
		{s.BaseURL() + "/rest/api/user/bulk?accountId=u-bob", "Bearer " + dcPAT, 404, true},
		{s.BaseURL() + "/rest/api/content/100/version/1", "Bearer " + dcPAT, 404, true}, // experimental only
		{s.BaseURL() + "/rest/api/content/999", "Bearer " + dcPAT, 404, false},
	} {
		code, m, body := dcGet(t, c.url, c.auth)
		if code != c.code || c.html != strings.Contains(body, "<html") {
			t.Errorf("%s (%s) = %d %s", c.url, c.auth, code, body)
		}
		if !c.html && (m["reason"] != "Not Found" || m["message"] != "No content found with id: ContentId{id=999}" || m["statusCode"] != float64(404)) {
			t.Errorf("404 body = %s", body)
		}
	}
}

func TestDataCenterUsersPagingCommentsVersionsDownloads(t *testing.T) {
	s := newDC(t)
	auth := "Bearer " + dcPAT
	for _, q := range []string{"key=" + UserKey("u-bob"), "username=bob"} {
		code, m, body := dcGet(t, s.BaseURL()+"/rest/api/user?"+q, auth)
		if code != 200 || m["displayName"] != "Bob" || m["userKey"] != UserKey("u-bob") {
			t.Fatalf("user %s = %d %s", q, code, body)
		}
	}
	if code, _, _ := dcGet(t, s.BaseURL()+"/rest/api/user?accountId=u-bob", auth); code != 404 {
		t.Fatalf("a user by account id = %d", code)
	}
	// start/limit paging, next links context-relative, without cursors.
	code, m, body := dcGet(t, s.BaseURL()+"/rest/api/content/search?cql=type%3Dpage&limit=2", auth)
	next, _ := m["_links"].(map[string]any)["next"].(string)
	if code != 200 || !strings.HasPrefix(next, "/rest/api/content/search?") || strings.Contains(next, "cursor") || !strings.Contains(next, "start=2") {
		t.Fatalf("search page 1 = %d next %q %s", code, next, body)
	}
	_, m2, _ := dcGet(t, s.BaseURL()+next, auth)
	if r := m2["results"].([]any); len(r) != 1 || r[0].(map[string]any)["id"] == m["results"].([]any)[0].(map[string]any)["id"] {
		t.Fatalf("search page 2 = %v", r)
	}
	// depth=all lists the replies after their parent.
	_, m, body = dcGet(t, s.BaseURL()+"/rest/api/content/100/child/comment?depth=all&expand=ancestors", auth)
	if r := m["results"].([]any); len(r) != 2 || r[1].(map[string]any)["id"] != "501" {
		t.Fatalf("depth=all = %s", body)
	}
	_, m, _ = dcGet(t, s.BaseURL()+"/rest/api/content/100/child/comment", auth)
	if r := m["results"].([]any); len(r) != 1 {
		t.Fatalf("root comments = %v", r)
	}
	code, m, body = dcGet(t, s.BaseURL()+"/rest/experimental/content/100/version?limit=1", auth)
	next, _ = m["_links"].(map[string]any)["next"].(string)
	if code != 200 || !strings.HasPrefix(next, "/rest/experimental/content/100/version?") {
		t.Fatalf("versions = %d %s", code, body)
	}
	code, m, body = dcGet(t, s.BaseURL()+"/rest/api/content/att900", auth)
	dl, _ := m["_links"].(map[string]any)["download"].(string)
	if code != 200 || !strings.HasPrefix(dl, "/download/attachments/100/notes.txt") {
		t.Fatalf("attachment = %d %s", code, body)
	}
	if code, _, body = dcGet(t, s.BaseURL()+dl, auth); code != 200 || body != "hello dc" {
		t.Fatalf("download = %d %q", code, body)
	}
	if code, _, _ = dcGet(t, s.BaseURL()+dl, ""); code != 401 {
		t.Fatalf("anonymous download = %d", code)
	}
	code, m, _ = dcGet(t, s.BaseURL()+"/rest/api/server-information", auth)
	if code != 200 || m["version"] != DataCenterVersion {
		t.Fatalf("server-information = %d %v", code, m)
	}
}

func TestWithFlavorRejectsUnknown(t *testing.T) {
	if _, err := Start("127.0.0.1:0", WithFlavor("server")); err == nil || !strings.Contains(err.Error(), "flavor") {
		t.Fatalf("err = %v", err)
	}
}
