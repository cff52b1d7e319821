package confluence

import (
	"context"
	"encoding/json"
)

// UsersService reads users: the current user (v1) and users by account id
// (v2 users-bulk, a read-only POST).
type UsersService service

// User is a Confluence user as v1 and v2 return it.
type User struct {
	AccountID string `json:"accountId"`
	// UserKey and Username identify a Data Center user (which has no
	// account id).
	UserKey     string `json:"userKey,omitempty"`
	Username    string `json:"username,omitempty"`
	AccountType string `json:"accountType,omitempty"` // atlassian, app, ""
	// Type is v1's known, unknown, anonymous or user.
	Type          string `json:"type,omitempty"`
	AccountStatus string `json:"accountStatus,omitempty"`
	DisplayName   string `json:"displayName"`
	PublicName    string `json:"publicName,omitempty"`
	// Email may be empty, depending on the user's profile visibility.
	Email                  string          `json:"email,omitempty"`
	TimeZone               string          `json:"timeZone,omitempty"`
	Locale                 string          `json:"locale,omitempty"`
	IsExternalCollaborator bool            `json:"isExternalCollaborator,omitempty"`
	IsGuest                bool            `json:"isGuest,omitempty"`
	PersonalSpaceID        string          `json:"personalSpaceId,omitempty"`
	ProfilePicture         *ProfilePicture `json:"profilePicture,omitempty"`
}

// ID is the user's identifier: the account id on Cloud, the user key on
// Data Center.
func (u *User) ID() string {
	if u.AccountID != "" {
		return u.AccountID
	}
	return u.UserKey
}

// ProfilePicture is a user's avatar.
type ProfilePicture struct {
	Path      string `json:"path"`
	Width     int    `json:"width,omitempty"`
	Height    int    `json:"height,omitempty"`
	IsDefault bool   `json:"isDefault"`
}

// Current returns the user the credentials belong to. Only a known user
// with an account id counts: an anonymous answer is an *Error matching
// ErrCredentialsRejected, as are Confluence's own rejections (v1 403).
//
// Confluence API: GET /wiki/rest/api/user/current
func (s *UsersService) Current(ctx context.Context) (*User, *Response, error) {
	u, resp, err := getOne[User](ctx, s.client, getRoute("/wiki/rest/api/user/current", nil))
	if err == nil && ((u.AccountID == "" && u.UserKey == "") || u.Type == "anonymous") {
		return nil, resp, &Error{Status: resp.StatusCode, Code: "ANONYMOUS", Endpoint: resp.Endpoint,
			Message: "Confluence answered as an anonymous user", kind: ErrCredentialsRejected}
	}
	return u, resp, err
}

// GetMany returns the users with the given account ids, 250 per request.
// Unknown ids are absent from the result. Duplicate ids are sent once.
//
// Confluence API: POST /wiki/api/v2/users-bulk (read-only)
func (s *UsersService) GetMany(ctx context.Context, accountIDs []string) ([]User, error) {
	var out []User
	for _, chunk := range chunks(accountIDs, maxBatch) {
		body, err := json.Marshal(map[string][]string{"accountIds": chunk})
		if err != nil {
			return out, err
		}
		req := &request{method: "POST", route: "/wiki/api/v2/users-bulk", path: "/wiki/api/v2/users-bulk", body: body}
		got, _, err := list[User](ctx, s.client, req)
		out = append(out, got...)
		if err != nil {
			return out, err
		}
	}
	return out, nil
}
