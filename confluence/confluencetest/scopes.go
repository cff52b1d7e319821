package confluencetest

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
)

// noHierarchyScopes is what the demo "scoped-nohier" account holds: every read
// scope but read:hierarchical-content:confluence and read:folder:confluence,
// the two that could not be selected when creating a scoped token
// (CONFCLOUD-82041, CONFCLOUD-83234).
func noHierarchyScopes() []string {
	var out []string
	for _, sc := range ReadScopes() {
		if sc != scopeHierarchy && sc != scopeFolder {
			out = append(out, sc)
		}
	}
	return out
}

// SetScopes replaces the scopes of the account with this email, as if its
// scoped token had been replaced by one with these scopes under the same
// secret (for tests of a token that loses a scope after connecting). It
// reports whether such an account exists.
func (s *Server) SetScopes(email string, scopes []string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	found := false
	for _, a := range s.st.accounts {
		if strings.EqualFold(a.Email, email) {
			a.Scopes = slices.Clone(scopes)
			found = true
		}
	}
	return found
}

// scopeRoutes adds what the scope checks need beyond the content routes:
// the control route POST /__sim/scopes {"email": "...", "scopes": [...]}
// (SetScopes), and, unless a content route serves it already, GET
// /wiki/api/v2/folders/{id} behind read:folder:confluence answering the
// v2 404 Cloud gives for an id that is not a folder, so a probe learns
// whether the token holds the folder scope (the gateway checks scopes
// before routing).
func (s *Server) scopeRoutes() {
	post(s.ctl, "POST /__sim/scopes", func(req struct {
		Email  string   `json:"email"`
		Scopes []string `json:"scopes"`
	}) error {
		if !s.SetScopes(req.Email, req.Scopes) {
			return fmt.Errorf("confluencetest: no account %q", req.Email)
		}
		return nil
	})
	const folder = "GET /wiki/api/v2/folders/{id}"
	if _, ok := s.rts[folder]; ok {
		return
	}
	rt := route{pattern: folder, scopes: []string{scopeFolder}, h: func(w http.ResponseWriter, r *http.Request, _ *Account) {
		v2Error(w, http.StatusNotFound, "NOT_FOUND", fmt.Sprintf("Content with id: [%s] not found", r.PathValue("id")), nil)
	}}
	s.mux.HandleFunc(rt.pattern, func(w http.ResponseWriter, r *http.Request) {
		info, _ := r.Context().Value(ctxKey{}).(reqInfo)
		rt.h(w, r, info.acct)
	})
	s.rts[rt.pattern] = rt
}
