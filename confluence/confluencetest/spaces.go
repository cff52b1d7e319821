package confluencetest

import (
	"cmp"
	"fmt"
	"net/http"
	"slices"
	"strings"
)

func (s *Server) spaceJSON(r *http.Request, sp *Space, single bool) map[string]any {
	var desc any
	switch r.URL.Query().Get("description-format") {
	case "plain":
		desc = map[string]any{"plain": map[string]any{"representation": "plain", "value": sp.Description}}
	case "view":
		desc = map[string]any{"view": map[string]any{"representation": "view", "value": "<p>" + htmlEscape(sp.Description) + "</p>"}}
	}
	var icon any
	if r.URL.Query().Get("include-icon") == "true" {
		icon = map[string]any{"path": "/wiki/download/attachments/" + sp.ID + "/space-icon.png", "apiDownloadLink": "/wiki/rest/api/space/" + sp.Key + "/icon"}
	}
	links := map[string]any{"webui": "/spaces/" + sp.Key}
	if single {
		links["base"] = s.base(r)
	}
	var homepage any
	if sp.HomepageID != "" {
		homepage = sp.HomepageID
	}
	m := map[string]any{
		"id": sp.ID, "key": sp.Key, "name": sp.Name, "type": sp.Type, "status": sp.Status,
		"authorId": sp.AuthorID, "spaceOwnerId": sp.AuthorID, "createdAt": ts(sp.CreatedAt),
		"homepageId": homepage, "description": desc, "icon": icon, "currentActiveAlias": sp.Key,
		"_links": links,
	}
	if single && r.URL.Query().Get("include-labels") == "true" {
		var res []any
		for _, l := range sp.Labels {
			res = append(res, map[string]any{"id": s.st.labelID(l), "name": l, "prefix": "global"})
		}
		m["labels"] = capped(res, "/wiki/api/v2/spaces/"+sp.ID+"/labels")
	}
	return m
}

// capped is an embedded include-* collection: at most 50 items with meta.
func capped(items []any, self string) map[string]any {
	if items == nil {
		items = []any{}
	}
	more := len(items) > 50
	meta := map[string]any{"hasMore": more}
	if more {
		items = items[:50]
		meta["cursor"] = encodeCursor(50)
	}
	return map[string]any{"results": items, "meta": meta, "_links": map[string]any{"self": self}}
}

func (s *Server) listSpaces(w http.ResponseWriter, r *http.Request, a *Account) {
	ids, ok := multiParam(w, r, "ids", 250)
	if !ok {
		return
	}
	keys, ok := multiParam(w, r, "keys", 250)
	if !ok {
		return
	}
	// type and status are single values in the v2 OpenAPI document (not arrays).
	var types, statuses []string
	if v := single(r, "type"); v != "" {
		types = []string{v}
	}
	if v := single(r, "status"); v != "" {
		statuses = []string{v}
	}
	if !enumParam(w, "type", "SpaceType", types, []string{"global", "collaboration", "knowledge_base", "personal", "system", "onboarding", "xflow_sample_space"}) ||
		!enumParam(w, "status", "SpaceStatus", statuses, []string{"current", "archived"}) {
		return
	}
	sortBy := r.URL.Query().Get("sort")
	if sortBy != "" && !enumParam(w, "sort", "SpaceSortOrder", []string{sortBy}, []string{"id", "-id", "key", "-key", "name", "-name"}) {
		return
	}
	if df := r.URL.Query().Get("description-format"); df != "" && !enumParam(w, "description-format", "SpaceDescriptionBodyRepresentation", []string{df}, []string{"plain", "view"}) {
		return
	}
	labels := multi(r, "labels")
	var out []*Space
	for _, sp := range s.st.spaces {
		if len(labels) > 0 && !slices.ContainsFunc(labels, func(l string) bool { return slices.Contains(sp.Labels, l) }) {
			continue
		}
		if !canSee(a, sp.Key) ||
			(len(ids) > 0 && !slices.Contains(ids, sp.ID)) ||
			(len(keys) > 0 && !slices.ContainsFunc(keys, func(k string) bool { return strings.EqualFold(k, sp.Key) })) ||
			(len(types) > 0 && !slices.Contains(types, sp.Type)) ||
			(len(statuses) > 0 && !slices.Contains(statuses, sp.Status)) {
			continue
		}
		out = append(out, sp)
	}
	desc := strings.HasPrefix(sortBy, "-")
	slices.SortFunc(out, func(x, y *Space) int {
		var c int
		switch strings.TrimPrefix(sortBy, "-") {
		case "key":
			c = strings.Compare(strings.ToLower(x.Key), strings.ToLower(y.Key))
		case "name":
			c = strings.Compare(strings.ToLower(x.Name), strings.ToLower(y.Name))
		}
		c = cmp.Or(c, lessID(x.ID, y.ID))
		if desc {
			return -c
		}
		return c
	})
	s.writeV2List(w, r, len(out), 25, func(i int) any { return s.spaceJSON(r, out[i], false) })
}

func (s *Server) visibleSpace(w http.ResponseWriter, r *http.Request, a *Account) *Space {
	id := r.PathValue("id")
	sp := s.st.spaces[id]
	if sp == nil || !canSee(a, sp.Key) {
		v2Error(w, http.StatusNotFound, "NOT_FOUND", fmt.Sprintf("Cannot find a space with id [%s]", id), nil)
		return nil
	}
	return sp
}

func (s *Server) getSpace(w http.ResponseWriter, r *http.Request, a *Account) {
	if sp := s.visibleSpace(w, r, a); sp != nil {
		writeJSON(w, http.StatusOK, s.spaceJSON(r, sp, true))
	}
}

func (s *Server) spacePages(w http.ResponseWriter, r *http.Request, a *Account) {
	sp := s.visibleSpace(w, r, a)
	if sp == nil {
		return
	}
	depth := r.URL.Query().Get("depth")
	if depth != "" && !enumParam(w, "depth", "PageDepth", []string{depth}, []string{"all", "root"}) {
		return
	}
	f, ok := s.pageFilter(w, r, false)
	if !ok {
		return
	}
	s.writePages(w, r, f, s.st.pageOrder, func(p *pageRec) bool {
		return p.space == sp && (depth != "root" || p.ParentID == "")
	})
}

func htmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "'", "&#39;").Replace(s)
}
