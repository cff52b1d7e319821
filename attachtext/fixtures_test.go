package attachtext_test

import (
	"archive/zip"
	"bytes"
	"strings"
	"testing"

	"codeberg.org/go-pdf/fpdf"
)

// makePDF builds a PDF with one page per entry of pages. A non-empty
// password encrypts it (RC4, as fpdf's SetProtection does).
func makePDF(t testing.TB, password string, pages ...string) []byte {
	t.Helper()
	p := fpdf.New("P", "mm", "A4", "")
	if password != "" {
		p.SetProtection(fpdf.CnProtectPrint, password, "owner")
	}
	p.SetFont("Helvetica", "", 12)
	for _, text := range pages {
		p.AddPage()
		for _, line := range strings.Split(text, "\n") {
			p.Cell(0, 8, line)
			p.Ln(8)
		}
	}
	var b bytes.Buffer
	if err := p.Output(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// docxXML wraps paragraphs (each a list of runs) in a minimal
// word/document.xml.
func docxXML(paras ...string) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>`)
	for _, p := range paras {
		b.WriteString("<w:p>" + p + "</w:p>")
	}
	b.WriteString("</w:body></w:document>")
	return b.String()
}

// run is a w:r with one w:t.
func run(s string) string { return `<w:r><w:t xml:space="preserve">` + s + `</w:t></w:r>` }

// makeZip builds an archive from name/content pairs, deflated.
func makeZip(t testing.TB, files ...string) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for i := 0; i+1 < len(files); i += 2 {
		w, err := zw.Create(files[i])
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(files[i+1])); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// makeDocx builds a DOCX whose document holds the paragraphs.
func makeDocx(t testing.TB, paras ...string) []byte {
	return makeZip(t,
		"[Content_Types].xml", `<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`,
		"word/document.xml", docxXML(paras...))
}
