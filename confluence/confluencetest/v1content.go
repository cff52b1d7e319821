package confluencetest

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// expansion is a parsed v1 `expand` list: "a.b,a.c" -> {a: {b: {}, c: {}}}.
type expansion map[string]expansion

func parseExpand(list []string) expansion {
	e := expansion{}
	for _, item := range list {
		cur := e
		for _, part := range strings.Split(strings.TrimSpace(item), ".") {
			if part == "" {
				break
			}
			if cur[part] == nil {
				cur[part] = expansion{}
			}
			cur = cur[part]
		}
	}
	return e
}

func (e expansion) has(k string) bool { _, ok := e[k]; return ok }

// bodyCap is the v1 search limit cap the expansion imposes: 25 with
// export_view/styled_view bodies, 50 with any other body, else 250.
func (e expansion) bodyCap() int {
	c := 250
	var walk func(x expansion)
	walk = func(x expansion) {
		for k, sub := range x {
			if k == "body" {
				c = min(c, 50)
				if sub.has("export_view") || sub.has("styled_view") {
					c = min(c, 25)
				}
			}
			walk(sub)
		}
	}
	walk(e)
	return c
}

func friendly(d interface{ Format(string) string }) string { return d.Format("Jan 02, 2006") }

// v1User is the v1 user object of a version or history.
func (s *Server) v1User(id string) map[string]any {
	u := s.st.users[id]
	if u == nil {
		u = &User{AccountID: id, DisplayName: id}
	}
	return map[string]any{
		"type": "known", "accountId": u.AccountID, "accountType": "atlassian", "email": u.Email,
		"publicName": u.DisplayName, "displayName": u.DisplayName, "isExternalCollaborator": false,
		"profilePicture": map[string]any{"path": "/wiki/aa-avatar/" + u.AccountID, "width": 48, "height": 48, "isDefault": false},
		"_expandable":    map[string]any{"operations": "", "personalSpace": ""},
	}
}

func (s *Server) v1Space(r *http.Request, sp *Space) map[string]any {
	n, _ := strconv.ParseInt(sp.ID, 10, 64)
	return map[string]any{
		"id": n, "key": sp.Key, "name": sp.Name, "type": sp.Type, "status": sp.Status,
		"_expandable": map[string]any{"settings": "", "metadata": "", "operations": "", "lookAndFeel": "", "identifiers": "",
			"permissions": "", "icon": "", "description": "", "theme": "", "history": "", "homepage": "/rest/api/content/" + sp.HomepageID},
		"_links": map[string]any{"webui": "/spaces/" + sp.Key, "self": s.base(r) + "/rest/api/space/" + sp.Key},
	}
}

func (s *Server) v1Version(r *http.Request, id string, v Version) map[string]any {
	return map[string]any{
		"by": s.v1User(v.AuthorID), "when": ts(v.CreatedAt), "friendlyWhen": friendly(v.CreatedAt),
		"message": v.Message, "number": v.Number, "minorEdit": v.MinorEdit,
		"confRev": "confluence$content$" + id + "." + strconv.Itoa(v.Number), "contentTypeModified": false,
		"_expandable": map[string]any{"collaborators": "", "content": "/rest/api/content/" + id},
		"_links":      map[string]any{"self": s.base(r) + "/rest/api/content/" + id + "/version/" + strconv.Itoa(v.Number)},
	}
}

// v1Body renders body.* expansions of a storage body.
func (s *Server) v1Body(e expansion, id, storage, pageID, spaceKey string) map[string]any {
	b := map[string]any{}
	exp := map[string]any{}
	for _, f := range []string{"storage", "view", "export_view", "styled_view", "atlas_doc_format", "editor", "editor2", "dynamic", "anonymous_export_view"} {
		if f == "atlas_doc_format" && s.Flavor() == FlavorDataCenter {
			continue // Data Center has no ADF: the expansion names nothing there
		}
		if !e.has(f) {
			exp[f] = ""
			continue
		}
		v := s.bodyJSON(f, storage, pageID, spaceKey)[f].(map[string]any)
		v["embeddedContent"] = []any{}
		v["_expandable"] = map[string]any{"content": "/rest/api/content/" + id}
		b[f] = v
	}
	b["_expandable"] = exp
	return b
}

