package confluencetest_test

import (
	"net/http"
	"testing"
)

// TestResponseHeadersAndUnknownPaths: every answer, success or error,
// carries a trace id and the edge Server header, as Confluence's do, and an
// unknown v2 path gets Spring's default 404 JSON (as Cloud answers), not the
// v2 envelope a client would read as a missing object.
func TestResponseHeadersAndUnknownPaths(t *testing.T) {
	s, a := demoClassic(t)
	for _, tc := range []struct {
		name, path string
		want       int
	}{
		{"success", "/wiki/api/v2/spaces", http.StatusOK},
		{"missing page", "/wiki/api/v2/pages/424242", http.StatusNotFound},
		{"bad parameter", "/wiki/api/v2/pages?limit=999", http.StatusBadRequest},
		{"unknown path", "/wiki/api/v2/folders/1/children", http.StatusNotFound},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := get(t, s.URL()+tc.path, a)
			if r.status != tc.want {
				t.Fatalf("status = %d, want %d", r.status, tc.want)
			}
			if r.header.Get("Atl-Traceid") == "" || r.header.Get("Server") == "" {
				t.Errorf("headers %v lack Atl-Traceid or Server", r.header)
			}
		})
	}
	m := get(t, s.URL()+"/wiki/api/v2/folders/1/children", a).json(t)
	if m["error"] != "Not Found" || m["message"] != "No message available" || m["path"] != "/wiki/api/v2/folders/1/children" || m["status"] != 404.0 || m["errors"] != nil {
		t.Errorf("unknown path body = %v, want Spring's default 404 JSON", m)
	}
	if r := get(t, s.GatewayURL()+"/wiki/api/v2/folders/1/children", a); r.json(t)["path"] != "/wiki/api/v2/folders/1/children" {
		t.Errorf("unknown path via the gateway: body %s, want path without the gateway prefix", r.body)
	}
}
