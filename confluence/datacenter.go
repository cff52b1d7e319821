package confluence

import (
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"os"
	"regexp"
	"strings"
	"syscall"
)

// ErrUnsupported: the call has no equivalent on the client's deployment (a
// v2 route, the gateway or the cloud-id lookup on Confluence Data Center).
// Nothing was sent.
var ErrUnsupported = errors.New("confluence: not supported on this deployment")

// DataCenterOptions switch a Client to Confluence Data Center (self-hosted,
// 7.9 or later): requests go to BaseURL + "/rest/api/..." (no "/wiki"
// prefix, no v2 routes, no gateway) with "Authorization: Bearer <PAT>".
// Options.Site, Email, Token, TokenType, CloudID and GatewayURL are then
// ignored.
type DataCenterOptions struct {
	// BaseURL is the instance's base URL with its context path, as its
	// administrator configured it, e.g. "https://wiki.corp.example/confluence"
	// (no context path when Confluence serves at the root). It must be https
	// unless its host is Options.AllowedDevHost.
	BaseURL string
	// PAT is a personal access token. It is a secret: never logged.
	PAT string
	// Hosts is the operator's list of Data Center hosts this process may
	// dial (--allow-datacenter-host). BaseURL's host must be on it unless it
	// is Options.AllowedDevHost. Nil refuses every Data Center host.
	Hosts *HostAllowList
	// RootCAs, when set, verifies the instance's certificate (the system
	// roots plus a custom bundle, see LoadCABundle); nil uses the system roots.
	RootCAs *x509.CertPool
}

// HostAllowList is the operator's list of Data Center hosts: exact host
// names and CIDR prefixes. The zero value allows nothing. It is read-only
// after ParseHostAllowList and safe for concurrent use.
type HostAllowList struct {
	names    map[string]bool
	prefixes []netip.Prefix
}

