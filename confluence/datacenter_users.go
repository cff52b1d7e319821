package confluence

import "context"

// ByKey returns the Data Center user with user key key (the id Data Center
// puts in history.createdBy.userKey). A missing user is an *Error matching
// ErrNotFound.
//
// Confluence API: GET /rest/api/user?key= (Data Center)
func (s *UsersService) ByKey(ctx context.Context, key string) (*User, *Response, error) {
	q := query{}
	q.str("key", key)
	return getOne[User](ctx, s.client, getRoute("/wiki/rest/api/user", q))
}

// ByUsername returns the Data Center user with this username.
//
// Confluence API: GET /rest/api/user?username= (Data Center)
func (s *UsersService) ByUsername(ctx context.Context, username string) (*User, *Response, error) {
	q := query{}
	q.str("username", username)
	return getOne[User](ctx, s.client, getRoute("/wiki/rest/api/user", q))
}

// ServerInformation is Data Center's build information.
type ServerInformation struct {
	BaseURL     string `json:"baseUrl"`
	Version     string `json:"version"`
	BuildNumber int    `json:"buildNumber"`
	BuildDate   string `json:"buildDate,omitempty"`
}

// ServerInformation returns the Data Center version. Cloud has no such
// route (it answers 404).
//
// Confluence API: GET /rest/api/server-information (Data Center 8.x, 9.x)
func (c *Client) ServerInformation(ctx context.Context) (*ServerInformation, *Response, error) {
	return getOne[ServerInformation](ctx, c, getRoute("/wiki/rest/api/server-information", nil))
}
