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
)

// ReadScopes returns every read scope the simulator checks, classic and
// granular: what the demo "scoped" account holds.
func ReadScopes() []string {
	return []string{scopePage, scopeSpace, scopeHierarchy, scopeMetadata, scopeComment, scopeAttachment,
		scopeLabel, scopeFolder, scopeUser, scopeDetails, scopeUserClassc, scopeSearch, scopeAttClassic,
		scopeWhiteboard, scopeDatabase, scopeEmbed}
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
		{pattern: "GET " + v1 + "/content/{id}/child/comment", scopes: []string{scopeComment, scopeDetails}, h: s.contentComments},
		{pattern: "GET " + v1 + "/user/current", scopes: []string{scopeUserClassc, scopeDetails}, h: s.currentUser},
		{pattern: "GET " + v1 + "/content/{id}/child/attachment/{att}/download", scopes: []string{scopeAttachment, scopeAttClassic}, h: s.downloadAttachment},
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
