package confluencetest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
)

// Flavors of WithFlavor.
const (
	// FlavorCloud (the default) is Confluence Cloud: /wiki/..., v2, the gateway, Basic auth.
	FlavorCloud = "cloud"
	// FlavorDataCenter is Confluence Data Center: the v1 routes at the context path
	// (/rest/api/..., no /wiki, no v2, no gateway), personal access tokens as Bearer,
	// users with userKey and username (no accountId), start/limit paging, its error bodies.
	FlavorDataCenter = "datacenter"
)

// DefaultContextPath is a Data Center simulator's context path unless WithContextPath says
// otherwise.
const DefaultContextPath = "/confluence"

// DataCenterVersion is the version the Data Center simulator reports.
const DataCenterVersion = "9.2.3"

// WithFlavor selects the deployment the simulator imitates: FlavorCloud ("" too) or
// FlavorDataCenter. Both serve the same dataset. An unknown flavor makes NewServer panic and
// Start return an error.
func WithFlavor(f string) Option { return func(c *config) { c.flavor = f } }

// WithContextPath sets the Data Center context path ("/confluence" by default; "/" serves at
// the root). Cloud ignores it.
func WithContextPath(p string) Option {
	return func(c *config) { c.contextPath = p; c.contextSet = true }
}

// Flavor is FlavorCloud or FlavorDataCenter.
func (s *Server) Flavor() string {
	if s.cfg.flavor == FlavorDataCenter {
		return FlavorDataCenter
	}
	return FlavorCloud
}

// BaseURL is what a client is configured with: URL() on Cloud; on Data Center URL() plus the
// context path ("http://127.0.0.1:PORT/confluence").
func (s *Server) BaseURL() string {
	if s.cfg.flavor == FlavorDataCenter {
		return s.url + s.cfg.contextPath
	}
	return s.url
}

// UserKey is the Data Center user key of the user with accountID (32 hex digits, stable).
func UserKey(accountID string) string {
	h := sha256.Sum256([]byte("userkey:" + accountID))
	return hex.EncodeToString(h[:16])
}

// dcUsername is the Data Center username of u: its email's local part, else its display name
// in lower case without spaces.
func dcUsername(u *User) string {
	if at := strings.IndexByte(u.Email, '@'); at > 0 {
		return strings.ToLower(u.Email[:at])
	}
	return strings.ToLower(strings.ReplaceAll(u.DisplayName, " ", "."))
}

// Username is the Data Center username of the user with accountID ("" if unknown).
func (s *Server) Username(accountID string) string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if u := s.st.users[accountID]; u != nil {
		return dcUsername(u)
	}
	return ""
}

func (c *config) checkFlavor() error {
	switch c.flavor {
	case "", FlavorCloud:
		c.flavor = FlavorCloud
	case FlavorDataCenter:
		if !c.contextSet {
			c.contextPath = DefaultContextPath
		}
		c.contextPath = strings.TrimRight(c.contextPath, "/")
		if c.contextPath != "" && !strings.HasPrefix(c.contextPath, "/") {
			c.contextPath = "/" + c.contextPath
		}
	default:
		return errUnknownFlavor(c.flavor)
	}
	return nil
}

type errUnknownFlavor string

func (e errUnknownFlavor) Error() string {
	return "confluencetest: unknown flavor " + strconv.Quote(string(e)) + " (want cloud or datacenter)"
}

type dcInnerKey struct{}

// dcVersionRE matches the content version routes Data Center serves under /rest/experimental.
var dcVersionRE = regexp.MustCompile(`^/rest/experimental/content/[^/]+/version(/[^/]+)?$`)

// serveDC answers a Data Center request: it checks the Bearer token, maps the path onto the
// Cloud v1 route that holds the same data, serves that, and rewrites the answer into Data
// Center's shapes (rewriteDC).
func (s *Server) serveDC(w http.ResponseWriter, r *http.Request) {
	ctxPath := s.cfg.contextPath
	rest, ok := strings.CutPrefix(r.URL.Path, ctxPath)
	if !ok || (ctxPath != "" && rest != "" && rest[0] != '/') {
		s.dcNotFound(w, r.Method+" unmatched")
		return
	}
	var inner string
	switch {
	case rest == "/rest/api/server-information":
		inner = "info"
	case strings.HasPrefix(rest, "/download/attachments/"):
		inner = "download"
	case dcVersionRE.MatchString(rest):
		inner = "/wiki/rest/api/" + strings.TrimPrefix(rest, "/rest/experimental/")
	case strings.HasPrefix(rest, "/rest/api/content/") && strings.Contains(rest, "/version"),
		rest == "/rest/api/user/bulk", strings.Contains(rest, "/child/attachment/") && strings.HasSuffix(rest, "/download"):
		s.dcNotFound(w, r.Method+" unmatched") // Cloud-only routes
		return
	case strings.HasPrefix(rest, "/rest/api/"):
		inner = "/wiki" + rest
	default:
		s.dcNotFound(w, r.Method+" unmatched")
		return
	}
	acct := s.dcAuthenticate(r)
	if acct == nil {
		s.countRequest(r.Method+" unauthorized", false)
		sw := &statusWriter{ResponseWriter: w, onStatus: s.countStatus}
		sw.Header().Set("Content-Type", "text/html;charset=utf-8")
		sw.Header().Set("WWW-Authenticate", `OAuth realm="`+s.BaseURL()+`"`)
		sw.WriteHeader(http.StatusUnauthorized)
		_, _ = sw.Write([]byte(tomcat401))
		return
	}
	switch inner {
	case "info":
		s.countRequest("GET /rest/api/server-information", false)
		sw := &statusWriter{ResponseWriter: w, onStatus: s.countStatus}
		writeJSON(sw, http.StatusOK, map[string]any{"baseUrl": s.BaseURL(), "version": DataCenterVersion,
			"buildNumber": 9203, "marketplaceBuildNumber": 9203, "buildDate": "2026-05-01T00:00:00.000Z"})
		return
	case "download":
		s.dcDownload(w, r, acct, strings.TrimPrefix(rest, "/download/attachments/"))
		return
	}
	r2 := r.Clone(context.WithValue(r.Context(), dcInnerKey{}, true))
	r2.URL.Path, r2.URL.RawPath = inner, ""
	q := r2.URL.Query()
	if err := s.dcQuery(inner, q); err != "" {
		s.countRequest(r.Method+" "+inner, false)
		sw := &statusWriter{ResponseWriter: w, onStatus: s.countStatus}
		dcError(sw, http.StatusNotFound, err)
		return
	}
	r2.URL.RawQuery = q.Encode()
	r2.Header.Del("Authorization")
	r2.SetBasicAuth(acct.Email, acct.Token)
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, r2)
	s.rewriteDC(w, rec, rest)
}

