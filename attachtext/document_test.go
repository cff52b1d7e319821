package attachtext_test

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/confluence-graph/confluence-graph/attachtext"
)

const pdfType = "application/pdf"
const docxType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

func TestPDF(t *testing.T) {
	b := makePDF(t, "", "Post-incident review\nDatabase failover took 41 seconds.", "Action items\nAdd a replica in eu-west.")
	got, err := extract(t, b, pdfType, "review.pdf", attachtext.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Post-incident review", "Database failover took 41 seconds.", "Action items", "Add a replica in eu-west."} {
		if !strings.Contains(got.Text, want) {
			t.Errorf("text %q lacks %q", got.Text, want)
		}
	}
	if got.Format != "pdf" || got.Incomplete {
		t.Errorf("got %+v", got)
	}
	// By extension when the type is generic.
	if _, err := extract(t, b, "application/octet-stream", "review.PDF", attachtext.Options{}); err != nil {
		t.Errorf("by extension: %v", err)
	}
}

func TestBrokenPDF(t *testing.T) {
	good := makePDF(t, "", "some text")
	tests := []struct {
		name      string
		in        []byte
		encrypted bool
	}{
		{"encrypted", makePDF(t, "secret", "hidden text"), true},
		{"not a PDF", []byte("%PDF-1.4\nthis is not a pdf"), false},
		{"empty", nil, false},
		{"cut in half", good[:len(good)/2], false},
		{"garbage after the header", append([]byte("%PDF-1.7\n"), bytes.Repeat([]byte{0xff, 0x00, '<', '<'}, 500)...), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := extract(t, tt.in, pdfType, "x.pdf", attachtext.Options{})
			var de *attachtext.DocumentError
			if !errors.As(err, &de) || de.Format != "pdf" {
				t.Fatalf("got %v, want *DocumentError", err)
			}
			if errors.Is(err, attachtext.ErrEncrypted) != tt.encrypted {
				t.Errorf("errors.Is(ErrEncrypted) = %v, want %v (%v)", !tt.encrypted, tt.encrypted, err)
			}
		})
	}
}

func TestDOCX(t *testing.T) {
	b := makeDocx(t,
		run("Runbook: ")+run("payments"),
		`<w:r><w:t>a</w:t><w:tab/><w:t>b</w:t><w:br/><w:t>c</w:t></w:r>`,
		`<w:r><w:delText>deleted</w:delText><w:instrText>PAGE</w:instrText><w:t>kept &amp; escaped</w:t></w:r>`)
	got, err := extract(t, b, docxType, "runbook.docx", attachtext.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if want := "Runbook: payments\na\tb\nc\nkept & escaped"; got.Text != want || got.Format != "docx" {
		t.Errorf("got %+v, want text %q", got, want)
	}
}

func TestBrokenDOCX(t *testing.T) {
	bomb := makeZip(t, "word/document.xml", docxXML(strings.Repeat(run(strings.Repeat("a", 1000)), 20_000)))
	var many []string
	for i := range 10_001 {
		many = append(many, fmt.Sprintf("f%d", i), "")
	}
	tests := []struct {
		name       string
		in         []byte
		wantErr    bool
		encrypted  bool
		incomplete bool
	}{
		{"zip bomb is cut", bomb, false, false, true},
		{"too many entries", makeZip(t, many...), true, false, false},
		{"no document part", makeZip(t, "word/other.xml", "x"), true, false, false},
		{"not a zip", []byte("PK\x03\x04 broken"), true, false, false},
		{"encrypted (OLE container)", append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 512)...), true, true, false},
		{"broken XML before any text", makeZip(t, "word/document.xml", "<w:document><<<"), true, false, false},
		{"broken XML after text", makeZip(t, "word/document.xml", docxXML(run("kept"))[:200]+"<<<"), false, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := extract(t, tt.in, docxType, "x.docx", attachtext.Options{MaxBytes: 4 << 20})
			var de *attachtext.DocumentError
			if tt.wantErr != errors.As(err, &de) {
				t.Fatalf("got %v, want error=%v", err, tt.wantErr)
			}
			if !tt.wantErr && err != nil {
				t.Fatal(err)
			}
			if errors.Is(err, attachtext.ErrEncrypted) != tt.encrypted {
				t.Errorf("encrypted: got %v", err)
			}
			if got.Incomplete != tt.incomplete {
				t.Errorf("incomplete = %v, want %v", got.Incomplete, tt.incomplete)
			}
			if len(got.Text) > 4<<20+1000 {
				t.Errorf("text of %d bytes exceeds the cap", len(got.Text))
			}
		})
	}
}
