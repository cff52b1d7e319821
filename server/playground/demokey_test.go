package playground_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/confluence-graph/confluence-graph/server/playground"
)

// demoKeyAttr parses page as a browser would and returns the html element's
// data-demo-key attribute, whether it is there, and how many script
// elements the page has.
func demoKeyAttr(t *testing.T, page string) (key string, ok bool, scripts int) {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatalf("parse page: %v", err)
	}
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.Data {
			case "html":
				for _, a := range n.Attr {
					if a.Key == "data-demo-key" {
						key, ok = a.Val, true
					}
				}
			case "script":
				scripts++
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return key, ok, scripts
}

// TestDemoKey checks that the demo key reaches the page as exactly the
// attribute value, whatever it contains: a key with quotes and markup stays
// inside the attribute and adds no element.
func TestDemoKey(t *testing.T) {
	tests := []struct {
		name string
		key  string
	}{
		{"demo reader key", "cg_demo_AbC-123_xyz"},
		{"key that tries to leave the attribute", `cg_x"><script>alert(1)</script><p a='&amp;`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mux := http.NewServeMux()
			playground.RegisterWith(mux, playground.Options{Playground: true, Settings: true, DemoKey: tt.key})
			srv := httptest.NewServer(mux)
			t.Cleanup(srv.Close)

			res, body := get(t, "GET", srv.URL+"/", nil)
			if got, want := res.StatusCode, http.StatusOK; got != want {
				t.Fatalf("status: got %d, want %d", got, want)
			}
			key, ok, scripts := demoKeyAttr(t, body)
			if !ok || key != tt.key {
				t.Errorf("data-demo-key: got %q (present %v), want %q", key, ok, tt.key)
			}
			if scripts != 1 {
				t.Errorf("page has %d script elements, want the bundle's 1", scripts)
			}
			if strings.Contains(body, "<script>alert") {
				t.Errorf("the key's markup reached the page unescaped:\n%s", body)
			}
			if got := res.Header.Get("Content-Security-Policy"); !strings.Contains(got, "script-src 'self'") {
				t.Errorf("Content-Security-Policy: got %q, want scripts from the origin only", got)
			}
			plain, _ := get(t, "GET", newMux(t, true, false).URL+"/", nil)
			if res.Header.Get("ETag") == plain.Header.Get("ETag") {
				t.Errorf("the page with a demo key has the ETag of the page without one")
			}
			settings, _ := get(t, "GET", srv.URL+"/settings", nil)
			if got, want := settings.StatusCode, http.StatusOK; got != want {
				t.Errorf("GET /settings: got %d, want %d", got, want)
			}
		})
	}
}

func TestNoDemoKeyWithoutOption(t *testing.T) {
	for name, h := range map[string]http.Handler{
		"Handler":                 playground.Handler(),
		"PlaygroundHandler(\"\")": playground.PlaygroundHandler(""),
	} {
		t.Run(name, func(t *testing.T) {
			srv := httptest.NewServer(h)
			t.Cleanup(srv.Close)
			_, body := get(t, "GET", srv.URL+"/", nil)
			if _, ok, _ := demoKeyAttr(t, body); ok {
				t.Errorf("page has a data-demo-key attribute without a demo key")
			}
		})
	}
}
