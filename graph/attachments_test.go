package graph_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/confluence-graph/confluence-graph/loaders"
)

type attText struct {
	Text       string
	Truncated  bool
	TotalChars int
	Incomplete bool
	Format     string
}

// The demo's PDF and CSV attachments come back as text: one list of the page's files, one
// download per file; a second request reads the texts from the cache.
func TestAttachmentTextOnDemo(t *testing.T) {
	e := newEnv(t, envOptions{dataset: "demo", cache: loaders.NewCache(1000, time.Minute)})
	const q = `{ page(id: "100031") { attachments { nodes { title mediaType text { text truncated totalChars incomplete format } } } } }`
	var r struct {
		Page struct {
			Attachments struct {
				Nodes []struct {
					Title, MediaType string
					Text             attText
				}
			}
		}
	}
	e.sim.ResetStats()
	e.mustDo(t, q, &r)
	got := map[string]attText{}
	for _, n := range r.Page.Attachments.Nodes {
		got[n.Title] = n.Text
	}
	pdf := got["pir-2026-014-timeline.pdf"]
	if pdf.Format != "pdf" || !strings.Contains(pdf.Text, "PIR-2026-014 timeline") || !strings.Contains(pdf.Text, "09:31 failover to orders-db-2") ||
		pdf.Truncated || pdf.TotalChars != utf8.RuneCountInString(pdf.Text) {
		t.Errorf("PDF text = %+v", pdf)
	}
	if csv := got["pir-2026-014-latency.csv"]; csv.Format != "text" || !strings.HasPrefix(csv.Text, "time,endpoint,p99_ms") {
		t.Errorf("CSV text = %+v", csv)
	}
	downloads := e.sim.Count("GET /wiki/rest/api/content/{id}/child/attachment/{att}/download")
	if downloads != 2 {
		t.Errorf("downloads = %d, want 2 (%v)", downloads, e.sim.Stats().ByEndpoint)
	}
	e.sim.ResetStats()
	e.mustDo(t, q, &r)
	if n := e.sim.Count("GET /wiki/rest/api/content/{id}/child/attachment/{att}/download"); n != 0 {
		t.Errorf("second request downloaded %d files, want 0 (the texts are cached by id and version)", n)
	}
}

// offset and maxChars select a window of the text; totalChars is the whole text's length.
func TestAttachmentTextWindow(t *testing.T) {
	e := demoEnv(t)
	var r struct {
		Page struct {
			Attachments struct{ Nodes []struct{ Text attText } }
		}
	}
	e.mustDo(t, `{ page(id: "100006") { attachments(mediaType: "text/plain") { nodes { text(offset: 21, maxChars: 10) { text truncated totalChars } } } } }`, &r)
	if len(r.Page.Attachments.Nodes) != 1 {
		t.Fatalf("nodes = %+v", r.Page.Attachments.Nodes)
	}
	w := r.Page.Attachments.Nodes[0].Text
	if w.Text != "sentinel-0" || !w.Truncated || w.TotalChars < 100 {
		t.Errorf("window = %+v, want \"sentinel-0\", truncated, the whole length", w)
	}
}

// An image has no text: BAD_USER_INPUT naming its type; bad arguments name themselves.
func TestAttachmentTextErrors(t *testing.T) {
	e := demoEnv(t)
	errs := e.do(t, `{ page(id: "100003") { attachments(mediaType: "image/png") { nodes { text { text } } } } }`, nil)
	if len(errs) != 1 || codeOf(errs[0]) != "BAD_USER_INPUT" || !strings.Contains(errs[0].Message, "image/png") || !strings.Contains(errs[0].Message, "deploy-pipeline.png") {
		t.Errorf("errors = %+v, want one BAD_USER_INPUT naming image/png and the file", errs)
	}
	for _, arg := range []string{"maxChars: 0", "offset: -1"} {
		errs := e.do(t, `{ page(id: "100003") { attachments(mediaType: "text/plain") { nodes { text(`+arg+`) { text } } } } }`, nil)
		field := strings.Split(arg, ":")[0]
		if len(errs) != 1 || codeOf(errs[0]) != "BAD_USER_INPUT" || errs[0].Extensions["field"] != field {
			t.Errorf("%s: errors = %+v, want BAD_USER_INPUT on %s", arg, errs, field)
		}
	}
}

// maxChars cuts STORAGE and VIEW into well-formed XHTML and ATLAS_DOC_FORMAT into valid JSON,
// never longer than asked; a maxChars too small for a valid document is BAD_USER_INPUT.
func TestMaxCharsKeepsMarkupValid(t *testing.T) {
	e := demoEnv(t)
	var r struct {
		Page struct {
			S, V, A struct {
				Value      string
				Truncated  bool
				TotalChars int
			}
		}
	}
	e.mustDo(t, `{ page(id: "100003") {
	  s: body(format: STORAGE, maxChars: 300) { value truncated totalChars }
	  v: body(format: VIEW, maxChars: 300) { value truncated totalChars }
	  a: body(format: ATLAS_DOC_FORMAT, maxChars: 300) { value truncated totalChars } } }`, &r)
	for name, b := range map[string]struct {
		Value      string
		Truncated  bool
		TotalChars int
	}{"STORAGE": r.Page.S, "VIEW": r.Page.V, "ATLAS_DOC_FORMAT": r.Page.A} {
		if !b.Truncated || utf8.RuneCountInString(b.Value) > 300 || b.TotalChars <= 300 || b.Value == "" {
			t.Errorf("%s: %d chars of %d, truncated %v", name, utf8.RuneCountInString(b.Value), b.TotalChars, b.Truncated)
		}
	}
	if !json.Valid([]byte(r.Page.A.Value)) {
		t.Errorf("cut ADF is not JSON: %s", r.Page.A.Value)
	}
	if !strings.HasSuffix(r.Page.S.Value, ">") || strings.Count(r.Page.S.Value, "<h1>") != strings.Count(r.Page.S.Value, "</h1>") {
		t.Errorf("cut storage is not closed: %s", r.Page.S.Value)
	}
	errs := e.do(t, `{ page(id: "100003") { body(format: ATLAS_DOC_FORMAT, maxChars: 5) { value } } }`, nil)
	if len(errs) != 1 || codeOf(errs[0]) != "BAD_USER_INPUT" || errs[0].Extensions["field"] != "maxChars" {
		t.Errorf("errors = %+v, want BAD_USER_INPUT on maxChars", errs)
	}
}
