package confluencetest

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"

	"codeberg.org/go-pdf/fpdf"
)

// demoPDF is a one-page PDF (fixed dates, so the bytes are the same every time) showing a title
// and lines of text.
func demoPDF(title string, lines ...string) []byte {
	p := fpdf.New("P", "mm", "A4", "")
	p.SetCatalogSort(true) // resources in a fixed order: map order would change the bytes from run to run
	fixed := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	p.SetCreationDate(fixed)
	p.SetModificationDate(fixed)
	p.AddPage()
	p.SetFont("Helvetica", "B", 14)
	p.Cell(0, 10, title)
	p.Ln(12)
	p.SetFont("Helvetica", "", 11)
	for _, l := range lines {
		p.Cell(0, 7, l)
		p.Ln(7)
	}
	var b bytes.Buffer
	_ = p.Output(&b) // writing to a buffer does not fail
	return b.Bytes()
}

// TestDemoPDFIsCurrent checks that the embedded demo PDF is what demoPDF makes of the timeline;
// UPDATE_GOLDEN=1 rewrites it. The PDF library is used here only, so it stays out of the binary.
func TestDemoPDFIsCurrent(t *testing.T) {
	want := demoPDF("PIR-2026-014 timeline", "09:02 disk usage alert on orders-db-1", "09:14 primary stops accepting writes",
		"09:31 failover to orders-db-2", "09:49 checkout recovered")
	path := filepath.Join("assets", "pir-2026-014-timeline.pdf")
	if os.Getenv("UPDATE_GOLDEN") != "" {
		if err := os.WriteFile(path, want, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if !bytes.Equal(pirTimelinePDF, want) {
		t.Errorf("%s differs from what demoPDF makes (%d bytes embedded, %d made); run UPDATE_GOLDEN=1 go test ./confluence/confluencetest -run DemoPDF", path, len(pirTimelinePDF), len(want))
	}
}
