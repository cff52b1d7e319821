package confluencetest_test

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/confluence-graph/confluence-graph/confluence/confluencetest"
)

func TestAuthErrors(t *testing.T) {
	s := MustDemo(t)
	classic := s.Account("classic")
	wrong := confluencetest.Account{Email: classic.Email, Token: "not-the-token"}
	gw := s.GatewayURL()
	search := "/wiki/rest/api/search?cql=" + url.QueryEscape("type = page")
	const (
		v2NotFound  = `{"errors":[{"code":"NOT_FOUND","detail":null,"status":404,"title":"Not Found"}]}`
		v1Search403 = `{"message":"Current user not permitted to use Confluence","statusCode":403}`
		v1User403   = `{"message":"com.atlassian.confluence.mvc.rest.common.exception.StacklessResponseStatusException: 403 FORBIDDEN \"Request rejected because caller cannot access Confluence\"","statusCode":403}`
		scope401    = `{"code":401,"message":"Unauthorized; scope does not match"}`
	)
	tests := []struct {
		name       string
		url        string
		acct       confluencetest.Account
		wantStatus int
		wantBody   string // exact JSON, or a substring for HTML
	}{
		{"v2 wrong token", s.URL() + "/wiki/api/v2/pages/100003", wrong, 404, v2NotFound},
		{"v2 no credentials", s.URL() + "/wiki/api/v2/spaces", confluencetest.Account{}, 404, v2NotFound},
		{"v2 wrong token via gateway", gw + "/wiki/api/v2/pages/100003", wrong, 404, v2NotFound},
		{"v1 search wrong token", s.URL() + search, wrong, 403, v1Search403},
		{"v1 user/current wrong token", s.URL() + "/wiki/rest/api/user/current", wrong, 403, v1User403},
		{"scoped token on the site host", s.URL() + "/wiki/api/v2/pages/100003", s.Account("scoped"), 401, "<title>HTTP Status 401 – Unauthorized</title>"},
		{"scoped token without search scope", gw + search, s.Account("scoped-nosearch"), 401, scope401},
		{"scoped token with search scope", gw + search, s.Account("scoped"), 200, ""},
		{"scoped-nosearch can read pages", gw + "/wiki/api/v2/pages/100003", s.Account("scoped-nosearch"), 200, ""},
		{"scoped user/current via gateway", gw + "/wiki/rest/api/user/current", s.Account("scoped"), 200, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := get(t, tc.url, tc.acct)
			if r.status != tc.wantStatus {
				t.Fatalf("status = %d, want %d; body %s", r.status, tc.wantStatus, r.body)
			}
			switch {
			case tc.wantBody == "":
			case strings.HasPrefix(tc.wantBody, "{"):
				if got := strings.TrimSpace(string(r.body)); got != tc.wantBody {
					t.Errorf("body = %s, want %s", got, tc.wantBody)
				}
			default:
				if !strings.Contains(string(r.body), tc.wantBody) || !strings.HasPrefix(r.header.Get("Content-Type"), "text/html") {
					t.Errorf("body = %s (%s), want HTML containing %q", r.body, r.header.Get("Content-Type"), tc.wantBody)
				}
			}
		})
	}
	r := get(t, gw+search, s.Account("scoped-nosearch"))
	if got := r.header.Get("X-Failure-Category"); got != "FAILURE_CLIENT_SCOPE_CHECK" {
		t.Errorf("X-Failure-Category = %q, want FAILURE_CLIENT_SCOPE_CHECK", got)
	}
}

func TestScopeGateRunsBeforeRouting(t *testing.T) {
	s := MustDemo(t)
	a := confluencetest.Account{Name: "spaces-only", Email: "spaces@example.com", Token: "tok-spaces", AccountID: "acc-spaces", Type: "scoped", Scopes: []string{"read:space:confluence"}}
	if err := s.Seed(confluencetest.Dataset{Accounts: []confluencetest.Account{a}}); err != nil {
		t.Fatal(err)
	}
	if r := get(t, s.GatewayURL()+"/wiki/api/v2/pages/99999999", a); r.status != http.StatusUnauthorized {
		t.Errorf("missing scope at a bogus id: %d, want 401", r.status)
	}
	if r := get(t, s.GatewayURL()+"/wiki/api/v2/spaces/99999999", a); r.status != http.StatusNotFound {
		t.Errorf("held scope at a bogus id: %d, want 404", r.status)
	}
}

