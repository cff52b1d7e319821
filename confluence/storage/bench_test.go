package storage_test

import (
	"os"
	"strconv"
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

// BenchmarkConvert converts a realistic 20 KB page to Markdown and to text.
func BenchmarkConvert(b *testing.B) {
	page := realisticPage(b)
	opts := goldenOptions()
	for name, conv := range map[string]func(string, storage.Options) (string, error){"ToMarkdown": storage.ToMarkdown, "ToText": storage.ToText} {
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(page)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := conv(page, opts); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkSpanTable converts tables whose every cell spans 64×64; the
// reported out-bytes/in-byte stays flat as the input grows (linear output).
func BenchmarkSpanTable(b *testing.B) {
	for _, size := range []int{20_000, 195_000} {
		in := spanTable(size)
		b.Run(strconv.Itoa(size/1000)+"KB", func(b *testing.B) {
			b.SetBytes(int64(len(in)))
			b.ReportAllocs()
			out := 0
			for b.Loop() {
				md, err := storage.ToMarkdown(in, storage.Options{})
				if err != nil {
					b.Fatal(err)
				}
				out = len(md)
			}
			b.ReportMetric(float64(out)/float64(len(in)), "out-bytes/in-byte")
		})
	}
}
