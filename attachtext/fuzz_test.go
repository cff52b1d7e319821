package attachtext_test

import (
	"bytes"
	"context"
	"errors"
	"testing"
	"unicode/utf8"

	"github.com/confluence-graph/confluence-graph/attachtext"
)

// checkExtract runs Extract and checks what every input must give: no panic,
// one of the documented errors, valid UTF-8 within the caps.
func checkExtract(t *testing.T, in []byte, mediaType, name string) {
	opts := attachtext.Options{MaxBytes: 1 << 20, MaxChars: 5000}
	got, err := attachtext.Extract(context.Background(), bytes.NewReader(in), mediaType, name, opts)
	var (
		de *attachtext.DocumentError
		tl *attachtext.TooLargeError
	)
	if err != nil && !errors.As(err, &de) && !errors.As(err, &tl) {
		t.Fatalf("unexpected error %T: %v", err, err)
	}
	if !utf8.ValidString(got.Text) {
		t.Fatalf("invalid UTF-8: %q", got.Text)
	}
	if utf8.RuneCountInString(got.Text) > opts.MaxChars {
		t.Fatalf("%d characters, more than MaxChars", utf8.RuneCountInString(got.Text))
	}
}

func FuzzExtractText(f *testing.F) {
	for _, s := range []string{"", "plain\r\nlines\x00", "\xFF\xFEh\x00i\x00", "\xFE\xFF\x00h", "\xEF\xBB\xBFbom", "a\xffb", "{\"json\": 1}"} {
		f.Add([]byte(s), false)
	}
	for _, s := range []string{"<html><body><p>x</p></body></html>", "<table><tr><td rowspan=9>", "<p", "<![CDATA[", "<script>x</script>"} {
		f.Add([]byte(s), true)
	}
	f.Fuzz(func(t *testing.T, in []byte, html bool) {
		if html {
			checkExtract(t, in, "text/html", "f.html")
		} else {
			checkExtract(t, in, "text/plain", "f.txt")
		}
	})
}

func FuzzExtractPDF(f *testing.F) {
	good := makePDF(f, "", "Post-incident review\nfailover took 41 s", "page two")
	f.Add(good)
	f.Add(makePDF(f, "secret", "hidden"))
	f.Add(good[:len(good)/2])
	f.Add([]byte("%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, in []byte) {
		checkExtract(t, in, "application/pdf", "f.pdf")
	})
}

func FuzzExtractDOCX(f *testing.F) {
	f.Add(makeDocx(f, run("hello"), `<w:r><w:t>a</w:t><w:tab/><w:br/></w:r>`))
	f.Add(makeZip(f, "word/document.xml", "<w:document><<<"))
	f.Add(makeZip(f, "word/other.xml", "x"))
	f.Add([]byte("PK\x03\x04"))
	f.Add([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1})
	f.Fuzz(func(t *testing.T, in []byte) {
		checkExtract(t, in, "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "f.docx")
	})
}
