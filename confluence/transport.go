package confluence

import (
	"crypto/tls"
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"
)

// readOnlyPOSTs are the POST endpoints that only read (path suffixes after
// the site or gateway base).
var readOnlyPOSTs = []string{
	"/wiki/api/v2/users-bulk",
	"/wiki/api/v2/content/convert-ids-to-types",
}

// allowedMethod reports whether a request with this method and URL path may
// be sent: GET, HEAD, and the read-only POSTs above.
func allowedMethod(method, path string) bool {
	switch method {
	case http.MethodGet, http.MethodHead:
		return true
	case http.MethodPost:
		for _, p := range readOnlyPOSTs {
			if path == p || (strings.HasPrefix(path, "/ex/confluence/") && strings.HasSuffix(path, p) &&
				strings.Count(strings.TrimSuffix(path, p), "/") == 3) {
				return true
			}
		}
	}
	return false
}

// guardTransport refuses, before anything is sent, every request that could
// write (any method but GET/HEAD and the read-only POSTs) and every request
// to a host outside the allow-list or over plain HTTP (except the
// development host). Refusals are *Error values matching ErrWriteRefused or
// ErrHostNotAllowed.
type guardTransport struct {
	next    http.RoundTripper
	hostOK  func(host string) bool
	devHost string
	dcPort  string // the Data Center base URL's explicit port, if any
}

// RoundTrip implements http.RoundTripper.
func (t *guardTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if !allowedMethod(req.Method, req.URL.Path) {
		closeBody(req)
		return nil, &Error{Code: "WRITE_REFUSED", Endpoint: req.Method,
			Message: fmt.Sprintf("%s is not a read; the client sends only GET, HEAD and read-only POSTs", req.Method),
			kind:    ErrWriteRefused}
	}
	host := strings.ToLower(req.URL.Host)
	switch {
	case host == t.devHost && t.devHost != "":
		if req.URL.Scheme != "http" && req.URL.Scheme != "https" {
			return nil, hostRefusal(req, "scheme "+req.URL.Scheme)
		}
	case req.URL.Scheme != "https":
		return nil, hostRefusal(req, "plain http is allowed only for the development host")
	case req.URL.Port() != "" && req.URL.Port() != "443" && req.URL.Port() != t.dcPort:
		return nil, hostRefusal(req, "port "+req.URL.Port())
	case !t.hostOK(req.URL.Hostname()):
		return nil, hostRefusal(req, "host "+req.URL.Hostname())
	}
	return t.next.RoundTrip(req)
}

// closeBody honours the RoundTripper contract on refusal.
func closeBody(req *http.Request) {
	if req.Body != nil {
		_ = req.Body.Close()
	}
}

func hostRefusal(req *http.Request, why string) error {
	closeBody(req)
	return &Error{Code: "HOST_NOT_ALLOWED", Endpoint: req.Method, Message: why + " is not allowed", kind: ErrHostNotAllowed}
}

// newBaseTransport is the production transport: no proxy from the
// environment, the dial-time address guard, TLS 1.2+ with verification,
// and bounded handshakes.
func newBaseTransport(g dialGuard) *http.Transport {
	d := &net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second, Control: g.control}
	return &http.Transport{
		Proxy:                 nil,
		DialContext:           d.DialContext,
		TLSClientConfig:       &tls.Config{MinVersion: tls.VersionTLS12},
		TLSHandshakeTimeout:   5 * time.Second,
		ResponseHeaderTimeout: 15 * time.Second,
		IdleConnTimeout:       90 * time.Second,
		MaxIdleConnsPerHost:   8,
		ForceAttemptHTTP2:     true,
	}
}
