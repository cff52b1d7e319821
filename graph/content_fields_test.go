package graph_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/confluence-graph/confluence-graph/confluence/confluencetest"
)

// seedRenamed adds page 900001 to OPS: renamed from "Old name" to "New name" in version 2,
// with one body line changed.
func seedRenamed(t *testing.T, e *env) {
	t.Helper()
	at := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	author := e.sim.Accounts()[0].AccountID
	err := e.sim.Seed(confluencetest.Dataset{Pages: []confluencetest.Page{{
		ID: "900001", SpaceKey: "OPS", Title: "New name", ParentID: "100001", AuthorID: author, CreatedAt: at,
		Versions: []confluencetest.Version{
			{Title: "Old name", AuthorID: author, CreatedAt: at, Body: "<p>alpha</p><p>beta</p><p>gamma</p>"},
			{AuthorID: author, CreatedAt: at.Add(time.Hour), Body: "<p>alpha</p><p>BETA</p><p>gamma</p>"},
		},
	}}})
	if err != nil {
		t.Fatal(err)
	}
}

// The default diff is previous -> current, counts its lines and reports a title change.
func TestDiffTitleChangeAndLineCounts(t *testing.T) {
	e := demoEnv(t)
	seedRenamed(t, e)
	var r struct{ Page struct{ Diff diffResp } }
	e.mustDo(t, `{ page(id: "900001") { diff { from { number } to { number } unified linesAdded linesRemoved titleChanged fromTitle toTitle } } }`, &r)
	d := r.Page.Diff
	if d.From.Number != 1 || d.To.Number != 2 {
		t.Errorf("diff %d -> %d, want 1 -> 2", d.From.Number, d.To.Number)
	}
	if !d.TitleChanged || d.FromTitle != "Old name" || d.ToTitle != "New name" {
		t.Errorf("title change = %v %q -> %q, want true Old name -> New name", d.TitleChanged, d.FromTitle, d.ToTitle)
	}
	if d.LinesAdded != 1 || d.LinesRemoved != 1 || !strings.Contains(d.Unified, "-beta") || !strings.Contains(d.Unified, "+BETA") {
		t.Errorf("lines +%d -%d, unified:\n%s\nwant +1 -1 replacing beta", d.LinesAdded, d.LinesRemoved, d.Unified)
	}
}

// Versions that do not exist and impossible ranges are clear errors at the diff's path.
func TestDiffErrors(t *testing.T) {
	e := demoEnv(t)
	seedRenamed(t, e)
	tests := []struct {
		name, args, code, message string
	}{
		{"from 0", "from: 0, to: 2", "NOT_FOUND", "version 0 of page 900001 does not exist (versions 1 to 2 do)"},
		{"to past the current", "to: 3", "NOT_FOUND", "version 3 of page 900001 does not exist (versions 1 to 2 do)"},
		{"nothing before version 1", "to: 1", "NOT_FOUND", "page 900001 has no version before 1, so there is nothing to compare; pass from and to"},
		{"from after to", "from: 2, to: 1", "BAD_USER_INPUT", "from (2) must not be greater than to (1)"},
		{"context too large", "context: 21", "BAD_USER_INPUT", "context must be between 0 and 20, got 21"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var r struct{ Page *struct{ Title string } }
			errs := e.do(t, `{ page(id: "900001") { title diff(`+tt.args+`) { unified } } }`, &r)
			ge := errorAt(t, errs, "page")
			if codeOf(ge) != tt.code || ge.Message != tt.message {
				t.Errorf("error = %s %q, want %s %q", codeOf(ge), ge.Message, tt.code, tt.message)
			}
			if len(ge.Path) != 2 || ge.Path[1] != "diff" {
				t.Errorf("path = %v, want [page diff]", ge.Path)
			}
		})
	}
}

// Each format is the representation asked for, not another one passed through.
func TestBodyFormatsAreDistinct(t *testing.T) {
	e := demoEnv(t)
	var r struct {
		Page struct {
			View, Adf, Storage struct {
				Format, Value string
			}
			Version struct {
				Text struct{ Value string }
			}
		}
	}
	e.mustDo(t, `{ page(id: "100003") {
	  view: body(format: VIEW) { format value } adf: body(format: ATLAS_DOC_FORMAT) { format value }
	  storage: body(format: STORAGE) { format value }
	  version(number: 3) { text: body(format: TEXT) { value } } } }`, &r)
	p := r.Page
	if p.View.Format != "VIEW" || strings.Contains(p.View.Value, "<ac:") || !strings.Contains(p.View.Value, "<h1") {
		t.Errorf("VIEW = %s %.200q, want rendered HTML without storage macros", p.View.Format, p.View.Value)
	}
	var doc struct {
		Type    string
		Content []any
	}
	if err := json.Unmarshal([]byte(p.Adf.Value), &doc); err != nil || p.Adf.Format != "ATLAS_DOC_FORMAT" || doc.Type != "doc" || len(doc.Content) == 0 {
		t.Errorf("ATLAS_DOC_FORMAT = %s %.200q (%v), want an ADF doc", p.Adf.Format, p.Adf.Value, err)
	}
	if !strings.Contains(p.Storage.Value, "<ac:structured-macro") {
		t.Errorf("STORAGE = %.200q, want storage XHTML", p.Storage.Value)
	}
	if v := p.Version.Text.Value; strings.Contains(v, "<") || strings.Contains(v, "# ") || !strings.Contains(v, "Pre-flight checklist") {
		t.Errorf("version 3 TEXT = %.300q, want plain text of that version", v)
	}
}

// Bad body arguments are errors at the body's path; the page's other fields stand.
func TestBodyArgumentErrors(t *testing.T) {
	e := demoEnv(t)
	tests := []struct {
		name, args, code, contains string
	}{
		{"maxChars 0", "maxChars: 0", "BAD_USER_INPUT", "maxChars must be at least 1"},
		{"section of a storage body", `format: STORAGE, section: "Steps"`, "BAD_USER_INPUT", "MARKDOWN and TEXT"},
		{"missing section names the headings", `section: "Nope"`, "NOT_FOUND", "Pre-flight checklist"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var r struct {
				Page *struct {
					Title string
					Ok    struct{ Value string }
				}
			}
			errs := e.do(t, `{ page(id: "100003") { title ok: body(maxChars: 10) { value } body(`+tt.args+`) { value } } }`, &r)
			ge := errorAt(t, errs, "page")
			if codeOf(ge) != tt.code || !strings.Contains(ge.Message, tt.contains) {
				t.Errorf("error = %s %q, want %s containing %q", codeOf(ge), ge.Message, tt.code, tt.contains)
			}
			if len(ge.Path) != 2 || ge.Path[1] != "body" {
				t.Errorf("path = %v, want [page body]", ge.Path)
			}
		})
	}
}