// v1Content renders a search document as a v1 Content object with the
// expansions in e.
func (s *Server) v1Content(r *http.Request, d *doc, e expansion) map[string]any {
	if d.node != nil {
		return s.v1NodeContent(r, d.node, e)
	}
	id := d.ID()
	p := d.page
	status := "current"
	m := map[string]any{
		"id": id, "type": d.kind, "status": status, "title": d.Title(),
		"childTypes": map[string]any{}, "macroRenderedOutput": map[string]any{}, "restrictions": map[string]any{},
	}
	expandable := map[string]any{
		"container": "/rest/api/space/" + p.SpaceKey, "metadata": "", "extensions": "", "operations": "",
		"children": "/rest/api/content/" + id + "/child", "history": "/rest/api/content/" + id + "/history",
		"ancestors": "", "body": "", "version": "", "descendants": "/rest/api/content/" + id + "/descendant",
		"space": "/rest/api/space/" + p.SpaceKey,
	}
	links := map[string]any{"self": s.base(r) + "/rest/api/content/" + id}
	var v Version
	var storage string
	switch d.kind {
	case "page", kindBlogPost:
		v, storage = p.current(), p.current().Body
		links["webui"] = webPath(p)
		links["tinyui"] = TinyUI(p.ID)
		if d.kind == "page" {
			links["edituiv2"] = "/spaces/" + p.SpaceKey + "/pages/edit-v2/" + p.ID
			m["extensions"] = map[string]any{"position": p.Position}
			delete(expandable, "extensions")
		}
	case "comment":
		c := d.comment
		v, storage = Version{Number: 1, AuthorID: c.AuthorID, CreatedAt: c.CreatedAt}, c.Body
		links["webui"] = webPath(p) + "?focusedCommentId=" + c.ID
		m["extensions"] = s.commentExtensions(c, e["extensions"])
		delete(expandable, "extensions")
		m["container"] = map[string]any{"id": p.ID, "type": p.kind, "status": p.Status, "title": p.Title}
		delete(expandable, "container")
		if c.ParentID != "" && e.has("ancestors") {
			var anc []any
			for pid := c.ParentID; pid != ""; {
				pc := s.st.comments[pid]
				if pc == nil {
					break
				}
				anc = append([]any{map[string]any{"id": pc.ID, "type": "comment", "status": "current", "title": "Re: " + p.Title}}, anc...)
				pid = pc.ParentID
			}
			m["ancestors"] = anc
			delete(expandable, "ancestors")
		}
	case "attachment":
		a := d.att
		v = Version{Number: a.Version, AuthorID: a.AuthorID, CreatedAt: a.CreatedAt}
		links["webui"] = "/pages/viewpageattachments.action?pageId=" + p.ID + "&preview=" + url.QueryEscape("/"+p.ID+"/"+a.ID+"/"+a.Title)
		// The same link as the v2 attachment's (version, modificationDate, api=v2).
		links["download"] = s.attachmentJSON(r, a, p, false)["_links"].(map[string]any)["download"]
		m["extensions"] = map[string]any{"mediaType": a.MediaType, "fileSize": len(a.Content), "comment": a.Comment,
			"mediaTypeDescription": mediaDescription(a.MediaType), "fileId": s.fileID(a)}
		m["metadata"] = map[string]any{"mediaType": a.MediaType, "comment": a.Comment}
		delete(expandable, "extensions")
		m["container"] = map[string]any{"id": p.ID, "type": p.kind, "status": p.Status, "title": p.Title}
		delete(expandable, "container")
	}
	if e.has("space") {
		m["space"] = s.v1Space(r, p.space)
		delete(expandable, "space")
	}
	if e.has("container") && d.isContent() {
		m["container"] = s.v1Space(r, p.space)
		delete(expandable, "container")
	}
	if e.has("version") {
		m["version"] = s.v1Version(r, id, v)
		delete(expandable, "version")
	}
	if e.has("history") {
		h := map[string]any{
			"latest": true, "createdBy": s.v1User(d.Creator()), "createdDate": ts(d.Created()),
			"_links": map[string]any{"self": s.base(r) + "/rest/api/content/" + id + "/history"},
		}
		if e["history"].has("lastUpdated") {
			h["lastUpdated"] = s.v1Version(r, id, v)
		}
		m["history"] = h
		delete(expandable, "history")
	}
	if e.has("body") {
		m["body"] = s.v1Body(e["body"], id, storage, p.ID, p.SpaceKey)
		delete(expandable, "body")
	}
	if e.has("ancestors") && d.isContent() {
		anc := []any{}
		for _, aid := range p.anc {
			if ap := s.st.pages[aid]; ap != nil {
				anc = append(anc, s.v1Content(r, pageDoc(ap), nil))
			} else if n := s.st.nodes[aid]; n != nil {
				anc = append(anc, s.v1NodeContent(r, n, nil))
			}
		}
		m["ancestors"] = anc
		delete(expandable, "ancestors")
	}
	if e.has("metadata") {
		md, _ := m["metadata"].(map[string]any)
		if md == nil {
			md = map[string]any{}
		}
		if e["metadata"].has("labels") {
			res := []any{}
			for _, l := range d.Labels() {
				res = append(res, map[string]any{"prefix": "global", "name": l, "id": s.st.labelID(l), "label": l})
			}
			md["labels"] = map[string]any{"results": res, "start": 0, "limit": 200, "size": len(res),
				"_links": map[string]any{"self": s.base(r) + "/rest/api/content/" + id + "/label"}}
		}
		md["_expandable"] = map[string]any{"currentuser": "", "comments": "", "simple": "", "properties": "", "frontend": "", "likes": ""}
		m["metadata"] = md
		delete(expandable, "metadata")
	}
	if e.has("children") && (d.isContent() || d.kind == "comment") {
		m["children"] = s.v1Children(r, d, e["children"])
		delete(expandable, "children")
	}
	m["_expandable"] = expandable
	m["_links"] = links
	return m
}

