package confluencetest

import "net/http"

// Scopes named by routes: the granular scope a scoped API token needs for
// each route; without it the gateway answers 401 "scope does not match".
const (
	scopePage       = "read:page:confluence"
	scopeSpace      = "read:space:confluence"
	scopeHierarchy  = "read:hierarchical-content:confluence"
	scopeMetadata   = "read:content.metadata:confluence"
	scopeComment    = "read:comment:confluence"
	scopeAttachment = "read:attachment:confluence"
	scopeLabel      = "read:label:confluence"
	scopeFolder     = "read:folder:confluence"
	scopeUser       = "read:user:confluence"
	scopeDetails    = "read:content-details:confluence"
	scopeUserClassc = "read:confluence-user"
	scopeSearch     = "search:confluence"
	scopeAttClassic = "readonly:content.attachment:confluence"
	scopeWhiteboard = "read:whiteboard:confluence"
	scopeDatabase   = "read:database:confluence"
	scopeEmbed      = "read:embed:confluence"
	// Classic scopes of the v1 content and space routes (x-atlassian-oauth2-scopes, state Current).
	scopeContentSummary = "read:confluence-content.summary"
	scopeSpaceSummary   = "read:confluence-space.summary"
)

// ReadScopes returns every read scope the simulator checks, classic and
// granular: what the demo "scoped" account holds.
func ReadScopes() []string {
	return []string{scopePage, scopeSpace, scopeHierarchy, scopeMetadata, scopeComment, scopeAttachment,
		scopeLabel, scopeFolder, scopeUser, scopeDetails, scopeUserClassc, scopeSearch, scopeAttClassic,
		scopeWhiteboard, scopeDatabase, scopeEmbed, scopeContentSummary, scopeSpaceSummary}
}

