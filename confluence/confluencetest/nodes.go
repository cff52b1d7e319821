package confluencetest

import (
	"cmp"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Node kinds: the content tree's kinds other than page. Cloud's v2 API
// serves each on its own route family (/folders, /whiteboards, /databases,
// /embeds), with the same core shape.
const (
	KindFolder     = "folder"
	KindWhiteboard = "whiteboard"
	KindDatabase   = "database"
	KindEmbed      = "embed"
)

// handler is a route's handler.
type handler = func(w http.ResponseWriter, r *http.Request, a *Account)

// nodeKinds maps each node kind to its v2 route segment and read scope.
var nodeKinds = map[string]struct{ plural, scope string }{
	KindFolder:     {"folders", scopeFolder},
	KindWhiteboard: {"whiteboards", scopeWhiteboard},
	KindDatabase:   {"databases", scopeDatabase},
	KindEmbed:      {"embeds", scopeEmbed},
}

// Node is a folder, whiteboard, database or embed in a space's content
// tree. ParentID names a page or another node ("" for the space root).
// Zero fields take defaults like a Page's: Status "current", CreatedAt the
// server's clock.
type Node struct {
	ID        string    `json:"id"`
	Type      string    `json:"type"` // folder, whiteboard, database or embed
	SpaceKey  string    `json:"spaceKey"`
	Title     string    `json:"title"`
	Status    string    `json:"status,omitempty"` // current (default), archived, trashed
	ParentID  string    `json:"parentId,omitempty"`
	Position  int       `json:"position,omitempty"`
	AuthorID  string    `json:"authorId,omitempty"`
	CreatedAt time.Time `json:"createdAt,omitzero"`
	// EmbedURL is the link an embed (Smart Link) shows.
	EmbedURL string `json:"embedUrl,omitempty"`
}

// nodeRec is a node with its space and ancestors (root first).
type nodeRec struct {
	*Node
	space *Space
	anc   []string
}

// treeItem is one entry of the content tree: a page or a node.
type treeItem struct {
	page *pageRec
	node *nodeRec
}

func (t treeItem) id() string {
	if t.page != nil {
		return t.page.ID
	}
	return t.node.ID
}

func (t treeItem) kind() string {
	if t.page != nil {
		return "page"
	}
	return t.node.Type
}

func (t treeItem) title() string {
	if t.page != nil {
		return t.page.Title
	}
	return t.node.Title
}

func (t treeItem) status() string {
	if t.page != nil {
		return t.page.Status
	}
	return t.node.Status
}

func (t treeItem) position() int {
	if t.page != nil {
		return t.page.Position
	}
	return t.node.Position
}

func (t treeItem) parentID() string {
	if t.page != nil {
		return t.page.ParentID
	}
	return t.node.ParentID
}

// seedNodes merges nodes into the store (reindex links them).
func (st *store) seedNodes(nodes []Node, now time.Time) []error {
	var errs []error
	for _, n := range nodes {
		if _, ok := nodeKinds[n.Type]; !ok || n.ID == "" || n.SpaceKey == "" {
			errs = append(errs, fmt.Errorf("confluencetest: node %q needs id, spaceKey and a type of folder, whiteboard, database or embed", n.Title))
			continue
		}
		n.Status = cmp.Or(n.Status, "current")
		if n.CreatedAt.IsZero() {
			n.CreatedAt = now
		}
		st.nodes[n.ID] = &nodeRec{Node: &n}
	}
	return errs
}

// indexNodes links nodes to their spaces and builds the mixed content tree
// (st.tree) and the nodes' ancestors. Trashed content leaves the tree.
func (st *store) indexNodes() error {
	var errs []error
	st.tree = map[string][]treeItem{}
	for id, n := range st.nodes {
		n.space = st.spaceByKey[strings.ToLower(n.SpaceKey)]
		if n.space == nil {
			errs = append(errs, fmt.Errorf("confluencetest: node %s: unknown space %q", id, n.SpaceKey))
			delete(st.nodes, id)
		}
	}
	exists := func(id string) bool { return st.pages[id] != nil || st.nodes[id] != nil }
	for _, p := range st.pageOrder {
		if p.ParentID != "" && exists(p.ParentID) && p.Status != "trashed" {
			st.tree[p.ParentID] = append(st.tree[p.ParentID], treeItem{page: p})
		}
	}
	for _, n := range st.nodes {
		if n.ParentID != "" && exists(n.ParentID) && n.Status != "trashed" {
			st.tree[n.ParentID] = append(st.tree[n.ParentID], treeItem{node: n})
		}
		n.anc = st.ancestorsOf(n.ID, n.ParentID)
	}
	for _, items := range st.tree {
		slices.SortFunc(items, func(a, b treeItem) int {
			return cmp.Or(cmp.Compare(a.position(), b.position()), lessID(a.id(), b.id()))
		})
	}
	return errors.Join(errs...)
}

// parentOf returns the parent id of a page or node ("" when none or unknown).
func (st *store) parentOf(id string) (string, bool) {
	if p := st.pages[id]; p != nil {
		return p.ParentID, true
	}
	if n := st.nodes[id]; n != nil {
		return n.ParentID, true
	}
	return "", false
}

// ancestorsOf returns the ancestors (pages and nodes) of content self whose
// parent is parent, the top-most first.
func (st *store) ancestorsOf(self, parent string) []string {
	var anc []string
	seen := map[string]bool{self: true}
	for id := parent; id != "" && !seen[id]; {
		next, ok := st.parentOf(id)
		if !ok {
			break
		}
		seen[id] = true
		anc = append(anc, id)
		id = next
	}
	slices.Reverse(anc)
	return anc
}

// kindOf returns the content type of a page or node id ("" when unknown).
func (st *store) kindOf(id string) string {
	if st.pages[id] != nil {
		return "page"
	}
	if n := st.nodes[id]; n != nil {
		return n.Type
	}
	return ""
}

// visibleNode returns the node of kind with id if it exists and a may see it.
func (st *store) visibleNode(a *Account, kind, id string) *nodeRec {
	n := st.nodes[id]
	if n == nil || n.Type != kind || !canSee(a, n.SpaceKey) {
		return nil
	}
	return n
}

// treeKids returns the current and archived children of every kind of id.
func (s *Server) treeKids(id string) []treeItem {
	var out []treeItem
	for _, c := range s.st.tree[id] {
		if st := c.status(); st == "current" || st == "archived" {
			out = append(out, c)
		}
	}
	return out
}

// nodeLinks are a node's _links: the web UI path Cloud uses for the kind.
func nodeLinks(n *nodeRec) map[string]any {
	return map[string]any{
		"webui":  "/spaces/" + n.SpaceKey + "/" + n.Type + "/" + n.ID,
		"editui": "/spaces/" + n.SpaceKey + "/" + n.Type + "/" + n.ID,
		"tinyui": TinyUI(n.ID),
	}
}

// nodeJSON renders a node as its v2 single shape (FolderSingle, ...).
func (s *Server) nodeJSON(r *http.Request, n *nodeRec) map[string]any {
	var parentID, parentType, position any = nil, nil, n.Position
	if n.ParentID != "" {
		parentID, parentType = n.ParentID, s.st.kindOf(n.ParentID)
	}
	if n.Status == "trashed" {
		parentID, parentType, position = nil, nil, nil
	}
	links := nodeLinks(n)
	links["base"] = s.base(r)
	m := map[string]any{
		"id": n.ID, "type": n.Type, "status": n.Status, "title": n.Title,
		"parentId": parentID, "parentType": parentType, "position": position,
		"authorId": n.AuthorID, "ownerId": n.AuthorID, "createdAt": ts(n.CreatedAt), "spaceId": n.space.ID,
		"version": versionJSON(Version{Number: 1, AuthorID: n.AuthorID, CreatedAt: n.CreatedAt}),
		"_links":  links,
	}
	if n.Type == KindEmbed {
		m["embedUrl"] = n.EmbedURL
	}
	return m
}

// getNode is v2 GET /{folders,whiteboards,databases,embeds}/{id}.
func (s *Server) getNode(kind string) handler {
	return func(w http.ResponseWriter, r *http.Request, a *Account) {
		id := r.PathValue("id")
		n := s.st.visibleNode(a, kind, id)
		if n == nil {
			v2Error(w, http.StatusNotFound, "NOT_FOUND", fmt.Sprintf("Cannot find a %s with id [%s]", kind, id), nil)
			return
		}
		writeJSON(w, http.StatusOK, s.nodeJSON(r, n))
	}
}

// findTreeParent resolves the {id} of a hierarchy route of kind ("page" or a
// node kind) or writes Cloud's 404.
func (s *Server) findTreeParent(w http.ResponseWriter, r *http.Request, a *Account, kind string) (string, bool) {
	id := r.PathValue("id")
	ok := false
	if kind == "page" {
		ok = s.st.visiblePage(a, id) != nil
	} else {
		ok = s.st.visibleNode(a, kind, id) != nil
	}
	if !ok {
		v2Error(w, http.StatusNotFound, "NOT_FOUND", fmt.Sprintf("Cannot find [%s] entity with id [%s]", kind, id), nil)
	}
	return id, ok
}

// treeDirectChildren is v2 GET /{kind}s/{id}/direct-children: children of
// every kind ({id, status, title, type, childPosition}; Cloud leaves out the
// spaceId the spec lists).
func (s *Server) treeDirectChildren(kind string) handler {
	return func(w http.ResponseWriter, r *http.Request, a *Account) {
		sortBy := r.URL.Query().Get("sort")
		if sortBy != "" && !enumParam(w, "sort", "ContentSortOrder", []string{sortBy}, []string{"created-date", "-created-date", "id", "-id", "child-position", "-child-position", "modified-date", "-modified-date", "title", "-title"}) {
			return
		}
		id, ok := s.findTreeParent(w, r, a, kind)
		if !ok {
			return
		}
		ks := slices.Clone(s.treeKids(id))
		sortTree(ks, cmpOr(sortBy, "child-position"))
		s.writeV2List(w, r, len(ks), 25, func(i int) any {
			c := ks[i]
			return map[string]any{"id": c.id(), "status": c.status(), "title": c.title(), "type": c.kind(), "childPosition": c.position()}
		})
	}
}

// sortTree orders tree items like sortPages orders pages (nodes have no
// versions: their dates are their creation).
func sortTree(items []treeItem, by string) {
	desc := strings.HasPrefix(by, "-")
	key := strings.TrimPrefix(by, "-")
	created := func(t treeItem) time.Time {
		if t.page != nil {
			return t.page.CreatedAt
		}
		return t.node.CreatedAt
	}
	modified := func(t treeItem) time.Time {
		if t.page != nil {
			return t.page.current().CreatedAt
		}
		return t.node.CreatedAt
	}
	slices.SortStableFunc(items, func(a, b treeItem) int {
		var c int
		switch key {
		case "id":
			c = lessID(a.id(), b.id())
		case "title":
			c = strings.Compare(a.title(), b.title())
		case "created-date":
			c = created(a).Compare(created(b))
		case "modified-date":
			c = modified(a).Compare(modified(b))
		default:
			c = cmp.Compare(a.position(), b.position())
		}
		if desc {
			c = -c
		}
		return cmp.Or(c, lessID(a.id(), b.id()))
	})
}

// treeDescendants is v2 GET /{kind}s/{id}/descendants: every kind, level
// by level, each level in child order; items {id, status, title, type,
// parentId, depth, childPosition} (no spaceId).
func (s *Server) treeDescendants(kind string) handler {
	return func(w http.ResponseWriter, r *http.Request, a *Account) {
		depth := 2
		if v := r.URL.Query().Get("depth"); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 || n > 10 {
				v2BadParam(w, fmt.Sprintf("Provided value {%s} for 'depth' is not valid. Expected an integer between 1 and 10", v), nil)
				return
			}
			depth = n
		}
		id, ok := s.findTreeParent(w, r, a, kind)
		if !ok {
			return
		}
		type desc struct {
			t treeItem
			d int
		}
		var out []desc
		level := []string{id}
		for d := 1; d <= depth && len(level) > 0; d++ {
			var next []string
			for _, q := range level {
				for _, c := range s.treeKids(q) {
					out = append(out, desc{c, d})
					next = append(next, c.id())
				}
			}
			level = next
		}
		s.writeV2List(w, r, len(out), 25, func(i int) any {
			c := out[i]
			return map[string]any{"id": c.t.id(), "status": c.t.status(), "title": c.t.title(), "type": c.t.kind(),
				"parentId": c.t.parentID(), "depth": c.d, "childPosition": c.t.position()}
		})
	}
}

