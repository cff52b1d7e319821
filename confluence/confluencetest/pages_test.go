package confluencetest_test

import (
	"net/http"
	"strings"
	"testing"
)

func TestPagePathsInSiteAndGatewayMode(t *testing.T) {
	s := MustDemo(t)
	classic, scoped := s.Account("classic"), s.Account("scoped")
	tests := []struct {
		name string
		url  string
		acct string
	}{
		{"site mode, classic token", s.URL() + "/wiki/api/v2/pages/100003", "classic"},
		{"gateway mode, classic token", s.URL() + "/ex/confluence/" + s.CloudID() + "/wiki/api/v2/pages/100003", "classic"},
		{"gateway mode, scoped token", s.URL() + "/ex/confluence/" + s.CloudID() + "/wiki/api/v2/pages/100003", "scoped"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := classic
			if tc.acct == "scoped" {
				a = scoped
			}
			m := mustGet(t, tc.url, a).json(t)
			if got, want := m["title"], "Deployment Runbook"; got != want {
				t.Errorf("title = %v, want %v", got, want)
			}
			links := m["_links"].(map[string]any)
			if got, want := links["base"], s.URL()+"/wiki"; got != want {
				t.Errorf("_links.base = %v, want the site wiki base %v", got, want)
			}
		})
	}
	if got, want := s.Count("GET /wiki/api/v2/pages/{id}"), 3; got != want {
		t.Errorf("Count(pages/{id}) = %d, want %d (site and gateway under one pattern)", got, want)
	}
}

func TestTenantInfoIsUnauthenticated(t *testing.T) {
	s := MustDemo(t)
	m := mustGet(t, s.URL()+"/_edge/tenant_info", s.Account("")).json(t)
	if got, want := m["cloudId"], s.CloudID(); got != want {
		t.Errorf("cloudId = %v, want %v", got, want)
	}
}

func TestLimitAboveMaxIs400(t *testing.T) {
	s := MustDemo(t)
	r := get(t, s.URL()+"/wiki/api/v2/pages?limit=300", s.Account("classic"))
	want := `{"errors":[{"code":"INVALID_REQUEST_PARAMETER","detail":null,"status":400,"title":"Provided size {300} for 'limit' is greater than the max allowed: 250"}]}`
	if r.status != http.StatusBadRequest || strings.TrimSpace(string(r.body)) != want {
		t.Errorf("got %d %s, want 400 %s", r.status, r.body, want)
	}
}
