package confluence_test

import (
	"encoding/base64"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/confluence-graph/confluence-graph/confluence"
)

func TestErrorMapping(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		status      int
		contentType string
		header      map[string]string
		body        string
		search      bool
		want        error
		notWant     error
		wantCode    string
		wantMsg     string
	}{
		{
			name: "v2 404 naming the page is a missing page", status: 404,
			body: `{"errors":[{"status":404,"code":"NOT_FOUND","title":"Cannot find a page with id [999]","detail":null}]}`,
			want: confluence.ErrNotFound, notWant: confluence.ErrUnauthorized,
			wantCode: "NOT_FOUND", wantMsg: "Cannot find a page with id [999]",
		},
		{
			name: "v2 404 with the bare title Not Found is rejected credentials", status: 404,
			body: `{"errors":[{"status":404,"code":"NOT_FOUND","title":"Not Found","detail":null}]}`,
			want: confluence.ErrCredentialsRejected, notWant: confluence.ErrNotFound,
		},
		{
			name: "Spring 404 for an unknown path is not found, not credentials", status: 404,
			body: `{"timestamp":"2025-06-25T21:28:19Z","status":404,"error":"Not Found","message":"No message available","path":"/wiki/api/v2/x"}`,
			want: confluence.ErrNotFound, notWant: confluence.ErrCredentialsRejected,
		},
		{
			name: "v1 403 caller cannot access Confluence is rejected credentials", status: 403,
			body: `{"statusCode":403,"message":"com.atlassian.confluence.mvc.rest.common.exception.StacklessResponseStatusException: 403 FORBIDDEN \"Request rejected because caller cannot access Confluence\""}`,
			want: confluence.ErrCredentialsRejected,
		},
		{
			name: "v1 403 on search not permitted is rejected credentials", status: 403, search: true,
			body: `{"message":"Current user not permitted to use Confluence","statusCode":403}`,
			want: confluence.ErrCredentialsRejected,
		},
		{
			name: "other 403 is forbidden", status: 403,
			body: `{"statusCode":403,"message":"You are not allowed to view this space"}`,
			want: confluence.ErrForbidden, notWant: confluence.ErrUnauthorized,
		},
		{
			name: "gateway 401 scope does not match is a scope mismatch", status: 401,
			header: map[string]string{"X-Failure-Category": "FAILURE_CLIENT_SCOPE_CHECK"},
			body:   `{"code":401,"message":"Unauthorized; scope does not match"}`,
			want:   confluence.ErrScopeMismatch,
		},
		{
			name: "site 401 Tomcat page is a scoped token on the site", status: 401, contentType: "text/html",
			body: `<!doctype html><html><head><title>HTTP Status 401 – Unauthorized</title></head></html>`,
			want: confluence.ErrScopedTokenOnSite,
		},
		{
			name: "plain-text 401 about passwords is rejected credentials", status: 401, contentType: "text/plain",
			body: "Basic authentication with passwords is deprecated.  For more information, see: https://developer.atlassian.com/cloud/confluence/deprecation-notice-basic-auth/\n",
			want: confluence.ErrCredentialsRejected,
		},
		{
			name: "400 on search is a CQL error with Confluence's text", status: 400, search: true,
			body:    `{"statusCode":400,"data":{"authorized":true,"valid":true,"errors":[],"successful":true},"message":"com.atlassian.confluence.api.service.exceptions.BadRequestException: Could not parse cql : type = = page"}`,
			want:    confluence.ErrInvalidCQL,
			wantMsg: "Could not parse cql : type = = page",
		},
		{
			name: "400 on search is also a bad request", status: 400, search: true,
			body: `{"statusCode":400,"data":{"authorized":true,"valid":true,"errors":[],"successful":true},"message":"com.atlassian.confluence.api.service.exceptions.BadRequestException: Could not parse cql : type = = page"}`,
			want: confluence.ErrBadRequest, notWant: confluence.ErrUnavailable,
		},
		{
			name: "500 empty text term on search is a CQL error", status: 500, search: true,
			body: `{"statusCode":500,"message":"java.lang.NullPointerException: query parameter is required."}`,
			want: confluence.ErrInvalidCQL, notWant: confluence.ErrBadRequest,
		},
		{
			name: "400 elsewhere is a bad request with the v2 code", status: 400,
			body:     `{"errors":[{"status":400,"code":"INVALID_REQUEST_PARAMETER","title":"Provided size {300} for 'limit' is greater than the max allowed: 250","detail":null}]}`,
			want:     confluence.ErrBadRequest,
			notWant:  confluence.ErrInvalidCQL,
			wantCode: "INVALID_REQUEST_PARAMETER",
		},
		{
			name: "410 deprecated endpoint is gone", status: 410,
			body: `{"statusCode":410,"message":"com.atlassian.confluence.api.service.exceptions.GoneException: This deprecated endpoint has been removed."}`,
			want: confluence.ErrGone,
		},
		{
			name: "an unexpected redirect is not found and is not followed", status: 302,
			header:   map[string]string{"Location": "https://www.atlassian.com/"},
			want:     confluence.ErrNotFound,
			wantCode: "UNEXPECTED_REDIRECT",
		},
		{
			name: "500 is unavailable", status: 500, body: `{"statusCode":500,"message":"boom"}`,
			want: confluence.ErrUnavailable,
		},
		{
			name: "429 is a rate limit error", status: 429,
			header: map[string]string{"Retry-After": "7", "RateLimit-Reason": "confluence-burst-based"},
			want:   confluence.ErrRateLimited,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				ct := tt.contentType
				if ct == "" {
					ct = "application/json"
				}
				w.Header().Set("Content-Type", ct)
				for k, v := range tt.header {
					w.Header().Set(k, v)
				}
				w.WriteHeader(tt.status)
				_, _ = w.Write([]byte(tt.body))
			})
			c, _, _ := newTestClient(t, h, func(o *confluence.Options) { o.MaxRetries = -1 })
			var err error
			if tt.search {
				_, _, err = c.Search.CQL(t.Context(), &confluence.SearchOptions{CQL: "type = page"})
			} else {
				_, _, err = c.Pages.Get(t.Context(), "999", nil)
			}
			wantErrorMatch(t, err, []error{tt.want}, []error{tt.notWant})
			var ce *confluence.Error
			var cq *confluence.CQLError
			var rl *confluence.RateLimitError
			switch {
			case errors.As(err, &cq):
				if tt.wantMsg != "" && !strings.Contains(cq.Message, tt.wantMsg) {
					t.Errorf("CQLError.Message = %q, want it to contain %q", cq.Message, tt.wantMsg)
				}
			case errors.As(err, &rl):
				if got, want := rl.RetryAfter, 7*time.Second; got != want {
					t.Errorf("RetryAfter = %v, want %v", got, want)
				}
				if got, want := rl.Reason, "confluence-burst-based"; got != want {
					t.Errorf("Reason = %q, want %q", got, want)
				}
			case errors.As(err, &ce):
				if got, want := ce.Status, tt.status; got != want {
					t.Errorf("Status = %d, want %d", got, want)
				}
				if tt.wantCode != "" && ce.Code != tt.wantCode {
					t.Errorf("Code = %q, want %q", ce.Code, tt.wantCode)
				}
				if tt.wantMsg != "" && !strings.Contains(ce.Message, tt.wantMsg) {
					t.Errorf("Message = %q, want it to contain %q", ce.Message, tt.wantMsg)
				}
				wantEndpoint := "GET /wiki/api/v2/pages/{id}"
				if tt.search {
					wantEndpoint = "GET /wiki/rest/api/search"
				}
				if got, want := ce.Endpoint, wantEndpoint; got != want {
					t.Errorf("Endpoint = %q, want %q", got, want)
				}
				if strings.Contains(ce.Message, "<html") || strings.Contains(ce.Message, "doctype") {
					t.Errorf("Message copies HTML: %q", ce.Message)
				}
			default:
				t.Fatalf("error %T is none of *Error, *CQLError, *RateLimitError", err)
			}
			assertNoSecret(t, err.Error())
		})
	}
}

