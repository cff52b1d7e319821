package confluence

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"iter"
	"net/http"
	"net/url"
	"time"
)

// AttachmentsService reads attachments and downloads their files.
type AttachmentsService service

// Attachment is a v2 attachment.
type Attachment struct {
	ID                   string    `json:"id"` // "att123"
	Status               string    `json:"status"`
	Title                string    `json:"title"` // the file name
	CreatedAt            time.Time `json:"createdAt"`
	PageID               string    `json:"pageId"`
	BlogPostID           string    `json:"blogPostId,omitempty"`
	MediaType            string    `json:"mediaType"`
	MediaTypeDescription string    `json:"mediaTypeDescription"`
	Comment              string    `json:"comment"`
	FileID               string    `json:"fileId"`
	FileSize             int64     `json:"fileSize"`
	WebUILink            string    `json:"webuiLink"`
	DownloadLink         string    `json:"downloadLink"`
	Version              *Version  `json:"version,omitempty"`
	Links                Links     `json:"_links"`
}

// UnmarshalJSON accepts RFC 3339 or epoch-ms timestamps.
func (a *Attachment) UnmarshalJSON(b []byte) error { return decodeLenient(b, a) }

// AttachmentListOptions are the parameters of a page's attachment list.
type AttachmentListOptions struct {
	Sort      string
	Status    []string // current, archived, trashed
	MediaType string
	Filename  string
	ListOptions
}

func attachmentsRequest(pageID string, o *AttachmentListOptions) *request {
	return contentAttachmentsRequest(pagesRoute, pageID, o)
}

// contentAttachmentsRequest lists the attachments of content id in the collection at route.
func contentAttachmentsRequest(route, id string, o *AttachmentListOptions) *request {
	q := query{}
	if o != nil {
		q.str("sort", o.Sort)
		q.each("status", o.Status)
		q.str("mediaType", o.MediaType)
		q.str("filename", o.Filename)
		o.ListOptions.apply(q)
	}
	return getRoute(route+"/{id}/attachments", q, id)
}

// ListForPage returns one page of a page's attachments.
//
// Confluence API: GET /wiki/api/v2/pages/{id}/attachments
func (s *AttachmentsService) ListForPage(ctx context.Context, pageID string, opts *AttachmentListOptions) ([]Attachment, *Response, error) {
	return list[Attachment](ctx, s.client, attachmentsRequest(pageID, opts))
}

// ListForPageIter yields every attachment of a page.
//
// Confluence API: GET /wiki/api/v2/pages/{id}/attachments
func (s *AttachmentsService) ListForPageIter(ctx context.Context, pageID string, opts *AttachmentListOptions) iter.Seq2[Attachment, error] {
	return iterate[Attachment](ctx, s.client, attachmentsRequest(pageID, opts))
}

// Get returns one attachment by id.
//
// Confluence API: GET /wiki/api/v2/attachments/{id}
func (s *AttachmentsService) Get(ctx context.Context, id string) (*Attachment, *Response, error) {
	return getOne[Attachment](ctx, s.client, getRoute("/wiki/api/v2/attachments/{id}", nil, id))
}

// File is a downloaded attachment.
type File struct {
	ContentType string
	Data        []byte
}

// FileStream is an attachment download in progress: the media host's answer
// with its body still to read. The caller must close Body.
type FileStream struct {
	ContentType string
	// Size is the body's length as the host announced it (Content-Length);
	// -1 when it did not.
	Size int64
	// Body yields the file. Reading past Options.MaxDownloadBytes fails with
	// an error matching ErrResponseTooLarge (after that many bytes); other read
	// errors are typed like those of every call (ErrTimeout, ErrUnavailable).
	Body io.ReadCloser
}

// maxRedirects bounds the redirects a download follows.
const maxRedirects = 3

