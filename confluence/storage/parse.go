package storage

import (
	"encoding/xml"
	"html"
	"io"
	"strings"
	"unicode/utf8"
)

// maxDepth bounds element nesting; deeper elements are flattened into their
// ancestor at this depth so that hostile input cannot exhaust the stack.
const maxDepth = 200

// node is an element or a text run of the parsed storage document.
type node struct {
	name     string // "" for text; lower-case "prefix:local" or "local"
	attrs    []attr
	children []*node
	text     string // text content for text nodes
	size     int    // source size once nodeSize has computed it
}

type attr struct{ name, value string }

func (n *node) isText() bool { return n.name == "" }

// attr returns the value of the attribute with the given lower-case
// "prefix:local" name, or "".
func (n *node) attr(name string) string {
	for _, a := range n.attrs {
		if a.name == name {
			return a.value
		}
	}
	return ""
}

// child returns the first child element with the given name, or nil.
func (n *node) child(name string) *node {
	for _, c := range n.children {
		if c.name == name {
			return c
		}
	}
	return nil
}

// textContent returns all text below n, unmodified.
func (n *node) textContent() string {
	if n.isText() {
		return n.text
	}
	var b strings.Builder
	var walk func(*node)
	walk = func(m *node) {
		if m.isText() {
			b.WriteString(m.text)
			return
		}
		for _, c := range m.children {
			walk(c)
		}
	}
	walk(n)
	return b.String()
}

// voidElements never have content; their end tag is optional.
var voidElements = map[string]bool{
	"br": true, "hr": true, "img": true, "col": true, "area": true, "base": true,
	"embed": true, "input": true, "link": true, "meta": true, "param": true,
	"source": true, "track": true, "wbr": true,
}

// implicitClose lists, for a start tag, the open elements it closes the way
// an HTML parser would (a new list item closes the previous one).
var implicitClose = map[string]map[string]bool{
	"li": {"li": true},
	"p":  {"p": true},
	"td": {"td": true, "th": true},
	"th": {"td": true, "th": true},
	"tr": {"tr": true, "td": true, "th": true},
}

// entities maps HTML entity names to their text for the XML decoder.
var entities = func() map[string]string {
	m := make(map[string]string, len(xml.HTMLEntity)+8)
	for k, v := range xml.HTMLEntity {
		m[k] = v
	}
	// A few HTML5 names that storage format uses and HTML 4 lacks.
	for _, k := range []string{"apos", "hellip", "nbsp", "ensp", "emsp", "thinsp", "zwj", "zwnj"} {
		if _, ok := m[k]; !ok {
			m[k] = html.UnescapeString("&" + k + ";")
		}
	}
	return m
}()

// parse builds an element tree from storage format. It never fails: syntax
// errors are recovered from by skipping the broken tag or treating the broken
// region as text. The returned bool reports whether any recovery happened.
func parse(src string) (*node, bool) {
	src = sanitize(src)
	root := &node{name: "#root"}
	stack := []*node{root}
	skipped := 0 // elements opened beyond maxDepth and not yet closed
	recovered := false

	addText := func(s string) {
		if s == "" {
			return
		}
		// Adjacent text runs stay separate nodes (joining them here would be
		// quadratic); renderers concatenate them.
		top := stack[len(stack)-1]
		if skipped > 0 {
			// Past the depth cap the text lands in whatever element is open
			// at the cap; keep it where a renderer shows text.
			top = textHolder(top)
		}
		top.children = append(top.children, &node{text: s})
	}

	for pos := 0; pos < len(src); {
		d := xml.NewDecoder(strings.NewReader(src[pos:]))
		d.Strict = false
		d.Entity = entities
		for {
			start := d.InputOffset()
			tok, err := d.RawToken()
			if err == io.EOF {
				return root, recovered
			}
			if err != nil {
				recovered = true
				// Skip the broken construct: a tag up to its '>', or text up to
				// the next '<'; then restart the decoder after it.
				at := pos + int(start)
				if at >= len(src) {
					return root, recovered
				}
				if strings.HasPrefix(src[at:], "<![CDATA[") {
					// Unterminated CDATA: the rest is its text.
					addText(src[at+len("<![CDATA["):])
					pos = len(src)
				} else if src[at] == '<' {
					if end := strings.IndexByte(src[at+1:], '>'); end >= 0 {
						pos = at + 1 + end + 1
					} else {
						addText(html.UnescapeString(src[at+1:]))
						pos = len(src)
					}
				} else {
					end := strings.IndexByte(src[at+1:], '<')
					if end < 0 {
						end = len(src) - at - 1
					}
					addText(html.UnescapeString(src[at : at+1+end]))
					pos = at + 1 + end
				}
				break
			}
			switch t := tok.(type) {
			case xml.StartElement:
				name := qname(t.Name)
				if voidElements[name] || len(stack) > maxDepth {
					if voidElements[name] {
						appendChild(stack[len(stack)-1], &node{name: name, attrs: attrsOf(t.Attr)})
					} else {
						skipped++
					}
					continue
				}
				for len(stack) > 1 && implicitClose[name][stack[len(stack)-1].name] {
					stack = stack[:len(stack)-1]
				}
				n := &node{name: name, attrs: attrsOf(t.Attr)}
				appendChild(stack[len(stack)-1], n)
				stack = append(stack, n)
			case xml.EndElement:
				name := qname(t.Name)
				if skipped > 0 {
					skipped--
					continue
				}
				// Close up to the nearest open element of that name; ignore
				// stray end tags.
				for i := len(stack) - 1; i > 0; i-- {
					if stack[i].name == name {
						stack = stack[:i]
						break
					}
				}
			case xml.CharData:
				addText(string(t))
			}
		}
	}
	return root, recovered
}

