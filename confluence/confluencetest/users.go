package confluencetest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
)

func userV2JSON(u *User) map[string]any {
	return map[string]any{
		"accountId": u.AccountID, "accountStatus": "active", "accountType": "atlassian",
		"displayName": u.DisplayName, "publicName": u.DisplayName, "email": u.Email,
		"isExternalCollaborator": false, "personalSpaceId": nil, "timeZone": cmpOr(u.TimeZone, "Etc/UTC"),
		"profilePicture": map[string]any{"path": "/wiki/aa-avatar/" + u.AccountID, "isDefault": false},
	}
}

func (s *Server) usersBulk(w http.ResponseWriter, r *http.Request, _ *Account) {
	accountIDs, ok := readIDList(w, r, "accountIds")
	if !ok {
		return
	}
	switch n := len(accountIDs); {
	case n == 0:
		v2Error(w, http.StatusBadRequest, "INVALID_REQUEST_BODY", "Provided size {0} for 'accountIds' is less than the min allowed: 1", nil)
		return
	case n > 250:
		v2Error(w, http.StatusBadRequest, "INVALID_REQUEST_BODY", fmt.Sprintf("Provided size {%d} for 'accountIds' is greater than the max allowed: 250", n), nil)
		return
	}
	res := []any{}
	for _, id := range accountIDs {
		if u := s.st.users[id]; u != nil {
			res = append(res, userV2JSON(u))
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"results": res, "_links": map[string]any{"base": s.base(r)}})
}

// currentUser is v1 GET /wiki/rest/api/user/current.
func (s *Server) currentUser(w http.ResponseWriter, r *http.Request, a *Account) {
	u := s.st.users[a.AccountID]
	if u == nil {
		u = &User{AccountID: a.AccountID, DisplayName: a.Email, Email: a.Email}
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"type": "known", "accountId": u.AccountID, "accountType": "atlassian", "email": u.Email,
		"publicName": u.DisplayName, "displayName": u.DisplayName, "timeZone": cmpOr(u.TimeZone, "Etc/UTC"),
		"profilePicture":         map[string]any{"path": "/wiki/aa-avatar/" + u.AccountID, "width": 48, "height": 48, "isDefault": false},
		"isExternalCollaborator": false, "isGuest": false, "locale": "en_US", "accountStatus": "active",
		"_expandable": map[string]any{"operations": "", "personalSpace": ""},
		"_links": map[string]any{
			"self": s.base(r) + "/rest/api/user?accountId=" + u.AccountID,
			"base": s.base(r), "context": "/wiki",
		},
	})
}

// convertIDs is v2 POST /content/convert-ids-to-types: {"contentIds": [...]}
// (1-100) -> {"results": {id: type or null}}. Content the caller may not see
// maps to null.
func (s *Server) convertIDs(w http.ResponseWriter, r *http.Request, a *Account) {
	contentIDs, ok := readIDList(w, r, "contentIds")
	if !ok {
		return
	}
	if n := len(contentIDs); n == 0 || n > 100 {
		v2Error(w, http.StatusBadRequest, "INVALID_REQUEST_BODY", fmt.Sprintf("Provided size {%d} for 'contentIds' must be between 1 and 100", n), nil)
		return
	}
	res := map[string]any{}
	for _, id := range contentIDs {
		res[id] = nil
		if p := s.st.visibleContent(a, id); p != nil {
			res[id] = p.kind
		} else if n := s.st.nodes[id]; n != nil && canSee(a, n.SpaceKey) {
			res[id] = n.Type
		} else if c, _ := s.st.visibleComment(a, id); c != nil {
			res[id] = c.Kind + "-comment"
		} else if at, _ := s.findAttachment(a, id); at != nil {
			res[id] = "attachment"
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"results": res})
}

// readIDList reads the id list member name of a read-only POST's JSON body
// (at most 1 MiB); a body that does not decode, or a member that is not a
// list of strings, answers 400 INVALID_REQUEST_BODY and reports false.
func readIDList(w http.ResponseWriter, r *http.Request, name string) ([]string, bool) {
	var body map[string]json.RawMessage
	var ids []string
	err := json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&body)
	if raw, ok := body[name]; err == nil && ok {
		err = json.Unmarshal(raw, &ids)
	}
	if err != nil {
		v2Error(w, http.StatusBadRequest, "INVALID_REQUEST_BODY", "Request body is not valid JSON", nil)
		return nil, false
	}
	return ids, true
}
