package confluence

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// request is one logical API call (possibly several HTTP attempts).
type request struct {
	method string
	route  string     // route pattern relative to the base, e.g. "/wiki/api/v2/pages/{id}"
	path   string     // escaped path relative to the base, e.g. "/wiki/api/v2/pages/123"
	query  url.Values // nil for none
	body   []byte     // JSON body of a read-only POST
	next   string     // a next link from Confluence; replaces path and query
	abs    *url.URL   // an absolute URL (download redirect); replaces everything
	noAuth bool       // send no Authorization header
	search bool       // a CQL endpoint: 400 becomes *CQLError
	site   bool       // always the site host, never the gateway (tenant_info)
	limit  int64      // body cap; 0 means Options.MaxResponseBytes
	// redirect: a 3xx answer is returned to the caller, not an error.
	redirect bool
	// stream: a 2xx answer's body is left open for the caller (rawResponse.stream)
	// instead of being read; limit caps what the stream yields.
	stream bool
	// keep: parameters to put back into next links that drop them.
	keep url.Values
	// err is an id getRoute refused; every sender returns it before any
	// HTTP call.
	err error
}

// getRoute is a GET of route, a path pattern relative to the base whose
// {…} placeholders are filled, in order, with ids escaped by pathID. An id
// pathID refuses makes a request that fails with that error (an *Error
// matching ErrNotFound) without calling Confluence.
func getRoute(route string, q query, ids ...string) *request {
	path := route
	for _, id := range ids {
		pid, err := pathID(id)
		if err != nil {
			return &request{method: "GET", route: route, err: err}
		}
		open := strings.Index(path, "{")
		end := strings.Index(path[open:], "}")
		path = path[:open] + pid + path[open+end+1:]
	}
	return &request{method: "GET", route: route, path: path, query: urlValues(q)}
}

func (r *request) endpoint() string { return r.method + " " + r.route }

// rawResponse is one HTTP answer, fully read. It may be shared between
// de-duplicated callers, so it is never modified after creation.
type rawResponse struct {
	status int
	header http.Header
	body   []byte
	onSite bool
	// stream is the open body of a 2xx answer to a stream request (body is
	// then nil); the caller must close it.
	stream *streamBody
}

// Response describes the HTTP answer behind a method's result and where the
// next page is.
type Response struct {
	StatusCode int
	Header     http.Header
	// Endpoint is the route pattern that was called.
	Endpoint string
	// NextURL is Confluence's next link as sent (a path relative to the site
	// or gateway base, e.g. "/wiki/api/v2/pages?cursor=..." or
	// "/rest/api/search?next=true&cursor=..."); "" on the last page.
	NextURL string
	// NextCursor is the cursor parameter of NextURL; pass it as the Cursor
	// option to fetch the next page. "" on the last page.
	NextCursor string
	// Base is the response's _links.base (the site wiki URL, also through
	// the gateway), when present.
	Base string
}

// links is the _links object of Confluence responses.
type links struct {
	Next     string `json:"next"`
	Base     string `json:"base"`
	Context  string `json:"context"`
	WebUI    string `json:"webui"`
	Self     string `json:"self"`
	TinyUI   string `json:"tinyui"`
	Download string `json:"download"`
}

// send routes a request by token type, following the auto fallback, and
// returns the answer or a typed error.
func (c *Client) send(ctx context.Context, req *request) (raw *rawResponse, err error) {
	if req.next == "" && req.abs == nil && !allowedMethod(req.method, req.path) {
		return nil, &Error{Code: "WRITE_REFUSED", Endpoint: req.endpoint(), Message: "not a read", kind: ErrWriteRefused}
	}
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, c.opts.CallTimeout)
		defer func() {
			if raw != nil && raw.stream != nil {
				raw.stream.onClose(cancel) // the call lasts until the stream is closed
				return
			}
			cancel()
		}()
	}
	if c.dc {
		return c.sendDC(ctx, req)
	}
	if req.site || req.abs != nil {
		raw, err := c.exchange(ctx, c.siteBase, req, true)
		return c.finish(ctx, req, raw, err)
	}
	switch c.TokenType() {
	case TokenScoped:
		base, err := c.gatewayBase(ctx)
		if err != nil {
			return nil, err
		}
		raw, err := c.exchange(ctx, base, req, false)
		return c.finish(ctx, req, raw, err)
	case TokenClassic:
		raw, err := c.exchange(ctx, c.siteBase, req, true)
		return c.finish(ctx, req, raw, err)
	}
	// Auto: the site first; on its 401, the gateway. The routing is fixed
	// by the first answer that shows the token was accepted by one host.
	raw, err = c.exchange(ctx, c.siteBase, req, true)
	if err == nil && raw.status == http.StatusUnauthorized {
		base, gerr := c.gatewayBase(ctx)
		if gerr != nil {
			return c.finish(ctx, req, raw, err)
		}
		graw, gerr := c.exchange(ctx, base, req, false)
		graw, gerr = c.finish(ctx, req, graw, gerr)
		if tokenAccepted(graw, gerr) {
			c.setMode(TokenScoped)
		}
		return graw, gerr
	}
	raw, err = c.finish(ctx, req, raw, err)
	if tokenAccepted(raw, err) {
		c.setMode(TokenClassic)
	}
	return raw, err
}

