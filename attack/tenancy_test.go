package attack_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/confluence-graph/confluence-graph/settings"
)

// Tenant B's keys never read tenant A's pages, cached entries or integration, and cannot
// change tenant A's integration.
func TestTenantIsolation(t *testing.T) {
	g := start(t)
	g.connect(t, "tenant-a", "classic")
	keyA := g.key(t, "tenant-a", settings.RoleReader)
	adminB := g.key(t, "tenant-b", settings.RoleAdmin)
	g.mustRead(t, keyA) // now in the cross-request cache under tenant A
	got := g.post(t, adminB, `{ page(id: "100003") { title } pages(ids: ["100003"]) { title } space(key: "OPS") { name }
	  search(cql: "type = page") { totalCount } confluenceIntegration { domain } }`, nil)
	for _, f := range []string{"page", "pages", "space", "search"} {
		if c := got.codeAt(f); c != "NOT_CONNECTED" {
			t.Errorf("tenant B %s: code %q, want NOT_CONNECTED", f, c)
		}
	}
	if got.Data["confluenceIntegration"] != nil {
		t.Errorf("tenant B sees an integration: %.300s", got.Raw)
	}
	noneContain(t, "tenant B's answer", []string{got.Raw}, "Deployment Runbook", g.sim.Host(), "alice@example.com")
	got = g.post(t, adminB, `mutation { disconnectConfluence { disconnected } }`, nil)
	if d := got.field("disconnectConfluence"); d["disconnected"] != false {
		t.Errorf("tenant B's disconnect: %.300s, want disconnected false", got.Raw)
	}
	g.mustRead(t, keyA)
}

// Missing, garbled and revoked API keys get 401 UNAUTHENTICATED and no data.
func TestAuthenticationMissingGarbledRevokedKeys(t *testing.T) {
	g := start(t)
	g.connect(t, "acme", "classic")
	rec, revoked, err := settings.NewAPIKey("acme", settings.RoleAdmin)
	if err != nil {
		t.Fatal(err)
	}
	if err := g.app.Store().CreateAPIKey(context.Background(), rec); err != nil {
		t.Fatal(err)
	}
	g.mustRead(t, revoked)
	if err := g.app.Store().RevokeAPIKey(context.Background(), "acme", rec.ID); err != nil {
		t.Fatal(err)
	}
	valid := g.key(t, "acme", settings.RoleReader)
	body := []byte(`{"query":"{ page(id: \"100003\") { title } }"}`)
	for name, auth := range map[string]string{
		"revoked key":          "Bearer " + revoked,
		"garbage":              "Bearer not-a-key",
		"unknown cg_ key":      "Bearer cg_AAAAAAAAAAAAAAAA_BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB",
		"valid id, bad secret": "Bearer " + valid[:len(valid)-4] + "AAAA",
		"basic scheme":         "Basic " + valid,
		"bare key":             valid,
		"empty bearer":         "Bearer ",
		"key with a suffix":    "Bearer " + valid + "x",
	} {
		got := g.postRaw(t, auth, body, false)
		if got.Status != http.StatusUnauthorized || got.code() != "UNAUTHENTICATED" || strings.Contains(got.Raw, "Deployment Runbook") {
			t.Errorf("%s: %d %.200s, want 401 UNAUTHENTICATED", name, got.Status, got.Raw)
		}
	}
	if got := g.postRaw(t, "", body, true); got.Status != http.StatusUnauthorized || got.code() != "UNAUTHENTICATED" {
		t.Errorf("no Authorization header: %d %.200s, want 401 UNAUTHENTICATED", got.Status, got.Raw)
	}
}

// A reader key running any mutation gets FORBIDDEN, and the integration is unchanged.
func TestReaderKeyRunsMutations(t *testing.T) {
	g := start(t)
	g.connect(t, "acme", "classic")
	reader := g.key(t, "acme", settings.RoleReader)
	for _, m := range []string{
		`mutation { disconnectConfluence { disconnected } }`,
		`mutation { testConfluenceConnection { userErrors { code } } }`,
		`mutation { updateConfluence(input: { email: "mallory@example.com" }) { userErrors { code } } }`,
		`mutation($h: String!) { connectConfluence(input: { domain: $h, email: "mallory@example.com", apiToken: "x" }) { userErrors { code } } }`,
	} {
		if got := g.post(t, reader, m, map[string]any{"h": g.host}); got.code() != "FORBIDDEN" {
			t.Errorf("%s: code %q, want FORBIDDEN; %.200s", m, got.code(), got.Raw)
		}
	}
	in, err := g.app.Settings().Get(context.Background(), "acme")
	if err != nil || in.Email != "alice@example.com" || in.CredentialVersion != 1 {
		t.Errorf("integration after the reader's mutations = %v, %v; want alice's, version 1", in, err)
	}
	g.mustRead(t, reader)
}

