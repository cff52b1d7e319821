package graph

import (
	"context"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/confluence-graph/confluence-graph/cql"
	"github.com/confluence-graph/confluence-graph/graph/model"
	"github.com/confluence-graph/confluence-graph/loaders"
)

// pageRef is what a Confluence link identifies: a page id, or a space key plus a title, on the
// site Host ("" for a relative link).
type pageRef struct {
	ID       string
	SpaceKey string
	Title    string
	Host     string // lower-cased host[:port] without a trailing dot or the scheme's default port
}

// pageByURL resolves a Confluence link against the caller's tenant. A link with a host must
// name the tenant's own site (the host stored with its integration); a link to any other site,
// even one whose path would resolve here, is refused with BAD_USER_INPUT naming the expected
// host, so a link to another company's page never shows this tenant's page of the same id.
func pageByURL(ctx context.Context, raw string) (*model.Page, error) {
	if _, err := requireCaller(ctx); err != nil {
		return nil, err
	}
	ref, err := parsePageURL(raw)
	if err != nil {
		return nil, err
	}
	if ref.Host != "" {
		site, err := loaders.For(ctx).Site(ctx)
		if err != nil {
			return nil, err
		}
		if err := checkLinkHost(ref.Host, site); err != nil {
			return nil, err
		}
	}
	if ref.ID != "" {
		return loadPage(ctx, ref.ID)
	}
	// /display/KEY/Title: an exact title match in the space, through CQL.
	q := "type = page AND space = " + cql.Quote(ref.SpaceKey) + " AND title = " + cql.Quote(ref.Title)
	sp, _, err := loaders.For(ctx).Search(ctx, loaders.SearchRequest{SearchQuery: loaders.SearchQuery{CQL: q}, First: 1})
	if err != nil {
		return nil, err
	}
	for _, h := range sp.Hits {
		if h.ContentID != "" {
			return loadPage(ctx, h.ContentID)
		}
	}
	return nil, notFoundf("no page titled %q in space %s", ref.Title, ref.SpaceKey)
}

// checkLinkHost accepts host (a link's normalised host) when it is the tenant's site; site ""
// (an upstream that does not know its site) accepts no host at all.
func checkLinkHost(host, site string) error {
	want := strings.TrimSuffix(strings.ToLower(site), ".")
	if want == "" {
		return inputErrorf("url", "the tenant's Confluence site is unknown here; pass the link without its host (for example /wiki/spaces/KEY/pages/ID)")
	}
	if host != want {
		return inputErrorf("url", "the link points at %s, not at this tenant's Confluence site %s; only links to %s (or relative links such as /wiki/x/...) resolve", host, want, want)
	}
	return nil
}

// linkHost normalises the host of a parsed link for comparison with the tenant's site:
// lower case, no trailing dot, no default port of the scheme.
func linkHost(u *url.URL) string {
	host := strings.ToLower(u.Host)
	switch {
	case u.Scheme == "https" && strings.HasSuffix(host, ":443"):
		host = strings.TrimSuffix(host, ":443")
	case u.Scheme == "http" && strings.HasSuffix(host, ":80"):
		host = strings.TrimSuffix(host, ":80")
	}
	if h, port, ok := strings.Cut(host, ":"); ok && !strings.HasPrefix(host, "[") {
		return strings.TrimSuffix(h, ".") + ":" + port
	}
	return strings.TrimSuffix(host, ".")
}

// parsePageURL understands the link shapes Confluence Cloud produces:
//
//	/wiki/spaces/KEY/pages/ID[/Title]        (also /spaces/... without /wiki)
//	/wiki/x/TINY                              (tiny link: little-endian id bytes, URL-safe base64)
//	/wiki/pages/viewpage.action?pageId=ID     (legacy; any path ending in viewpage.action)
//	/wiki/display/KEY/Title                   (legacy; '+' stands for a space in Title)
//
// and Data Center's, the same forms under its context path instead of /wiki
// (/confluence/display/KEY/Title, /confluence/x/TINY, .../pages/viewpage.action?pageId=ID).
//
// The scheme and host are optional; the host is returned in pageRef.Host for the caller to check
// against the tenant's site. Userinfo (user@host) is refused. It returns an *InputError for
// anything else.
func parsePageURL(raw string) (pageRef, error) {
	s := strings.TrimSpace(raw)
	if s == "" {
		return pageRef{}, inputErrorf("url", "url is empty")
	}
	if !strings.Contains(s, "://") && !strings.HasPrefix(s, "/") {
		// "acme.atlassian.net/wiki/..." or "wiki/x/..."
		if i := strings.Index(s, "/"); i > 0 && strings.Contains(s[:i], ".") {
			s = "https://" + s
		} else {
			s = "/" + s
		}
	}
	u, err := url.Parse(s)
	if err != nil {
		return pageRef{}, inputErrorf("url", "url does not parse: %v", err)
	}
	if u.User != nil {
		return pageRef{}, inputErrorf("url", "a page link has no user name or password before its host")
	}
	ref, err := parsePagePath(u)
	ref.Host = linkHost(u)
	return ref, err
}

