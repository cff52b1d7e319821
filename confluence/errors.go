package confluence

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"
)

// Sentinel errors for errors.Is. Every error the client returns for an
// upstream answer is an *Error, *RateLimitError or *CQLError; those types
// match the sentinels below through their Is methods.
var (
	// ErrNotFound: the object does not exist or the caller may not see it
	// (Confluence v2 reports both as 404).
	ErrNotFound = errors.New("confluence: not found")
	// ErrUnauthorized: the credentials were not accepted. The three errors
	// below say why; each of them also matches ErrUnauthorized.
	ErrUnauthorized = errors.New("confluence: unauthorized")
	// ErrCredentialsRejected: email/token are wrong, revoked or expired
	// (v1 403 "cannot access Confluence", v2 404 with the bare title "Not Found",
	// or a plain-text 401).
	ErrCredentialsRejected = errors.New("confluence: credentials rejected")
	// ErrScopeMismatch: a scoped token lacks the scope the endpoint needs
	// (gateway 401 "Unauthorized; scope does not match").
	ErrScopeMismatch = errors.New("confluence: token scope does not match")
	// ErrScopedTokenOnSite: a scoped token was sent to the site host, which
	// answers with an HTML 401; scoped tokens only work through the gateway.
	ErrScopedTokenOnSite = errors.New("confluence: scoped token used on the site host")
	// ErrForbidden: authenticated, but not allowed (403 other than rejected
	// credentials).
	ErrForbidden = errors.New("confluence: forbidden")
	// ErrTimeout: the call's deadline passed, or one attempt timed out.
	ErrTimeout = errors.New("confluence: timeout")
	// ErrUnavailable: Confluence answered 5xx, the network failed, or the
	// circuit breaker for the site is open.
	ErrUnavailable = errors.New("confluence: unavailable")
	// ErrRateLimited: Confluence answered 429 and retrying did not help; the
	// error is a *RateLimitError.
	ErrRateLimited = errors.New("confluence: rate limited")
	// ErrInvalidCQL: Confluence rejected a CQL query; the error is a *CQLError.
	ErrInvalidCQL = errors.New("confluence: invalid cql")
	// ErrWriteRefused: the client refused to send a request that could
	// change data. Nothing was sent.
	ErrWriteRefused = errors.New("confluence: write refused by read-only transport")
	// ErrHostNotAllowed: a URL or dial address is outside the allow-list
	// (SSRF guard). Nothing was sent.
	ErrHostNotAllowed = errors.New("confluence: host not allowed")
	// ErrResponseTooLarge: a response body exceeded Options.MaxResponseBytes.
	ErrResponseTooLarge = errors.New("confluence: response too large")
	// ErrGone: the endpoint was removed (410, deprecated v1 routes).
	ErrGone = errors.New("confluence: endpoint gone")
	// ErrBadRequest: Confluence refused the request's parameters (400): a v2
	// INVALID_REQUEST_PARAMETER or INVALID_REQUEST_BODY, a v1 BadRequestException,
	// or a CQL query the search endpoints could not parse (that *CQLError
	// matches ErrInvalidCQL as well). Retrying the same request cannot help.
	ErrBadRequest = errors.New("confluence: bad request")
)

// Error is an error answer from Confluence (or a failure to get one).
//
// Endpoint is the route pattern ("GET /wiki/api/v2/pages/{id}"), never a
// URL, so neither ids nor credentials end up in logs. Code and Message come
// from Confluence's error body when it has one (v2 errors[0].code/title,
// v1 message, gateway message); HTML bodies are never copied.
type Error struct {
	Status   int    // HTTP status; 0 when no answer was received
	Code     string // Confluence's code ("NOT_FOUND", "INVALID_REQUEST_PARAMETER"), or "" if none
	Message  string // Confluence's message, trimmed; or a description of the failure
	Endpoint string // route pattern, e.g. "GET /wiki/api/v2/pages/{id}"

	kind  error // sentinel the error matches (ErrNotFound, ErrCredentialsRejected, ...)
	cause error // underlying transport error, if any
}

// Error implements error. The text holds no credentials and no URL.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("confluence: ")
	if e.Endpoint != "" {
		b.WriteString(e.Endpoint)
		b.WriteString(": ")
	}
	if e.Status != 0 {
		fmt.Fprintf(&b, "%d", e.Status)
		if e.Code != "" {
			b.WriteString(" ")
			b.WriteString(e.Code)
		}
		if e.Message != "" {
			b.WriteString(": ")
		}
	}
	b.WriteString(e.Message)
	return b.String()
}

