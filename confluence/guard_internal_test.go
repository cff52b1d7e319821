package confluence

import (
	"crypto/tls"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestCheckAddr(t *testing.T) {
	t.Parallel()
	tests := []struct {
		addr    string
		allowed bool
	}{
		{"127.0.0.1", false},
		{"::1", false},
		{"169.254.169.254", false},
		{"::ffff:127.0.0.1", false},
		{"::ffff:169.254.169.254", false},
		{"0.0.0.0", false},
		{"10.1.2.3", false},
		{"172.16.0.1", false},
		{"192.168.1.1", false},
		{"100.64.0.1", false},
		{"100.127.255.254", false},
		{"192.0.0.8", false},
		{"198.18.0.1", false},
		{"224.0.0.1", false},
		{"255.255.255.255", false},
		{"fe80::1", false},
		{"fc00::1", false},
		{"fd00:ec2::254", false},
		{"2001:db8::1", false},
		{"2002:7f00:1::", false},
		{"64:ff9b::7f00:1", false},
		{"::", false},
		{"fd12:3456:789a::1", false},  // ULA
		{"fe80::a9fe:a9fe", false},    // link-local
		{"fec0::1", false},            // old site-local
		{"ff02::1", false},            // multicast
		{"::127.0.0.1", false},        // IPv4-compatible
		{"::ffff:10.0.0.1", false},    // IPv4-mapped private
		{"::ffff:100.64.1.1", false},  // IPv4-mapped CGNAT
		{"100.100.100.200", false},    // a cloud metadata address inside CGNAT
		{"64:ff9b::a9fe:a9fe", false}, // NAT64 of 169.254.169.254
		{"2002:a9fe:a9fe::1", false},  // 6to4 of 169.254.169.254
		{"104.192.141.1", true},
		{"185.166.143.1", true},
		{"2401:1d80:3000::1", true},
		{"::ffff:104.192.141.1", true},
	}
	for _, tt := range tests {
		t.Run(tt.addr, func(t *testing.T) {
			t.Parallel()
			err := checkAddr(netip.MustParseAddr(tt.addr))
			if got := err == nil; got != tt.allowed {
				t.Errorf("checkAddr(%s) allowed = %v, want %v (err %v)", tt.addr, got, tt.allowed, err)
			}
			if err != nil && !errors.Is(err, ErrHostNotAllowed) {
				t.Errorf("error %v does not match ErrHostNotAllowed", err)
			}
		})
	}
}

func TestDialGuardControl(t *testing.T) {
	t.Parallel()
	dev := dialGuard{dev: netip.MustParseAddrPort("127.0.0.1:9090")}
	tests := []struct {
		name    string
		g       dialGuard
		network string
		address string
		allowed bool
	}{
		{"public 443", dialGuard{}, "tcp4", "104.192.141.1:443", true},
		{"public port 80 refused", dialGuard{}, "tcp4", "104.192.141.1:80", false},
		{"loopback refused without dev host", dialGuard{}, "tcp4", "127.0.0.1:443", false},
		{"dev host port allowed", dev, "tcp4", "127.0.0.1:9090", true},
		{"dev host on ::1 allowed", dev, "tcp6", "[::1]:9090", true},
		{"other loopback port refused", dev, "tcp4", "127.0.0.1:9091", false},
		{"metadata refused with dev host", dev, "tcp4", "169.254.169.254:443", false},
		{"udp refused", dialGuard{}, "udp4", "104.192.141.1:443", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := tt.g.control(tt.network, tt.address, nil)
			if got := err == nil; got != tt.allowed {
				t.Errorf("control(%s, %s) allowed = %v, want %v (err %v)", tt.network, tt.address, got, tt.allowed, err)
			}
		})
	}
}

