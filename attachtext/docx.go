package attachtext

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
)

// maxDocxEntries bounds the entries of a DOCX archive; real documents have
// a few dozen.
const maxDocxEntries = 10_000

// oleMagic starts an OLE compound file: how Office stores a password-
// protected DOCX.
var oleMagic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}

// docxText extracts the paragraphs of word/document.xml. The part may
// inflate to at most 4 × limit bytes and the text to limit bytes; past
// either (a zip bomb) the text so far is returned as incomplete.
func docxText(ctx context.Context, b []byte, limit int64) (string, bool, error) {
	fail := func(err error) (string, bool, error) { return "", false, &DocumentError{Format: "docx", Err: err} }
	if bytes.HasPrefix(b, oleMagic) {
		return fail(ErrEncrypted)
	}
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return fail(err)
	}
	if len(zr.File) > maxDocxEntries {
		return fail(fmt.Errorf("%d archive entries, more than %d", len(zr.File), maxDocxEntries))
	}
	var part *zip.File
	for _, f := range zr.File {
		if f.Name == "word/document.xml" {
			part = f
			break
		}
	}
	if part == nil {
		return fail(errors.New("no word/document.xml"))
	}
	rc, err := part.Open()
	if err != nil {
		return fail(err)
	}
	defer rc.Close()
	lr := &io.LimitedReader{R: ctxReader{ctx: ctx, r: rc}, N: 4 * limit}
	d := xml.NewDecoder(lr)
	var sb strings.Builder
	inText := false
	incomplete := false
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			if ctxErr := ctx.Err(); ctxErr != nil {
				return "", false, ctxErr
			}
			if lr.N > 0 && sb.Len() == 0 {
				return fail(err)
			}
			incomplete = true // capped, or broken after some text
			break
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "t":
				inText = true
			case "tab":
				sb.WriteByte('\t')
			case "br", "cr":
				sb.WriteByte('\n')
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "t":
				inText = false
			case "p":
				sb.WriteByte('\n')
			}
		case xml.CharData:
			if inText {
				sb.Write(t)
			}
		}
		if int64(sb.Len()) > limit {
			incomplete = true
			break
		}
	}
	return clean(strings.TrimSpace(sb.String())), incomplete, nil
}
