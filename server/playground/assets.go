package playground

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"net/http"
	"path"
	"strconv"
	"strings"
)

// dist holds the GraphiQL bundle that web/build.sh writes; pageSource holds
// the playground page that loads it, embedded as written; settings holds
// the hand-written settings page. All are read once, at package init.
var (
	//go:embed dist
	dist embed.FS
	//go:embed web/src/index.html
	pageSource embed.FS
	//go:embed settings
	settings embed.FS
)

var (
	playgroundPage  = mustAsset(pageSource, "web/src/index.html")
	playgroundFiles = mustDir(dist, "dist/playground")
	settingsPage    = mustAsset(settings, "settings/settings.html")
	settingsFiles   = mustDir(settings, "settings")
)

// contentSecurityPolicy lets the pages load only their own embedded files and
// talk only to their own origin: the browser itself refuses any request to a
// CDN or other host. Inline styles are allowed because GraphiQL and
// CodeMirror position elements with style attributes.
const contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; " +
	"img-src 'self' data:; font-src 'self' data:; connect-src 'self'; " +
	"base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

// contentTypes is fixed here rather than taken from the mime package, whose
// answers depend on the host's mime.types files.
var contentTypes = map[string]string{
	".html": "text/html; charset=utf-8",
	".css":  "text/css; charset=utf-8",
	".js":   "text/javascript; charset=utf-8",
	".txt":  "text/plain; charset=utf-8",
}

// asset is one embedded file with the headers it is served with.
type asset struct {
	body        []byte
	contentType string
	etag        string
}

func newAsset(name string, body []byte) *asset {
	ct, ok := contentTypes[path.Ext(name)]
	if !ok {
		ct = "application/octet-stream"
	}
	sum := sha256.Sum256(body)
	return &asset{body: body, contentType: ct, etag: `"` + hex.EncodeToString(sum[:12]) + `"`}
}

func mustAsset(fsys fs.FS, name string) *asset {
	b, err := fs.ReadFile(fsys, name)
	if err != nil {
		panic(fmt.Sprintf("playground: embedded %s missing (run make generate): %v", name, err))
	}
	return newAsset(name, b)
}

// mustDir returns the regular files directly inside dir, keyed by base name.
func mustDir(fsys fs.FS, dir string) map[string]*asset {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		panic(fmt.Sprintf("playground: embedded %s missing (run make generate): %v", dir, err))
	}
	files := make(map[string]*asset, len(entries))
	for _, e := range entries {
		if e.Type().IsRegular() {
			files[e.Name()] = mustAsset(fsys, dir+"/"+e.Name())
		}
	}
	return files
}

// serveAsset writes a with revalidation caching: the browser keeps the file
// but asks each time, and an unchanged file costs a 304.
func serveAsset(w http.ResponseWriter, r *http.Request, a *asset) {
	h := w.Header()
	h.Set("Content-Security-Policy", contentSecurityPolicy)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Cache-Control", "no-cache")
	h.Set("ETag", a.etag)
	if inm := r.Header.Get("If-None-Match"); inm != "" && etagMatches(inm, a.etag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	h.Set("Content-Type", a.contentType)
	h.Set("Content-Length", strconv.Itoa(len(a.body)))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		_, _ = w.Write(a.body)
	}
}

// etagMatches reports whether an If-None-Match header value names etag.
func etagMatches(header, etag string) bool {
	for _, v := range strings.Split(header, ",") {
		v = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(v), "W/"))
		if v == etag || v == "*" {
			return true
		}
	}
	return false
}