// Is reports whether target is the sentinel this error belongs to.
// ErrCredentialsRejected, ErrScopeMismatch and ErrScopedTokenOnSite also
// match ErrUnauthorized.
func (e *Error) Is(target error) bool {
	if e.kind == nil {
		return false
	}
	if target == e.kind {
		return true
	}
	if target == ErrUnauthorized {
		return e.kind == ErrCredentialsRejected || e.kind == ErrScopeMismatch || e.kind == ErrScopedTokenOnSite
	}
	return false
}

// Unwrap returns the underlying transport error, if any.
func (e *Error) Unwrap() error { return e.cause }

// RateLimitError is returned when Confluence answered 429 and the client
// gave up (retries exhausted, or Retry-After beyond the call's deadline or
// Options.MaxRetryAfter), or, with Local set, when the client did not send
// the call at all because waiting for its own limits would have outlived
// the call's deadline or Options.MaxQueueWait: the rate limiter (in-process
// or shared), the in-flight cap, or the site's pause after an earlier 429.
// It matches ErrRateLimited.
type RateLimitError struct {
	// RetryAfter is the wait Confluence asked for (Retry-After, seconds or
	// HTTP date; 0 if the answer carried none) or, for a Local refusal, the
	// wait the client computed (for a busy in-flight cap, an estimate of
	// one second).
	RetryAfter time.Duration
	// Reason is the RateLimit-Reason header of the 429 (for a Local
	// refusal during a pause, that of the 429 that ordered it), if any.
	Reason   string
	Endpoint string
	// Local is true when nothing was sent: the wait was in this client's
	// own queue.
	Local bool
}

// Error implements error.
func (e *RateLimitError) Error() string {
	msg := "confluence: " + e.Endpoint + ": 429 rate limited"
	if e.Local {
		msg = "confluence: " + e.Endpoint + ": not sent: this client's own rate limit would hold it too long"
	}
	if e.RetryAfter > 0 {
		msg += fmt.Sprintf(", retry after %s", e.RetryAfter)
	}
	return msg
}

// Is matches ErrRateLimited.
func (e *RateLimitError) Is(target error) bool { return target == ErrRateLimited }

// CQLError is returned when Confluence rejects a CQL query (400 on the
// search endpoints, or the 500 it answers for an empty text term). Message
// is Confluence's own text. It matches ErrInvalidCQL.
type CQLError struct {
	Status   int
	Message  string
	Endpoint string
}

// Error implements error.
func (e *CQLError) Error() string {
	return fmt.Sprintf("confluence: %s: %d invalid cql: %s", e.Endpoint, e.Status, e.Message)
}

// Is matches ErrInvalidCQL, and ErrBadRequest when Confluence answered 400
// (not for the 500 of an empty text term).
func (e *CQLError) Is(target error) bool {
	return target == ErrInvalidCQL || (target == ErrBadRequest && e.Status == http.StatusBadRequest)
}

// maxMessageLen bounds messages copied from upstream bodies.
const maxMessageLen = 500

// errorBody is the union of the error envelopes Confluence uses.
type errorBody struct {
	// v2: {"errors":[{"status":404,"code":"NOT_FOUND","title":"...","detail":null}]}
	Errors []struct {
		Code   string          `json:"code"`
		Title  string          `json:"title"`
		Detail json.RawMessage `json:"detail"`
	} `json:"errors"`
	// v1: {"statusCode":403,"message":"...","reason":"..."}; gateway: {"code":401,"message":"..."}
	Message string          `json:"message"`
	Reason  string          `json:"reason"`
	Code    json.RawMessage `json:"code"`
	// Spring default 404 for unknown paths: {"error":"Not Found","path":...}
	SpringError string `json:"error"`
}

// parsedError is what checkResponse extracts from an error answer.
type parsedError struct {
	isJSON  bool
	v2      bool // a v2 errors[] envelope
	code    string
	message string
}

func parseErrorBody(header http.Header, body []byte) parsedError {
	var p parsedError
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 || (trimmed[0] != '{' && trimmed[0] != '[') {
		ct := strings.ToLower(header.Get("Content-Type"))
		if strings.HasPrefix(ct, "text/plain") && utf8.Valid(trimmed) {
			p.message = clip(string(trimmed))
		}
		return p
	}
	var eb errorBody
	if err := json.Unmarshal(trimmed, &eb); err != nil {
		return p
	}
	p.isJSON = true
	switch {
	case len(eb.Errors) > 0:
		p.v2 = true
		p.code = eb.Errors[0].Code
		p.message = eb.Errors[0].Title
		var detail string
		if json.Unmarshal(eb.Errors[0].Detail, &detail) == nil && detail != "" {
			p.message += " (" + detail + ")"
		}
	case eb.Message != "":
		p.message = eb.Message
		var code string
		if json.Unmarshal(eb.Code, &code) == nil {
			p.code = code
		}
	case eb.SpringError != "":
		p.message = eb.SpringError
		p.code = "UNKNOWN_PATH"
	}
	p.message = clip(p.message)
	return p
}

