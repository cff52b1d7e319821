package storage_test

import (
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/confluence-graph/confluence-graph/confluence/storage"
)

// wellFormed reports whether s parses as XML content (wrapped in one root),
// with the HTML entities storage format uses.
func wellFormed(s string) error {
	d := xml.NewDecoder(strings.NewReader("<root>" + s + "</root>"))
	d.Entity = xml.HTMLEntity
	for {
		_, err := d.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

func TestCut(t *testing.T) {
	body := `<p>Hello <strong>bold &amp; brave</strong> world</p><ac:structured-macro ac:name="code"><ac:plain-text-body><![CDATA[x := 1 < 2]]></ac:plain-text-body></ac:structured-macro><p>a<br/>b<br>c</p>`
	tests := []struct {
		max  int
		want string
	}{
		{0, body},
		{len(body), body},
		{10, `<p>Hel</p>`},
		{40, `<p>Hello <strong>bold &amp;</strong></p>`},
		{39, `<p>Hello <strong>bold </strong></p>`},
	}
	for _, tt := range tests {
		got, cut := storage.Cut(body, tt.max)
		if got != tt.want {
			t.Errorf("Cut(%d) = %q, want %q", tt.max, got, tt.want)
		}
		if cut != (tt.want != body) {
			t.Errorf("Cut(%d) reported cut=%v", tt.max, cut)
		}
	}
	// Every limit gives well-formed output within the limit.
	for max := 1; max < len(body); max++ {
		got, _ := storage.Cut(body, max)
		if n := utf8.RuneCountInString(got); n > max {
			t.Fatalf("Cut(%d) gave %d characters: %q", max, n, got)
		}
		if err := wellFormed(got); err != nil {
			t.Fatalf("Cut(%d) = %q is not well-formed: %v", max, got, err)
		}
	}
}

func TestCutGoldens(t *testing.T) {
	for in, src := range goldenInputs(t) {
		if wellFormed(src) != nil {
			continue // the malformed goldens: no promise beyond the first error
		}
		for _, max := range []int{1, 7, 50, 200, len(src) / 2} {
			got, _ := storage.Cut(src, max)
			if err := wellFormed(got); err != nil {
				t.Errorf("%s cut at %d: %v\n%s", in, max, err, got)
			}
			if utf8.RuneCountInString(got) > max {
				t.Errorf("%s cut at %d: %d characters", in, max, utf8.RuneCountInString(got))
			}
		}
	}
}

const adfDoc = `{"type":"doc","version":1,"content":[` +
	`{"type":"heading","attrs":{"level":2},"content":[{"type":"text","text":"Deploy"}]},` +
	`{"type":"paragraph","content":[{"type":"text","text":"First "},{"type":"text","text":"bold","marks":[{"type":"strong"}]},{"type":"text","text":" then done."}]},` +
	`{"type":"codeBlock","attrs":{"language":"bash"},"content":[{"type":"text","text":"make deploy"}]}]}`

func TestCutADF(t *testing.T) {
	got, cut, err := storage.CutADF(adfDoc, 0)
	if err != nil || cut || got != adfDoc {
		t.Fatalf("no limit: %q %v %v", got, cut, err)
	}
	got, cut, err = storage.CutADF(adfDoc, 186)
	if err != nil || !cut {
		t.Fatalf("186: cut=%v err=%v", cut, err)
	}
	want := `{"type":"doc","version":1,"content":[{"type":"heading","attrs":{"level":2},"content":[{"type":"text","text":"Deploy"}]},{"type":"paragraph","content":[{"type":"text","text":"First "}]}]}`
	if got != want {
		t.Errorf("186:\n got %s\nwant %s", got, want)
	}
	for max := 1; max < len(adfDoc)+2; max++ {
		got, _, err := storage.CutADF(adfDoc, max)
		if errors.Is(err, storage.ErrCutTooSmall) && max < 40 {
			continue
		}
		if err != nil {
			t.Fatalf("CutADF(%d): %v", max, err)
		}
		if !json.Valid([]byte(got)) || len(got) > max {
			t.Fatalf("CutADF(%d) = %q: invalid or too long", max, got)
		}
	}
	if _, _, err := storage.CutADF(`{"type":"doc",`, 5); !errors.Is(err, storage.ErrInvalidADF) {
		t.Errorf("broken JSON: got %v, want ErrInvalidADF", err)
	}
	if _, _, err := storage.CutADF(`{"type":"doc"`, 0); !errors.Is(err, storage.ErrInvalidADF) {
		t.Errorf("broken JSON without a limit: got %v, want ErrInvalidADF", err)
	}
}
