package confluencetest_test

import (
	"bytes"
	"net/http"
	"slices"
	"testing"

	"github.com/confluence-graph/confluence-graph/confluence/confluencetest"
)

// TestScopedNoHierarchyAccount: the demo "scoped-nohier" token reads pages and searches, and is
// refused direct-children, descendants and folders with the gateway's scope 401, as a token
// created without the scopes CONFCLOUD-82041 says cannot be selected.
func TestScopedNoHierarchyAccount(t *testing.T) {
	s := confluencetest.NewServer(confluencetest.WithDataset("demo"))
	defer s.Close()
	a := s.Account("scoped-nohier")
	if a.Type != confluencetest.TokenScoped || slices.Contains(a.Scopes, "read:hierarchical-content:confluence") ||
		slices.Contains(a.Scopes, "read:folder:confluence") || !slices.Contains(a.Scopes, "search:confluence") {
		t.Fatalf("scoped-nohier = %+v", a)
	}
	gw := s.GatewayURL()
	for _, c := range []struct {
		path string
		want int
	}{
		{"/wiki/api/v2/pages/100003", 200},
		{"/wiki/rest/api/content/search?cql=parent%3D100001", 200},
		{"/wiki/api/v2/pages/100001/direct-children", 401},
		{"/wiki/api/v2/pages/100001/descendants", 401},
		{"/wiki/api/v2/folders/1", 401},
	} {
		if r := get(t, gw+c.path, a); r.status != c.want {
			t.Errorf("GET %s = %d, want %d", c.path, r.status, c.want)
		}
	}
	// With the folder scope the folder route answers Cloud's 404 for an id that is no folder.
	if r := get(t, gw+"/wiki/api/v2/folders/1", s.Account("scoped")); r.status != 404 {
		t.Errorf("GET folders/1 with every scope = %d, want 404", r.status)
	}
}

// TestSetScopes: POST /__sim/scopes takes a scope from a token, and the next call needing it
// gets the scope 401; an unknown email is a 400.
func TestSetScopes(t *testing.T) {
	s := confluencetest.NewServer(confluencetest.WithDataset("demo"))
	defer s.Close()
	a := s.Account("scoped")
	path := s.GatewayURL() + "/wiki/api/v2/pages/100001/footer-comments"
	if r := get(t, path, a); r.status != 200 {
		t.Fatalf("footer-comments before = %d", r.status)
	}
	var kept []string
	for _, sc := range a.Scopes {
		if sc != "read:comment:confluence" {
			kept = append(kept, sc)
		}
	}
	body := []byte(`{"email":"` + a.Email + `","scopes":["` + joinQuoted(kept) + `"]}`)
	resp, err := http.Post(s.URL()+"/__sim/scopes", "application/json", bytes.NewReader(body))
	if err != nil || resp.StatusCode != http.StatusNoContent {
		t.Fatalf("POST /__sim/scopes = %v, %v", resp, err)
	}
	_ = resp.Body.Close()
	if r := get(t, path, a); r.status != 401 {
		t.Errorf("footer-comments after losing read:comment = %d, want 401", r.status)
	}
	if r := get(t, s.GatewayURL()+"/wiki/api/v2/pages/100001", a); r.status != 200 {
		t.Errorf("page after losing read:comment = %d, want 200", r.status)
	}
	resp, err = http.Post(s.URL()+"/__sim/scopes", "application/json", bytes.NewReader([]byte(`{"email":"nobody@example.com","scopes":[]}`)))
	if err != nil || resp.StatusCode != http.StatusBadRequest {
		t.Errorf("POST /__sim/scopes for an unknown email = %v, %v; want 400", resp, err)
	}
}

func joinQuoted(ss []string) string {
	var b bytes.Buffer
	for i, s := range ss {
		if i > 0 {
			b.WriteString(`","`)
		}
		b.WriteString(s)
	}
	return b.String()
}