// pageByUrl with a link to another company's site is refused (BAD_USER_INPUT naming the
// tenant's host), even when a page of that id exists on the tenant's site.
func TestPageByURLToAnotherHost(t *testing.T) {
	g := start(t)
	g.connect(t, "acme", "classic")
	key := g.key(t, "acme", settings.RoleReader)
	q := `query($u: String!) { pageByUrl(url: $u) { title } }`
	for _, u := range []string{
		"https://other.atlassian.net/wiki/spaces/OPS/pages/100003/Deployment+Runbook",
		"https://other.atlassian.net/wiki/x/o4YB",
		"//other.atlassian.net/wiki/x/o4YB",
		"https://" + g.host + "@other.atlassian.net/wiki/x/o4YB",
		"http://" + g.host + ".evil.example/wiki/x/o4YB",
	} {
		got := g.post(t, key, q, map[string]any{"u": u})
		if got.code() != "BAD_USER_INPUT" || got.Data["pageByUrl"] != nil {
			t.Errorf("%s: %.300s, want BAD_USER_INPUT and no page", u, got.Raw)
		}
	}
	got := g.post(t, key, q, map[string]any{"u": "https://other.atlassian.net/wiki/x/o4YB"})
	if len(got.Errors) == 0 || !strings.Contains(got.Errors[0].Message, g.host) {
		t.Errorf("refusal %.300s does not name the expected host %s", got.Raw, g.host)
	}
	for _, u := range []string{"http://" + g.host + "/wiki/x/o4YB", "/wiki/spaces/OPS/pages/100003"} {
		if got := g.post(t, key, q, map[string]any{"u": u}); got.field("pageByUrl")["title"] != "Deployment Runbook" {
			t.Errorf("%s: %.300s, want the page", u, got.Raw)
		}
	}
}

// Filter values that try to break out of their CQL string (quotes, parentheses, operators)
// are quoted by the builder: they match nothing instead of widening the search.
func TestCQLInjectionThroughSearchPagesFilters(t *testing.T) {
	g := start(t)
	g.connect(t, "acme", "classic")
	key := g.key(t, "acme", settings.RoleReader)
	q := `query($f: PageFilter!) { searchPages(filter: $f) { totalCount cql nodes { title } } }`
	for name, f := range map[string]map[string]any{
		"space breaks out":  {"spaces": []string{`OPS") OR space != ("OPS`}},
		"label breaks out":  {"labels": []string{`x" OR type = "page`}},
		"title breaks out":  {"title": `zzz" OR space = "SEC`},
		"text breaks out":   {"text": `zzz" OR title ~ "incident`},
		"backslash escapes": {"spaces": []string{`OPS\") OR (space = SEC`}},
	} {
		got := g.post(t, key, q, map[string]any{"f": f})
		if len(got.Errors) != 0 && got.code() != "BAD_USER_INPUT" {
			t.Errorf("%s: %.300s, want no error or BAD_USER_INPUT", name, got.Raw)
			continue
		}
		if n, _ := got.field("searchPages")["totalCount"].(float64); n != 0 {
			t.Errorf("%s: %v results for a value that matches nothing; cql %v", name, n, got.field("searchPages")["cql"])
		}
	}
}

// A Confluence token revoked after connecting gives CONFLUENCE_UNAUTHORIZED, and neither the
// token nor the Authorization value appears in the answer or the logs.
func TestRevokedConfluenceToken(t *testing.T) {
	g := start(t)
	g.connect(t, "acme", "classic")
	key := g.key(t, "acme", settings.RoleReader)
	acct := g.sim.Account("classic")
	g.sim.RevokeToken(acct.Email)
	got := g.post(t, key, pageQuery, nil)
	if got.codeAt("page") != "CONFLUENCE_UNAUTHORIZED" {
		t.Errorf("read with a revoked token: %.300s, want CONFLUENCE_UNAUTHORIZED", got.Raw)
	}
	noneContain(t, "the answer and logs", []string{got.Raw, g.logs.String()}, acct.Token)
}
