package confluence

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// dcExperimental are the Cloud v1 routes Data Center serves under
// /rest/experimental (its /rest/api content version routes are Cloud only
// up to 7.19).
var dcExperimental = map[string]bool{
	"/wiki/rest/api/content/{id}/version":                 true,
	"/wiki/rest/api/content/{id}/version/{versionNumber}": true,
}

// dcUnsupported are v1 routes Cloud has and Data Center has not.
var dcUnsupported = map[string]bool{
	"/wiki/rest/api/user/bulk": true,
	"/wiki/rest/api/content/{id}/child/attachment/{attachmentId}/download": true,
}

// dcPath turns a Cloud v1 path ("/wiki/rest/api/...") into its Data Center
// path relative to the base URL ("/rest/api/..."); ok is false for a route
// Data Center does not have (v2, the gateway, tenant_info, users bulk).
func dcPath(route, path string) (dcRoute, dcP string, ok bool) {
	if !strings.HasPrefix(route, "/wiki/rest/") || dcUnsupported[route] {
		return "", "", false
	}
	if dcExperimental[route] {
		return "/rest/experimental/" + strings.TrimPrefix(route, "/wiki/rest/api/"),
			"/rest/experimental/" + strings.TrimPrefix(path, "/wiki/rest/api/"), true
	}
	return strings.TrimPrefix(route, "/wiki"), strings.TrimPrefix(path, "/wiki"), true
}

// dcNext resolves a Data Center next link: a path relative to the base
// ("/rest/api/space?start=25", what Data Center sends) or one that repeats
// the context path. Only its path and query are used: a host in the link
// is never followed.
func dcNext(base *url.URL, next string) (string, url.Values, error) {
	n, err := url.Parse(next)
	if err != nil {
		return "", nil, fmt.Errorf("confluence: bad next link: %w", err)
	}
	p := n.EscapedPath()
	if base.Path != "" && strings.HasPrefix(p, base.EscapedPath()+"/") {
		p = p[len(base.EscapedPath()):]
	}
	if !strings.HasPrefix(p, "/rest/") && !strings.HasPrefix(p, "/download/") {
		return "", nil, fmt.Errorf("confluence: next link %q is not under the Data Center base", next)
	}
	return p, n.Query(), nil
}

// sendDC sends a request to a Data Center instance: the Cloud v1 route
// without its /wiki prefix, under the base URL (context path included);
// a route Data Center lacks fails with ErrUnsupported before anything is
// sent. An HTML 401 (Tomcat's page for a wrong, expired or revoked
// personal access token) is ErrCredentialsRejected.
func (c *Client) sendDC(ctx context.Context, req *request) (*rawResponse, error) {
	r := *req
	if req.abs == nil {
		if req.site {
			return nil, dcUnsupportedErr(req)
		}
		if req.next != "" {
			p, q, err := dcNext(c.siteBase, req.next)
			if err != nil {
				return nil, &Error{Endpoint: req.endpoint(), Code: "BAD_NEXT_LINK", Message: err.Error(), kind: ErrUnavailable}
			}
			r.next, r.path, r.query = "", p, q
			if rt, _, ok := dcPath(req.route, req.route); ok {
				r.route = rt
			}
		} else {
			rt, p, ok := dcPath(req.route, req.path)
			if !ok {
				return nil, dcUnsupportedErr(req)
			}
			r.route, r.path = rt, p
			if st, ok := strings.CutPrefix(req.query.Get("cursor"), dcStartCursor); ok {
				r.query = cloneValues(req.query)
				r.query.Del("cursor")
				r.query.Del("next")
				r.query.Set("start", st)
			}
		}
	}
	raw, err := c.exchange(ctx, c.siteBase, &r, true)
	raw, err = c.finish(ctx, &r, raw, err)
	var ce *Error
	var cv *tls.CertificateVerificationError
	var ua x509.UnknownAuthorityError
	if errors.As(err, &ce) && (errors.As(err, &cv) || errors.As(err, &ua)) {
		cp := *ce
		cp.Code = "UNTRUSTED_CERTIFICATE"
		cp.Message = "the Data Center certificate is not trusted by this process: the operator must give its CA bundle (--datacenter-ca-file)"
		return raw, &cp
	}
	if errors.As(err, &ce) && ce.kind == ErrScopedTokenOnSite {
		cp := *ce
		cp.kind = ErrCredentialsRejected
		cp.Message = "Confluence Data Center rejected the personal access token (wrong, expired or revoked)"
		return raw, &cp
	}
	return raw, err
}

