package confluence

import (
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"regexp"
	"strings"
	"syscall"
)

// siteRE is one DNS label under atlassian.net: no IP literals, ports, user
// info, other domains or deeper names.
var siteRE = regexp.MustCompile(`^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.atlassian\.net$`)

// labelRE is a bare site name such as "acme".
var labelRE = regexp.MustCompile(`^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$`)

// NormalizeSite reduces a user-supplied site to its host
// ("acme.atlassian.net"). It accepts "acme", "acme.atlassian.net",
// "https://acme.atlassian.net" and "https://acme.atlassian.net/wiki/...".
// It rejects anything else with an error matching ErrHostNotAllowed: other
// domains, ports, userinfo, IP literals, trailing dots, non-ASCII, query or
// fragment, and http://.
func NormalizeSite(input string) (string, error) {
	s := strings.TrimSpace(input)
	if s == "" {
		return "", fmt.Errorf("%w: empty site", ErrHostNotAllowed)
	}
	for _, r := range s {
		if r > 0x7e || r < 0x21 {
			return "", fmt.Errorf("%w: site %q has non-ASCII or space characters", ErrHostNotAllowed, input)
		}
	}
	if strings.Contains(s, "://") {
		u, err := url.Parse(s)
		if err != nil {
			return "", fmt.Errorf("%w: site %q is not a URL", ErrHostNotAllowed, input)
		}
		if u.Scheme != "https" || u.User != nil || u.RawQuery != "" || u.Fragment != "" || u.Port() != "" || u.Opaque != "" {
			return "", fmt.Errorf("%w: site %q must be https://<name>.atlassian.net without port, user, query or fragment", ErrHostNotAllowed, input)
		}
		s = u.Host
	}
	s = strings.ToLower(s)
	if labelRE.MatchString(s) {
		s += ".atlassian.net"
	}
	if !siteRE.MatchString(s) {
		return "", fmt.Errorf("%w: site %q is not <name>.atlassian.net", ErrHostNotAllowed, input)
	}
	return s, nil
}

// validateDevHost checks that h is a loopback "host:port".
func validateDevHost(h string) (netip.AddrPort, error) {
	host, port, err := net.SplitHostPort(h)
	if err != nil || port == "" {
		return netip.AddrPort{}, fmt.Errorf("%w: dev host %q must be loopback host:port", ErrHostNotAllowed, h)
	}
	if host == "localhost" {
		host = "127.0.0.1"
	}
	ap, err := netip.ParseAddrPort(net.JoinHostPort(host, port))
	if err != nil || !ap.Addr().Unmap().IsLoopback() {
		return netip.AddrPort{}, fmt.Errorf("%w: dev host %q must be a loopback address with a port", ErrHostNotAllowed, h)
	}
	return ap, nil
}

// blockedPrefixes are the IANA special-purpose ranges that no outbound
// connection may reach (besides the explicit development host).
var blockedPrefixes = func() []netip.Prefix {
	var out []netip.Prefix
	for _, p := range []string{
		"0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16",
		"172.16.0.0/12", "192.0.0.0/24", "192.0.2.0/24", "192.88.99.0/24", "192.168.0.0/16",
		"198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4",
		// IPv6 special ranges inside global unicast 2000::/3.
		"2001::/23", "2001:db8::/32", "2002::/16", "3fff::/20",
	} {
		out = append(out, netip.MustParsePrefix(p))
	}
	return out
}()

var globalUnicast6 = netip.MustParsePrefix("2000::/3")

// checkAddr reports whether ip may be dialled. IPv4-mapped IPv6 addresses
// are checked as IPv4; other IPv6 must be global unicast outside the
// special ranges.
func checkAddr(ip netip.Addr) error {
	ip = ip.Unmap()
	if !ip.IsValid() || ip.Zone() != "" {
		return fmt.Errorf("%w: address %s", ErrHostNotAllowed, ip)
	}
	if ip.Is6() && !globalUnicast6.Contains(ip) {
		return fmt.Errorf("%w: address %s is not global unicast", ErrHostNotAllowed, ip)
	}
	for _, p := range blockedPrefixes {
		if p.Contains(ip) {
			return fmt.Errorf("%w: address %s is in %s", ErrHostNotAllowed, ip, p)
		}
	}
	return nil
}

// dialGuard checks every connection attempt after DNS resolution, so a
// name re-pointed at an internal address (DNS rebinding) is still refused.
type dialGuard struct {
	dev netip.AddrPort // zero when there is no development host
}

// control is a net.Dialer Control function.
func (g dialGuard) control(network, address string, _ syscall.RawConn) error {
	a, devHost, err := dialTarget(network, address, g.dev, 443)
	if err != nil || devHost {
		return err
	}
	return checkAddr(a)
}

// dialTarget is the check every dial guard starts with: it refuses a
// network other than TCP, an address that does not parse and, unless the
// dial is to the development host dev (a loopback address on dev's port,
// when dev is valid), a port other than port. It returns the address,
// IPv4-mapped IPv6 unmapped, and whether the dial is to the development
// host, which the guards then let through without further checks.
func dialTarget(network, address string, dev netip.AddrPort, port uint16) (netip.Addr, bool, error) {
	if network != "tcp4" && network != "tcp6" {
		return netip.Addr{}, false, fmt.Errorf("%w: network %s", ErrHostNotAllowed, network)
	}
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return netip.Addr{}, false, fmt.Errorf("%w: dial address %q", ErrHostNotAllowed, address)
	}
	a := ap.Addr().Unmap()
	if dev.IsValid() && a.IsLoopback() && ap.Port() == dev.Port() {
		return a, true, nil
	}
	if ap.Port() != port {
		return netip.Addr{}, false, fmt.Errorf("%w: port %d", ErrHostNotAllowed, ap.Port())
	}
	return a, false, nil
}

// mediaHost reports whether host is an Atlassian media host that attachment
// downloads redirect to.
func mediaHost(host string) bool {
	return host == "api.media.atlassian.com" || strings.HasSuffix(host, ".media.atlassian.com")
}