// TestDialGuardRefusesRealConnection: the production transport refuses to
// connect to a loopback listener that is not the development host, even
// when the URL check is bypassed (as after a DNS rebinding).
func TestDialGuardRefusesRealConnection(t *testing.T) {
	t.Parallel()
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { hits.Add(1) }))
	defer srv.Close()
	tr := newBaseTransport(dialGuard{dev: netip.MustParseAddrPort("127.0.0.1:1")})
	defer tr.CloseIdleConnections()
	req, _ := http.NewRequest(http.MethodGet, srv.URL, nil)
	_, err := tr.RoundTrip(req)
	if err == nil || !errors.Is(err, ErrHostNotAllowed) {
		t.Errorf("RoundTrip error %v, want ErrHostNotAllowed", err)
	}
	if got := hits.Load(); got != 0 {
		t.Errorf("server saw %d requests, want 0", got)
	}
}

func newGuardedClient(t *testing.T, h http.Handler) (*Client, *atomic.Int64) {
	t.Helper()
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	host := srv.Listener.Addr().String()
	c, err := NewClient(Options{Site: host, AllowedDevHost: host, GatewayURL: "http://" + host,
		Email: "a@example.com", Token: "secret-token", TokenType: TokenClassic, RateLimit: -1})
	if err != nil {
		t.Fatal(err)
	}
	return c, &hits
}

// TestWritesRefusedBeforeSending covers both layers: the client's own
// check and the transport (reached directly, as any future code path would).
func TestWritesRefusedBeforeSending(t *testing.T) {
	t.Parallel()
	c, hits := newGuardedClient(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {}))
	for _, m := range []string{"PUT", "POST", "DELETE", "PATCH", "OPTIONS", "TRACE", "CONNECT"} {
		t.Run(m, func(t *testing.T) {
			_, err := c.send(t.Context(), &request{method: m, route: "/wiki/api/v2/pages/{id}", path: "/wiki/api/v2/pages/1"})
			if !errors.Is(err, ErrWriteRefused) {
				t.Errorf("send %s: error %v, want ErrWriteRefused", m, err)
			}
			req, _ := http.NewRequest(m, c.siteBase.String()+"/wiki/api/v2/pages/1", strings.NewReader("{}"))
			resp, err := c.http.Do(req)
			if resp != nil {
				_ = resp.Body.Close()
			}
			if !errors.Is(err, ErrWriteRefused) {
				t.Errorf("transport %s: error %v, want ErrWriteRefused", m, err)
			}
		})
	}
	// A POST to a read-only endpoint's look-alike is refused too.
	for _, p := range []string{"/wiki/api/v2/pages", "/wiki/api/v2/users-bulk/x", "/evil/wiki/api/v2/users-bulk", "/ex/confluence/a/b/wiki/api/v2/users-bulk"} {
		req, _ := http.NewRequest("POST", c.siteBase.String()+p, strings.NewReader("{}"))
		if _, err := c.http.Do(req); !errors.Is(err, ErrWriteRefused) {
			t.Errorf("POST %s: error %v, want ErrWriteRefused", p, err)
		}
	}
	if got := hits.Load(); got != 0 {
		t.Errorf("server saw %d requests, want 0", got)
	}
	// The read-only POSTs pass.
	for _, p := range []string{"/wiki/api/v2/users-bulk", "/ex/confluence/abc-123/wiki/api/v2/users-bulk", "/wiki/api/v2/content/convert-ids-to-types"} {
		if !allowedMethod("POST", p) {
			t.Errorf("allowedMethod(POST, %s) = false, want true", p)
		}
	}
}

func TestHostAllowList(t *testing.T) {
	t.Parallel()
	c, hits := newGuardedClient(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {}))
	for _, u := range []string{
		"http://acme.atlassian.net/wiki/api/v2/pages", // plain http to a real host
		"https://evil.example.com/wiki/api/v2/pages",
		"https://acme.atlassian.net.evil.com/wiki",
		"https://other.atlassian.net/wiki/api/v2/pages", // a different site than the client's
		"https://169.254.169.254/latest/meta-data",
		"https://api.atlassian.com:8443/ex/confluence/x",
		"http://127.0.0.2:1/",
	} {
		req, _ := http.NewRequest("GET", u, nil)
		resp, err := c.http.Do(req)
		if resp != nil {
			_ = resp.Body.Close()
		}
		if !errors.Is(err, ErrHostNotAllowed) {
			t.Errorf("GET %s: error %v, want ErrHostNotAllowed", u, err)
		}
	}
	if got := hits.Load(); got != 0 {
		t.Errorf("server saw %d requests, want 0", got)
	}
}

