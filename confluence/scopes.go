package confluence

import (
	"errors"
	"slices"
	"strings"
)

// Scopes of Atlassian's Confluence REST API that the read path needs, as the
// x-atlassian-oauth2-scopes of the v1 and v2 OpenAPI documents list them.
// The gateway's answer to a missing scope ("401 Unauthorized; scope does not
// match") never names the scope, so RouteScopes names it from the route.
const (
	ScopeReadPage         = "read:page:confluence"
	ScopeReadSpace        = "read:space:confluence"
	ScopeReadHierarchy    = "read:hierarchical-content:confluence"
	ScopeReadMetadata     = "read:content.metadata:confluence"
	ScopeReadComment      = "read:comment:confluence"
	ScopeReadAttachment   = "read:attachment:confluence"
	ScopeReadLabel        = "read:label:confluence"
	ScopeReadFolder       = "read:folder:confluence"
	ScopeReadUser         = "read:user:confluence"
	ScopeSearch           = "search:confluence"
	ScopeReadCurrentUser  = "read:confluence-user"
	ScopeReadContentClass = "read:confluence-content.summary"
	ScopeReadSpaceClass   = "read:confluence-space.summary"
)

// scopesByPart names the scope of the routes that hold one of parts, in the order RouteScopes
// tries them before its other rules (the first match wins).
var scopesByPart = []struct {
	scope string
	parts []string
}{
	{ScopeReadHierarchy, []string{"/direct-children", "/descendants"}},
	{ScopeReadMetadata, []string{"/ancestors", "/convert-ids-to-types"}},
	{ScopeReadFolder, []string{"/folders"}},
	{ScopeReadComment, []string{"comments", "/child/comment"}},
	{ScopeReadAttachment, []string{"/attachments", "/child/attachment"}},
	{ScopeReadUser, []string{"/users-bulk"}},
}

// RouteScopes returns the scope a token needs for endpoint, a route pattern
// as Error.Endpoint holds it ("GET /wiki/api/v2/pages/{id}/direct-children").
// For a v1 route that also accepts a granular scope, the classic scope
// Atlassian recommends comes first. It returns nil for a route it does not
// know.
func RouteScopes(endpoint string) []string {
	route := endpoint
	if i := strings.IndexByte(route, ' '); i >= 0 {
		route = route[i+1:]
	}
	route, _, _ = strings.Cut(route, " ") // "… (redirect)"
	has := func(s string) bool { return strings.Contains(route, s) }
	for _, r := range scopesByPart {
		if slices.ContainsFunc(r.parts, has) {
			return []string{r.scope}
		}
	}
	switch {
	case route == "/wiki/api/v2/labels":
		return []string{ScopeReadLabel}
	case has("/wiki/api/v2/spaces") && !strings.HasSuffix(route, "/pages"):
		return []string{ScopeReadSpace}
	case has("/wiki/api/v2/pages"), has("/wiki/api/v2/blogposts"), has("/wiki/api/v2/spaces"), has("/wiki/api/v2/labels/"):
		return []string{ScopeReadPage}
	case route == "/wiki/rest/api/search", route == "/wiki/rest/api/content/search":
		return []string{ScopeSearch}
	case strings.HasPrefix(route, "/wiki/rest/api/user"):
		return []string{ScopeReadCurrentUser}
	case strings.HasPrefix(route, "/wiki/rest/api/space") && !has("/content/"):
		return []string{ScopeReadSpaceClass}
	case has("/wiki/rest/api/"):
		return []string{ScopeReadContentClass}
	}
	return nil
}

// MissingScopes names the scopes a scoped token lacked for err: when err is
// (or wraps) an *Error matching ErrScopeMismatch, the scopes of its route
// (RouteScopes); otherwise nil.
func MissingScopes(err error) []string {
	var e *Error
	if !errors.Is(err, ErrScopeMismatch) || !errors.As(err, &e) {
		return nil
	}
	return RouteScopes(e.Endpoint)
}
