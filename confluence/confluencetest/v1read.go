package confluencetest

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// The v1 content read routes (GET /wiki/rest/api/content/{id}, its children, labels and
// versions): what a token holding only classic scopes can read, since the v2 routes accept
// granular scopes only. Lists page by start/limit with a context-relative _links.next.

// v1ListParams reads v1 `start` (default 0) and `limit` (default def, capped at max). A value
// that is not a number is a 400 in the v1 envelope.
func v1ListParams(w http.ResponseWriter, r *http.Request, def, max int) (start, limit int, ok bool) {
	q := r.URL.Query()
	limit = def
	for _, p := range []struct {
		name string
		dst  *int
	}{{"start", &start}, {"limit", &limit}} {
		v := q.Get(p.name)
		if v == "" {
			continue
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			v1Error(w, http.StatusBadRequest, fmt.Sprintf("Invalid value for parameter %s: %s", p.name, v))
			return 0, 0, false
		}
		*p.dst = n
	}
	if limit == 0 || limit > max {
		limit = max
	}
	return start, limit, true
}

// writeV1List writes items start..start+limit of n as a v1 collection: results, start, limit,
// size and _links (base, context, self, and next while more remain, relative to the context
// with next=true, limit and start).
func (s *Server) writeV1List(w http.ResponseWriter, r *http.Request, n, def, max int, item func(i int) any) {
	start, limit, ok := v1ListParams(w, r, def, max)
	if !ok {
		return
	}
	results := []any{}
	end := min(n, start+limit)
	for i := start; i < end; i++ {
		results = append(results, item(i))
	}
	path := strings.TrimPrefix(r.URL.Path, "/wiki")
	links := map[string]any{"base": s.base(r), "context": "/wiki", "self": s.base(r) + path}
	if end < n {
		q := r.URL.Query()
		q.Set("next", "true")
		q.Set("limit", strconv.Itoa(limit))
		q.Set("start", strconv.Itoa(end))
		links["next"] = path + "?" + q.Encode()
	}
	writeJSON(w, http.StatusOK, map[string]any{"results": results, "start": start, "limit": limit, "size": len(results), "_links": links})
}

// v1NotFound writes Confluence's v1 404 for content id.
func v1NotFound(w http.ResponseWriter, id string) {
	v1Error(w, http.StatusNotFound, "No content found with id : ContentId{id="+id+"}")
}

// v1Page renders page p at version v as v1 content with the expansions in e: the status is
// "historical" for a version that is not the current one, the title and body are the version's.
func (s *Server) v1Page(r *http.Request, p *pageRec, v Version, e expansion) map[string]any {
	m := s.v1Content(r, pageDoc(p), e)
	m["status"] = p.Status
	if v.Number != p.current().Number {
		m["status"] = "historical"
		m["title"] = cmpOr(v.Title, p.Title)
	}
	if e.has("version") {
		m["version"] = s.v1Version(r, p.ID, v)
	}
	if e.has("body") {
		m["body"] = s.v1Body(e["body"], p.ID, v.Body, p.ID, p.SpaceKey)
	}
	return m
}

// v1GetContent is GET /wiki/rest/api/content/{id}: an attachment (att…), a page or blog post (v1
// content is type-agnostic), its `version=N` with `status=historical`, an archived page with
// status=archived or any, or a folder, whiteboard, database or embed (Cloud serves the tree's
// other kinds on v1 content too, with their type).
func (s *Server) v1GetContent(w http.ResponseWriter, r *http.Request, a *Account) {
	id := r.PathValue("id")
	statuses := multi(r, "status")
	if len(statuses) == 0 {
		statuses = []string{"current"}
	}
	if at := s.st.attachments[id]; at != nil {
		if p := s.st.visibleContent(a, at.PageID); p != nil {
			m := s.v1Content(r, attachmentDoc(p, at, ""), parseExpand(multi(r, "expand")))
			m["_links"].(map[string]any)["base"] = s.base(r)
			writeJSON(w, http.StatusOK, m)
			return
		}
	}
	if n := s.st.nodes[id]; n != nil && canSee(a, n.SpaceKey) {
		if !slices.Contains(statuses, n.Status) && !slices.Contains(statuses, "any") {
			v1NotFound(w, id)
			return
		}
		m := s.v1NodeContent(r, n, parseExpand(multi(r, "expand")))
		links := m["_links"].(map[string]any)
		links["base"], links["context"] = s.base(r), "/wiki"
		writeJSON(w, http.StatusOK, m)
		return
	}
	p := s.st.visibleContent(a, id)
	if p == nil || p.Status == "trashed" && !slices.Contains(statuses, "trashed") && !slices.Contains(statuses, "any") {
		v1NotFound(w, id)
		return
	}
	v := p.current()
	if vs := r.URL.Query().Get("version"); vs != "" {
		n, err := strconv.Atoi(vs)
		i := slices.IndexFunc(p.Versions, func(v Version) bool { return v.Number == n })
		if err != nil || i < 0 {
			v1NotFound(w, id)
			return
		}
		v = p.Versions[i]
	}
	status := p.Status
	if v.Number != p.current().Number {
		status = "historical"
	}
	if !slices.Contains(statuses, status) && !slices.Contains(statuses, "any") {
		v1NotFound(w, id)
		return
	}
	m := s.v1Page(r, p, v, parseExpand(multi(r, "expand")))
	links := m["_links"].(map[string]any)
	links["base"], links["context"] = s.base(r), "/wiki"
	writeJSON(w, http.StatusOK, m)
}

