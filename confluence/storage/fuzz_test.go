package storage_test

import (
	"encoding/json"
	"errors"
	"testing"
	"unicode/utf8"

	"github.com/confluence-graph/confluence-graph/confluence/storage"
)

// FuzzToMarkdown checks that no input makes the converters panic, return an
// error other than ErrUnreadable, or produce invalid UTF-8.
func FuzzToMarkdown(f *testing.F) {
	for _, s := range goldenInputs(f) {
		f.Add(s)
	}
	for _, s := range []string{
		"", "<", "<p", "</p>", "<![CDATA[", "]]>", "&", "&#xD800;", "<a href=", "<table><tr><td colspan=9>",
		"<ac:structured-macro ac:name=\"code\"><ac:plain-text-body><![CDATA[x",
		"<ul><li><ol><li><ac:task-list><ac:task><ac:task-body><table><tr><td><pre>```",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		// Every target the converter asks about must have been listed.
		opts := listedOnly(t, in)
		md, err := storage.ToMarkdown(in, opts)
		if err != nil && !errors.Is(err, storage.ErrUnreadable) {
			t.Fatalf("ToMarkdown error %v, want nil or ErrUnreadable", err)
		}
		if !utf8.ValidString(md) {
			t.Fatalf("ToMarkdown output is not valid UTF-8: %q", md)
		}
		txt, err := storage.ToText(in, opts)
		if err != nil && !errors.Is(err, storage.ErrUnreadable) {
			t.Fatalf("ToText error %v, want nil or ErrUnreadable", err)
		}
		if !utf8.ValidString(txt) {
			t.Fatalf("ToText output is not valid UTF-8: %q", txt)
		}
		_ = storage.Mentions(in)
	})
}

// FuzzCut checks that Cut never exceeds the limit and keeps well-formed
// input well-formed.
func FuzzCut(f *testing.F) {
	for _, s := range goldenInputs(f) {
		f.Add(s, 100)
	}
	f.Add("<p>a &amp; b<br>c</p>", 9)
	f.Add("<![CDATA[x]]]]>", 12)
	f.Fuzz(func(t *testing.T, in string, max int) {
		got, cut := storage.Cut(in, max)
		if max < 1 || !cut {
			return
		}
		if n := utf8.RuneCountInString(got); n > max {
			t.Fatalf("Cut(%d) gave %d characters", max, n)
		}
		if wellFormed(in) == nil {
			if err := wellFormed(got); err != nil {
				t.Fatalf("Cut(%q, %d) = %q: %v", in, max, got, err)
			}
		}
	})
}

// FuzzCutADF checks that CutADF never exceeds the limit and always returns
// valid JSON or a documented error.
func FuzzCutADF(f *testing.F) {
	f.Add(adfDoc, 100)
	f.Add(`{"type":"doc","content":[{"type":"text","text":"\u00e9"}]}`, 40)
	f.Add(`[1,"a",{"content":[[],{}]}]`, 12)
	f.Fuzz(func(t *testing.T, in string, max int) {
		got, cut, err := storage.CutADF(in, max)
		switch {
		case errors.Is(err, storage.ErrInvalidADF), errors.Is(err, storage.ErrCutTooSmall):
			return
		case err != nil:
			t.Fatalf("CutADF error %v", err)
		}
		if !json.Valid([]byte(got)) {
			t.Fatalf("CutADF(%q, %d) = %q: invalid JSON", in, max, got)
		}
		if cut && max > 0 && utf8.RuneCountInString(got) > max {
			t.Fatalf("CutADF(%d) gave %d characters", max, utf8.RuneCountInString(got))
		}
	})
}