func TestNewClientRejectsUnsafeConfig(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		o    Options
	}{
		{"non-atlassian site", Options{Site: "evil.com"}},
		{"IP site", Options{Site: "127.0.0.1"}},
		{"plain http gateway", Options{Site: "acme", GatewayURL: "http://api.atlassian.com"}},
		{"IP gateway", Options{Site: "acme", GatewayURL: "https://169.254.169.254"}},
		{"non-loopback dev host", Options{Site: "10.0.0.1:80", AllowedDevHost: "10.0.0.1:80"}},
		{"dev host without port", Options{Site: "127.0.0.1", AllowedDevHost: "127.0.0.1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.o.Email, tt.o.Token = "a@example.com", "t"
			if _, err := NewClient(tt.o); !errors.Is(err, ErrHostNotAllowed) {
				t.Errorf("NewClient error %v, want ErrHostNotAllowed", err)
			}
		})
	}
	if _, err := NewClient(Options{Site: "acme"}); err == nil {
		t.Error("NewClient without credentials: nil error, want one")
	}
}

func TestJSONTimeAndRetryAfter(t *testing.T) {
	t.Parallel()
	want := time.Date(2026, 7, 3, 13, 48, 15, 974_000_000, time.UTC)
	for _, in := range []string{`"2026-07-03T13:48:15.974Z"`, `1783086495974`, `"1783086495974"`, `"2026-07-03T15:48:15.974+02:00"`} {
		var jt jsonTime
		if err := jt.UnmarshalJSON([]byte(in)); err != nil {
			t.Errorf("UnmarshalJSON(%s): %v", in, err)
			continue
		}
		if got := time.Time(jt); !got.Equal(want) {
			t.Errorf("UnmarshalJSON(%s) = %v, want %v", in, got, want)
		}
	}
	for _, in := range []string{`null`, `""`} {
		var jt jsonTime
		if err := jt.UnmarshalJSON([]byte(in)); err != nil || !time.Time(jt).IsZero() {
			t.Errorf("UnmarshalJSON(%s) = %v, %v; want zero, nil", in, time.Time(jt), err)
		}
	}
	var jt jsonTime
	if err := jt.UnmarshalJSON([]byte(`"yesterday"`)); err == nil {
		t.Error("UnmarshalJSON(yesterday): nil error, want one")
	}
	now := time.Date(2026, 11, 25, 20, 0, 0, 0, time.UTC)
	ra := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"3", 3 * time.Second, true},
		{now.Add(90 * time.Second).Format(http.TimeFormat), 90 * time.Second, true},
		{now.Add(-time.Minute).Format(http.TimeFormat), 0, true},
		{"", 0, false},
		{"soon", 0, false},
	}
	for _, tt := range ra {
		got, ok := parseRetryAfter(tt.in, now)
		if got != tt.want || ok != tt.ok {
			t.Errorf("parseRetryAfter(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestResolveNextKeepsGatewayPrefix(t *testing.T) {
	t.Parallel()
	gw := &urlT{"https", "api.atlassian.com", "/ex/confluence/abc"}
	site := &urlT{"https", "acme.atlassian.net", ""}
	tests := []struct {
		base *urlT
		next string
		want string
	}{
		{gw, "/wiki/api/v2/pages?limit=5&cursor=XYZ", "https://api.atlassian.com/ex/confluence/abc/wiki/api/v2/pages?limit=5&cursor=XYZ"},
		{gw, "/rest/api/search?next=true&cursor=_f_MQ%3D%3D&cql=type+%3D+page", "https://api.atlassian.com/ex/confluence/abc/wiki/rest/api/search?next=true&cursor=_f_MQ%3D%3D&cql=type+%3D+page"},
		{site, "/rest/api/content/1/child/attachment?next=true&limit=1&start=1", "https://acme.atlassian.net/wiki/rest/api/content/1/child/attachment?next=true&limit=1&start=1"},
		{site, "https://evil.example.com/wiki/api/v2/pages?cursor=1", "https://acme.atlassian.net/wiki/api/v2/pages?cursor=1"},
		{gw, "/ex/confluence/abc/wiki/api/v2/pages?cursor=2", "https://api.atlassian.com/ex/confluence/abc/wiki/api/v2/pages?cursor=2"},
	}
	for _, tt := range tests {
		u, err := resolveNext(tt.base.url(), tt.next)
		if err != nil {
			t.Errorf("resolveNext(%s): %v", tt.next, err)
			continue
		}
		if got := u.String(); got != tt.want {
			t.Errorf("resolveNext(%s) = %s, want %s", tt.next, got, tt.want)
		}
	}
}

func TestLinkHeaderNext(t *testing.T) {
	t.Parallel()
	h := `</wiki/api/v2/blogposts?limit=2&cursor=eyJ>; rel="next", <https://x.atlassian.net/wiki>; rel="base"`
	if got, want := linkHeaderNext(h), "/wiki/api/v2/blogposts?limit=2&cursor=eyJ"; got != want {
		t.Errorf("linkHeaderNext = %q, want %q", got, want)
	}
	if got := linkHeaderNext(`<https://x.atlassian.net/wiki>; rel="base"`); got != "" {
		t.Errorf("linkHeaderNext without next = %q, want empty", got)
	}
}

func TestChunks(t *testing.T) {
	t.Parallel()
	ids := make([]string, 0, 600)
	for i := range 600 {
		ids = append(ids, strings.Repeat("x", 1+i%3)+string(rune('a'+i%26))+strings.Repeat("y", i/26))
	}
	ids = append(ids, ids[0], "")
	got := chunks(ids, 250)
	if len(got) != 3 || len(got[0]) != 250 || len(got[1]) != 250 || len(got[2]) != 100 {
		t.Errorf("chunk sizes wrong: %d chunks", len(got))
	}
}

func TestPathIDRejectsPathChanges(t *testing.T) {
	t.Parallel()
	for _, id := range []string{"", ".", "..", "1/../2", "1?x=1", "1#f", `1\2`, "%2e%2e"} {
		if _, err := pathID(id); err == nil {
			t.Errorf("pathID(%q): nil error, want one", id)
		}
	}
	if got, err := pathID("att123"); err != nil || got != "att123" {
		t.Errorf("pathID(att123) = %q, %v", got, err)
	}
}

type urlT struct{ scheme, host, path string }

func (u *urlT) url() *url.URL { return &url.URL{Scheme: u.scheme, Host: u.host, Path: u.path} }

func TestTransportTakesNoProxyFromEnvironment(t *testing.T) {
	t.Setenv("HTTPS_PROXY", "http://127.0.0.1:3128")
	t.Setenv("HTTP_PROXY", "http://127.0.0.1:3128")
	if tr := newBaseTransport(dialGuard{}); tr.Proxy != nil {
		t.Error("base transport has a Proxy function, want nil")
	}
}

func TestUnknownSiteIsNotFoundAndNotRetried(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	err := classifyTransport(ctx, ctx, &url.Error{Op: "Get", URL: "https://nope.atlassian.net/_edge/tenant_info?token=x",
		Err: &net.OpError{Op: "dial", Err: &net.DNSError{Err: "no such host", Name: "nope.atlassian.net", IsNotFound: true}}})
	if !errors.Is(err, ErrNotFound) {
		t.Errorf("error %v, want ErrNotFound", err)
	}
	if strings.Contains(err.Error(), "token=x") {
		t.Errorf("error %q carries the URL", err)
	}
	if got := retryReason(nil, err); got != "" {
		t.Errorf("retryReason = %q, want no retry", got)
	}
}

// TestDialGuardChecksResolvedAddresses: the guard runs in the dialer, after
// DNS resolution, on every connection: a name that resolves to loopback (as
// after DNS rebinding) is refused although no URL check saw an address
// (a test cannot listen on 443, so here the port rule refuses it; the
// address rules themselves are TestCheckAddr's), and the development
// exception admits the resolved loopback address at its port, once per
// new connection.
func TestDialGuardChecksResolvedAddresses(t *testing.T) {
	t.Parallel()
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { hits.Add(1) }))
	defer srv.Close()
	port := srv.Listener.Addr().(*net.TCPAddr).Port
	byName := "http://localhost:" + strconv.Itoa(port) + "/"

	refused := newBaseTransport(dialGuard{})
	defer refused.CloseIdleConnections()
	req, _ := http.NewRequest(http.MethodGet, byName, nil)
	if _, err := refused.RoundTrip(req); !errors.Is(err, ErrHostNotAllowed) {
		t.Errorf("RoundTrip(%s) without a dev host: error %v, want ErrHostNotAllowed", byName, err)
	}
	if got := hits.Load(); got != 0 {
		t.Fatalf("server saw %d requests, want 0", got)
	}

	dev := newBaseTransport(dialGuard{dev: netip.AddrPortFrom(netip.MustParseAddr("127.0.0.1"), uint16(port))})
	defer dev.CloseIdleConnections()
	for i := range 2 {
		// A fresh connection each time: the check runs per connection.
		req, _ := http.NewRequest(http.MethodGet, byName, nil)
		req.Close = true
		resp, err := dev.RoundTrip(req)
		if err != nil {
			t.Fatalf("request %d to the dev host by name: %v", i+1, err)
		}
		_ = resp.Body.Close()
	}
	if got := hits.Load(); got != 2 {
		t.Errorf("server saw %d requests, want 2", got)
	}
}