// tokenAccepted reports whether an answer shows that the host accepted the
// token: a success, or an error that only an accepted token can get (a
// named missing object, a forbidden object, a scope check, a CQL error).
func tokenAccepted(raw *rawResponse, err error) bool {
	if err == nil {
		return raw != nil && raw.status >= 200 && raw.status < 300
	}
	if errors.Is(err, ErrInvalidCQL) || errors.Is(err, ErrScopeMismatch) {
		return true
	}
	var ce *Error
	return errors.As(err, &ce) && (ce.Status == http.StatusNotFound && ce.kind == ErrNotFound ||
		ce.Status == http.StatusForbidden && ce.kind == ErrForbidden)
}

func (c *Client) setMode(m TokenType) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.mode == TokenAuto {
		c.mode = m
	}
}

// finish maps a non-2xx answer to its typed error.
func (c *Client) finish(ctx context.Context, req *request, raw *rawResponse, err error) (*rawResponse, error) {
	if err != nil {
		return raw, c.mapErr(ctx, req, err)
	}
	if req.redirect && isRedirect(raw.status) {
		return raw, nil
	}
	if err := checkResponse(req.endpoint(), raw.onSite, req.search, raw.status, raw.header, raw.body, c.opts.Now()); err != nil {
		return raw, err
	}
	return raw, nil
}

// mapErr turns transport and context failures into typed errors.
func (c *Client) mapErr(ctx context.Context, req *request, err error) error {
	var rl *RateLimitError
	if errors.As(err, &rl) {
		return rl // not sent: a wait in this client's own queue was too long
	}
	var ce *Error
	if errors.As(err, &ce) {
		if ce.Endpoint == "" || ce.Endpoint == req.method {
			cp := *ce
			cp.Endpoint = req.endpoint()
			return &cp
		}
		return ce
	}
	if errors.Is(err, context.Canceled) && ctx.Err() != nil {
		return ctx.Err()
	}
	if errors.Is(err, context.DeadlineExceeded) || ctx.Err() != nil {
		return &Error{Endpoint: req.endpoint(), Code: "TIMEOUT", Message: "deadline exceeded", kind: ErrTimeout, cause: context.DeadlineExceeded}
	}
	var te *transportErr
	if errors.As(err, &te) {
		if te.timeout {
			return &Error{Endpoint: req.endpoint(), Code: "TIMEOUT", Message: "attempt timed out: " + te.Error(), kind: ErrTimeout, cause: te.err}
		}
		return &Error{Endpoint: req.endpoint(), Code: "NETWORK", Message: "network error: " + te.Error(), kind: ErrUnavailable, cause: te.err}
	}
	return &Error{Endpoint: req.endpoint(), Message: err.Error(), kind: ErrUnavailable, cause: err}
}

// buildURL resolves the request against base.
func buildURL(base *url.URL, req *request) (*url.URL, error) {
	if req.abs != nil {
		return req.abs, nil
	}
	if req.next != "" {
		return resolveNext(base, req.next)
	}
	u := *base
	u.Path = base.Path + req.path
	u.RawPath = ""
	if strings.Contains(req.path, "%") {
		u.RawPath = base.EscapedPath() + req.path
		p, err := url.PathUnescape(req.path)
		if err != nil {
			return nil, fmt.Errorf("confluence: bad path: %w", err)
		}
		u.Path = base.Path + p
	}
	if len(req.query) > 0 {
		u.RawQuery = req.query.Encode()
	}
	return &u, nil
}

