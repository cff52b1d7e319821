package storage_test

import (
	"strings"
	"testing"

	"github.com/confluence-graph/confluence-graph/confluence/storage"
)

// spanTable builds a table of about size bytes whose every cell spans
// 64 rows and 64 columns: the shape that once turned 195 KB into 49 MB.
func spanTable(size int) string {
	var b strings.Builder
	b.WriteString("<table><tbody>")
	for i := 0; b.Len() < size; i++ {
		b.WriteString("<tr>")
		for j := range 8 {
			b.WriteString(`<td rowspan="64" colspan="64"><p>cell `)
			b.WriteString(strings.Repeat("x", 40+i%7+j))
			b.WriteString("</p></td>")
		}
		b.WriteString("</tr>")
	}
	b.WriteString("</tbody></table>")
	return b.String()
}

func TestSpanTableStaysLinear(t *testing.T) {
	for _, size := range []int{20_000, 195_000} {
		in := spanTable(size)
		for name, conv := range map[string]func(string, storage.Options) (string, error){"markdown": storage.ToMarkdown, "text": storage.ToText} {
			got, err := conv(in, storage.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if limit := 8*len(in) + 70_000; len(got) > limit {
				t.Errorf("%s: %d bytes in gave %d bytes out, want at most %d", name, len(in), len(got), limit)
			}
			if !strings.Contains(got, "[table cut: ") {
				t.Errorf("%s: want a cut marker, got %.200q…", name, got)
			}
		}
	}
}

func TestDeepNestingStaysBounded(t *testing.T) {
	tests := []struct {
		name, in, contains string
	}{
		{"nested tables", strings.Repeat("<table><tr><td>", 300) + "deep cell" + strings.Repeat("</td></tr></table>", 300), "deep cell"},
		{"nested lists", strings.Repeat("<ol><li>", 300) + "deep item", "deep item"},
		{"nested task lists", strings.Repeat("<ac:task-list><ac:task><ac:task-body>", 300) + "deep task", "deep task"},
		{"nested macros", strings.Repeat(`<ac:structured-macro ac:name="expand"><ac:rich-text-body>`, 300) + "deep macro", "deep macro"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, conv := range []func(string, storage.Options) (string, error){storage.ToMarkdown, storage.ToText} {
				got, err := conv(tt.in, storage.Options{})
				if err != nil {
					t.Fatal(err)
				}
				if !strings.Contains(got, tt.contains) {
					t.Errorf("got %.300q, want it to contain %q", got, tt.contains)
				}
				if len(got) > 50*len(tt.in) {
					t.Errorf("%d bytes in gave %d bytes out", len(tt.in), len(got))
				}
			}
		})
	}
}
