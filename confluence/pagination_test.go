package confluence_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/confluence-graph/confluence-graph/confluence"
)

const cloudID = "11111111-2222-3333-4444-555555555555"

// pagedLabels serves /wiki/api/v2/pages/1/labels in pages of the given
// sizes, with the next link in the body, in the Link header only, or both,
// under the site and the gateway prefix. It records the paths it saw.
type pagedLabels struct {
	sizes      []int
	headerOnly bool
	mu         sync.Mutex
	paths      []string
}

func (p *pagedLabels) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	p.paths = append(p.paths, r.URL.Path)
	p.mu.Unlock()
	if r.URL.Path == "/_edge/tenant_info" {
		_, _ = fmt.Fprintf(w, `{"cloudId":%q}`, cloudID)
		return
	}
	path := strings.TrimPrefix(r.URL.Path, "/ex/confluence/"+cloudID)
	if path != "/wiki/api/v2/pages/1/labels" {
		http.NotFound(w, r)
		return
	}
	pageNo, _ := strconv.Atoi(r.URL.Query().Get("cursor"))
	start := 0
	for i := range pageNo {
		start += p.sizes[i]
	}
	var results []confluence.Label
	for i := range p.sizes[pageNo] {
		n := start + i
		results = append(results, confluence.Label{ID: strconv.Itoa(n), Name: "l" + strconv.Itoa(n), Prefix: "global"})
	}
	body := map[string]any{"results": results, "_links": map[string]string{"base": "https://x.atlassian.net/wiki"}}
	if pageNo+1 < len(p.sizes) {
		next := "/wiki/api/v2/pages/1/labels?limit=7&cursor=" + strconv.Itoa(pageNo+1)
		w.Header().Set("Link", "<"+next+`>; rel="next", <https://x.atlassian.net/wiki>; rel="base"`)
		if !p.headerOnly {
			body["_links"] = map[string]string{"base": "https://x.atlassian.net/wiki", "next": next}
		}
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(body)
}

func TestIteratorFollowsNextToTheEnd(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		sizes      []int
		headerOnly bool
		tokenType  confluence.TokenType
	}{
		{name: "short pages in the middle", sizes: []int{7, 2, 7, 0, 3}, tokenType: confluence.TokenClassic},
		{name: "next only in the Link header", sizes: []int{7, 7, 1}, headerOnly: true, tokenType: confluence.TokenClassic},
		{name: "through the gateway", sizes: []int{7, 3, 7}, tokenType: confluence.TokenScoped},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := &pagedLabels{sizes: tt.sizes, headerOnly: tt.headerOnly}
			c, _, _ := newTestClient(t, h, func(o *confluence.Options) { o.TokenType = tt.tokenType })
			var names []string
			for l, err := range c.Labels.ListForPageIter(t.Context(), "1", &confluence.LabelListOptions{ListOptions: confluence.ListOptions{Limit: 7}}) {
				if err != nil {
					t.Fatalf("iterating: %v", err)
				}
				names = append(names, l.Name)
			}
			total := 0
			for _, s := range tt.sizes {
				total += s
			}
			if got, want := len(names), total; got != want {
				t.Fatalf("got %d labels, want %d", got, want)
			}
			for i, n := range names {
				if want := "l" + strconv.Itoa(i); n != want {
					t.Errorf("label %d = %s, want %s", i, n, want)
				}
			}
			if tt.tokenType == confluence.TokenScoped {
				h.mu.Lock()
				defer h.mu.Unlock()
				for _, p := range h.paths {
					if p != "/_edge/tenant_info" && !strings.HasPrefix(p, "/ex/confluence/"+cloudID+"/wiki/") {
						t.Errorf("request path %s lost the gateway prefix", p)
					}
				}
			}
		})
	}
}

