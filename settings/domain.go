package settings

import (
	"net/mail"
	"net/netip"
	"net/url"
	"regexp"
	"strings"
)

// siteHostRE is one DNS label under atlassian.net: the only shape of a
// Confluence Cloud site host, and the only site host accepted, so a tenant
// cannot point the service at an internal address (SSRF).
var siteHostRE = regexp.MustCompile(`^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.atlassian\.net$`)

// labelRE is one label of a syntactically valid host name; alone, it is a
// bare site name such as "acme".
var labelRE = regexp.MustCompile(`^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$`)

// domainField is the input path of the domain in the GraphQL mutations.
var domainField = []string{"input", "domain"}

// NormalizeDomain reduces what a user typed as their Confluence site to the
// bare host that is stored and dialled ("acme.atlassian.net"). It accepts
// "acme.atlassian.net", "acme" (a bare site name), "https://acme.atlassian.net",
// "https://acme.atlassian.net/wiki" and any "/wiki/..." path of the site,
// with or without a trailing slash, in any letter case.
//
// devHost, when not empty, is the one development host ("127.0.0.1:PORT",
// the simulator) that is also accepted, bare or as http://devHost[/wiki].
// Production passes "".
//
// On failure it returns a *UserError, never a Go error:
//   - INVALID_DOMAIN: empty input, spaces or non-ASCII, another scheme,
//     userinfo ("user@host"), a port, a query or fragment, a path other than
//     /wiki..., an empty label or trailing dot, or a label with characters
//     other than a-z, 0-9 and '-'.
//   - DOMAIN_NOT_ALLOWED: a well-formed host that is not a single label under
//     atlassian.net (another domain, a deeper or look-alike name such as
//     atlassian.net.evil.com, api.atlassian.com) or an IP address in any
//     spelling (169.254.169.254, [::1], 2130706433).
func NormalizeDomain(input, devHost string) (string, *UserError) {
	devHost = strings.ToLower(strings.TrimSpace(devHost))
	s := strings.TrimSpace(input)
	if s == "" {
		return "", domainError(CodeInvalidDomain, "Enter your Confluence site, for example acme.atlassian.net.")
	}
	for _, r := range s {
		if r < 0x21 || r > 0x7e {
			return "", domainError(CodeInvalidDomain, "The domain may contain only ASCII letters, digits, dots and dashes.")
		}
	}
	raw := s
	hasScheme := strings.Contains(s, "://")
	if !hasScheme {
		raw = "https://" + s
	}
	u, err := url.Parse(raw)
	if err != nil || u.Opaque != "" || u.Host == "" {
		return "", domainError(CodeInvalidDomain, "The domain is not a valid host name.")
	}
	host := strings.ToLower(u.Host)
	switch {
	case u.User != nil || strings.Contains(s, "@"):
		return "", domainError(CodeInvalidDomain, "The domain must not contain a user name (user@host).")
	case u.RawQuery != "" || u.Fragment != "" || u.ForceQuery || strings.ContainsAny(s, "?#"):
		return "", domainError(CodeInvalidDomain, "The domain must not contain a query (?) or fragment (#).")
	case !wikiPath(u.EscapedPath()):
		return "", domainError(CodeInvalidDomain, "Enter only the site host, for example acme.atlassian.net (a path other than /wiki is not allowed).")
	}
	if devHost != "" && host == devHost {
		if hasScheme && u.Scheme != "http" {
			return "", domainError(CodeInvalidDomain, "The development host is served over plain http.")
		}
		return devHost, nil
	}
	if hasScheme && u.Scheme != "https" {
		return "", domainError(CodeInvalidDomain, "Confluence Cloud sites are reached over https only.")
	}
	if u.Port() != "" || strings.HasSuffix(host, ":") {
		return "", domainError(CodeInvalidDomain, "The domain must not contain a port.")
	}
	name := strings.ToLower(u.Hostname())
	if _, err := netip.ParseAddr(strings.Trim(name, "[]")); err == nil || strings.HasPrefix(host, "[") {
		return "", domainError(CodeDomainNotAllowed, "IP addresses are not allowed; enter your Atlassian site, for example acme.atlassian.net.")
	}
	if strings.HasSuffix(name, ".") {
		return "", domainError(CodeInvalidDomain, "The domain must not end with a dot.")
	}
	for _, label := range strings.Split(name, ".") {
		if !labelRE.MatchString(label) {
			return "", domainError(CodeInvalidDomain, "The domain is not a valid host name.")
		}
	}
	if labelRE.MatchString(name) && !allDigits(name) {
		name += ".atlassian.net"
	}
	if !siteHostRE.MatchString(name) {
		return "", domainError(CodeDomainNotAllowed, "Only Atlassian Cloud sites (<your-site>.atlassian.net) can be connected.")
	}
	return name, nil
}

// wikiPath reports whether p is empty, "/", or /wiki optionally followed by
// more path (a page URL pasted from the browser): the only paths
// NormalizeDomain ignores. Dot segments and escapes are refused so a path
// cannot smuggle anything.
func wikiPath(p string) bool {
	switch {
	case p == "" || p == "/" || p == "/wiki" || p == "/wiki/":
		return true
	case !strings.HasPrefix(p, "/wiki/"):
		return false
	}
	for _, seg := range strings.Split(p, "/") {
		if seg == "." || seg == ".." || strings.Contains(seg, "%") || strings.Contains(seg, "\\") {
			return false
		}
	}
	return true
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func domainError(code ErrorCode, msg string) *UserError {
	return &UserError{Field: domainField, Code: code, Message: msg, Hints: []string{
		"Use the host of your Confluence Cloud URL, for example acme.atlassian.net.",
	}}
}

// ValidateEmail checks that email is a bare address (no display name, no
// angle brackets) of at most 254 characters and returns it trimmed. On
// failure it returns a *UserError with code INVALID_EMAIL.
func ValidateEmail(email string) (string, *UserError) {
	e := strings.TrimSpace(email)
	bad := &UserError{Field: []string{"input", "email"}, Code: CodeInvalidEmail,
		Message: "Enter the email address of the Atlassian account that created the API token.",
		Hints:   []string{"Use the address you sign in to Atlassian with, for example you@example.com."}}
	if e == "" || len(e) > 254 || strings.ContainsAny(e, " <>\t\r\n") {
		return "", bad
	}
	a, err := mail.ParseAddress(e)
	if err != nil || a.Address != e || a.Name != "" || !strings.Contains(e[strings.LastIndexByte(e, '@')+1:], ".") {
		return "", bad
	}
	return e, nil
}
