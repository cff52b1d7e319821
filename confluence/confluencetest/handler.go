package confluencetest

import (
	"context"
	"fmt"
	"math"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// route is one Confluence endpoint.
type route struct {
	pattern string   // ServeMux pattern, e.g. "GET /wiki/api/v2/pages/{id}"
	scopes  []string // any one of these lets a scoped token through; nil = no auth
	noAuth  bool
	h       func(w http.ResponseWriter, r *http.Request, a *Account)
}

type ctxKey struct{}

type reqInfo struct {
	acct    *Account
	gateway bool
}

// statusWriter records the status code written and reports it to onStatus
// before the header leaves, so a client that has seen a response always
// finds it counted.
type statusWriter struct {
	http.ResponseWriter
	code     int
	onStatus func(code int)
}

func (w *statusWriter) WriteHeader(code int) {
	if w.code == 0 {
		w.code = code
		if w.onStatus != nil {
			w.onStatus(code)
		}
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.code == 0 {
		w.WriteHeader(http.StatusOK)
	}
	return w.ResponseWriter.Write(b)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// ServeHTTP answers Confluence requests in site mode (/wiki/...) and gateway
// mode (/ex/confluence/{cloudId}/wiki/...), plus the /__sim/ control API.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, "/__sim/") {
		s.ctl.ServeHTTP(w, r)
		return
	}
	if s.cfg.flavor == FlavorDataCenter && r.Context().Value(dcInnerKey{}) == nil {
		s.serveDC(w, r)
		return
	}
	path := r.URL.Path
	gateway := false
	if rest, ok := strings.CutPrefix(path, "/ex/confluence/"); ok {
		id, tail, _ := strings.Cut(rest, "/")
		gateway = true
		if id != s.cfg.cloudID {
			s.countRequest(r.Method+" unmatched", false)
			sw := &statusWriter{ResponseWriter: w, onStatus: s.countStatus}
			writeJSON(sw, http.StatusNotFound, map[string]any{"code": 404, "message": "Not Found"})
			return
		}
		path = "/" + tail
	}
	r2 := r.Clone(r.Context())
	r2.URL.Path, r2.URL.RawPath = path, ""
	_, pattern := s.mux.Handler(r2)
	rt, known := s.rts[pattern]
	read := r.Method == http.MethodGet || r.Method == http.MethodHead || (known && strings.HasPrefix(pattern, r.Method+" "))
	key := pattern
	if !read {
		probe := r2.Clone(r.Context())
		probe.Method = http.MethodGet
		_, p := s.mux.Handler(probe)
		key = r.Method + " " + cmpOr(strings.TrimPrefix(p, "GET "), "unmatched")
	} else if !known {
		key = r.Method + " unmatched"
	}
	s.countRequest(key, !read && isWrite(r.Method))
	sw := &statusWriter{ResponseWriter: w, onStatus: s.countStatus}
	sw.Header().Set("Atl-Traceid", fmt.Sprintf("%016x", time.Now().UnixNano()))
	sw.Header().Set("Server", "AtlassianEdge")
	if !read {
		sw.Header().Set("Allow", "GET, HEAD")
		v2Error(sw, http.StatusMethodNotAllowed, "METHOD_NOT_ALLOWED", "The simulator is read-only: "+r.Method+" is not allowed", nil)
		return
	}
	if err := s.sleep(r.Context(), s.sw.delay()); err != nil {
		return
	}
	if f, ok := s.sw.takeFault(path); ok {
		s.countFault()
		s.fault(sw, r, f)
		return
	}
	if !known {
		writeJSON(sw, http.StatusNotFound, map[string]any{
			"timestamp": s.now().UTC().Format(time.RFC3339Nano), "status": 404, "error": "Not Found",
			"message": "No message available", "path": path,
		})
		return
	}
	var acct *Account
	if !rt.noAuth {
		var ok bool
		if acct, ok = s.authenticate(sw, r2, path, gateway, rt); !ok {
			return
		}
		enabled, allowed, remaining, wait, rate, burst := s.sw.limit(strings.ToLower(acct.Email), s.now())
		if enabled {
			reset := s.now().Add(wait).Add(time.Second).Truncate(time.Second)
			writeRateLimitHeaders(sw.Header(), rate, burst, remaining, reset)
			if !allowed {
				sw.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(wait.Seconds()))))
				sw.Header().Set("RateLimit-Reason", "confluence-burst-based")
				writeJSON(sw, http.StatusTooManyRequests, map[string]any{"statusCode": 429, "message": "Rate limit exceeded. Retry after the period in the Retry-After header."})
				return
			}
		}
	}
	r2 = r2.WithContext(context.WithValue(r2.Context(), ctxKey{}, reqInfo{acct: acct, gateway: gateway}))
	s.mu.RLock()
	defer s.mu.RUnlock()
	s.mux.ServeHTTP(sw, r2)
}