func TestListReturnsNextCursor(t *testing.T) {
	t.Parallel()
	c, _, _ := newTestClient(t, &pagedLabels{sizes: []int{7, 1}}, nil)
	first, resp, err := c.Labels.ListForPage(t.Context(), "1", nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(first) != 7 || resp.NextCursor != "1" || !strings.Contains(resp.NextURL, "cursor=1") {
		t.Fatalf("first page: %d labels, cursor %q, next %q", len(first), resp.NextCursor, resp.NextURL)
	}
	second, resp, err := c.Labels.ListForPage(t.Context(), "1", &confluence.LabelListOptions{ListOptions: confluence.ListOptions{Cursor: resp.NextCursor}})
	if err != nil {
		t.Fatal(err)
	}
	if len(second) != 1 || second[0].Name != "l7" || resp.NextCursor != "" || resp.NextURL != "" {
		t.Errorf("second page: %+v, cursor %q, next %q; want [l7] and no next", second, resp.NextCursor, resp.NextURL)
	}
}

func TestIteratorStopsOnRepeatedNext(t *testing.T) {
	t.Parallel()
	h := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"results":[{"id":"1","name":"a"}],"_links":{"next":"/wiki/api/v2/pages/1/labels?cursor=same"}}`))
	})
	c, srv, _ := newTestClient(t, h, nil)
	var n int
	var last error
	for _, err := range c.Labels.ListForPageIter(t.Context(), "1", nil) {
		if err != nil {
			last = err
			break
		}
		n++
	}
	if last == nil || n != 2 {
		t.Errorf("got %d items and error %v, want 2 items then an error", n, last)
	}
	if got := srv.n.Load(); got != 2 {
		t.Errorf("requests = %d, want 2", got)
	}
}

// autoSite answers like Confluence for a scoped token: 401 HTML on the
// site, 200 through the gateway.
func autoSite(scoped bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/_edge/tenant_info":
			_, _ = fmt.Fprintf(w, `{"cloudId":%q}`, cloudID)
		case strings.HasPrefix(r.URL.Path, "/ex/confluence/"+cloudID+"/wiki/") || (!scoped && strings.HasPrefix(r.URL.Path, "/wiki/")):
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(`{"type":"known","accountId":"712020:abc","displayName":"Bot"}`))
		default:
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = w.Write([]byte(`<!doctype html><title>HTTP Status 401 – Unauthorized</title>`))
		}
	})
}

func TestAutoTokenType(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		scoped    bool
		want      confluence.TokenType
		wantCalls int64
	}{
		{name: "classic works on the site", scoped: false, want: confluence.TokenClassic, wantCalls: 1},
		{name: "scoped falls back to the gateway", scoped: true, want: confluence.TokenScoped, wantCalls: 3}, // site 401, tenant_info, gateway
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, srv, _ := newTestClient(t, autoSite(tt.scoped), func(o *confluence.Options) { o.TokenType = confluence.TokenAuto })
			if got := c.TokenType(); got != confluence.TokenAuto {
				t.Errorf("TokenType before any call = %v, want auto", got)
			}
			u, _, err := c.Users.Current(t.Context())
			if err != nil {
				t.Fatalf("Current: %v", err)
			}
			if u.AccountID != "712020:abc" {
				t.Errorf("AccountID = %q, want 712020:abc", u.AccountID)
			}
			if got := c.TokenType(); got != tt.want {
				t.Errorf("TokenType = %v, want %v", got, tt.want)
			}
			if got := srv.n.Load(); got != tt.wantCalls {
				t.Errorf("requests = %d, want %d", got, tt.wantCalls)
			}
			// Once known, the routing sticks: one more call, one more request.
			if _, _, err := c.Users.Current(t.Context()); err != nil {
				t.Fatal(err)
			}
			srv.wantRequests(t, "requests after second call", tt.wantCalls+1)
			if tt.scoped && c.CloudID() != cloudID {
				t.Errorf("CloudID = %q, want %q", c.CloudID(), cloudID)
			}
		})
	}
}

func TestScopedTokenOnSiteWhenForcedClassic(t *testing.T) {
	t.Parallel()
	c, _, _ := newTestClient(t, autoSite(true), nil)
	_, _, err := c.Users.Current(t.Context())
	if !errors.Is(err, confluence.ErrScopedTokenOnSite) || !errors.Is(err, confluence.ErrUnauthorized) {
		t.Errorf("error %v, want ErrScopedTokenOnSite (and ErrUnauthorized)", err)
	}
}

func TestCurrentUserAnonymousIsRejected(t *testing.T) {
	t.Parallel()
	c, _, _ := newTestClient(t, jsonHandler(200, `{"type":"anonymous","displayName":"Anonymous"}`), nil)
	if _, _, err := c.Users.Current(t.Context()); !errors.Is(err, confluence.ErrCredentialsRejected) {
		t.Errorf("error %v, want ErrCredentialsRejected", err)
	}
}

func TestResponseSizeCap(t *testing.T) {
	t.Parallel()
	big := `{"id":"1","title":"` + strings.Repeat("x", 4096) + `"}`
	c, _, _ := newTestClient(t, jsonHandler(200, big), func(o *confluence.Options) { o.MaxResponseBytes = 1024 })
	if _, _, err := c.Pages.Get(t.Context(), "1", nil); !errors.Is(err, confluence.ErrResponseTooLarge) {
		t.Errorf("error %v, want ErrResponseTooLarge", err)
	}
}

func TestDownloadFollowsRedirectWithoutCredentials(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	auth := map[string]string{}
	var base string
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		auth[r.URL.Path] = r.Header.Get("Authorization")
		mu.Unlock()
		switch r.URL.Path {
		case "/wiki/rest/api/content/5/child/attachment/att9/download":
			http.Redirect(w, r, base+"/media/file/att9/binary?token=media-token", http.StatusFound)
		case "/media/file/att9/binary":
			w.Header().Set("Content-Type", "image/png")
			_, _ = w.Write([]byte("PNGDATA"))
		default:
			http.NotFound(w, r)
		}
	})
	c, _, _ := newTestClient(t, h, nil)
	base = "http://" + c.Site()
	f, _, err := c.Attachments.Download(t.Context(), "5", "att9")
	if err != nil {
		t.Fatalf("Download: %v", err)
	}
	if string(f.Data) != "PNGDATA" || f.ContentType != "image/png" {
		t.Errorf("file = %q (%s), want PNGDATA (image/png)", f.Data, f.ContentType)
	}
	mu.Lock()
	defer mu.Unlock()
	if auth["/wiki/rest/api/content/5/child/attachment/att9/download"] == "" {
		t.Error("download route got no Authorization, want Basic credentials")
	}
	if got := auth["/media/file/att9/binary"]; got != "" {
		t.Errorf("redirect target got Authorization %q, want none", got)
	}
}

func TestDownloadRefusesForeignRedirect(t *testing.T) {
	t.Parallel()
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "https://evil.example.com/steal", http.StatusFound)
	})
	c, srv, _ := newTestClient(t, h, nil)
	if _, _, err := c.Attachments.Download(t.Context(), "5", "att9"); !errors.Is(err, confluence.ErrHostNotAllowed) {
		t.Errorf("error %v, want ErrHostNotAllowed", err)
	}
	if got := srv.n.Load(); got != 1 {
		t.Errorf("requests = %d, want 1", got)
	}
}
