package attachtext_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/confluence-graph/confluence-graph/attachtext"
)

// A text or HTML file over the cap gives the text of its first MaxBytes bytes, marked Incomplete
// and ending with the cut marker; a file at the cap is whole, without the marker.
func TestPrefixOfTextFormats(t *testing.T) {
	const limit = 1000
	line := "2026-01-01 INFO orders-db-2 took over\n"
	long := strings.Repeat(line, 100) // 3,800 bytes
	html := "<html><body><h1>Timeline</h1><p>" + strings.Repeat("failover step ", 200) + "</p></body></html>"
	for _, tt := range []struct {
		name, mediaType, file, body, want string
	}{
		{"log", "text/plain", "app.log", long, "orders-db-2 took over"},
		{"csv", "text/csv", "t.csv", "time,ms\n" + strings.Repeat("09:31,120\n", 200), "time,ms\n09:31,120"},
		{"json", "application/json", "a.json", `{"rows":[` + strings.Repeat(`{"a":1},`, 300) + `{}]}`, `{"rows":[{"a":1}`},
		{"yaml", "application/yaml", "a.yaml", strings.Repeat("- step: failover\n", 100), "- step: failover"},
		{"markdown", "text/markdown", "a.md", "# Notes\n\n" + long, "# Notes"},
		{"html", "text/html", "a.html", html, "Timeline"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := attachtext.Extract(context.Background(), strings.NewReader(tt.body), tt.mediaType, tt.file, attachtext.Options{MaxBytes: limit})
			if err != nil {
				t.Fatal(err)
			}
			if !got.Incomplete || !strings.HasSuffix(got.Text, attachtext.CutMarker(limit)) || !strings.Contains(got.Text, tt.want) {
				t.Errorf("got incomplete=%v %q, want the prefix's text ending with the marker", got.Incomplete, got.Text)
			}
			if body := strings.TrimSuffix(got.Text, attachtext.CutMarker(limit)); len(body) > limit+10 {
				t.Errorf("text before the marker has %d bytes, want about the %d-byte prefix", len(body), limit)
			}
			whole, err := attachtext.Extract(context.Background(), strings.NewReader(tt.body[:limit]), tt.mediaType, tt.file, attachtext.Options{MaxBytes: limit})
			if err != nil || whole.Incomplete || strings.Contains(whole.Text, "text cut here") {
				t.Errorf("a file of exactly %d bytes: %+v, %v; want it whole, no marker", limit, whole, err)
			}
		})
	}
	if !strings.Contains(attachtext.CutMarker(limit), "1000-byte limit") {
		t.Errorf("marker %q does not name the limit", attachtext.CutMarker(limit))
	}
}

// PDF and DOCX need the whole file: NeedsWholeFile says so and Extract refuses them over the cap.
func TestNeedsWholeFile(t *testing.T) {
	for _, tt := range []struct {
		mediaType, file string
		want            bool
	}{
		{"application/pdf", "a.pdf", true},
		{"application/octet-stream", "a.docx", true},
		{"application/vnd.openxmlformats-officedocument.wordprocessingml.document", "a", true},
		{"text/plain", "a.txt", false},
		{"text/html", "a.html", false},
		{"application/octet-stream", "a.csv", false},
		{"image/png", "a.png", false},
	} {
		if got := attachtext.NeedsWholeFile(tt.mediaType, tt.file); got != tt.want {
			t.Errorf("NeedsWholeFile(%q, %q) = %v, want %v", tt.mediaType, tt.file, got, tt.want)
		}
	}
	_, err := attachtext.Extract(context.Background(), strings.NewReader("%PDF-1.4 "+strings.Repeat("x", 2000)), "application/pdf", "a.pdf", attachtext.Options{MaxBytes: 1000})
	if tl, ok := errors.AsType[*attachtext.TooLargeError](err); !ok || tl.Limit != 1000 || !strings.Contains(err.Error(), "1000-byte limit") {
		t.Errorf("PDF over the cap: %v, want *TooLargeError naming the 1000-byte limit", err)
	}
}
