package attachtext_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/confluence-graph/confluence-graph/attachtext"
)

func extract(t *testing.T, b []byte, mediaType, name string, opts attachtext.Options) (attachtext.Text, error) {
	t.Helper()
	return attachtext.Extract(context.Background(), bytes.NewReader(b), mediaType, name, opts)
}

func TestTextFormats(t *testing.T) {
	tests := []struct {
		name, mediaType, file, in, want, format string
	}{
		{"plain", "text/plain; charset=utf-8", "notes.txt", "line one\r\nline two\x00\n", "line one\nline two\n", "text"},
		{"markdown", "text/markdown", "README.md", "# Title\n\n- item\n", "# Title\n\n- item\n", "text"},
		{"csv", "text/csv", "timings.csv", "step,ms\nconnect,12\n", "step,ms\nconnect,12\n", "text"},
		{"json", "application/json", "cfg.json", `{"a": [1, 2]}`, `{"a": [1, 2]}`, "text"},
		{"yaml by extension", "application/octet-stream", "deploy.yaml", "replicas: 3\n", "replicas: 3\n", "text"},
		{"log by extension", "", "app.log", "2026-01-01 ERROR boom\n", "2026-01-01 ERROR boom\n", "text"},
		{"other text/* types", "text/x-go", "main.go", "package main\n", "package main\n", "text"},
		{"UTF-8 BOM", "text/plain", "bom.txt", "\xEF\xBB\xBFhé", "hé", "text"},
		{"UTF-16LE BOM", "text/plain", "u16.txt", "\xFF\xFEh\x00\xe9\x00", "hé", "text"},
		{"invalid UTF-8", "text/plain", "bad.txt", "a\xffb", "a\uFFFDb", "text"},
		{"html through the converter", "text/html", "page.html", "<html><head><title>T</title><script>x()</script></head><body><h1>Report</h1><p>Uptime <b>99.9%</b><br>ok</p><table><tr><th>a</th><th>b</th></tr><tr><td>1</td><td>2</td></tr></table></body></html>", "Report\n\nUptime 99.9%\nok\n\na | b\n1 | 2\n", "html"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := extract(t, []byte(tt.in), tt.mediaType, tt.file, attachtext.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if got.Text != tt.want || got.Format != tt.format || got.Truncated || got.Incomplete {
				t.Errorf("got %+v, want text %q format %s", got, tt.want, tt.format)
			}
		})
	}
}

func TestWindow(t *testing.T) {
	in := []byte("héllo wörld") // 11 characters
	whole, err := extract(t, in, "text/plain", "a.txt", attachtext.Options{})
	if err != nil || attachtext.CheckType("text/plain", "a.txt") != nil {
		t.Fatal(err)
	}
	tests := []struct {
		offset, max int
		want        string
		truncated   bool
	}{
		{0, 0, "héllo wörld", false},
		{0, 5, "héllo", true},
		{6, 0, "wörld", false},
		{6, 3, "wör", true},
		{6, 5, "wörld", false},
		{11, 5, "", false},
		{99, 0, "", false},
		{-3, 1, "h", true},
	}
	for _, tt := range tests {
		got, err := extract(t, in, "text/plain", "a.txt", attachtext.Options{Offset: tt.offset, MaxChars: tt.max})
		if err != nil {
			t.Fatal(err)
		}
		if got.Text != tt.want || got.Truncated != tt.truncated || got.TotalChars != 11 {
			t.Errorf("offset %d max %d: got %+v, want %q truncated=%v total 11", tt.offset, tt.max, got, tt.want, tt.truncated)
		}
		if w := whole.Window(tt.offset, tt.max); w != got {
			t.Errorf("Window(%d, %d) = %+v, want %+v as Extract gives", tt.offset, tt.max, w, got)
		}
	}
}

func TestUnsupported(t *testing.T) {
	for _, tt := range []struct{ mediaType, file, wantType string }{
		{"image/png", "a.png", "image/png"},
		{"application/zip", "a.zip", "application/zip"},
		{"application/octet-stream", "a.bin", "application/octet-stream"},
		{"", "no-extension", ""},
	} {
		_, err := extract(t, []byte("x"), tt.mediaType, tt.file, attachtext.Options{})
		var ue *attachtext.UnsupportedError
		if !errors.As(err, &ue) || ue.MediaType != tt.wantType || ue.Filename != tt.file {
			t.Errorf("%s %s: got %v, want *UnsupportedError for %q", tt.mediaType, tt.file, err, tt.wantType)
		}
		if err != nil && tt.wantType != "" && !strings.Contains(err.Error(), tt.wantType) {
			t.Errorf("error %q does not name the type", err)
		}
		if cerr := attachtext.CheckType(tt.mediaType, tt.file); cerr == nil || cerr.Error() != err.Error() {
			t.Errorf("CheckType(%q, %q) = %v, want %v", tt.mediaType, tt.file, cerr, err)
		}
	}
}

// endless yields n bytes of a repeated line without holding them, and counts
// what was read.
type endless struct {
	n, read int64
}

func (e *endless) Read(p []byte) (int, error) {
	if e.read >= e.n {
		return 0, io.EOF
	}
	const line = "2026-01-01T00:00:00Z INFO request served\n"
	k := int64(len(p))
	k = min(k, e.n-e.read)
	for i := range k {
		p[i] = line[(e.read+i)%int64(len(line))]
	}
	e.read += k
	return int(k), nil
}

func TestLargeFileIsCapped(t *testing.T) {
	const fifty = 50 << 20
	src := &endless{n: fifty}
	got, err := attachtext.Extract(context.Background(), src, "text/plain", "huge.log", attachtext.Options{MaxChars: 100})
	if err != nil {
		t.Fatal(err)
	}
	marker := attachtext.CutMarker(attachtext.DefaultMaxBytes)
	if !got.Incomplete || !got.Truncated || got.TotalChars != attachtext.DefaultMaxBytes+utf8.RuneCountInString(marker) || len(got.Text) != 100 {
		t.Errorf("got incomplete=%v truncated=%v total=%d len=%d", got.Incomplete, got.Truncated, got.TotalChars, len(got.Text))
	}
	if src.read > attachtext.DefaultMaxBytes+64<<10 {
		t.Errorf("read %d bytes of a 50 MB file, want about the 20 MB cap", src.read)
	}

	src = &endless{n: fifty}
	_, err = attachtext.Extract(context.Background(), src, "application/pdf", "huge.pdf", attachtext.Options{MaxBytes: 1 << 20})
	var tl *attachtext.TooLargeError
	if !errors.As(err, &tl) || tl.Limit != 1<<20 {
		t.Errorf("got %v, want *TooLargeError with the 1 MiB limit", err)
	}
	if src.read > 1<<20+64<<10 {
		t.Errorf("read %d bytes, want about the 1 MiB cap", src.read)
	}
}

func TestCanceled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := attachtext.Extract(ctx, &endless{n: 1 << 20}, "text/plain", "a.txt", attachtext.Options{})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("got %v, want context.Canceled", err)
	}
}
