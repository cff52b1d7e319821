package confluencetest

import (
	"net/http"
	"slices"
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
