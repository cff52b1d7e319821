package attachtext

import (
	"bytes"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/confluence-graph/confluence-graph/confluence/storage"
)

// plainText decodes a text file (UTF-8, or UTF-16 with a byte-order mark)
// and, for HTML, converts it to text with the storage converter. Invalid
// bytes become U+FFFD; control characters other than tab and line breaks are
// dropped.
func plainText(b []byte, format string) (string, error) {
	s := decode(b)
	if format == "html" {
		out, err := storage.ToText(s, storage.Options{})
		if err != nil {
			return "", &DocumentError{Format: "html", Err: err}
		}
		return out, nil
	}
	return clean(s), nil
}

// decode turns file bytes into a string, honouring a byte-order mark.
func decode(b []byte) string {
	switch {
	case bytes.HasPrefix(b, []byte{0xEF, 0xBB, 0xBF}):
		b = b[3:]
	case bytes.HasPrefix(b, []byte{0xFF, 0xFE}), bytes.HasPrefix(b, []byte{0xFE, 0xFF}):
		big := b[0] == 0xFE
		b = b[2:]
		u := make([]uint16, len(b)/2)
		for i := range u {
			if big {
				u[i] = uint16(b[2*i])<<8 | uint16(b[2*i+1])
			} else {
				u[i] = uint16(b[2*i+1])<<8 | uint16(b[2*i])
			}
		}
		return string(utf16.Decode(u))
	}
	s := string(b)
	if !utf8.ValidString(s) {
		// A cut at the byte cap may split the last character: drop it.
		if r, size := utf8.DecodeLastRuneInString(s); r == utf8.RuneError && size <= 1 && len(s) > 0 {
			if i := lastRuneStart(s); utf8.ValidString(s[:i]) {
				s = s[:i]
			}
		}
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	return s
}

// lastRuneStart returns the index where the last (possibly partial) UTF-8
// sequence of s starts.
func lastRuneStart(s string) int {
	for i := len(s) - 1; i >= 0 && i >= len(s)-utf8.UTFMax; i-- {
		if utf8.RuneStart(s[i]) {
			return i
		}
	}
	return len(s)
}

// clean drops control characters other than tab, newline and carriage
// return, and normalises line ends to "\n".
func clean(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.Map(func(r rune) rune {
		if r < 0x20 && r != '\t' && r != '\n' {
			if r == '\r' {
				return '\n'
			}
			return -1
		}
		if r == 0x7F {
			return -1
		}
		return r
	}, s)
}