// dcQuery maps Data Center parameters onto the Cloud route's: start on the search routes
// (Cloud pages those by cursor), user key or username to account id. It returns a not-found
// message for an unknown user.
func (s *Server) dcQuery(inner string, q url.Values) string {
	switch inner {
	case "/wiki/rest/api/content/search", "/wiki/rest/api/search":
		q.Del("cursor")
		if st := q.Get("start"); st != "" {
			n, _ := strconv.Atoi(st)
			q.Set("cursor", encodeSearchCursor(max(n, 0), true))
		}
	case "/wiki/rest/api/user":
		key, name := q.Get("key"), q.Get("username")
		q.Del("key")
		q.Del("username")
		q.Del("accountId") // Data Center has no account ids
		id := s.dcAccountID(key, name)
		if id == "" {
			return "No user found with key or username: " + key + name
		}
		q.Set("accountId", id)
	}
	return ""
}

// dcAccountID finds the user with user key key or username name.
func (s *Server) dcAccountID(key, name string) string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	for id, u := range s.st.users {
		if (key != "" && UserKey(id) == key) || (name != "" && strings.EqualFold(dcUsername(u), name)) {
			return id
		}
	}
	return ""
}

// dcAuthenticate accepts a personal access token as "Authorization: Bearer <token>": the
// token of a classic, unrevoked account. Basic auth and scoped tokens are refused.
func (s *Server) dcAuthenticate(r *http.Request) *Account {
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok || tok == "" {
		return nil
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	for _, a := range s.st.accounts {
		if a.Token == tok && !a.Revoked && a.Type != TokenScoped {
			c := *a
			return &c
		}
	}
	return nil
}

// dcDownload serves /download/attachments/{pageId}/{file}: the bytes, to a caller who may see
// the page.
func (s *Server) dcDownload(w http.ResponseWriter, r *http.Request, a *Account, tail string) {
	s.countRequest("GET /download/attachments/{pageId}/{file}", false)
	sw := &statusWriter{ResponseWriter: w, onStatus: s.countStatus}
	pageID, file, _ := strings.Cut(tail, "/")
	name, _ := url.PathUnescape(file)
	s.mu.RLock()
	defer s.mu.RUnlock()
	if p := s.st.visibleContent(a, pageID); p != nil {
		for _, at := range s.st.attachments {
			if at.PageID == p.ID && at.Title == name {
				sw.Header().Set("Content-Type", at.MediaType)
				sw.Header().Set("Content-Length", strconv.Itoa(len(at.Content)))
				sw.WriteHeader(http.StatusOK)
				_, _ = sw.Write(at.Content)
				return
			}
		}
	}
	dcError(sw, http.StatusNotFound, "Attachment not found")
}

// dcNotFound is Data Center's answer to a path it does not serve (Tomcat's HTML 404).
func (s *Server) dcNotFound(w http.ResponseWriter, key string) {
	s.countRequest(key, false)
	sw := &statusWriter{ResponseWriter: w, onStatus: s.countStatus}
	sw.Header().Set("Content-Type", "text/html;charset=utf-8")
	sw.WriteHeader(http.StatusNotFound)
	_, _ = sw.Write([]byte(`<!doctype html><html lang="en"><head><title>HTTP Status 404 – Not Found</title></head><body><h1>HTTP Status 404 – Not Found</h1></body></html>`))
}

// dcError writes Data Center's JSON error body.
func dcError(w http.ResponseWriter, code int, message string) {
	writeJSON(w, code, map[string]any{
		"statusCode": code,
		"data":       map[string]any{"authorized": false, "valid": true, "allowedInReadOnlyMode": true, "errors": []any{}, "successful": false},
		"message":    message, "reason": http.StatusText(code),
	})
}