func clip(s string) string {
	s = strings.TrimSpace(s)
	if len(s) <= maxMessageLen {
		return s
	}
	cut := maxMessageLen
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

// checkResponse turns a non-2xx answer into a typed error.
//
// It returns:
//   - *RateLimitError for 429;
//   - *CQLError for 400 (and the 500 "query parameter is required") on a
//     search endpoint (isSearch);
//   - *Error otherwise, matching ErrBadRequest (any other 400),
//     ErrNotFound (404 naming the object, and every 404 outside the v2 routes),
//     ErrCredentialsRejected (a 404 with the v2 envelope and the bare title
//     "Not Found" on a v2 route, see credentialsAs404; v1 403
//     "cannot access Confluence"/"not permitted to use Confluence", a
//     non-HTML, non-scope 401), ErrScopeMismatch (401 "scope does not match"
//     or X-Failure-Category FAILURE_CLIENT_SCOPE_CHECK), ErrScopedTokenOnSite
//     (HTML 401 from the site host), ErrForbidden (other 403), ErrGone (410),
//     ErrNotFound (an unexpected 3xx), ErrUnavailable (5xx).
func checkResponse(endpoint string, onSite, isSearch bool, status int, header http.Header, body []byte, now time.Time) error {
	if status >= 200 && status < 300 {
		return nil
	}
	if status == http.StatusTooManyRequests {
		ra, _ := parseRetryAfter(header.Get("Retry-After"), now)
		return &RateLimitError{RetryAfter: ra, Reason: header.Get("RateLimit-Reason"), Endpoint: endpoint}
	}
	p := parseErrorBody(header, body)
	if isSearch && p.message != "" && (status == http.StatusBadRequest ||
		(status == http.StatusInternalServerError && strings.Contains(p.message, "query parameter is required"))) {
		return &CQLError{Status: status, Message: p.message, Endpoint: endpoint}
	}
	e := &Error{Status: status, Code: p.code, Message: p.message, Endpoint: endpoint}
	ct := strings.ToLower(header.Get("Content-Type"))
	switch {
	case status == http.StatusUnauthorized:
		lower := strings.ToLower(p.message)
		switch {
		case strings.Contains(lower, "scope does not match") ||
			strings.Contains(header.Get("X-Failure-Category"), "SCOPE_CHECK"):
			e.kind = ErrScopeMismatch
		case onSite && (strings.Contains(ct, "html") || (!p.isJSON && p.message == "")):
			e.kind = ErrScopedTokenOnSite
			e.Message = "the site host rejected the token (scoped tokens work only through the api.atlassian.com gateway)"
		default:
			e.kind = ErrCredentialsRejected
		}
	case status == http.StatusForbidden:
		lower := strings.ToLower(p.message)
		if strings.Contains(lower, "cannot access confluence") || strings.Contains(lower, "not permitted to use confluence") {
			e.kind = ErrCredentialsRejected
		} else {
			e.kind = ErrForbidden
		}
	case status == http.StatusBadRequest:
		e.kind = ErrBadRequest
	case status == http.StatusNotFound:
		// With bad credentials every v2 request answers 404 with the bare
		// title "Not Found"; a real missing object always names its id.
		if credentialsAs404(endpoint) && p.v2 && p.message == "Not Found" {
			e.kind = ErrCredentialsRejected
			e.Message = "Not Found (Confluence's answer to rejected credentials)"
		} else {
			e.kind = ErrNotFound
		}
	case status == http.StatusGone:
		e.kind = ErrGone
	case status >= 300 && status < 400:
		// The read endpoints do not redirect; one that does is not there
		// (a wrong site or path).
		e.kind = ErrNotFound
		e.Code = "UNEXPECTED_REDIRECT"
	case status >= 500:
		e.kind = ErrUnavailable
	}
	if e.Message == "" {
		e.Message = http.StatusText(status)
	}
	return e
}

// credentialsAs404 reports whether endpoint (a route pattern such as
// "GET /wiki/api/v2/pages/{id}") is one where Confluence Cloud answers
// rejected credentials with 404 rather than 401/403: the v2 routes, which
// treat an unknown caller as anonymous and answer every request with
// {"errors":[{"status":404,"code":"NOT_FOUND","title":"Not Found"}]}.
// The v1 routes answer rejected credentials with 403 ("caller cannot access
// Confluence" on /user/current, "Current user not permitted to use
// Confluence" on search and the rest), so a 404 there is a missing or
// hidden object whatever its body says; a 404 from the gateway (unknown
// cloud id) or from an unknown path is not about credentials either.
func credentialsAs404(endpoint string) bool {
	_, route, _ := strings.Cut(endpoint, " ")
	return strings.HasPrefix(route, "/wiki/api/v2/")
}
