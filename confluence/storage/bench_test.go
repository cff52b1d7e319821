package storage_test

import (
	"os"
	"strings"
	"testing"

	"github.com/confluence-graph/confluence-graph/confluence/storage"
)

// realisticPage builds a page of about 20 KB from the golden inputs that look
// like real pages: the runbook, rich tables, lists and callouts.
func realisticPage(b *testing.B) string {
	var sb strings.Builder
	for sb.Len() < 20_000 {
		for _, name := range []string{"31_realistic_page", "09_table_rich_cells", "05_nested_lists", "17_callouts", "12_page_links"} {
			src, err := os.ReadFile("testdata/" + name + ".xml")
			if err != nil {
				b.Fatal(err)
			}
			sb.Write(src)
		}
	}
	return sb.String()
}

func BenchmarkToMarkdown(b *testing.B) { benchConvert(b, storage.ToMarkdown) }

func BenchmarkToText(b *testing.B) { benchConvert(b, storage.ToText) }

// benchConvert measures convert on the realistic page, per byte of input.
func benchConvert(b *testing.B, convert func(string, storage.Options) (string, error)) {
	page := realisticPage(b)
	opts := goldenOptions()
	b.SetBytes(int64(len(page)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := convert(page, opts); err != nil {
			b.Fatal(err)
		}
	}
}