// Download fetches an attachment's bytes into memory: DownloadStream read to
// the end. The body is capped at Options.MaxDownloadBytes (ErrResponseTooLarge).
//
// Confluence API: GET /wiki/rest/api/content/{id}/child/attachment/{attachmentId}/download
func (s *AttachmentsService) Download(ctx context.Context, pageID, attachmentID string) (*File, *Response, error) {
	fs, resp, err := s.DownloadStream(ctx, pageID, attachmentID)
	if err != nil {
		return nil, resp, err
	}
	defer func() { _ = fs.Body.Close() }()
	data, err := io.ReadAll(fs.Body)
	if err != nil {
		return nil, resp, err
	}
	return &File{ContentType: fs.ContentType, Data: data}, resp, nil
}

// DownloadStream starts an attachment download through the v1 download route,
// which redirects to Atlassian's media host, and returns the file's body
// unread, so a caller can pass it on in bounded memory. The redirect is
// followed by hand: its target must pass the host allow-list, and no
// Authorization header is sent to an absolute redirect target (it carries its
// own token). Retries, the rate limit and the circuit breaker apply up to the
// response headers; the concurrency slot is released then too. The attempt
// timeout covers the exchange up to the headers; the body is read under ctx
// (and Options.CallTimeout when ctx has no deadline) until Body is closed.
//
// Confluence API: GET /wiki/rest/api/content/{id}/child/attachment/{attachmentId}/download
func (s *AttachmentsService) DownloadStream(ctx context.Context, pageID, attachmentID string) (*FileStream, *Response, error) {
	c := s.client
	if c.dc {
		return s.dcDownload(ctx, attachmentID)
	}
	route := "/wiki/rest/api/content/{id}/child/attachment/{attachmentId}/download"
	req := getRoute(route, nil, pageID, attachmentID)
	if req.err != nil {
		return nil, nil, req.err
	}
	req.limit, req.redirect, req.stream = c.opts.MaxDownloadBytes, true, true
	for hop := 0; ; hop++ {
		raw, err := c.send(ctx, req)
		resp := newResponse(req, raw)
		if err != nil {
			return nil, resp, err
		}
		if raw.stream != nil {
			return &FileStream{ContentType: raw.header.Get("Content-Type"), Size: raw.stream.size, Body: raw.stream}, resp, nil
		}
		if !isRedirect(raw.status) {
			// A 2xx answer read whole (its headers came as the attempt timed out).
			return &FileStream{ContentType: raw.header.Get("Content-Type"), Size: int64(len(raw.body)), Body: io.NopCloser(bytes.NewReader(raw.body))}, resp, nil
		}
		if hop >= maxRedirects {
			return nil, resp, &Error{Status: raw.status, Endpoint: req.endpoint(), Code: "TOO_MANY_REDIRECTS", Message: "too many redirects", kind: ErrUnavailable}
		}
		loc, err := url.Parse(raw.header.Get("Location"))
		if err != nil || raw.header.Get("Location") == "" {
			return nil, resp, &Error{Status: raw.status, Endpoint: req.endpoint(), Code: "BAD_REDIRECT", Message: "redirect without a usable Location", kind: ErrUnavailable}
		}
		next := &request{method: "GET", route: route + " (redirect)", limit: c.opts.MaxDownloadBytes, redirect: true, stream: true}
		if loc.IsAbs() {
			if loc.Scheme != "https" && loc.Scheme != "http" {
				return nil, resp, &Error{Endpoint: req.endpoint(), Code: "HOST_NOT_ALLOWED", Message: fmt.Sprintf("redirect scheme %q", loc.Scheme), kind: ErrHostNotAllowed}
			}
			next.abs = loc
			next.noAuth = true
		} else {
			next.next = loc.RequestURI()
		}
		req = next
	}
}

func isRedirect(status int) bool {
	switch status {
	case http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther, http.StatusTemporaryRedirect, http.StatusPermanentRedirect:
		return true
	}
	return false
}
