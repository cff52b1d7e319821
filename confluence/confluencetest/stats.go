package confluencetest

import "maps"

// Stats counts the Confluence requests a simulator received (control
// endpoints under /__sim/ are not counted).
type Stats struct {
	Total  int `json:"total"`
	Writes int `json:"writes"` // write attempts, all answered 405; our code must keep this 0
	Faults int `json:"faults"` // requests failed by an injected or random fault
	// ByEndpoint counts by route pattern, "GET /wiki/api/v2/pages/{id}/labels"
	// style, with site and gateway requests under the same pattern. Writes
	// count under their method ("DELETE /wiki/api/v2/pages/{id}"); unknown
	// paths under "GET unmatched".
	ByEndpoint map[string]int `json:"byEndpoint"`
	ByStatus   map[int]int    `json:"byStatus"` // resets and hangs have no status
}

// Stats returns a copy of the counters.
func (s *Server) Stats() Stats {
	s.statsMu.Lock()
	defer s.statsMu.Unlock()
	c := s.stats
	c.ByEndpoint = maps.Clone(s.stats.ByEndpoint)
	c.ByStatus = maps.Clone(s.stats.ByStatus)
	return c
}

// Count is Stats().ByEndpoint[pattern].
func (s *Server) Count(pattern string) int {
	s.statsMu.Lock()
	defer s.statsMu.Unlock()
	return s.stats.ByEndpoint[pattern]
}

// ResetStats zeroes the counters.
func (s *Server) ResetStats() {
	s.statsMu.Lock()
	defer s.statsMu.Unlock()
	s.stats = Stats{ByEndpoint: map[string]int{}, ByStatus: map[int]int{}}
}

func (s *Server) countRequest(key string, write bool) {
	s.statsMu.Lock()
	defer s.statsMu.Unlock()
	s.stats.Total++
	s.stats.ByEndpoint[key]++
	if write {
		s.stats.Writes++
	}
}

func (s *Server) countStatus(code int) {
	s.statsMu.Lock()
	defer s.statsMu.Unlock()
	s.stats.ByStatus[code]++
}

func (s *Server) countFault() {
	s.statsMu.Lock()
	defer s.statsMu.Unlock()
	s.stats.Faults++
}