// holders names, for the elements whose direct text no renderer shows, the
// chain of elements that holds text inside them.
var holders = map[string][]string{
	"table": {"tr", "td"}, "tbody": {"tr", "td"}, "thead": {"tr", "td"}, "tfoot": {"tr", "td"},
	"tr": {"td"}, "ul": {"li"}, "ol": {"li"},
	"ac:task-list": {"ac:task", "ac:task-body"}, "ac:task": {"ac:task-body"},
	"ac:structured-macro": {"ac:rich-text-body"}, "ac:macro": {"ac:rich-text-body"},
}

// textHolder returns the element below n that shows text put into n: n
// itself, or the last child of the chain holders names, created if needed.
func textHolder(n *node) *node {
	for _, name := range holders[n.name] {
		if k := len(n.children); k > 0 && n.children[k-1].name == name {
			n = n.children[k-1]
			continue
		}
		c := &node{name: name}
		n.children = append(n.children, c)
		n = c
	}
	return n
}

func appendChild(parent, n *node) { parent.children = append(parent.children, n) }

func qname(n xml.Name) string {
	if n.Space == "" {
		return strings.ToLower(n.Local)
	}
	return strings.ToLower(n.Space + ":" + n.Local)
}

func attrsOf(as []xml.Attr) []attr {
	if len(as) == 0 {
		return nil
	}
	out := make([]attr, len(as))
	for i, a := range as {
		out[i] = attr{name: qname(a.Name), value: a.Value}
	}
	return out
}

// sanitize makes the input acceptable to the XML decoder: invalid UTF-8 is
// replaced, characters XML forbids are removed, and a '<' that cannot start
// markup is escaped.
func sanitize(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	var b strings.Builder
	changed := false
	inCDATA := false
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case inCDATA && r == ']' && strings.HasPrefix(s[i:], "]]>"):
			inCDATA = false
		case !inCDATA && r == '<' && strings.HasPrefix(s[i:], "<![CDATA["):
			inCDATA = true
		case !inCDATA && r == '<':
			next := byte(0)
			if i+1 < len(s) {
				next = s[i+1]
			}
			if !(next == '/' || next == '!' || next == '?' || next == '_' || next == ':' ||
				('a' <= next && next <= 'z') || ('A' <= next && next <= 'Z')) {
				if !changed {
					b.Grow(len(s) + 8)
					b.WriteString(s[:i])
					changed = true
				}
				b.WriteString("&lt;")
				i += size
				continue
			}
		case r < 0x20 && r != '\t' && r != '\n' && r != '\r', r == 0xFFFE, r == 0xFFFF:
			if !changed {
				b.Grow(len(s))
				b.WriteString(s[:i])
				changed = true
			}
			i += size
			continue
		}
		if changed {
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	if !changed {
		return s
	}
	return b.String()
}