// v1ChildList is GET /wiki/rest/api/content/{id}/child/{type} (child/comment has its own
// handler, contentComments): the current children of one tree kind (page, folder, whiteboard,
// database, embed) of a page or tree node in child order, or a page's or blog post's attachments.
// A blog post has no tree children; a type that is not a child type is a 400.
func (s *Server) v1ChildList(w http.ResponseWriter, r *http.Request, a *Account) {
	id, typ := r.PathValue("id"), r.PathValue("type")
	_, isNode := nodeKinds[typ]
	if typ != "page" && typ != "attachment" && !isNode {
		v1Error(w, http.StatusBadRequest, "Content type "+typ+" is not a valid child type")
		return
	}
	e := parseExpand(multi(r, "expand"))
	if c, _ := s.st.visibleComment(a, id); c != nil {
		s.writeV1List(w, r, 0, 25, 250, nil)
		return
	}
	var ds []*doc
	switch p, n := s.st.visibleContent(a, id), s.st.nodes[id]; {
	case p != nil && typ == "attachment":
		for _, at := range s.st.pageAtts[p.ID] {
			ds = append(ds, attachmentDoc(p, at, ""))
		}
	case p != nil && p.kind == kindBlogPost:
	case p != nil || n != nil && canSee(a, n.SpaceKey):
		for _, c := range s.treeKids(id) {
			switch {
			case c.page != nil && typ == "page" && c.page.Status == "current":
				ds = append(ds, pageDoc(c.page))
			case c.node != nil && c.node.Type == typ && c.node.Status == "current":
				ds = append(ds, nodeDoc(c.node))
			}
		}
	default:
		v1NotFound(w, id)
		return
	}
	s.writeV1List(w, r, len(ds), 25, 250, func(i int) any { return s.v1Content(r, ds[i], e) })
}

// v1Labels is GET /wiki/rest/api/content/{id}/label (default and most 200 a page).
func (s *Server) v1Labels(w http.ResponseWriter, r *http.Request, a *Account) {
	p := s.st.visibleContent(a, r.PathValue("id"))
	if p == nil {
		v1NotFound(w, r.PathValue("id"))
		return
	}
	labels := p.Labels
	if pre := r.URL.Query().Get("prefix"); pre != "" && pre != "global" {
		labels = nil
	}
	s.writeV1List(w, r, len(labels), 200, 200, func(i int) any {
		return map[string]any{"prefix": "global", "name": labels[i], "id": s.st.labelID(labels[i]), "label": labels[i]}
	})
}

// v1Versions is GET /wiki/rest/api/content/{id}/version: newest first, default 200 a page.
func (s *Server) v1Versions(w http.ResponseWriter, r *http.Request, a *Account) {
	p := s.st.visibleContent(a, r.PathValue("id"))
	if p == nil {
		v1NotFound(w, r.PathValue("id"))
		return
	}
	vs := slices.Clone(p.Versions)
	slices.Reverse(vs)
	s.writeV1List(w, r, len(vs), 200, 200, func(i int) any { return s.v1Version(r, p.ID, vs[i]) })
}

// v1VersionN is GET /wiki/rest/api/content/{id}/version/{n}.
func (s *Server) v1VersionN(w http.ResponseWriter, r *http.Request, a *Account) {
	p := s.st.visibleContent(a, r.PathValue("id"))
	n, err := strconv.Atoi(r.PathValue("n"))
	if p == nil || err != nil {
		v1NotFound(w, r.PathValue("id"))
		return
	}
	i := slices.IndexFunc(p.Versions, func(v Version) bool { return v.Number == n })
	if i < 0 {
		v1Error(w, http.StatusNotFound, fmt.Sprintf("Version %d of content %s not found", n, p.ID))
		return
	}
	writeJSON(w, http.StatusOK, s.v1Version(r, p.ID, p.Versions[i]))
}

// v1History is GET /wiki/rest/api/content/{id}/history.
func (s *Server) v1History(w http.ResponseWriter, r *http.Request, a *Account) {
	p := s.st.visibleContent(a, r.PathValue("id"))
	if p == nil {
		v1NotFound(w, r.PathValue("id"))
		return
	}
	h := map[string]any{
		"latest": true, "createdBy": s.v1User(p.AuthorID), "createdDate": ts(p.CreatedAt),
		"_links": map[string]any{"self": s.base(r) + "/rest/api/content/" + p.ID + "/history", "base": s.base(r), "context": "/wiki"},
	}
	if parseExpand(multi(r, "expand")).has("lastUpdated") {
		h["lastUpdated"] = s.v1Version(r, p.ID, p.current())
	}
	writeJSON(w, http.StatusOK, h)
}
