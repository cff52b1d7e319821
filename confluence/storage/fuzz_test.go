package storage_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"unicode/utf8"

	"github.com/confluence-graph/confluence-graph/confluence/storage"
)

// FuzzToMarkdown checks that no input makes the converters panic, return an
// error other than ErrUnreadable, or produce invalid UTF-8.
func FuzzToMarkdown(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/*.xml")
	for _, s := range seeds {
		b, err := os.ReadFile(s)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(b))
	}
	for _, s := range []string{
		"", "<", "<p", "</p>", "<![CDATA[", "]]>", "&", "&#xD800;", "<a href=", "<table><tr><td colspan=9>",
		"<ac:structured-macro ac:name=\"code\"><ac:plain-text-body><![CDATA[x",
		"<ul><li><ol><li><ac:task-list><ac:task><ac:task-body><table><tr><td><pre>```",
	} {
		f.Add(s)
	}
	opts := goldenOptions()
	f.Fuzz(func(t *testing.T, in string) {
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
