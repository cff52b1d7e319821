package confluence

import (
	"context"
	"errors"
)

// CheckFolderScope tells whether the token may read folders
// (read:folder:confluence) without knowing a folder: it reads a folder id
// that does not exist (999999999999, whose 404 Cloud was seen to answer). The gateway checks scopes before routing, so a token
// without the scope gets 401 scope mismatch (an *Error matching
// ErrScopeMismatch, returned) and one with it Cloud's 404 (nil returned).
// Other errors are returned as they are.
//
// Confluence API: GET /wiki/api/v2/folders/{id}
func (c *Client) CheckFolderScope(ctx context.Context) error {
	var v struct{}
	_, err := c.get(ctx, getRoute("/wiki/api/v2/folders/{id}", query{}, "999999999999"), &v)
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	return err
}
