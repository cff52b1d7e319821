package attachtext

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"path"
	"strings"
	"unicode/utf8"
)

// DefaultMaxBytes is the download cap when Options.MaxBytes is 0.
const DefaultMaxBytes = 20 << 20

// Options bounds an extraction and selects the part of the text returned.
type Options struct {
	// MaxBytes caps the bytes read from the file; 0 means DefaultMaxBytes.
	MaxBytes int64
	// Offset skips that many characters (runes) of the extracted text.
	Offset int
	// MaxChars returns at most that many characters after Offset; 0 means
	// all of them.
	MaxChars int
}

// Text is the extracted text of a file, or the window of it Options chose.
type Text struct {
	// Text is the extracted text from Offset on, at most MaxChars characters.
	Text string
	// Format names the extractor used: "text", "html", "pdf" or "docx".
	Format string
	// TotalChars is the number of characters of the whole extracted text.
	TotalChars int
	// Truncated reports that text follows the returned window.
	Truncated bool
	// Incomplete reports that only part of the file was read (it was larger
	// than MaxBytes, or a document's parts exceeded their caps), so
	// TotalChars counts the text of that part only. The text of a text or
	// HTML file cut at MaxBytes ends with CutMarker(MaxBytes).
	Incomplete bool
}

// UnsupportedError is returned for a file type no extractor handles.
type UnsupportedError struct {
	MediaType, Filename string
}

func (e *UnsupportedError) Error() string {
	t := e.MediaType
	if t == "" {
		t = "unknown type"
	}
	return fmt.Sprintf("attachtext: cannot extract text from %s (%s)", t, e.Filename)
}

// TooLargeError is returned for a PDF or DOCX larger than Options.MaxBytes;
// those formats cannot be read from a prefix.
type TooLargeError struct {
	Format string
	Limit  int64
}

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("attachtext: the %s file is larger than the %d-byte limit", e.Format, e.Limit)
}

// ErrEncrypted is matched (errors.Is) by the *DocumentError of a
// password-protected document.
var ErrEncrypted = errors.New("attachtext: the document is encrypted")

// DocumentError reports a PDF or DOCX that could not be read: broken,
// encrypted (errors.Is(err, ErrEncrypted)) or hostile.
type DocumentError struct {
	Format string
	Err    error
}

func (e *DocumentError) Error() string {
	return fmt.Sprintf("attachtext: unreadable %s: %v", e.Format, e.Err)
}

func (e *DocumentError) Unwrap() error { return e.Err }

// CheckType returns the *UnsupportedError Extract would return for a file of
// this media type and name, or nil when an extractor handles it; callers
// check before downloading.
func CheckType(mediaType, filename string) error {
	if formatOf(mediaType, filename) == "" {
		return &UnsupportedError{MediaType: baseType(mediaType), Filename: filename}
	}
	return nil
}

// NeedsWholeFile reports whether the extractor for a file of this media type
// and name needs the whole file (PDF, DOCX): Extract refuses such a file over
// the byte cap with a *TooLargeError, where it reads other formats' prefix.
func NeedsWholeFile(mediaType, filename string) bool {
	f := formatOf(mediaType, filename)
	return f == "pdf" || f == "docx"
}

// CutMarker is the line Extract appends to the text of a file it read only
// the first limit bytes of (a text or HTML file over the cap), so a reader of
// the text sees where it was cut.
func CutMarker(limit int64) string {
	return fmt.Sprintf("\n\n[… text cut here: the file is larger than the %d-byte limit; this is the text of its first %d bytes]", limit, limit)
}

// Window returns the part of a whole extracted text (one from Extract with
// no Offset and no MaxChars, as a cache keeps it) that Offset and MaxChars
// select, with TotalChars, Format and Incomplete carried over.
func (t Text) Window(offset, maxChars int) Text {
	w := window(t.Text, offset, maxChars)
	w.Format, w.Incomplete = t.Format, t.Incomplete
	return w
}

