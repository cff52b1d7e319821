package confluence_test

import (
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/confluence-graph/confluence-graph/confluence"
)

// TestRouteScopes: every route the read path calls names the scope Atlassian's specifications
// list for it (x-atlassian-oauth2-scopes), the classic scope first on v1 routes.
func TestRouteScopes(t *testing.T) {
	for endpoint, want := range map[string]string{
		"GET /wiki/api/v2/pages/{id}/direct-children":                                "read:hierarchical-content:confluence",
		"GET /wiki/api/v2/pages/{id}/descendants":                                    "read:hierarchical-content:confluence",
		"GET /wiki/api/v2/pages/{id}/ancestors":                                      "read:content.metadata:confluence",
		"GET /wiki/api/v2/folders/{id}":                                              "read:folder:confluence",
		"GET /wiki/api/v2/pages/{id}/footer-comments":                                "read:comment:confluence",
		"GET /wiki/api/v2/inline-comments/{id}/children":                             "read:comment:confluence",
		"GET /wiki/api/v2/pages/{id}/attachments":                                    "read:attachment:confluence",
		"GET /wiki/rest/api/content/{id}/child/attachment/{att}/download (redirect)": "read:attachment:confluence",
		"POST /wiki/api/v2/users-bulk":                                               "read:user:confluence",
		"GET /wiki/api/v2/labels":                                                    "read:label:confluence",
		"GET /wiki/api/v2/labels/{id}/pages":                                         "read:page:confluence",
		"GET /wiki/api/v2/spaces":                                                    "read:space:confluence",
		"GET /wiki/api/v2/spaces/{id}/labels":                                        "read:space:confluence",
		"GET /wiki/api/v2/spaces/{id}/pages":                                         "read:page:confluence",
		"GET /wiki/api/v2/pages":                                                     "read:page:confluence",
		"GET /wiki/api/v2/pages/{id}/labels":                                         "read:page:confluence",
		"GET /wiki/api/v2/pages/{id}/versions/{number}":                              "read:page:confluence",
		"GET /wiki/rest/api/search":                                                  "search:confluence",
		"GET /wiki/rest/api/content/search":                                          "search:confluence",
		"GET /wiki/rest/api/user/current":                                            "read:confluence-user",
		"GET /wiki/rest/api/content/{id}/child/page":                                 "read:confluence-content.summary",
		"GET /wiki/rest/api/space/{key}":                                             "read:confluence-space.summary",
		"GET /wiki/rest/api/space/{key}/content/{type}":                              "read:confluence-content.summary",
		"GET /wiki/rest/api/user/bulk":                                               "read:confluence-user",
	} {
		if got := confluence.RouteScopes(endpoint); !slices.Equal(got, []string{want}) {
			t.Errorf("RouteScopes(%q) = %v, want [%s]", endpoint, got, want)
		}
	}
	if got := confluence.RouteScopes("GET /_edge/tenant_info"); got != nil {
		t.Errorf("RouteScopes(tenant_info) = %v, want nil", got)
	}
}

// TestMissingScopesFromSimulator: the gateway's 401 does not name the scope; MissingScopes
// names it from the route of the refused call, through wrapping, and nothing for other errors.
func TestMissingScopesFromSimulator(t *testing.T) {
	_, c := simPair(t, 0, "scoped-nosearch", confluence.TokenScoped, nil)
	_, _, err := c.Search.CQL(t.Context(), &confluence.SearchOptions{CQL: "type = page"})
	if !errors.Is(err, confluence.ErrScopeMismatch) {
		t.Fatalf("search without the scope = %v, want ErrScopeMismatch", err)
	}
	if got := confluence.MissingScopes(fmt.Errorf("wrapped: %w", err)); !slices.Equal(got, []string{"search:confluence"}) {
		t.Errorf("MissingScopes = %v, want [search:confluence]", got)
	}
	_, _, err = c.Pages.Get(t.Context(), "999999", nil)
	if got := confluence.MissingScopes(err); err == nil || got != nil {
		t.Errorf("MissingScopes(%v) = %v, want nil for a 404", err, got)
	}
}
