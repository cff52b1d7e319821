package confluencetest

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
)

// kids returns the visible non-trashed children of p (trashed pages leave the tree).
func (s *Server) kids(p *pageRec) []*pageRec {
	var out []*pageRec
	for _, c := range s.st.children[p.ID] {
		if c.Status == "current" || c.Status == "archived" {
			out = append(out, c)
		}
	}
	return out
}

func (s *Server) pageChildren(w http.ResponseWriter, r *http.Request, a *Account) {
	sortBy := r.URL.Query().Get("sort")
	if sortBy != "" && !enumParam(w, "sort", "ChildPageSortOrder", []string{sortBy}, []string{"created-date", "-created-date", "id", "-id", "child-position", "-child-position", "modified-date", "-modified-date"}) {
		return
	}
	p := s.findPage(w, r, a)
	if p == nil {
		return
	}
	ks := slices.Clone(s.kids(p))
	sortPages(ks, cmpOr(sortBy, "child-position"))
	s.writeV2List(w, r, len(ks), 25, func(i int) any {
		c := ks[i]
		return map[string]any{"id": c.ID, "status": c.Status, "title": c.Title, "spaceId": c.space.ID, "childPosition": c.Position}
	})
}

func (s *Server) directChildren(w http.ResponseWriter, r *http.Request, a *Account) {
	sortBy := r.URL.Query().Get("sort")
	if sortBy != "" && !enumParam(w, "sort", "ChildrenSortOrder", []string{sortBy}, []string{"created-date", "-created-date", "id", "-id", "child-position", "-child-position", "modified-date", "-modified-date", "title", "-title"}) {
		return
	}
	id := r.PathValue("id")
	p := s.st.visiblePage(a, id)
	if p == nil {
		v2Error(w, http.StatusNotFound, "NOT_FOUND", fmt.Sprintf("Cannot find [page] entity with id [%s]", id), nil)
		return
	}
	ks := slices.Clone(s.kids(p))
	sortPages(ks, cmpOr(sortBy, "child-position"))
	s.writeV2List(w, r, len(ks), 25, func(i int) any {
		c := ks[i]
		return map[string]any{"id": c.ID, "status": c.Status, "title": c.Title, "type": "page", "spaceId": c.space.ID, "childPosition": c.Position}
	})
}

func (s *Server) descendants(w http.ResponseWriter, r *http.Request, a *Account) {
	depth := 2
	if v := r.URL.Query().Get("depth"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 10 {
			v2BadParam(w, fmt.Sprintf("Provided value {%s} for 'depth' is not valid. Expected an integer between 1 and 10", v), nil)
			return
		}
		depth = n
	}
	p := s.findPage(w, r, a)
	if p == nil {
		return
	}
	type desc struct {
		p *pageRec
		d int
	}
	// Top to bottom: breadth-first, level by level, each level in child order.
	var out []desc
	level := []*pageRec{p}
	for d := 1; d <= depth && len(level) > 0; d++ {
		var next []*pageRec
		for _, q := range level {
			for _, c := range s.kids(q) {
				out = append(out, desc{c, d})
				next = append(next, c)
			}
		}
		level = next
	}
	s.writeV2List(w, r, len(out), 25, func(i int) any {
		c := out[i]
		return map[string]any{"id": c.p.ID, "status": c.p.Status, "title": c.p.Title, "type": "page", "parentId": c.p.ParentID, "depth": c.d, "childPosition": c.p.Position}
	})
}

func (s *Server) ancestors(w http.ResponseWriter, r *http.Request, a *Account) {
	limit, _, ok := listParams(w, r, 25)
	if !ok {
		return
	}
	p := s.findPage(w, r, a)
	if p == nil {
		return
	}
	anc := p.anc
	if p.Status == "trashed" {
		anc = nil
	}
	if len(anc) > limit {
		anc = anc[len(anc)-limit:]
	}
	res := []any{}
	for _, id := range anc {
		res = append(res, map[string]any{"id": id, "type": "page"})
	}
	writeJSON(w, http.StatusOK, map[string]any{"results": res, "_links": map[string]any{"base": s.base(r)}})
}