// Extract reads a file and returns its text. mediaType is the file's
// Content-Type as Confluence reports it (parameters allowed); when it is
// empty or generic (application/octet-stream) the filename's extension
// decides. It returns an *UnsupportedError for other types, a
// *TooLargeError or *DocumentError for PDF and DOCX files it cannot read,
// and ctx.Err() when ctx ends while reading.
func Extract(ctx context.Context, r io.Reader, mediaType, filename string, opts Options) (Text, error) {
	if err := CheckType(mediaType, filename); err != nil {
		return Text{}, err
	}
	format := formatOf(mediaType, filename)
	limit := opts.MaxBytes
	if limit <= 0 {
		limit = DefaultMaxBytes
	}
	r = ctxReader{ctx: ctx, r: r}
	var (
		text       string
		incomplete bool
		err        error
	)
	switch format {
	case "pdf", "docx":
		var b []byte
		b, incomplete, err = readCapped(r, limit)
		if err != nil {
			return Text{}, err
		}
		if incomplete {
			return Text{}, &TooLargeError{Format: format, Limit: limit}
		}
		if format == "pdf" {
			text, incomplete, err = pdfText(ctx, b, limit)
		} else {
			text, incomplete, err = docxText(ctx, b, limit)
		}
	default:
		var b []byte
		b, incomplete, err = readCapped(r, limit)
		if err != nil {
			return Text{}, err
		}
		text, err = plainText(b, format)
		if err == nil && incomplete {
			text += CutMarker(limit)
		}
	}
	if err != nil {
		return Text{}, err
	}
	whole := Text{Text: text, Format: format, Incomplete: incomplete}
	return whole.Window(opts.Offset, opts.MaxChars), nil
}

// readCapped reads at most limit bytes; more reports that the file has more.
func readCapped(r io.Reader, limit int64) (b []byte, more bool, err error) {
	b, err = io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, false, err
	}
	if int64(len(b)) > limit {
		return b[:limit], true, nil
	}
	return b, false, nil
}

// window applies Offset and MaxChars (in runes) to the whole text.
func window(s string, offset, maxChars int) Text {
	total := utf8.RuneCountInString(s)
	offset = max(offset, 0)
	if offset >= total {
		return Text{TotalChars: total}
	}
	i := runeIndex(s, offset)
	s = s[i:]
	if maxChars > 0 && total-offset > maxChars {
		return Text{Text: s[:runeIndex(s, maxChars)], TotalChars: total, Truncated: true}
	}
	return Text{Text: s, TotalChars: total}
}

// runeIndex returns the byte index of the n-th rune of s.
func runeIndex(s string, n int) int {
	for i := range s {
		if n == 0 {
			return i
		}
		n--
	}
	return len(s)
}

// baseType returns the lower-case media type without parameters.
func baseType(mediaType string) string {
	if t, _, err := mime.ParseMediaType(mediaType); err == nil {
		return t
	}
	return strings.ToLower(strings.TrimSpace(strings.Split(mediaType, ";")[0]))
}

// formats maps media types to the extractor that reads them.
var formats = map[string]string{
	"text/plain": "text", "text/markdown": "text", "text/x-markdown": "text",
	"text/csv": "text", "text/tab-separated-values": "text", "application/csv": "text",
	"application/json": "text", "text/json": "text", "application/x-ndjson": "text",
	"application/yaml": "text", "application/x-yaml": "text", "text/yaml": "text", "text/x-yaml": "text",
	"application/xml": "text", "text/xml": "text", "text/x-log": "text", "application/x-log": "text",
	"text/html": "html", "application/xhtml+xml": "html",
	"application/pdf": "pdf", "application/x-pdf": "pdf",
	"application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
}

// extensions maps file extensions to extractors, for generic media types.
var extensions = map[string]string{
	".txt": "text", ".text": "text", ".md": "text", ".markdown": "text", ".csv": "text", ".tsv": "text",
	".json": "text", ".ndjson": "text", ".yaml": "text", ".yml": "text", ".xml": "text",
	".log": "text", ".out": "text", ".ini": "text", ".toml": "text", ".conf": "text", ".cfg": "text",
	".html": "html", ".htm": "html", ".xhtml": "html",
	".pdf": "pdf", ".docx": "docx",
}

// formatOf picks the extractor for a file, or "" when none applies.
func formatOf(mediaType, filename string) string {
	t := baseType(mediaType)
	if f, ok := formats[t]; ok {
		return f
	}
	if t == "" || t == "application/octet-stream" || t == "binary/octet-stream" {
		return extensions[strings.ToLower(path.Ext(filename))]
	}
	if strings.HasPrefix(t, "text/") {
		return "text" // text/x-go, text/x-python, ...: readable as they are
	}
	return ""
}

// ctxReader fails reads once ctx is done.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