// isWrite reports whether method changes state (POST, PUT, PATCH, DELETE).
// Other methods that are not reads (OPTIONS, TRACE) are also answered 405
// but not counted as writes.
func isWrite(method string) bool {
	switch method {
	case http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete:
		return true
	}
	return false
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// fault applies f to the request.
func (s *Server) fault(w *statusWriter, r *http.Request, f Fault) {
	switch f.Kind {
	case FaultReset:
		rc := http.NewResponseController(w)
		conn, _, err := rc.Hijack()
		if err != nil {
			panic(http.ErrAbortHandler)
		}
		if tc, ok := conn.(*net.TCPConn); ok {
			_ = tc.SetLinger(0)
		}
		_ = conn.Close()
	case FaultHang:
		select {
		case <-r.Context().Done():
		case <-s.done:
		}
	default:
		code := f.Status
		if code == 0 {
			code = http.StatusServiceUnavailable
		}
		if f.RetryAfter != "" {
			w.Header().Set("Retry-After", f.RetryAfter)
		}
		if code == http.StatusTooManyRequests {
			w.Header().Set("RateLimit-Reason", "confluence-burst-based")
			w.Header().Set("X-RateLimit-Remaining", "0")
		}
		if code >= 500 && code != http.StatusInternalServerError {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.WriteHeader(code)
			fmt.Fprintf(w, "<html><head><title>%d %s</title></head><body><h1>%d %s</h1></body></html>\n", code, http.StatusText(code), code, http.StatusText(code))
			return
		}
		writeJSON(w, code, map[string]any{"statusCode": code, "message": http.StatusText(code)})
	}
}

// authenticate checks Basic credentials, host mode and scopes and writes the
// Confluence error for each failure.
func (s *Server) authenticate(w http.ResponseWriter, r *http.Request, path string, gateway bool, rt route) (*Account, bool) {
	email, token, ok := r.BasicAuth()
	var acct *Account
	if ok {
		s.mu.RLock()
		if a := s.st.account(email, token); a != nil {
			c := *a
			acct = &c
		}
		s.mu.RUnlock()
	}
	if acct == nil {
		switch {
		case strings.HasPrefix(path, "/wiki/api/v2/"):
			v2Error(w, http.StatusNotFound, "NOT_FOUND", "Not Found", nil)
		case path == "/wiki/rest/api/user/current":
			writeJSON(w, http.StatusForbidden, map[string]any{"statusCode": 403, "message": `com.atlassian.confluence.mvc.rest.common.exception.StacklessResponseStatusException: 403 FORBIDDEN "Request rejected because caller cannot access Confluence"`})
		default:
			writeJSON(w, http.StatusForbidden, map[string]any{"message": "Current user not permitted to use Confluence", "statusCode": 403})
		}
		return nil, false
	}
	if acct.Type == TokenScoped {
		if !gateway {
			w.Header().Set("Content-Type", "text/html;charset=utf-8")
			w.Header().Set("Content-Language", "en")
			w.WriteHeader(http.StatusUnauthorized)
			fmt.Fprint(w, tomcat401)
			return nil, false
		}
		if len(rt.scopes) > 0 && !slices.ContainsFunc(rt.scopes, func(sc string) bool { return slices.Contains(acct.Scopes, sc) }) {
			w.Header().Set("X-Failure-Category", "FAILURE_CLIENT_SCOPE_CHECK")
			writeJSON(w, http.StatusUnauthorized, map[string]any{"code": 401, "message": "Unauthorized; scope does not match"})
			return nil, false
		}
	}
	return acct, true
}

const tomcat401 = `<!doctype html><html lang="en"><head><title>HTTP Status 401 – Unauthorized</title><style type="text/css">body {font-family:Tahoma,Arial,sans-serif;} h1, h2, h3, b {color:white;background-color:#525D76;} h1 {font-size:22px;} h2 {font-size:16px;} h3 {font-size:14px;} p {font-size:12px;} a {color:black;} .line {height:1px;background-color:#525D76;border:none;}</style></head><body><h1>HTTP Status 401 – Unauthorized</h1><hr class="line" /><p><b>Type</b> Status Report</p><p><b>Description</b> The request has not been applied to the target resource because it lacks valid authentication credentials for that resource.</p><hr class="line" /><h3>Apache Tomcat</h3></body></html>`
