package storage

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// ErrInvalidADF is returned by CutADF for input that is not one JSON value.
var ErrInvalidADF = errors.New("storage: ATLAS_DOC_FORMAT body is not valid JSON")

// ErrCutTooSmall is returned by CutADF when maxChars cannot hold even the
// document's opening up to its first node.
var ErrCutTooSmall = errors.New("storage: maxChars is too small for a valid document")

// jsonFrame is one open JSON container; frames form a persistent stack so a
// cut point can remember the whole stack in one pointer.
type jsonFrame struct {
	parent  *jsonFrame
	object  bool
	wantKey bool   // object: the next token is a key
	key     string // object: the last key; array: the key it is the value of
	items   int    // values written so far
	depth   int
}

// CutADF shortens an Atlassian Document Format body (JSON) to at most
// maxChars characters (runes) at a node boundary and reports whether it cut
// anything. Nodes are the values of "content" arrays: the result keeps whole
// nodes, and of the node where the limit falls, the opening up to its
// content array and, recursively, the nodes that fit; every open array and
// object is then closed, so the result is valid JSON and valid ADF. The
// output is compact JSON (insignificant whitespace dropped). maxChars < 1
// means no limit.
//
// It returns ErrInvalidADF (wrapped) for input that is not valid JSON, and
// ErrCutTooSmall when maxChars cannot hold the document's opening.
func CutADF(doc string, maxChars int) (string, bool, error) {
	if !json.Valid([]byte(doc)) {
		return "", false, ErrInvalidADF
	}
	if maxChars < 1 || utf8.RuneCountInString(doc) <= maxChars {
		return doc, false, nil
	}
	d := json.NewDecoder(strings.NewReader(doc))
	d.UseNumber()
	var out bytes.Buffer
	var top *jsonFrame
	used := 0
	// The last node boundary: output length, characters, and open frames.
	cutLen, cutUsed, cutTop, haveCut := 0, 0, (*jsonFrame)(nil), false
	closersOf := func(f *jsonFrame) int {
		if f == nil {
			return 0
		}
		return f.depth
	}
	mark := func() {
		cutLen, cutUsed, cutTop, haveCut = out.Len(), used, top, true
	}
	write := func(s string) {
		out.WriteString(s)
		used += utf8.RuneCountInString(s)
	}
	inContent := func() bool { return top != nil && !top.object && top.key == "content" }
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return "", false, fmt.Errorf("%w: %v", ErrInvalidADF, err)
		}
		var piece string
		boundary := false
		// Separators and keys.
		if top != nil {
			if top.object && top.wantKey {
				if delim, ok := tok.(json.Delim); ok && delim == '}' {
					goto value
				}
				k, _ := tok.(string)
				kb, _ := json.Marshal(k)
				sep := ""
				if top.items > 0 {
					sep = ","
				}
				write(sep + string(kb) + ":")
				top.key, top.wantKey = k, false
				continue
			}
			if delim, ok := tok.(json.Delim); !ok || (delim != ']' && delim != '}') {
				if !top.object && top.items > 0 {
					piece = ","
				}
			}
		}
	value:
		switch t := tok.(type) {
		case json.Delim:
			switch t {
			case '{', '[':
				write(piece + string(t))
				depth := 1
				if top != nil {
					depth = top.depth + 1
				}
				key := ""
				if top != nil && top.object {
					key = top.key
				}
				top = &jsonFrame{parent: top, object: t == '{', wantKey: t == '{', key: key, depth: depth}
				// An empty content array is a node boundary.
				boundary = !top.object && key == "content"
			default:
				write(string(t))
				top = top.parent
				if top != nil {
					top.items++
					top.wantKey = top.object
				}
				boundary = inContent()
			}
		default:
			b, _ := json.Marshal(t)
			write(piece + string(b))
			if top != nil {
				top.items++
				top.wantKey = top.object
			}
			boundary = inContent()
		}
		if used+closersOf(top) > maxChars {
			if !haveCut || cutUsed+closersOf(cutTop) > maxChars {
				return "", false, fmt.Errorf("%w (%d)", ErrCutTooSmall, maxChars)
			}
			out.Truncate(cutLen)
			for f := cutTop; f != nil; f = f.parent {
				if f.object {
					out.WriteByte('}')
				} else {
					out.WriteByte(']')
				}
			}
			return out.String(), true, nil
		}
		if boundary {
			mark()
		}
	}
	// The whole document fits once compacted.
	return out.String(), true, nil
}