// treeAncestors is v2 GET /{kind}s/{id}/ancestors: {results: [{id, type}]},
// the highest first, the nearest `limit` (default 25) when there are more.
func (s *Server) treeAncestors(kind string) handler {
	return func(w http.ResponseWriter, r *http.Request, a *Account) {
		limit, _, ok := listParams(w, r, 25)
		if !ok {
			return
		}
		id, ok := s.findTreeParent(w, r, a, kind)
		if !ok {
			return
		}
		var anc []string
		if p := s.st.pages[id]; p != nil && p.Status != "trashed" {
			anc = p.anc
		} else if n := s.st.nodes[id]; n != nil && n.Status != "trashed" {
			anc = n.anc
		}
		if len(anc) > limit {
			anc = anc[len(anc)-limit:]
		}
		res := []any{}
		for _, x := range anc {
			res = append(res, map[string]any{"id": x, "type": s.st.kindOf(x)})
		}
		writeJSON(w, http.StatusOK, map[string]any{"results": res, "_links": map[string]any{"base": s.base(r)}})
	}
}

// nodeRoutes are the v2 routes of the tree's node kinds, and the mixed-type
// hierarchy routes of pages.
func (s *Server) nodeRoutes(v2 string) []route {
	var out []route
	for _, kind := range []string{KindFolder, KindWhiteboard, KindDatabase, KindEmbed} {
		k := nodeKinds[kind]
		base := "GET " + v2 + "/" + k.plural + "/{id}"
		out = append(out,
			route{pattern: base, scopes: []string{k.scope}, h: s.getNode(kind)},
			route{pattern: base + "/direct-children", scopes: []string{scopeHierarchy}, h: s.treeDirectChildren(kind)},
			route{pattern: base + "/descendants", scopes: []string{scopeHierarchy}, h: s.treeDescendants(kind)},
			route{pattern: base + "/ancestors", scopes: []string{scopeMetadata}, h: s.treeAncestors(kind)},
		)
	}
	return out
}
