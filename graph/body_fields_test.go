package graph_test

import (
	"encoding/json"
	"strings"
	"testing"
)

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
