package playground_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/confluence-graph/confluence-graph/server/playground"
)

func newMux(t *testing.T, withPlayground, withSettings bool) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	playground.Register(mux, withPlayground, withSettings)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func get(t *testing.T, method, url string, header http.Header) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res, string(b)
}

func TestRoutes(t *testing.T) {
	srv := newMux(t, true, true)
	tests := []struct {
		name        string
		method      string
		path        string
		wantStatus  int
		wantType    string
		wantContain string
	}{
		{"playground page", "GET", "/", 200, "text/html; charset=utf-8", `<script src="playground/graphiql.js">`},
		{"graphiql script", "GET", "/playground/graphiql.js", 200, "text/javascript; charset=utf-8", "FindRunbook"},
		{"graphiql styles", "GET", "/playground/graphiql.css", 200, "text/css; charset=utf-8", ".graphiql-container"},
		{"bundled licence notices", "GET", "/playground/graphiql.js.LEGAL.txt", 200, "text/plain; charset=utf-8", "MIT"},
		{"head of playground page", "HEAD", "/", 200, "text/html; charset=utf-8", ""},
		{"unknown playground asset", "GET", "/playground/missing.js", 404, "", ""},
		{"unknown path", "GET", "/elsewhere", 404, "", ""},
		{"post to playground", "POST", "/", 405, "", ""},
		{"settings page", "GET", "/settings", 200, "text/html; charset=utf-8", `id="confluence-card"`},
		{"settings script", "GET", "/settings/settings.js", 200, "text/javascript; charset=utf-8", "connectConfluence"},
		{"settings styles", "GET", "/settings/settings.css", 200, "text/css; charset=utf-8", ".card"},
		{"unknown settings asset", "GET", "/settings/nope.js", 404, "", ""},
		{"delete settings", "DELETE", "/settings", 405, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, body := get(t, tt.method, srv.URL+tt.path, nil)
			if got, want := res.StatusCode, tt.wantStatus; got != want {
				t.Fatalf("status: got %d, want %d", got, want)
			}
			if tt.wantType != "" {
				if got, want := res.Header.Get("Content-Type"), tt.wantType; got != want {
					t.Errorf("Content-Type: got %q, want %q", got, want)
				}
				if got := res.Header.Get("Content-Security-Policy"); !strings.Contains(got, "connect-src 'self'") {
					t.Errorf("Content-Security-Policy: got %q, want one limiting connections to the origin", got)
				}
				if got, want := res.Header.Get("X-Content-Type-Options"), "nosniff"; got != want {
					t.Errorf("X-Content-Type-Options: got %q, want %q", got, want)
				}
			}
			if tt.method == "HEAD" && body != "" {
				t.Errorf("HEAD body: got %d bytes, want none", len(body))
			}
			if !strings.Contains(body, tt.wantContain) {
				t.Errorf("body does not contain %q", tt.wantContain)
			}
		})
	}
}

func TestTrailingSlashRedirectsToPage(t *testing.T) {
	srv := newMux(t, true, true)
	tests := []struct {
		path, wantLocation string
	}{
		{"/settings/", "/settings"},
		{"/playground/", "/"},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			res, _ := get(t, "GET", srv.URL+tt.path, nil)
			if got, want := res.StatusCode, http.StatusMovedPermanently; got != want {
				t.Fatalf("status: got %d, want %d", got, want)
			}
			if got, want := res.Header.Get("Location"), tt.wantLocation; got != want {
				t.Errorf("Location: got %q, want %q", got, want)
			}
		})
	}
}

func TestETagRevalidation(t *testing.T) {
	srv := newMux(t, true, true)
	for _, path := range []string{"/", "/playground/graphiql.js", "/settings", "/settings/settings.js"} {
		t.Run(path, func(t *testing.T) {
			first, body := get(t, "GET", srv.URL+path, nil)
			etag := first.Header.Get("ETag")
			if etag == "" || body == "" {
				t.Fatalf("first response: ETag %q, %d bytes; want both set", etag, len(body))
			}
			again, body := get(t, "GET", srv.URL+path, http.Header{"If-None-Match": {`W/"other", ` + etag}})
			if got, want := again.StatusCode, http.StatusNotModified; got != want {
				t.Fatalf("status with matching If-None-Match: got %d, want %d", got, want)
			}
			if body != "" {
				t.Errorf("304 body: got %d bytes, want none", len(body))
			}
			changed, _ := get(t, "GET", srv.URL+path, http.Header{"If-None-Match": {`"stale"`}})
			if got, want := changed.StatusCode, http.StatusOK; got != want {
				t.Errorf("status with stale If-None-Match: got %d, want %d", got, want)
			}
		})
	}
}

func TestRegisterMountsOnlyWhatIsAsked(t *testing.T) {
	tests := []struct {
		name                   string
		playground, settings   bool
		wantRoot, wantSettings int
	}{
		{"both", true, true, 200, 200},
		{"playground only", true, false, 200, 404},
		{"settings only", false, true, 404, 200},
		{"neither", false, false, 404, 404},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newMux(t, tt.playground, tt.settings)
			root, _ := get(t, "GET", srv.URL+"/", nil)
			settings, _ := get(t, "GET", srv.URL+"/settings", nil)
			if got, want := root.StatusCode, tt.wantRoot; got != want {
				t.Errorf("GET /: got %d, want %d", got, want)
			}
			if got, want := settings.StatusCode, tt.wantSettings; got != want {
				t.Errorf("GET /settings: got %d, want %d", got, want)
			}
		})
	}
}

// TestPagesLoadOnlyTheirOwnAssets follows every src and href on both pages:
// each must be inline data or relative (no CDN, no other host) and served by
// the handlers.
func TestPagesLoadOnlyTheirOwnAssets(t *testing.T) {
	srv := newMux(t, true, true)
	ref := regexp.MustCompile(`(?:src|href)="([^"]*)"`)
	for _, page := range []string{"/", "/settings"} {
		t.Run(page, func(t *testing.T) {
			_, body := get(t, "GET", srv.URL+page, nil)
			refs := ref.FindAllStringSubmatch(body, -1)
			if len(refs) < 2 {
				t.Fatalf("found %d asset references, want at least a script and a stylesheet", len(refs))
			}
			for _, m := range refs {
				target := m[1]
				if strings.HasPrefix(target, "data:") {
					continue // inline, never fetched
				}
				if strings.Contains(target, "//") || strings.HasPrefix(target, "/") {
					t.Errorf("reference %q is not relative to the page", target)
					continue
				}
				res, _ := get(t, "GET", srv.URL+"/"+strings.TrimPrefix(target, "./"), nil)
				if got, want := res.StatusCode, http.StatusOK; got != want {
					t.Errorf("GET %s (from %s): got %d, want %d", target, page, got, want)
				}
			}
		})
	}
}
