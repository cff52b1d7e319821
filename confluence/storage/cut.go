package storage

import (
	"bytes"
	"encoding/xml"
	"strings"
	"unicode/utf8"
)

// Cut shortens a storage-format or view-format (XHTML) body to at most
// maxChars characters (runes) and reports whether it cut anything. The cut
// falls between tokens, or inside a text or CDATA run at a character that is
// not part of an entity, and every element still open there is closed, so a
// well-formed body stays well-formed. Void HTML elements written without a
// closing slash (view format's <br>) come out self-closed. Input that is not
// well-formed is cut at its first error at the latest. maxChars < 1 means no
// limit. The output never exceeds maxChars characters.
func Cut(body string, maxChars int) (string, bool) {
	if maxChars < 1 || utf8.RuneCountInString(body) <= maxChars {
		return body, false
	}
	d := xml.NewDecoder(strings.NewReader(body))
	d.Strict = false
	d.Entity = entities
	var out bytes.Buffer
	var open []string // raw names of the open elements
	closers := 0      // characters needed to close them
	used := 0         // characters written
	room := func(n int) bool { return used+n+closers <= maxChars }
	emit := func(s string) {
		out.WriteString(s)
		used += utf8.RuneCountInString(s)
	}
	for {
		start := d.InputOffset()
		tok, err := d.RawToken()
		if err != nil {
			break // io.EOF cannot happen before the limit; a syntax error ends the cut
		}
		raw := body[start:d.InputOffset()]
		if raw == "" {
			continue // the end element the decoder adds for <x/>
		}
		switch t := tok.(type) {
		case xml.StartElement:
			name := rawName(t.Name)
			selfClosed := strings.HasSuffix(raw, "/>")
			if !selfClosed && voidElements[strings.ToLower(name)] {
				raw = strings.TrimSuffix(raw, ">") + "/>"
				selfClosed = true
			}
			if selfClosed {
				if !room(utf8.RuneCountInString(raw)) {
					return finish(&out, open), true
				}
				emit(raw)
				continue
			}
			closer := len("</>") + utf8.RuneCountInString(name)
			if !room(utf8.RuneCountInString(raw) + closer) {
				return finish(&out, open), true
			}
			emit(raw)
			open = append(open, name)
			closers += closer
		case xml.EndElement:
			name := rawName(t.Name)
			i := len(open) - 1
			for i >= 0 && open[i] != name {
				i--
			}
			if i < 0 {
				continue // a stray end tag
			}
			for len(open) > i {
				top := open[len(open)-1]
				closers -= len("</>") + utf8.RuneCountInString(top)
				emit("</" + top + ">")
				open = open[:len(open)-1]
			}
		case xml.CharData:
			if n := utf8.RuneCountInString(raw); !room(n) {
				emit(cutText(raw, maxChars-used-closers))
				return finish(&out, open), true
			}
			emit(raw)
		default: // comments, processing instructions, directives: whole or not at all
			if !room(utf8.RuneCountInString(raw)) {
				return finish(&out, open), true
			}
			emit(raw)
		}
	}
	return finish(&out, open), true
}

// finish closes the open elements.
func finish(out *bytes.Buffer, open []string) string {
	for i := len(open) - 1; i >= 0; i-- {
		out.WriteString("</" + open[i] + ">")
	}
	return out.String()
}

// rawName is the element name as written: "prefix:local" or "local".
func rawName(n xml.Name) string {
	if n.Space == "" {
		return n.Local
	}
	return n.Space + ":" + n.Local
}

// cutText returns the first n characters of a raw text or CDATA token
// without splitting an entity; a cut CDATA section is closed again.
func cutText(raw string, n int) string {
	if n <= 0 {
		return ""
	}
	if strings.HasPrefix(raw, "<![CDATA[") {
		if n < len("<![CDATA[]]>")+1 {
			return ""
		}
		inner := strings.TrimSuffix(strings.TrimPrefix(raw, "<![CDATA["), "]]>")
		return "<![CDATA[" + prefixRunes(inner, n-len("<![CDATA[]]>")) + "]]>"
	}
	s := prefixRunes(raw, n)
	if amp := strings.LastIndexByte(s, '&'); amp >= 0 && !strings.Contains(s[amp:], ";") {
		s = s[:amp]
	}
	return s
}

// prefixRunes returns the first n runes of s.
func prefixRunes(s string, n int) string {
	for i := range s {
		if n == 0 {
			return s[:i]
		}
		n--
	}
	return s
}
