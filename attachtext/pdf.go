package attachtext

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/ledongthuc/pdf"
)

// maxPDFPages bounds the pages read; a forged page count cannot make the
// loop run long.
const maxPDFPages = 5000

// pdfText extracts the text of a PDF page by page. The page content streams
// may inflate to at most 8 × limit bytes in all and the text to limit bytes;
// past either the text so far is returned as incomplete. A page whose content
// cannot be read is skipped and the text marked incomplete. The PDF library
// panics on some malformed input: that becomes a *DocumentError.
func pdfText(ctx context.Context, b []byte, limit int64) (text string, incomplete bool, err error) {
	defer func() {
		if p := recover(); p != nil {
			text, incomplete, err = "", false, &DocumentError{Format: "pdf", Err: fmt.Errorf("malformed PDF: %v", p)}
		}
	}()
	r, err := pdf.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		if errors.Is(err, pdf.ErrInvalidPassword) || strings.Contains(err.Error(), "encrypt") {
			err = fmt.Errorf("%w (%v)", ErrEncrypted, err)
		}
		return "", false, &DocumentError{Format: "pdf", Err: err}
	}
	pages := r.NumPage()
	if pages > maxPDFPages {
		pages, incomplete = maxPDFPages, true
	}
	inflate := 8 * limit
	var sb strings.Builder
	for i := 1; i <= pages; i++ {
		if err := ctx.Err(); err != nil {
			return "", false, err
		}
		p := r.Page(i)
		if p.V.IsNull() {
			continue
		}
		n, ok := streamSize(p.V.Key("Contents"), inflate)
		inflate -= n
		if !ok {
			incomplete = true
			break
		}
		t, err := p.GetPlainText(nil)
		if err != nil {
			incomplete = true
			continue
		}
		if t = strings.TrimSpace(t); t != "" {
			if sb.Len() > 0 {
				sb.WriteString("\n\n")
			}
			sb.WriteString(t)
		}
		if int64(sb.Len()) > limit {
			incomplete = true
			break
		}
	}
	if sb.Len() == 0 && pages > 0 && incomplete {
		return "", false, &DocumentError{Format: "pdf", Err: errors.New("no page could be read")}
	}
	return clean(strings.ToValidUTF8(sb.String(), "\uFFFD")), incomplete, nil
}

// streamSize inflates a content stream (or array of streams) without keeping
// it and reports its size; ok is false when it exceeds budget.
func streamSize(v pdf.Value, budget int64) (int64, bool) {
	var total int64
	one := func(s pdf.Value) bool {
		rc := s.Reader()
		defer rc.Close()
		n, _ := io.CopyN(io.Discard, rc, budget-total+1)
		total += n
		return total <= budget
	}
	if v.Kind() == pdf.Array {
		for i := range v.Len() {
			if !one(v.Index(i)) {
				return total, false
			}
		}
		return total, true
	}
	if v.Kind() == pdf.Stream {
		return total, one(v)
	}
	return 0, true
}
