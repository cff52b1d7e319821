package confluencetest

import (
	"cmp"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// pageFilter is the common filter of the page list endpoints.
type pageFilter struct {
	spaceIDs []string // nil: any space
	statuses []string
	title    *string
	body     string
	sortBy   string
}

var pageSorts = []string{"id", "-id", "created-date", "-created-date", "modified-date", "-modified-date", "title", "-title"}

// pageFilter reads the filter parameters of a page list (space-id too when
// bySpace: the endpoints that are not below one space), writing the 400 and
// reporting false for a bad value.
func (s *Server) pageFilter(w http.ResponseWriter, r *http.Request, bySpace bool) (pageFilter, bool) {
	q := r.URL.Query()
	f := pageFilter{statuses: multi(r, "status"), body: single(r, "body-format"), sortBy: single(r, "sort")}
	if bySpace {
		ids, ok := multiParam(w, r, "space-id", 100)
		if !ok {
			return f, false
		}
		f.spaceIDs = ids
	}
	statusType, allowed, def := "PageStatus", []string{"current", "archived", "deleted", "trashed"}, []string{"current", "archived"}
	if isBlogRoute(r) {
		statusType, allowed, def = "BlogPostStatus", blogStatuses, []string{"current"}
	}
	if !enumParam(w, "status", statusType, f.statuses, allowed) {
		return f, false
	}
	if len(f.statuses) == 0 {
		f.statuses = def
	}
	if f.body != "" && !enumParam(w, "body-format", "PrimaryBodyRepresentation", []string{f.body}, []string{"storage", "atlas_doc_format"}) {
		return f, false
	}
	if f.sortBy != "" && !enumParam(w, "sort", "PageSortOrder", []string{f.sortBy}, pageSorts) {
		return f, false
	}
	if _, ok := q["title"]; ok {
		t := q.Get("title")
		f.title = &t
	}
	return f, true
}

func (f pageFilter) match(p *pageRec) bool {
	if len(f.spaceIDs) > 0 && !slices.Contains(f.spaceIDs, p.space.ID) {
		return false
	}
	if !slices.Contains(f.statuses, p.Status) {
		return false
	}
	if f.title != nil && (*f.title == "" || !strings.EqualFold(*f.title, p.Title)) {
		return false
	}
	return true
}

// writePages writes the pages of from that f and keep accept, in f's
// order, as a v2 page list.
func (s *Server) writePages(w http.ResponseWriter, r *http.Request, f pageFilter, from []*pageRec, keep func(*pageRec) bool) {
	var out []*pageRec
	for _, p := range from {
		if f.match(p) && keep(p) {
			out = append(out, p)
		}
	}
	sortPages(out, f.sortBy)
	s.writeV2List(w, r, len(out), 25, func(i int) any { return s.pageJSON(r, out[i], out[i].current(), f.body, false) })
}

func sortPages(ps []*pageRec, sortBy string) {
	desc := strings.HasPrefix(sortBy, "-")
	slices.SortStableFunc(ps, func(x, y *pageRec) int {
		var c int
		switch strings.TrimPrefix(sortBy, "-") {
		case "created-date":
			c = x.CreatedAt.Compare(y.CreatedAt)
		case "modified-date":
			c = x.current().CreatedAt.Compare(y.current().CreatedAt)
		case "title":
			c = strings.Compare(strings.ToLower(x.Title), strings.ToLower(y.Title))
		case "child-position":
			c = cmp.Compare(x.Position, y.Position)
		}
		c = cmp.Or(c, lessID(x.ID, y.ID))
		if desc {
			return -c
		}
		return c
	})
}

func (s *Server) listPages(w http.ResponseWriter, r *http.Request, a *Account) {
	ids, ok := multiParam(w, r, "id", 250)
	if !ok {
		return
	}
	f, ok := s.pageFilter(w, r, true)
	if !ok {
		return
	}
	out, find := s.st.pageOrder, s.st.visiblePage
	if isBlogRoute(r) { // GET /blogposts
		out, find = s.st.blogOrder, s.st.visibleBlogPost
	}
	if len(ids) > 0 {
		out = s.st.byIDs(ids, func(id string) *pageRec { return find(a, id) })
	}
	s.writePages(w, r, f, out, func(p *pageRec) bool { return canSee(a, p.SpaceKey) })
}

// byIDs returns what find finds for each of ids, once each, in the order asked (a list's id filter).
func (st *store) byIDs(ids []string, find func(id string) *pageRec) []*pageRec {
	var out []*pageRec
	seen := map[string]bool{}
	for _, id := range ids {
		if p := find(id); p != nil && !seen[id] {
			seen[id] = true
			out = append(out, p)
		}
	}
	return out
}

// versionJSON is the v2 version object.
func versionJSON(v Version) map[string]any {
	return map[string]any{
		"createdAt": ts(v.CreatedAt), "message": v.Message, "number": v.Number,
		"minorEdit": v.MinorEdit, "authorId": v.AuthorID, "ncsStepVersion": strconv.Itoa(v.Number),
	}
}

func pageLinks(p *pageRec) map[string]any {
	if p.kind == kindBlogPost {
		return map[string]any{"webui": blogPath(p), "editui": "/pages/resumedraft.action?draftId=" + p.ID, "tinyui": TinyUI(p.ID)}
	}
	return map[string]any{
		"webui":    webPath(p),
		"editui":   "/pages/resumedraft.action?draftId=" + p.ID,
		"edituiv2": "/spaces/" + p.SpaceKey + "/pages/edit-v2/" + p.ID,
		"tinyui":   TinyUI(p.ID),
	}
}

// bodyJSON is {format: {representation, value}} for a storage body, or {}.
func (s *Server) bodyJSON(format, storage, pageID, spaceKey string) map[string]any {
	if format == "" {
		return map[string]any{}
	}
	var v string
	switch format {
	case "storage", "editor":
		v = storage
	case "atlas_doc_format":
		v = adfFromStorage(storage)
	default: // view, export_view, anonymous_export_view, styled_view
		v = s.renderView(storage, pageID, spaceKey)
	}
	return map[string]any{format: map[string]any{"representation": format, "value": v}}
}

func (s *Server) renderView(storage, pageID, spaceKey string) string {
	rd := &renderer{
		pageID: pageID, spaceKey: spaceKey,
		userName: func(id string) string {
			if u := s.st.users[id]; u != nil {
				return u.DisplayName
			}
			return ""
		},
		blogHref: func(key, title string) string {
			for _, p := range s.st.blogOrder {
				if strings.EqualFold(p.SpaceKey, key) && p.Title == title {
					return "/wiki" + blogPath(p)
				}
			}
			return ""
		},
		pageHref: func(key, title string) string {
			for _, p := range s.st.pageOrder {
				if strings.EqualFold(p.SpaceKey, key) && p.Title == title {
					return "/wiki/spaces/" + p.SpaceKey + "/pages/" + p.ID + "/" + slug(p.Title)
				}
			}
			return "/wiki/display/" + key + "/" + slug(title)
		},
		attachHref: func(pageID, name string) string {
			return "/wiki/download/attachments/" + pageID + "/" + strings.ReplaceAll(slug(name), "+", "%20")
		},
	}
	return rd.render(storage)
}

// pageJSON renders a page at version v (PageBulk, or PageSingle if single).
func (s *Server) pageJSON(r *http.Request, p *pageRec, v Version, format string, single bool) map[string]any {
	title := cmpOr(v.Title, p.Title)
	var parentID, parentType, position any
	if p.ParentID != "" {
		parentID, parentType = p.ParentID, cmpOr(s.st.kindOf(p.ParentID), "page")
	}
	position = p.Position
	if p.Status == "trashed" {
		parentID, parentType, position = nil, nil, nil
	}
	links := pageLinks(p)
	m := map[string]any{
		"id": p.ID, "status": p.Status, "title": title, "spaceId": p.space.ID,
		"parentId": parentID, "parentType": parentType, "position": position,
		"authorId": p.AuthorID, "ownerId": p.AuthorID, "lastOwnerId": nil,
		"createdAt": ts(p.CreatedAt), "version": versionJSON(v),
		"body": s.bodyJSON(format, v.Body, p.ID, p.SpaceKey), "_links": links,
	}
	self := "/wiki/api/v2/pages/" + p.ID
	if p.kind == kindBlogPost {
		asBlogPost(m)
		self = "/wiki/api/v2/blogposts/" + p.ID
	}
	if !single {
		return m
	}
	links["base"] = s.base(r)
	q := r.URL.Query()
	if q.Get("include-version") == "false" {
		delete(m, "version")
	}
	if q.Get("include-labels") == "true" {
		var res []any
		for _, l := range p.Labels {
			res = append(res, s.labelJSON(l))
		}
		m["labels"] = capped(res, self+"/labels")
	}
	if q.Get("include-versions") == "true" {
		var res []any
		for i := len(p.Versions) - 1; i >= 0; i-- {
			res = append(res, versionJSON(p.Versions[i]))
		}
		m["versions"] = capped(res, self+"/versions")
	}
	return m
}

func (s *Server) labelJSON(name string) map[string]any {
	return map[string]any{"id": s.st.labelID(name), "name": name, "prefix": "global"}
}

// findPage resolves {id} to a visible page (a blog post on a /blogposts route) or writes the 404.
func (s *Server) findPage(w http.ResponseWriter, r *http.Request, a *Account) *pageRec {
	id := r.PathValue("id")
	if isBlogRoute(r) {
		p := s.st.visibleBlogPost(a, id)
		if p == nil {
			v2Error(w, http.StatusNotFound, "NOT_FOUND", fmt.Sprintf("Cannot find a blog post with id [%s]", id), nil)
		}
		return p
	}
	p := s.st.visiblePage(a, id)
	if p == nil {
		v2Error(w, http.StatusNotFound, "NOT_FOUND", fmt.Sprintf("Cannot find a page with id [%s]", id), nil)
	}
	return p
}

var singleBodyFormats = []string{"storage", "atlas_doc_format", "view", "export_view", "anonymous_export_view", "styled_view", "editor"}

func (s *Server) getPage(w http.ResponseWriter, r *http.Request, a *Account) {
	q := r.URL.Query()
	format := single(r, "body-format")
	if format != "" && !enumParam(w, "body-format", "PrimaryBodyRepresentationSingle", []string{format}, singleBodyFormats) {
		return
	}
	statuses := multi(r, "status")
	if !enumParam(w, "status", "PageStatus", statuses, []string{"current", "archived", "trashed", "deleted", "historical", "draft"}) {
		return
	}
	p := s.findPage(w, r, a)
	if p == nil {
		return
	}
	if len(statuses) > 0 && !slices.Contains(statuses, p.Status) {
		v2Error(w, http.StatusNotFound, "NOT_FOUND", fmt.Sprintf("Cannot find a page with id [%s]", p.ID), nil)
		return
	}
	v := p.current()
	if vs := q.Get("version"); vs != "" {
		n, err := strconv.Atoi(vs)
		if err != nil {
			v2BadParam(w, fmt.Sprintf("Provided value {%s} for 'version' is not the correct type. Expected type is int", vs), nil)
			return
		}
		i := slices.IndexFunc(p.Versions, func(v Version) bool { return v.Number == n })
		if i < 0 {
			v2Error(w, http.StatusNotFound, "NOT_FOUND", fmt.Sprintf("Cannot find version [%d] of page with id [%s]", n, p.ID), nil)
			return
		}
		v = p.Versions[i]
	}
	writeJSON(w, http.StatusOK, s.pageJSON(r, p, v, format, true))
}

func (s *Server) pageLabels(w http.ResponseWriter, r *http.Request, a *Account) {
	prefixes := multi(r, "prefix")
	if !enumParam(w, "prefix", "LabelPrefix", prefixes, []string{"my", "team", "global", "system"}) {
		return
	}
	p := s.findPage(w, r, a)
	if p == nil {
		return
	}
	labels := p.Labels
	if len(prefixes) > 0 && !slices.Contains(prefixes, "global") {
		labels = nil
	}
	s.writeV2List(w, r, len(labels), 25, func(i int) any { return s.labelJSON(labels[i]) })
}

func (s *Server) pageVersions(w http.ResponseWriter, r *http.Request, a *Account) {
	q := r.URL.Query()
	format, sortBy := q.Get("body-format"), q.Get("sort")
	if format != "" && !enumParam(w, "body-format", "PrimaryBodyRepresentation", []string{format}, []string{"storage", "atlas_doc_format"}) {
		return
	}
	if sortBy != "" && !enumParam(w, "sort", "VersionSortOrder", []string{sortBy}, []string{"modified-date", "-modified-date"}) {
		return
	}
	p := s.findPage(w, r, a)
	if p == nil {
		return
	}
	vs := slices.Clone(p.Versions)
	if sortBy != "modified-date" {
		slices.Reverse(vs)
	}
	s.writeV2List(w, r, len(vs), 25, func(i int) any {
		v := vs[i]
		page := map[string]any{"id": p.ID, "title": cmpOr(v.Title, p.Title)}
		if format != "" {
			page["body"] = s.bodyJSON(format, v.Body, p.ID, p.SpaceKey)
		}
		m := versionJSON(v)
		delete(m, "ncsStepVersion")
		if p.kind == kindBlogPost {
			m["blogpost"] = page
		} else {
			m["page"] = page
		}
		return m
	})
}

func (s *Server) pageVersion(w http.ResponseWriter, r *http.Request, a *Account) {
	p := s.findPage(w, r, a)
	if p == nil {
		return
	}
	n, err := strconv.Atoi(r.PathValue("n"))
	i := slices.IndexFunc(p.Versions, func(v Version) bool { return v.Number == n })
	if err != nil || i < 0 {
		v2Error(w, http.StatusNotFound, "NOT_FOUND", fmt.Sprintf("Cannot find version [%s] of page with id [%s]", r.PathValue("n"), p.ID), nil)
		return
	}
	v := p.Versions[i]
	// DetailedVersion (v2 OpenAPI): prevVersion and nextVersion are the
	// neighbouring version numbers as integers; both are optional, and absent
	// here when there is no such version.
	out := map[string]any{
		"number": v.Number, "authorId": v.AuthorID, "message": v.Message, "createdAt": ts(v.CreatedAt),
		"minorEdit": v.MinorEdit, "contentTypeModified": false, "collaborators": []string{v.AuthorID},
	}
	if i > 0 {
		out["prevVersion"] = p.Versions[i-1].Number
	}
	if i+1 < len(p.Versions) {
		out["nextVersion"] = p.Versions[i+1].Number
	}
	writeJSON(w, http.StatusOK, out)
}
