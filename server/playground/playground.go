// Package playground serves the browser pages of confluence-graph from
// assets embedded in the binary: the GraphiQL playground and the reference
// integrations settings page. Nothing they load comes from another host.
//
// The GraphiQL bundle in dist/ is built from web/ by `make generate`
// (web/build.sh: npm ci + esbuild) and committed, so building the Go binary
// needs no Node; the page that loads it, web/src/index.html, is embedded as
// written. The settings page in settings/ is plain HTML, CSS and
// JavaScript, embedded as written.
//
// Both pages send GraphQL to "graphql" relative to their own URL, so with
// the handlers mounted at the root they talk to /graphql. Mount them with
// Register (or RegisterWith, which also takes a demo key), or by hand on
// these paths:
//
//	Handler(), PlaygroundHandler(key):  GET /  and  GET /playground/{file}
//	SettingsHandler():                  GET /settings  and  GET /settings/{file}
//
// Without a key the playground sends no request and shows "Paste an API key
// (Authorization: Bearer cg_…) to run queries"; with a demo key it starts
// with that key.
package playground

//go:generate sh web/build.sh

import (
	"bytes"
	"html"
	"net/http"
	"strings"
)

// Options configures the pages that Register mounts.
type Options struct {
	// Playground mounts Handler's paths; Settings mounts SettingsHandler's.
	Playground, Settings bool
	// DemoKey, when not empty, is an API key the playground starts with, so
	// its first schema load and query succeed without pasting one. Only
	// `serve --demo` should set it (to its printed reader key): the key is
	// written into the page, readable by anyone who can open it. Empty, the
	// playground asks for a key and sends nothing until it has one.
	DemoKey string
}

// Handler returns the handler of the GraphiQL playground: the page at "/"
// and its bundled script, stylesheet and licence notices under
// "/playground/". Any other path answers 404; methods other than GET and
// HEAD answer 405. The handler is safe for concurrent use and holds no
// state beyond the embedded files. It is PlaygroundHandler with no demo key.
func Handler() http.Handler {
	return PlaygroundHandler("")
}

// PlaygroundHandler is Handler with a demo key (see Options.DemoKey)
// carried in the page as the data-demo-key attribute of its html element,
// HTML-escaped, for the page's script to read; no inline script is added,
// so the Content-Security-Policy stays unchanged.
func PlaygroundHandler(demoKey string) http.Handler {
	page := playgroundPage
	if demoKey != "" {
		page = withDemoKey(page, demoKey)
	}
	return pageHandler{
		page:   page,
		prefix: "/playground/",
		files:  playgroundFiles,
	}
}

// SettingsHandler returns the handler of the reference settings page: the
// page at "/settings" and its script and stylesheet under "/settings/".
// The page calls the connectConfluence, testConfluenceConnection,
// disconnectConfluence and setConfluenceReadPolicy mutations, and lists
// spaces for the read policy's space picker, with an admin key the user
// types in; the key stays in the browser's sessionStorage. Other paths answer 404 and
// methods other than GET and HEAD answer 405. Safe for concurrent use.
func SettingsHandler() http.Handler {
	return pageHandler{
		pagePath: "/settings",
		page:     settingsPage,
		prefix:   "/settings/",
		files:    settingsFiles,
	}
}

// Register mounts Handler (when playground is true) and SettingsHandler
// (when settings is true) on mux at the paths in the package comment.
// It panics, as http.ServeMux does, if one of those patterns is taken.
func Register(mux *http.ServeMux, playground, settings bool) {
	RegisterWith(mux, Options{Playground: playground, Settings: settings})
}

// RegisterWith is Register configured by opts; the playground gets
// opts.DemoKey. It panics, as http.ServeMux does, if a pattern is taken.
func RegisterWith(mux *http.ServeMux, opts Options) {
	if opts.Playground {
		h := PlaygroundHandler(opts.DemoKey)
		mux.Handle("/{$}", h)
		mux.Handle("/playground/", h)
	}
	if opts.Settings {
		h := SettingsHandler()
		mux.Handle("/settings", h)
		mux.Handle("/settings/", h)
	}
}

// pageHandler serves one HTML page at pagePath ("/" when empty) and the
// files of its asset set under prefix; prefix itself redirects to the page.
type pageHandler struct {
	pagePath string
	page     *asset
	prefix   string
	files    map[string]*asset
}

func (h pageHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	pagePath := h.pagePath
	if pagePath == "" {
		pagePath = "/"
	}
	switch {
	case r.URL.Path == pagePath:
		serveAsset(w, r, h.page)
	case r.URL.Path == h.prefix:
		http.Redirect(w, r, pagePath, http.StatusMovedPermanently)
	case strings.HasPrefix(r.URL.Path, h.prefix):
		a, ok := h.files[strings.TrimPrefix(r.URL.Path, h.prefix)]
		if !ok {
			http.NotFound(w, r)
			return
		}
		serveAsset(w, r, a)
	default:
		http.NotFound(w, r)
	}
}

// htmlTag is how the playground page's html element starts; withDemoKey
// adds its attribute right after it.
var htmlTag = []byte("<html ")

// withDemoKey returns page with data-demo-key="key" on its html element,
// the key escaped for an HTML attribute value (quotes, <, >, & included).
// It panics if the page has no html element, which TestDemoKey guards.
func withDemoKey(page *asset, key string) *asset {
	i := bytes.Index(page.body, htmlTag)
	if i < 0 {
		panic("playground: the embedded page has no <html ...> element")
	}
	i += len(htmlTag)
	var b bytes.Buffer
	b.Write(page.body[:i])
	b.WriteString(`data-demo-key="` + html.EscapeString(key) + `" `)
	b.Write(page.body[i:])
	return newAsset("index.html", b.Bytes())
}