func TestRevokedToken(t *testing.T) {
	s, a := demoClassic(t)
	mustGet(t, s.URL()+"/wiki/api/v2/spaces", a)
	s.RevokeToken(a.Email)
	if r := get(t, s.URL()+"/wiki/api/v2/spaces", a); r.status != http.StatusNotFound || !strings.Contains(string(r.body), `"title":"Not Found"`) {
		t.Errorf("after RevokeToken: %d %s, want bare 404", r.status, r.body)
	}
	if !s.Account("classic").Revoked {
		t.Errorf("Account(classic).Revoked = false after RevokeToken")
	}

	b := s.Account("restricted")
	r := do(t, http.MethodPost, s.URL()+"/__sim/revoke", confluencetest.Account{}, strings.NewReader(`{"email":"`+b.Email+`"}`))
	if r.status != http.StatusNoContent {
		t.Fatalf("POST /__sim/revoke: %d %s", r.status, r.body)
	}
	if r := get(t, s.URL()+"/wiki/rest/api/user/current", b); r.status != http.StatusForbidden {
		t.Errorf("after /__sim/revoke: %d, want 403", r.status)
	}
}

func TestRestrictedSpaceIsHidden(t *testing.T) {
	s := MustDemo(t)
	classic, restricted := s.Account("classic"), s.Account("restricted")
	spaces := func(a confluencetest.Account) []string {
		return ids(mustGet(t, s.URL()+"/wiki/api/v2/spaces", a).results(t))
	}
	if got := spaces(classic); !slices.Contains(got, "98309") {
		t.Errorf("classic spaces = %v, want the restricted space 98309", got)
	}
	if got := spaces(restricted); slices.Contains(got, "98309") || len(got) != 4 {
		t.Errorf("restricted spaces = %v, want the 4 others", got)
	}
	tests := []struct {
		name, path, want string
	}{
		{"page", "/wiki/api/v2/pages/100051", "Cannot find a page with id [100051]"},
		{"space", "/wiki/api/v2/spaces/98309", "Cannot find a space with id [98309]"},
		{"comment", "/wiki/api/v2/footer-comments/200014", "200014"},
		{"page children", "/wiki/api/v2/pages/100050/children", "100050"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if r := get(t, s.URL()+tc.path, restricted); r.status != http.StatusNotFound || !strings.Contains(string(r.body), tc.want) {
				t.Errorf("restricted: %d %s, want 404 naming %s", r.status, r.body, tc.want)
			}
			mustGet(t, s.URL()+tc.path, classic)
		})
	}
	byIDs := ids(mustGet(t, s.URL()+"/wiki/api/v2/pages?id=100051,100003", restricted).results(t))
	if !slices.Equal(byIDs, []string{"100003"}) {
		t.Errorf("pages?id= for restricted = %v, want the invisible id omitted", byIDs)
	}
	cqlq := "/wiki/rest/api/search?limit=50&cql=" + url.QueryEscape("label = postmortem")
	hits := func(a confluencetest.Account) []string {
		var out []string
		for _, r := range mustGet(t, s.URL()+cqlq, a).results(t) {
			out = append(out, str(r["content"].(map[string]any)["id"]))
		}
		return out
	}
	if got := hits(classic); !slices.Contains(got, "100051") {
		t.Errorf("classic search = %v, want 100051", got)
	}
	if got := hits(restricted); slices.Contains(got, "100051") || len(got) != 6 {
		t.Errorf("restricted search = %v, want the 4 PIR pages and 2 PIR blog posts only", got)
	}
}
