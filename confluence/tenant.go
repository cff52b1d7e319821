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
// GET https://{site}/_edge/tenant_info (undocumented by Atlassian, but the
// only way to learn the cloudId of a site with an API token) and remembers
// it for gateway routing. No credentials are sent.
//
// Errors: *Error (ErrNotFound for a site that does not exist, ErrUnavailable,
// ErrTimeout), or a validation error when the cloudId is malformed.
func (c *Client) TenantInfo(ctx context.Context) (*TenantInfo, error) {
	req := &request{method: "GET", route: "/_edge/tenant_info", path: "/_edge/tenant_info", noAuth: true, site: true}
	// Concurrent lookups share one; the shared work must not die with the
	// caller that started it (the others still wait for it), so it runs without that
	// caller's cancellation but keeps its deadline.
	ch := c.cloudIDGroup.DoChan("tenant_info", func() (any, error) {
		sctx := context.WithoutCancel(ctx)
		if dl, ok := ctx.Deadline(); ok {
			var cancel context.CancelFunc
			sctx, cancel = context.WithDeadline(sctx, dl)
			defer cancel()
		}
		var info TenantInfo
		if _, err := c.get(sctx, req, &info); err != nil {
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
	select {
	case <-ctx.Done():
		return nil, c.mapErr(ctx, req, &transportErr{err: ctx.Err(), callerDone: true})
	case r := <-ch:
		if r.Err != nil {
			return nil, r.Err
		}
		info := *r.Val.(*TenantInfo)
		return &info, nil
	}
}
