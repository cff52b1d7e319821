package confluence

import (
	"context"
	"fmt"
)

// TenantInfo is the answer of GET /_edge/tenant_info.
type TenantInfo struct {
	CloudID string `json:"cloudId"`
}

// TenantInfo reads the site's cloudId from the unauthenticated
// GET https://{site}/_edge/tenant_info (reference §1.4) and remembers it for
// gateway routing. No credentials are sent.
//
// Errors: *Error (ErrNotFound for a site that does not exist, ErrUnavailable,
// ErrTimeout), or a validation error when the cloudId is malformed.
func (c *Client) TenantInfo(ctx context.Context) (*TenantInfo, error) {
	v, err, _ := c.cloudIDGroup.Do("tenant_info", func() (any, error) {
		req := &request{method: "GET", route: "/_edge/tenant_info", path: "/_edge/tenant_info", noAuth: true, site: true}
		var info TenantInfo
		if _, err := c.get(ctx, req, &info); err != nil {
			return nil, err
		}
		if err := validateCloudID(info.CloudID); err != nil {
			return nil, fmt.Errorf("confluence: tenant_info: %w", err)
		}
		c.mu.Lock()
		c.cloudID = info.CloudID
		c.mu.Unlock()
		return &info, nil
	})
	if err != nil {
		return nil, err
	}
	info := *v.(*TenantInfo)
	return &info, nil
}
