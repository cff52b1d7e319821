package confluencetest

import "slices"

// AddLabel adds label to the page or blog post with id, as a user editing it in Confluence
// would, so tests can see what the next read makes of a change made upstream. It reports
// whether the content exists. The search index sees the label at once.
func (s *Server) AddLabel(id, label string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.st.pages[id]
	if p == nil {
		p = s.st.blogs[id]
	}
	if p == nil {
		return false
	}
	if !slices.Contains(p.Labels, label) {
		p.Labels = append(p.Labels, label)
	}
	return true
}
