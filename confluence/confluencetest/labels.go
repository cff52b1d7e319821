package confluencetest

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
)

// labelByID returns the label name for a label id.
func (s *Server) labelByID(id string) (string, bool) {
	for name, lid := range s.st.labelIDs {
		if lid == id {
			return name, true
		}
	}
	return "", false
}

// listLabels is v2 GET /labels: every label in use, by id.
func (s *Server) listLabels(w http.ResponseWriter, r *http.Request, _ *Account) {
	prefixes := multi(r, "prefix")
	if !enumParam(w, "prefix", "LabelPrefix", prefixes, []string{"my", "team", "global", "system"}) {
		return
	}
	want := multi(r, "label-id")
	var names []string
	for name, id := range s.st.labelIDs {
		if (len(want) == 0 || slices.Contains(want, id)) && (len(prefixes) == 0 || slices.Contains(prefixes, "global")) {
			names = append(names, name)
		}
	}
	slices.SortFunc(names, func(a, b string) int { return lessID(s.st.labelIDs[a], s.st.labelIDs[b]) })
	if strings.HasPrefix(r.URL.Query().Get("sort"), "-") {
		slices.Reverse(names)
	}
	s.writeV2List(w, r, len(names), 25, func(i int) any { return s.labelJSON(names[i]) })
}

// labelPages is v2 GET /labels/{id}/pages.
func (s *Server) labelPages(w http.ResponseWriter, r *http.Request, a *Account) {
	name, ok := s.labelByID(r.PathValue("id"))
	if !ok {
		v2Error(w, http.StatusNotFound, "NOT_FOUND", fmt.Sprintf("Cannot find a label with id [%s]", r.PathValue("id")), nil)
		return
	}
	f, ok := s.pageFilter(w, r, true)
	if !ok {
		return
	}
	s.writePages(w, r, f, s.st.pageOrder, func(p *pageRec) bool {
		return canSee(a, p.SpaceKey) && slices.Contains(p.Labels, name)
	})
}

// spaceLabels is v2 GET /spaces/{id}/labels.
func (s *Server) spaceLabels(w http.ResponseWriter, r *http.Request, a *Account) {
	sp := s.visibleSpace(w, r, a)
	if sp == nil {
		return
	}
	s.writeV2List(w, r, len(sp.Labels), 25, func(i int) any { return s.labelJSON(sp.Labels[i]) })
}
