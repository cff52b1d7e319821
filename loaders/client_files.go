package loaders

import (
	"context"
	"net/url"
	"strings"
)

// The attachment and site methods of the client upstream (files.go uses them).

func (u *clientUpstream) Attachment(ctx context.Context, id string) (Attachment, error) {
	a, resp, err := u.c.Attachments.Get(ctx, id)
	if err != nil {
		return Attachment{}, err
	}
	u.learn(resp)
	return u.attachment(*a), nil
}

// Download streams the file through the v1 download route (the v1 upstream shares it).
func (u *clientUpstream) Download(ctx context.Context, pageID, attachmentID string) (FileStream, error) {
	f, _, err := u.c.Attachments.DownloadStream(ctx, pageID, attachmentID)
	if err != nil {
		return FileStream{}, err
	}
	return FileStream{ContentType: f.ContentType, Size: f.Size, Body: f.Body}, nil
}

// SiteURL is the wiki base the answers named (or the client's, before any answer) without its
// /wiki suffix; on Data Center the base URL's scheme and host (no context path).
func (u *clientUpstream) SiteURL() string {
	u.mu.Lock()
	base := u.base
	u.mu.Unlock()
	if base == "" {
		base = u.c.WikiURL()
	}
	if u.c.DataCenter() {
		// Data Center's base URL carries its context path; root-relative links are
		// relative to the host.
		if x, err := url.Parse(base); err == nil {
			return x.Scheme + "://" + x.Host
		}
	}
	return strings.TrimSuffix(strings.TrimRight(base, "/"), "/wiki")
}