func (s *Server) routes() {
	v2 := "/wiki/api/v2"
	v1 := "/wiki/rest/api"
	rts := []route{
		{pattern: "GET /_edge/tenant_info", noAuth: true, h: s.tenantInfo},
		{pattern: "GET " + v2 + "/spaces", scopes: []string{scopeSpace}, h: s.listSpaces},
		{pattern: "GET " + v2 + "/spaces/{id}", scopes: []string{scopeSpace}, h: s.getSpace},
		{pattern: "GET " + v2 + "/spaces/{id}/pages", scopes: []string{scopePage}, h: s.spacePages},
		{pattern: "GET " + v2 + "/pages", scopes: []string{scopePage}, h: s.listPages},
		{pattern: "GET " + v2 + "/pages/{id}", scopes: []string{scopePage}, h: s.getPage},
		{pattern: "GET " + v2 + "/pages/{id}/children", scopes: []string{scopePage}, h: s.pageChildren},
		{pattern: "GET " + v2 + "/pages/{id}/direct-children", scopes: []string{scopeHierarchy}, h: s.treeDirectChildren("page")},
		{pattern: "GET " + v2 + "/pages/{id}/descendants", scopes: []string{scopeHierarchy}, h: s.treeDescendants("page")},
		{pattern: "GET " + v2 + "/pages/{id}/ancestors", scopes: []string{scopeMetadata}, h: s.treeAncestors("page")},
		{pattern: "GET " + v2 + "/pages/{id}/labels", scopes: []string{scopePage}, h: s.pageLabels},
		{pattern: "GET " + v2 + "/pages/{id}/versions", scopes: []string{scopePage}, h: s.pageVersions},
		{pattern: "GET " + v2 + "/pages/{id}/versions/{n}", scopes: []string{scopePage}, h: s.pageVersion},
		{pattern: "GET " + v2 + "/pages/{id}/footer-comments", scopes: []string{scopeComment}, h: s.footerComments},
		{pattern: "GET " + v2 + "/pages/{id}/inline-comments", scopes: []string{scopeComment}, h: s.inlineComments},
		{pattern: "GET " + v2 + "/footer-comments/{id}", scopes: []string{scopeComment}, h: s.getFooterComment},
		{pattern: "GET " + v2 + "/inline-comments/{id}", scopes: []string{scopeComment}, h: s.getInlineComment},
		{pattern: "GET " + v2 + "/footer-comments/{id}/children", scopes: []string{scopeComment}, h: s.footerChildren},
		{pattern: "GET " + v2 + "/inline-comments/{id}/children", scopes: []string{scopeComment}, h: s.inlineChildren},
		{pattern: "GET " + v2 + "/pages/{id}/attachments", scopes: []string{scopeAttachment}, h: s.pageAttachments},
		{pattern: "GET " + v2 + "/blogposts", scopes: []string{scopePage}, h: s.listPages},
		{pattern: "GET " + v2 + "/blogposts/{id}", scopes: []string{scopePage}, h: s.getPage},
		{pattern: "GET " + v2 + "/spaces/{id}/blogposts", scopes: []string{scopePage}, h: s.spaceBlogPosts},
		{pattern: "GET " + v2 + "/blogposts/{id}/labels", scopes: []string{scopePage}, h: s.pageLabels},
		{pattern: "GET " + v2 + "/blogposts/{id}/versions", scopes: []string{scopePage}, h: s.pageVersions},
		{pattern: "GET " + v2 + "/blogposts/{id}/versions/{n}", scopes: []string{scopePage}, h: s.pageVersion},
		{pattern: "GET " + v2 + "/blogposts/{id}/footer-comments", scopes: []string{scopeComment}, h: s.footerComments},
		{pattern: "GET " + v2 + "/blogposts/{id}/inline-comments", scopes: []string{scopeComment}, h: s.inlineComments},
		{pattern: "GET " + v2 + "/blogposts/{id}/attachments", scopes: []string{scopeAttachment}, h: s.pageAttachments},
		{pattern: "GET " + v2 + "/attachments/{id}", scopes: []string{scopeAttachment}, h: s.getAttachment},
		{pattern: "GET " + v2 + "/labels", scopes: []string{scopeLabel}, h: s.listLabels},
		{pattern: "GET " + v2 + "/labels/{id}/pages", scopes: []string{scopePage}, h: s.labelPages},
		{pattern: "GET " + v2 + "/spaces/{id}/labels", scopes: []string{scopeSpace}, h: s.spaceLabels},
		{pattern: "POST " + v2 + "/content/convert-ids-to-types", scopes: []string{scopeMetadata, scopePage}, h: s.convertIDs},
		{pattern: "POST " + v2 + "/users-bulk", scopes: []string{scopeUser}, h: s.usersBulk},
		{pattern: "GET " + v1 + "/search", scopes: []string{scopeSearch, scopeDetails}, h: s.search},
		{pattern: "GET " + v1 + "/content/search", scopes: []string{scopeSearch, scopeDetails}, h: s.contentSearch},
		{pattern: "GET " + v1 + "/content/{id}/child/comment", scopes: []string{scopeComment, scopeDetails, scopeContentSummary}, h: s.contentComments},
		{pattern: "GET " + v1 + "/user/current", scopes: []string{scopeUserClassc, scopeDetails}, h: s.currentUser},
		{pattern: "GET " + v1 + "/content/{id}/child/attachment/{att}/download", scopes: []string{scopeAttachment, scopeAttClassic}, h: s.downloadAttachment},
		{pattern: "GET " + v1 + "/content/{id}", scopes: []string{scopeContentSummary, scopeDetails}, h: s.v1GetContent},
		{pattern: "GET " + v1 + "/content/{id}/child/{type}", scopes: []string{scopeContentSummary, scopeDetails}, h: s.v1ChildList},
		{pattern: "GET " + v1 + "/content/{id}/label", scopes: []string{scopeContentSummary, scopeLabel}, h: s.v1Labels},
		{pattern: "GET " + v1 + "/content/{id}/version", scopes: []string{scopeContentSummary, scopeDetails}, h: s.v1Versions},
		{pattern: "GET " + v1 + "/content/{id}/version/{n}", scopes: []string{scopeContentSummary, scopeDetails}, h: s.v1VersionN},
		// Granular tokens need read:content.metadata and read:user together here; a route
		// takes any one of its scopes, so only the classic one is listed (stricter, not kinder).
		{pattern: "GET " + v1 + "/content/{id}/history", scopes: []string{scopeContentSummary}, h: s.v1History},
		{pattern: "GET " + v1 + "/space", scopes: []string{scopeSpaceSummary, scopeDetails}, h: s.v1Spaces},
		{pattern: "GET " + v1 + "/space/{key}", scopes: []string{scopeSpaceSummary, scopeDetails}, h: s.v1GetSpace},
		{pattern: "GET " + v1 + "/space/{key}/content/{type}", scopes: []string{scopeContentSummary, scopeDetails}, h: s.v1SpaceContent},
		{pattern: "GET " + v1 + "/user", scopes: []string{scopeUserClassc, scopeDetails}, h: s.v1GetUser},
		{pattern: "GET " + v1 + "/user/bulk", scopes: []string{scopeUserClassc, scopeDetails}, h: s.v1UsersBulk},
		{pattern: "GET /media/file/{att}/binary", noAuth: true, h: s.mediaBinary},
	}
	rts = append(rts, s.nodeRoutes(v2)...)
	s.mux = http.NewServeMux()
	s.rts = map[string]route{}
	for _, rt := range rts {
		s.mux.HandleFunc(rt.pattern, func(w http.ResponseWriter, r *http.Request) {
			info, _ := r.Context().Value(ctxKey{}).(reqInfo)
			rt.h(w, r, info.acct)
		})
		s.rts[rt.pattern] = rt
	}
	s.controlRoutes()
	s.scopeRoutes()
}

func (s *Server) tenantInfo(w http.ResponseWriter, _ *http.Request, _ *Account) {
	writeJSON(w, http.StatusOK, map[string]any{"cloudId": s.cfg.cloudID})
}
