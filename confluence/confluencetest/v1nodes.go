package confluencetest

import (
	"net/http"
	"strconv"

	"github.com/confluence-graph/confluence-graph/cql"
)

// fullText reports whether x has a text ~ or siteSearch ~ clause. Full text never finds a
// folder, whiteboard, database or embed on Cloud (they have no body), so a query with one leaves
// them out whatever else it says.
func fullText(x cql.Expr) bool {
	switch x := x.(type) {
	case *cql.BinaryExpr:
		return fullText(x.X) || fullText(x.Y)
	case *cql.NotExpr:
		return fullText(x.X)
	case *cql.Clause:
		return x.Field == "text" || x.Field == "siteSearch"
	}
	return false
}

// v1ChildKinds are the child collections of v1 `children` (its
// _expandable keys).
var v1ChildKinds = []string{"page", "comment", "attachment", "whiteboard", "database", "embed", "folder"}

// v1NodeContent renders a folder, whiteboard, database or embed as a v1
// Content object with the expansions in e: type is the kind, the child
// position sits in extensions like a page's, and there is no body.
func (s *Server) v1NodeContent(r *http.Request, n *nodeRec, e expansion) map[string]any {
	m := map[string]any{
		"id": n.ID, "type": n.Type, "status": n.Status, "title": n.Title,
		"childTypes": map[string]any{}, "macroRenderedOutput": map[string]any{}, "restrictions": map[string]any{},
		"extensions": map[string]any{"position": n.Position},
	}
	expandable := map[string]any{
		"container": "/rest/api/space/" + n.SpaceKey, "metadata": "", "operations": "",
		"children": "/rest/api/content/" + n.ID + "/child", "history": "/rest/api/content/" + n.ID + "/history",
		"ancestors": "", "body": "", "version": "", "descendants": "/rest/api/content/" + n.ID + "/descendant",
		"space": "/rest/api/space/" + n.SpaceKey,
	}
	links := nodeLinks(n)
	delete(links, "editui")
	links["self"] = s.base(r) + "/rest/api/content/" + n.ID
	v := Version{Number: 1, AuthorID: n.AuthorID, CreatedAt: n.CreatedAt}
	if e.has("space") {
		m["space"] = s.v1Space(r, n.space)
		delete(expandable, "space")
	}
	if e.has("container") {
		m["container"] = s.v1Space(r, n.space)
		delete(expandable, "container")
	}
	if e.has("version") {
		m["version"] = s.v1Version(r, n.ID, v)
		delete(expandable, "version")
	}
	if e.has("history") {
		m["history"] = map[string]any{"latest": true, "createdBy": s.v1User(n.AuthorID), "createdDate": ts(n.CreatedAt),
			"_links": map[string]any{"self": s.base(r) + "/rest/api/content/" + n.ID + "/history"}}
		delete(expandable, "history")
	}
	if e.has("ancestors") {
		anc := []any{}
		for _, aid := range n.anc {
			if ap := s.st.pages[aid]; ap != nil {
				anc = append(anc, s.v1Content(r, pageDoc(ap), nil))
			} else if an := s.st.nodes[aid]; an != nil {
				anc = append(anc, s.v1NodeContent(r, an, nil))
			}
		}
		m["ancestors"] = anc
		delete(expandable, "ancestors")
	}
	if e.has("children") {
		out := map[string]any{}
		if e["children"].has("page") {
			var ds []*doc
			for _, c := range s.treeKids(n.ID) {
				if c.page != nil && c.page.Status == "current" {
					ds = append(ds, pageDoc(c.page))
				}
			}
			out["page"] = s.v1ChildCollection(r, n.ID, "page", ds, e["children"]["page"])
		}
		s.v1NodeChildren(r, n.ID, e["children"], out)
		m["children"] = out
		delete(expandable, "children")
	}
	m["_expandable"] = expandable
	m["_links"] = links
	return m
}

// v1NodeChildren adds the expanded folder, whiteboard, database and embed
// collections under parentID to out, and out's _expandable (the
// collections not expanded).
func (s *Server) v1NodeChildren(r *http.Request, parentID string, e expansion, out map[string]any) {
	for _, kind := range []string{KindWhiteboard, KindDatabase, KindEmbed, KindFolder} {
		if !e.has(kind) {
			continue
		}
		var ds []*doc
		for _, c := range s.treeKids(parentID) {
			if c.node != nil && c.node.Type == kind && c.node.Status == "current" {
				ds = append(ds, nodeDoc(c.node))
			}
		}
		out[kind] = s.v1ChildCollection(r, parentID, kind, ds, e[kind])
	}
	exp := map[string]any{}
	for _, k := range v1ChildKinds {
		if _, done := out[k]; !done {
			exp[k] = ""
		}
	}
	out["_expandable"] = exp
}

// v1ChildCollection is one expanded v1 child collection: at most childLimit
// items with a next link when there are more.
func (s *Server) v1ChildCollection(r *http.Request, parentID, kind string, ds []*doc, e expansion) map[string]any {
	res := []any{}
	for i, d := range ds {
		if i == childLimit {
			break
		}
		res = append(res, s.v1Content(r, d, e))
	}
	links := map[string]any{"self": s.base(r) + "/rest/api/content/" + parentID + "/child/" + kind}
	if len(ds) > childLimit {
		links["next"] = "/rest/api/content/" + parentID + "/child/" + kind + "?limit=" + strconv.Itoa(childLimit) + "&start=" + strconv.Itoa(childLimit)
	}
	return map[string]any{"results": res, "start": 0, "limit": childLimit, "size": len(res), "_links": links}
}
