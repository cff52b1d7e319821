package confluencetest

import "net/http"

func (s *Server) search(w http.ResponseWriter, r *http.Request, a *Account) {
	v1Error(w, http.StatusNotImplemented, "search is not implemented yet")
}

func (s *Server) contentSearch(w http.ResponseWriter, r *http.Request, a *Account) {
	v1Error(w, http.StatusNotImplemented, "search is not implemented yet")
}
