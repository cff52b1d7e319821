package confluencetest

import (
	"net/http"
	"slices"
	"strings"
)

// The v1 space and user read routes: GET /wiki/rest/api/space, /space/{key},
// /space/{key}/content/{type}, /user and /user/bulk.

// v1SpaceExpanded is v1Space with the description.plain and homepage expansions of e.
func (s *Server) v1SpaceExpanded(r *http.Request, sp *Space, e expansion) map[string]any {
	m := s.v1Space(r, sp)
	exp := m["_expandable"].(map[string]any)
	if e.has("description") {
		d := map[string]any{}
		if e["description"].has("plain") {
			d["plain"] = map[string]any{"value": sp.Description, "representation": "plain", "embeddedContent": []any{}}
		}
		if e["description"].has("view") {
			d["view"] = map[string]any{"value": "<p>" + htmlEscape(sp.Description) + "</p>", "representation": "view", "embeddedContent": []any{}}
		}
		m["description"] = d
		delete(exp, "description")
	}
	if e.has("homepage") {
		if hp := s.st.pages[sp.HomepageID]; hp != nil {
			m["homepage"] = s.v1Content(r, pageDoc(hp), nil)
		}
		delete(exp, "homepage")
	}
	return m
}

// v1Spaces is GET /wiki/rest/api/space: filters spaceKey and spaceId (repeated), type and
// status; in the order of the v2 list (by id).
func (s *Server) v1Spaces(w http.ResponseWriter, r *http.Request, a *Account) {
	keys, ids := multi(r, "spaceKey"), multi(r, "spaceId")
	typ, status := r.URL.Query().Get("type"), r.URL.Query().Get("status")
	e := parseExpand(multi(r, "expand"))
	var out []*Space
	for _, sp := range s.st.spaces {
		if !canSee(a, sp.Key) ||
			(len(ids) > 0 && !slices.Contains(ids, sp.ID)) ||
			(len(keys) > 0 && !slices.ContainsFunc(keys, func(k string) bool { return strings.EqualFold(k, sp.Key) })) ||
			(typ != "" && typ != sp.Type) || (status != "" && status != sp.Status) {
			continue
		}
		out = append(out, sp)
	}
	slices.SortFunc(out, func(x, y *Space) int { return lessID(x.ID, y.ID) })
	s.writeV1List(w, r, len(out), 25, 250, func(i int) any { return s.v1SpaceExpanded(r, out[i], e) })
}

// v1SpaceByKey finds the space of the {key} path value visible to a, writing the v1 404.
func (s *Server) v1SpaceByKey(w http.ResponseWriter, r *http.Request, a *Account) *Space {
	key := r.PathValue("key")
	sp := s.st.spaceByKey[strings.ToLower(key)]
	if sp == nil || !canSee(a, sp.Key) {
		v1Error(w, http.StatusNotFound, "No space with key : "+key)
		return nil
	}
	return sp
}

// v1GetSpace is GET /wiki/rest/api/space/{key}.
func (s *Server) v1GetSpace(w http.ResponseWriter, r *http.Request, a *Account) {
	if sp := s.v1SpaceByKey(w, r, a); sp != nil {
		m := s.v1SpaceExpanded(r, sp, parseExpand(multi(r, "expand")))
		links := m["_links"].(map[string]any)
		links["base"], links["context"] = s.base(r), "/wiki"
		writeJSON(w, http.StatusOK, m)
	}
}

// v1SpaceContent is GET /wiki/rest/api/space/{key}/content/{type}: the space's current pages
// (depth root: top-level only) or blog posts by content id ascending, as the v1 specification says.
func (s *Server) v1SpaceContent(w http.ResponseWriter, r *http.Request, a *Account) {
	sp := s.v1SpaceByKey(w, r, a)
	if sp == nil {
		return
	}
	typ := r.PathValue("type")
	if typ != "page" && typ != kindBlogPost {
		s.writeV1List(w, r, 0, 25, 250, nil)
		return
	}
	depth := r.URL.Query().Get("depth")
	if depth != "" && depth != "all" && depth != "root" {
		v1Error(w, http.StatusBadRequest, "Invalid depth: "+depth)
		return
	}
	var out []*pageRec
	order := s.st.pageOrder
	if typ == kindBlogPost {
		order = s.st.blogOrder // blog posts have no parent: every one is at the root
	}
	for _, p := range order {
		if p.space == sp && p.Status == "current" && (depth != "root" || p.ParentID == "") {
			out = append(out, p)
		}
	}
	e := parseExpand(multi(r, "expand"))
	s.writeV1List(w, r, len(out), 25, 250, func(i int) any { return s.v1Page(r, out[i], out[i].current(), e) })
}

// v1GetUser is GET /wiki/rest/api/user?accountId=.
func (s *Server) v1GetUser(w http.ResponseWriter, r *http.Request, _ *Account) {
	id := r.URL.Query().Get("accountId")
	if s.st.users[id] == nil {
		v1Error(w, http.StatusNotFound, "No user found with accountId : "+id)
		return
	}
	writeJSON(w, http.StatusOK, s.v1User(id))
}

// v1UsersBulk is GET /wiki/rest/api/user/bulk?accountId=a,b: the known users among the ids,
// at most 200 (the first 200 ids, as the v1 specification says).
func (s *Server) v1UsersBulk(w http.ResponseWriter, r *http.Request, _ *Account) {
	ids := multi(r, "accountId")
	if len(ids) == 0 {
		v1Error(w, http.StatusBadRequest, "accountId is required")
		return
	}
	ids = ids[:min(len(ids), 200)]
	var res []any
	for _, id := range ids {
		if s.st.users[id] != nil {
			res = append(res, s.v1User(id))
		}
	}
	s.writeV1List(w, r, len(res), 200, 200, func(i int) any { return res[i] })
}
