// Package playground serves the browser pages of confluence-graph from
// assets embedded in the binary: the GraphiQL playground and the reference
// integrations settings page. Nothing they load comes from another host.
//
// The GraphiQL bundle in dist/ is built from web/ by `make generate`
// (web/build.sh: npm ci + esbuild) and committed, so building the Go binary
// needs no Node. The settings page in settings/ is plain HTML, CSS and
// JavaScript, embedded as written.
//
// Both pages send GraphQL to "graphql" relative to their own URL, so with
// the handlers mounted at the root they talk to /graphql. Mount them with
// Register, or by hand on these paths:
//
//	Handler():          GET /  and  GET /playground/{file}
//	SettingsHandler():  GET /settings  and  GET /settings/{file}
package playground

//go:generate sh web/build.sh

import (
	"net/http"
	"strings"
)

// Handler returns the handler of the GraphiQL playground: the page at "/"
// and its bundled script, stylesheet and licence notices under
// "/playground/". Any other path answers 404; methods other than GET and
// HEAD answer 405. The handler is safe for concurrent use and holds no
// state beyond the embedded files.
func Handler() http.Handler {
	return pageHandler{
		page:   playgroundPage,
		prefix: "/playground/",
		files:  playgroundFiles,
	}
}

// SettingsHandler returns the handler of the reference settings page: the
// page at "/settings" and its script and stylesheet under "/settings/".
// The page calls the connectConfluence, testConfluenceConnection and
// disconnectConfluence mutations with an admin key the user types in; the
// key stays in the browser's sessionStorage. Other paths answer 404 and
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
	if playground {
		h := Handler()
		mux.Handle("/{$}", h)
		mux.Handle("/playground/", h)
	}
	if settings {
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