// childLimit is the size of an expanded children.* collection.
const childLimit = 25

func (s *Server) v1Children(r *http.Request, parent *doc, e expansion) map[string]any {
	p, id := parent.page, parent.ID()
	out := map[string]any{}
	coll := func(kind string, ds []*doc) map[string]any {
		res := []any{}
		for i, d := range ds {
			if i == childLimit {
				break
			}
			res = append(res, s.v1Content(r, d, e[kind]))
		}
		links := map[string]any{"self": s.base(r) + "/rest/api/content/" + id + "/child/" + kind}
		if len(ds) > childLimit {
			links["next"] = "/rest/api/content/" + id + "/child/" + kind + "?limit=25&start=25"
		}
		return map[string]any{"results": res, "start": 0, "limit": childLimit, "size": len(res), "_links": links}
	}
	if e.has("page") && parent.kind == "page" {
		var ds []*doc
		for _, c := range s.kids(p) {
			if c.Status == "current" {
				ds = append(ds, pageDoc(c))
			}
		}
		out["page"] = coll("page", ds)
	}
	if e.has("comment") {
		// A page's comments are its top-level ones; a comment's are its direct replies.
		cs := s.st.pageCmts[p.ID]
		if parent.kind == "comment" {
			cs = s.st.replies[parent.comment.ID]
		}
		out["comment"] = coll("comment", s.commentsOnly(p, cs, nil))
	}
	if e.has("attachment") {
		var ds []*doc
		if parent.isContent() { // pages and blog posts have attachments
			for _, a := range s.st.pageAtts[p.ID] {
				ds = append(ds, attachmentDoc(p, a, ""))
			}
		}
		out["attachment"] = coll("attachment", ds)
	}
	s.v1NodeChildren(r, p.ID, e, out)
	return out
}