// parsePagePath reads the page a link's path (and query) names.
func parsePagePath(u *url.URL) (pageRef, error) {
	if id := u.Query().Get("pageId"); id != "" && strings.HasSuffix(u.Path, "viewpage.action") {
		if !isDecimal(id) {
			return pageRef{}, inputErrorf("url", "pageId %q is not a page id", id)
		}
		return pageRef{ID: id}, nil
	}
	parts := strings.Split(strings.Trim(u.EscapedPath(), "/"), "/")
	if len(parts) > 0 && parts[0] == "wiki" {
		parts = parts[1:]
	}
	// Data Center serves under its context path (/confluence/display/KEY/Title,
	// /confluence/x/TINY): skip up to two leading segments before a known form.
	for skip := 0; skip < 2 && len(parts) > 1 && parts[0] != "spaces" && parts[0] != "x" && parts[0] != "display"; skip++ {
		parts = parts[1:]
	}
	seg := func(i int) string {
		if i >= len(parts) {
			return ""
		}
		v, err := url.PathUnescape(parts[i])
		if err != nil {
			return parts[i]
		}
		return v
	}
	switch {
	case len(parts) >= 4 && parts[0] == "spaces" && parts[2] == "pages":
		id := seg(3)
		if id == "edit-v2" { // /spaces/KEY/pages/edit-v2/ID
			id = seg(4)
		}
		if !isDecimal(id) {
			return pageRef{}, inputErrorf("url", "%q is not a page id", id)
		}
		return pageRef{ID: id}, nil
	case len(parts) == 2 && parts[0] == "x":
		id, err := decodeTinyID(seg(1))
		if err != nil {
			return pageRef{}, inputErrorf("url", "tiny link %q: %v", seg(1), err)
		}
		return pageRef{ID: id}, nil
	case len(parts) >= 3 && parts[0] == "display":
		key := seg(1)
		title := strings.ReplaceAll(parts[2], "+", " ")
		if t, err := url.PathUnescape(title); err == nil {
			title = t
		}
		if key == "" || title == "" {
			return pageRef{}, inputErrorf("url", "display link needs a space key and a title")
		}
		return pageRef{SpaceKey: key, Title: title}, nil
	}
	return pageRef{}, inputErrorf("url", "not a Confluence page link (expected /wiki/spaces/KEY/pages/ID, /wiki/x/TINY, viewpage.action?pageId=ID or /display/KEY/Title)")
}

// decodeTinyID turns the code of a tiny link (/x/AYBfAg) into a page id: the code is the id's
// little-endian bytes, trailing zero bytes dropped, in URL-safe base64 without padding.
// Confluence also emits '-' and '_' variants and sometimes a trailing padding-like 'A'; both
// decode here.
func decodeTinyID(code string) (string, error) {
	code = strings.TrimRight(code, "=")
	if code == "" || len(code) > 12 {
		return "", fmt.Errorf("bad length")
	}
	// Older links use '/'-free standard-alphabet variants; map them onto the URL alphabet.
	code = strings.NewReplacer("+", "-", "/", "_").Replace(code)
	b, err := base64.RawURLEncoding.DecodeString(code)
	if err != nil {
		return "", fmt.Errorf("not base64")
	}
	if len(b) > 8 {
		return "", fmt.Errorf("id too large")
	}
	var buf [8]byte
	copy(buf[:], b)
	id := binary.LittleEndian.Uint64(buf[:])
	if id == 0 {
		return "", fmt.Errorf("id is zero")
	}
	return strconv.FormatUint(id, 10), nil
}

func isDecimal(s string) bool {
	if s == "" || len(s) > 19 {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