// assertNoSecret fails if s carries the token, the Basic credentials or a URL.
func assertNoSecret(t *testing.T, s string) {
	t.Helper()
	basic := base64.StdEncoding.EncodeToString([]byte(testEmail + ":" + testToken))
	for _, secret := range []string{testToken, basic, "http://", "https://127"} {
		if strings.Contains(s, secret) {
			t.Errorf("%q contains %q", s, secret)
		}
	}
}

func TestErrorText(t *testing.T) {
	t.Parallel()
	err := &confluence.Error{Status: 404, Code: "NOT_FOUND", Message: "Cannot find a page with id [1]", Endpoint: "GET /wiki/api/v2/pages/{id}"}
	if got, want := err.Error(), "confluence: GET /wiki/api/v2/pages/{id}: 404 NOT_FOUND: Cannot find a page with id [1]"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	// A hand-built Error has no kind: it matches no sentinel.
	if errors.Is(err, confluence.ErrNotFound) {
		t.Error("hand-built Error matches ErrNotFound, want no match")
	}
}

func TestOptionsMaskToken(t *testing.T) {
	t.Parallel()
	o := confluence.Options{Site: "acme.atlassian.net", Email: testEmail, Token: testToken}
	for _, s := range []string{o.String(), o.GoString()} {
		if strings.Contains(s, testToken) {
			t.Errorf("%q shows the token", s)
		}
		if !strings.Contains(s, "acme.atlassian.net") {
			t.Errorf("%q lacks the site", s)
		}
	}
}