// ParseHostAllowList parses entries (each a host name such as
// "wiki.corp.example", an IP address or a CIDR such as "10.20.0.0/16";
// comma-separated entries are split). Empty entries are skipped. A name
// with a scheme, port, path or wildcard is an error.
func ParseHostAllowList(entries []string) (*HostAllowList, error) {
	l := &HostAllowList{names: map[string]bool{}}
	for _, raw := range entries {
		for _, e := range strings.Split(raw, ",") {
			e = strings.ToLower(strings.TrimSpace(e))
			if e == "" {
				continue
			}
			if p, err := netip.ParsePrefix(e); err == nil {
				l.prefixes = append(l.prefixes, p.Masked())
				continue
			}
			if a, err := netip.ParseAddr(e); err == nil {
				l.prefixes = append(l.prefixes, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
				continue
			}
			if !hostNameRE.MatchString(e) {
				return nil, fmt.Errorf("confluence: data center host %q is neither a host name nor a CIDR", e)
			}
			l.names[strings.TrimSuffix(e, ".")] = true
		}
	}
	return l, nil
}

// Empty reports whether the list allows nothing.
func (l *HostAllowList) Empty() bool {
	return l == nil || (len(l.names) == 0 && len(l.prefixes) == 0)
}

// AllowsHost reports whether host (a name or an IP literal, no port) is on
// the list: a listed name, or an address inside a listed prefix.
func (l *HostAllowList) AllowsHost(host string) bool {
	if l == nil {
		return false
	}
	host = strings.TrimSuffix(strings.ToLower(strings.Trim(host, "[]")), ".")
	if a, err := netip.ParseAddr(host); err == nil {
		return l.allowsAddr(a)
	}
	return l.names[host]
}

func (l *HostAllowList) allowsAddr(a netip.Addr) bool {
	a = a.Unmap()
	for _, p := range l.prefixes {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// String lists the entries (for logs and flags).
func (l *HostAllowList) String() string {
	if l == nil {
		return ""
	}
	var out []string
	for n := range l.names {
		out = append(out, n)
	}
	for _, p := range l.prefixes {
		out = append(out, p.String())
	}
	return strings.Join(out, ",")
}

// hostNameRE is a DNS name of one or more labels.
var hostNameRE = regexp.MustCompile(`^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*\.?$`)

// LoadCABundle returns the system roots plus the PEM certificates in path
// (--datacenter-ca-file), for DataCenterOptions.RootCAs. A file without a
// certificate is an error.
func LoadCABundle(path string) (*x509.CertPool, error) {
	pem, err := os.ReadFile(path) //nolint:gosec // the operator names the file
	if err != nil {
		return nil, fmt.Errorf("confluence: reading CA bundle: %w", err)
	}
	pool, err := x509.SystemCertPool()
	if err != nil || pool == nil {
		pool = x509.NewCertPool()
	}
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("confluence: CA bundle %s holds no PEM certificate", path)
	}
	return pool, nil
}

// dcBase parses and checks a Data Center base URL: https (plain http only
// for the development host), no user info, query or fragment; the host on
// the operator's list or the development host. It returns the base with
// its context path ("" or "/confluence", no trailing slash).
func dcBase(o *DataCenterOptions, devHost string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(o.BaseURL))
	if err != nil || u.Host == "" || u.Opaque != "" {
		return nil, fmt.Errorf("%w: data center base URL %q is not an absolute URL such as https://wiki.corp.example/confluence", ErrHostNotAllowed, o.BaseURL)
	}
	if u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("%w: data center base URL must have no user, query or fragment", ErrHostNotAllowed)
	}
	u.Host = strings.ToLower(u.Host)
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawPath = ""
	dev := devHost != "" && u.Host == devHost
	switch {
	case dev && (u.Scheme == "http" || u.Scheme == "https"):
	case u.Scheme != "https":
		return nil, fmt.Errorf("%w: data center base URL %q must be https", ErrHostNotAllowed, o.BaseURL)
	case !o.Hosts.AllowsHost(u.Hostname()):
		return nil, fmt.Errorf("%w: data center host %s is not on the operator's list (--allow-datacenter-host)", ErrHostNotAllowed, u.Hostname())
	}
	if strings.HasSuffix(u.Hostname(), ".atlassian.net") {
		return nil, fmt.Errorf("%w: %s is a Confluence Cloud site, not Data Center", ErrHostNotAllowed, u.Hostname())
	}
	return u, nil
}

// dcDialGuard checks Data Center connections after DNS resolution: only the
// base URL's port, and an address inside a listed prefix, or, for a host
// allowed by name, any unicast address but loopback, link-local (cloud
// metadata), unspecified and the other special ranges checkAddr refuses
// outside the private ones. A name re-pointed at 127.0.0.1 or
// 169.254.169.254 (DNS rebinding) is refused.
type dcDialGuard struct {
	dev   netip.AddrPort
	port  uint16
	hosts *HostAllowList
}

var privateRanges = []netip.Prefix{
	netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("172.16.0.0/12"),
	netip.MustParsePrefix("192.168.0.0/16"), netip.MustParsePrefix("100.64.0.0/10"),
	netip.MustParsePrefix("fc00::/7"),
}

func (g dcDialGuard) control(network, address string, _ syscall.RawConn) error {
	a, devHost, err := dialTarget(network, address, g.dev, g.port)
	if err != nil || devHost {
		return err
	}
	if g.hosts.allowsAddr(a) {
		return nil
	}
	for _, p := range privateRanges {
		if p.Contains(a) {
			return nil
		}
	}
	return checkAddr(a)
}

// dcPort is the port of a base URL (443 when none).
func dcPort(u *url.URL) (uint16, error) {
	p := u.Port()
	if p == "" {
		if u.Scheme == "http" {
			return 80, nil
		}
		return 443, nil
	}
	_, port, err := net.SplitHostPort(u.Host)
	if err != nil {
		return 0, fmt.Errorf("%w: port of %s", ErrHostNotAllowed, u.Host)
	}
	var n uint16
	if _, err := fmt.Sscanf(port, "%d", &n); err != nil || n == 0 {
		return 0, fmt.Errorf("%w: port %q", ErrHostNotAllowed, port)
	}
	return n, nil
}