func dcUnsupportedErr(req *request) error {
	return &Error{Endpoint: req.endpoint(), Code: "UNSUPPORTED_ON_DATA_CENTER",
		Message: "Confluence Data Center has no such route (v2, gateway and users-bulk are Cloud only)", kind: ErrUnsupported}
}

// DataCenter reports whether the client talks to Confluence Data Center.
func (c *Client) DataCenter() bool { return c.dc }

// dcDownload fetches an attachment's bytes on Data Center, which has no
// REST download route: the attachment's _links.download (a path under the
// base, "/download/attachments/{pageId}/{file}?version=N&api=v2") is read
// with the token. Two calls.
func (s *AttachmentsService) dcDownload(ctx context.Context, attachmentID string) (*FileStream, *Response, error) {
	c := s.client
	if !strings.HasPrefix(attachmentID, "att") {
		attachmentID = "att" + attachmentID
	}
	att, resp, err := getOne[Content](ctx, c, getRoute("/wiki/rest/api/content/{id}", nil, attachmentID))
	if err != nil {
		return nil, resp, err
	}
	link := att.Links.Download
	if link == "" {
		return nil, resp, &Error{Endpoint: resp.Endpoint, Code: "NO_DOWNLOAD_LINK", Message: "the attachment has no download link", kind: ErrNotFound}
	}
	req := &request{method: http.MethodGet, route: "/download/attachments/{pageId}/{file}", next: link, limit: c.opts.MaxDownloadBytes, stream: true}
	raw, err := c.send(ctx, req)
	resp = newResponse(req, raw)
	if err != nil {
		return nil, resp, err
	}
	ct := raw.header.Get("Content-Type")
	if raw.stream != nil {
		return &FileStream{ContentType: ct, Size: raw.stream.size, Body: raw.stream}, resp, nil
	}
	return &FileStream{ContentType: ct, Size: int64(len(raw.body)), Body: io.NopCloser(bytes.NewReader(raw.body))}, resp, nil
}

// newDataCenterClient is NewClient for Options.DataCenter.
func newDataCenterClient(opts Options) (*Client, error) {
	dco := opts.DataCenter
	if strings.TrimSpace(dco.PAT) == "" {
		return nil, fmt.Errorf("confluence: a personal access token is required for Data Center")
	}
	devHost := strings.ToLower(opts.AllowedDevHost)
	guard := dcDialGuard{hosts: dco.Hosts}
	if devHost != "" {
		ap, err := validateDevHost(devHost)
		if err != nil {
			return nil, err
		}
		guard.dev = ap
	}
	base, err := dcBase(dco, devHost)
	if err != nil {
		return nil, err
	}
	if guard.port, err = dcPort(base); err != nil {
		return nil, err
	}
	c := &Client{opts: opts, dc: true, site: base.Host, siteBase: base, gateway: &url.URL{}, mode: TokenClassic}
	tr := opts.Transport
	if tr == nil {
		t := newBaseTransport(dialGuard{})
		d := &net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second, Control: guard.control}
		t.DialContext = d.DialContext
		if dco.RootCAs != nil {
			t.TLSClientConfig.RootCAs = dco.RootCAs
		}
		tr = t
	}
	if opts.Tracer != nil {
		tr = opts.Tracer.Transport(tr)
	}
	host := base.Host
	c.http = &http.Client{
		Transport: &guardTransport{next: tr, devHost: devHost, dcPort: base.Port(),
			hostOK: func(h string) bool { return strings.EqualFold(h, base.Hostname()) && host != devHost }},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	c.auth = "Bearer " + dco.PAT
	return c.init(), nil
}

// dcStartCursor prefixes the Response.NextCursor of a Data Center search
// page: "start:N".
const dcStartCursor = "start:"

func cloneValues(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}
