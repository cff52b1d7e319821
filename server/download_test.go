package server_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/confluence-graph/confluence-graph/confluence/confluencetest"
	"github.com/confluence-graph/confluence-graph/internal/testsupport"
	"github.com/confluence-graph/confluence-graph/server"
	"github.com/confluence-graph/confluence-graph/settings"
)

// download GETs url with the API key (none when key is ""), returning the status, the
// Content-Type and Content-Disposition headers and the body.
func download(t *testing.T, url, key string) (status int, ct, cd, body string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("Content-Type"), resp.Header.Get("Content-Disposition"), string(b)
}

// downloadURLs asks the API for the downloadUrl of every file of page 100031.
func downloadURLs(t *testing.T, s *stack, key string) map[string]string {
	t.Helper()
	got := s.post(key, `{ page(id: "100031") { attachments { nodes { title downloadUrl } } } }`, nil)
	if len(got.Errors) != 0 {
		t.Fatalf("attachments: %s", got.Raw)
	}
	out := map[string]string{}
	page, _ := got.Data["page"].(map[string]any)
	atts, _ := page["attachments"].(map[string]any)
	nodes, _ := atts["nodes"].([]any)
	for _, n := range nodes {
		m := n.(map[string]any)
		out[m["title"].(string)] = m["downloadUrl"].(string)
	}
	return out
}

// downloadUrl is an absolute link of this service; GET with the caller's API key streams the
// file fetched with the tenant's credentials; without a key it is refused.
func TestDownloadURLServesTheFile(t *testing.T) {
	s := newStack(t, stackOptions{})
	s.connect("tenant-a", "classic")
	key := s.key("tenant-a", settings.RoleReader)
	urls := downloadURLs(t, s, key)
	u := urls["pir-2026-014-timeline.pdf"]
	if u != s.http.URL+"/attachments/att300005/download" {
		t.Fatalf("downloadUrl = %q, want this service's route on %s", u, s.http.URL)
	}
	status, ct, cd, body := download(t, u, key)
	if status != http.StatusOK || ct != "application/pdf" || !strings.HasPrefix(body, "%PDF-") || !strings.Contains(cd, "pir-2026-014-timeline.pdf") {
		t.Errorf("download = %d %q %q %.20q, want 200 with the PDF", status, ct, cd, body)
	}
	if status, _, _, body := download(t, u, ""); status != http.StatusUnauthorized || strings.Contains(body, "%PDF") {
		t.Errorf("without a key: %d %.80s, want 401", status, body)
	}
	if status, _, _, body := download(t, s.http.URL+"/attachments/att999999/download", key); status != http.StatusNotFound || !strings.Contains(body, "NOT_FOUND") {
		t.Errorf("unknown attachment: %d %s, want 404 NOT_FOUND", status, body)
	}
	// Downloads are counted by status, not as GraphQL operations (they were "rejected" ones).
	ms := httptest.NewServer(s.app.MetricsHandler())
	t.Cleanup(ms.Close)
	_, metrics := testsupport.Get(t, ms.URL+"/metrics")
	if !strings.Contains(metrics, `http_requests_total{code="200",handler="download"} 1`) || strings.Contains(metrics, `outcome="rejected"`) {
		t.Errorf("metrics after downloads:\n%s", grepLines(metrics, "download", "outcome"))
	}
}

// grepLines returns the lines of s holding any of words.
func grepLines(s string, words ...string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		for _, w := range words {
			if strings.Contains(l, w) {
				out = append(out, l)
				break
			}
		}
	}
	return strings.Join(out, "\n")
}

// A tenant's key reaches only the files its own Confluence credentials can see: a file tenant A
// downloads is not found for tenant B, whose account cannot see that space (as a file of
// another site is not found on B's site), and a tenant without Confluence gets NOT_CONNECTED.
func TestDownloadIsTenantIsolated(t *testing.T) {
	s := newStack(t, stackOptions{})
	secret := confluencetest.Attachment{ID: "att399001", PageID: "100051", Title: "rotation.txt", MediaType: "text/plain", Content: []byte("rotated")}
	if err := s.sim.Seed(confluencetest.Dataset{Attachments: []confluencetest.Attachment{secret}}); err != nil {
		t.Fatal(err)
	}
	s.connect("tenant-a", "classic")
	s.connect("tenant-b", "restricted") // sees OPS, ARCH, PIR and ENG, not SEC
	u := s.http.URL + "/attachments/att399001/download"
	if status, _, _, body := download(t, u, s.key("tenant-a", settings.RoleReader)); status != http.StatusOK || body != "rotated" {
		t.Fatalf("tenant A: %d %.120s, want the file", status, body)
	}
	if status, _, _, body := download(t, u, s.key("tenant-b", settings.RoleReader)); status != http.StatusNotFound || strings.Contains(body, "rotated") {
		t.Errorf("tenant B: %d %.120s, want 404", status, body)
	}
	if status, _, _, body := download(t, u, s.key("tenant-c", settings.RoleAdmin)); status != http.StatusConflict || !strings.Contains(body, "NOT_CONNECTED") {
		t.Errorf("tenant C: %d %.120s, want 409 NOT_CONNECTED", status, body)
	}
}

// Files over MaxAttachmentBytes are refused with 413, smaller ones served.
func TestDownloadSizeCap(t *testing.T) {
	s := newStack(t, stackOptions{server: server.Config{MaxAttachmentBytes: 500}})
	s.connect("tenant-a", "classic")
	key := s.key("tenant-a", settings.RoleReader)
	urls := downloadURLs(t, s, key)
	if status, _, _, body := download(t, urls["pir-2026-014-timeline.pdf"], key); status != http.StatusRequestEntityTooLarge || !strings.Contains(body, "500-byte") {
		t.Errorf("PDF over the cap: %d %s, want 413", status, body)
	}
	if status, ct, _, body := download(t, urls["pir-2026-014-latency.csv"], key); status != http.StatusOK || ct != "text/csv" || !strings.HasPrefix(body, "time,endpoint") {
		t.Errorf("CSV under the cap: %d %q %.40q, want 200", status, ct, body)
	}
}