// resolveNext appends a next link to the base without losing the gateway's
// /ex/confluence/{cloudId} prefix: next links are site-relative paths
// ("/wiki/api/v2/..."), which url.ResolveReference against the gateway base
// would put at the host's root. Only the link's path
// (from "/wiki/" on; v1 links are context-relative and get "/wiki" added)
// and query are used: a host in the link is never followed.
func resolveNext(base *url.URL, next string) (*url.URL, error) {
	n, err := url.Parse(next)
	if err != nil {
		return nil, fmt.Errorf("confluence: bad next link: %w", err)
	}
	p := n.EscapedPath()
	switch i := strings.Index(p, "/wiki/"); {
	case i >= 0:
		p = p[i:]
	case strings.HasPrefix(p, "/"):
		p = "/wiki" + p
	default:
		return nil, fmt.Errorf("confluence: next link %q is not a path", next)
	}
	full := base.Scheme + "://" + base.Host + base.EscapedPath() + p
	if n.RawQuery != "" {
		full += "?" + n.RawQuery
	}
	return url.Parse(full)
}

// get sends a request and decodes a 2xx JSON answer into v.
func (c *Client) get(ctx context.Context, req *request, v any) (*Response, error) {
	if req.err != nil {
		return nil, req.err
	}
	raw, err := c.send(ctx, req)
	resp := newResponse(req, raw)
	if err != nil {
		return resp, err
	}
	if v != nil && len(bytes.TrimSpace(raw.body)) > 0 {
		if err := json.Unmarshal(raw.body, v); err != nil {
			return resp, &Error{Status: raw.status, Endpoint: req.endpoint(), Code: "BAD_RESPONSE",
				Message: "decoding response: " + err.Error(), kind: ErrUnavailable}
		}
	}
	return resp, nil
}

// baseLinked is a single object whose _links.base getOne reports as
// Response.Base.
type baseLinked interface{ linksBase() string }

// getOne fetches one object. When *T is baseLinked, Response.Base is its
// _links.base.
func getOne[T any](ctx context.Context, c *Client, req *request) (*T, *Response, error) {
	var v T
	resp, err := c.get(ctx, req, &v)
	if err != nil {
		return nil, resp, err
	}
	if b, ok := any(&v).(baseLinked); ok {
		resp.Base = b.linksBase()
	}
	return &v, resp, nil
}

func newResponse(req *request, raw *rawResponse) *Response {
	r := &Response{Endpoint: req.endpoint()}
	if raw != nil {
		r.StatusCode = raw.status
		r.Header = raw.header
	}
	return r
}

// setLinks records the next link (body _links.next, else the Link header's
// rel="next") and base.
func (r *Response) setLinks(l links) {
	r.Base = l.Base
	r.NextURL = l.Next
	if r.NextURL == "" && r.Header != nil {
		r.NextURL = linkHeaderNext(r.Header.Get("Link"))
	}
	if r.NextURL != "" {
		if u, err := url.Parse(r.NextURL); err == nil {
			r.NextCursor = u.Query().Get("cursor")
			// Data Center pages its searches by start only: the cursor is
			// then "start:N", which the client sends back as start=N.
			if st := u.Query().Get("start"); r.NextCursor == "" && st != "" && strings.HasSuffix(u.Path, "/search") {
				r.NextCursor = dcStartCursor + st
			}
		}
	}
}

// linkHeaderNext extracts the rel="next" target of a Link header.
func linkHeaderNext(h string) string {
	for _, part := range strings.Split(h, ",") {
		segs := strings.Split(part, ";")
		if len(segs) < 2 {
			continue
		}
		target := strings.TrimSpace(segs[0])
		if !strings.HasPrefix(target, "<") || !strings.HasSuffix(target, ">") {
			continue
		}
		for _, s := range segs[1:] {
			s = strings.ReplaceAll(strings.TrimSpace(s), " ", "")
			if s == `rel="next"` || s == "rel=next" {
				return target[1 : len(target)-1]
			}
		}
	}
	return ""
}