// TestClientTransportTakesNoProxy: the transport NewClient installs (not
// only newBaseTransport) ignores HTTP(S)_PROXY, so the dial-time guard sees
// the target's address and not a proxy's.
func TestClientTransportTakesNoProxy(t *testing.T) {
	t.Setenv("HTTPS_PROXY", "http://proxy.example.com:3128")
	t.Setenv("HTTP_PROXY", "http://proxy.example.com:3128")
	c, err := NewClient(Options{Site: "acme", Email: "a@example.com", Token: "t"})
	if err != nil {
		t.Fatal(err)
	}
	g, ok := c.http.Transport.(*guardTransport)
	if !ok {
		t.Fatalf("client transport is %T, want *guardTransport", c.http.Transport)
	}
	tr, ok := g.next.(*http.Transport)
	if !ok {
		t.Fatalf("guarded transport wraps %T, want *http.Transport", g.next)
	}
	if tr.Proxy != nil {
		req, _ := http.NewRequest(http.MethodGet, "https://acme.atlassian.net/wiki/api/v2/pages", nil)
		u, _ := tr.Proxy(req)
		t.Errorf("client transport has a Proxy function (gives %v), want nil", u)
	}
	if tr.DialContext == nil || tr.TLSClientConfig == nil || tr.TLSClientConfig.InsecureSkipVerify || tr.TLSClientConfig.MinVersion < tls.VersionTLS12 {
		t.Errorf("client transport lacks the guarded dialer or verified TLS 1.2+")
	}
	if tr.TLSHandshakeTimeout <= 0 || tr.ResponseHeaderTimeout <= 0 || tr.IdleConnTimeout <= 0 {
		t.Errorf("client transport timeouts: handshake %v, response header %v, idle %v; want all bounded (a stalled host must not hold a call)",
			tr.TLSHandshakeTimeout, tr.ResponseHeaderTimeout, tr.IdleConnTimeout)
	}
}
