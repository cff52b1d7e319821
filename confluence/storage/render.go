package storage

import (
	"strings"
)

// blockKind tells how a rendered block joins its neighbours.
type blockKind int

const (
	kindPara blockKind = iota
	kindList
	kindOther
)

// block is one rendered block: a paragraph, list, table, code block, ...
// s never has leading or trailing newlines.
type block struct {
	s    string
	kind blockKind
}

// renderer walks a parsed document. One renderer serves one conversion.
type renderer struct {
	opts Options
	text bool // plain text instead of Markdown
	cell int  // depth of table cells being rendered (Markdown: one line)

	strong, em, strike int // open emphasis, so nested ones are not doubled

	quotes, lists int // enclosing quotes and lists, to bound the prefixes
}

// Nesting beyond these depths is rendered without further "> " prefixes or
// list indentation: deeper levels are unreadable anyway, and re-prefixing
// every level would make hostile input cost depth × size.
const (
	maxQuoteNesting = 8
	maxListNesting  = 16
)

// quotedBlocks renders the body of a quote, callout or panel.
func (r *renderer) quotedBlocks(nodes []*node) []block {
	r.quotes++
	defer func() { r.quotes-- }()
	return r.blocks(nodes)
}

// document renders the whole tree.
func (r *renderer) document(root *node) string {
	out := joinBlocks(r.blocks(root.children), "\n\n")
	if out == "" {
		return ""
	}
	return out + "\n"
}

func joinBlocks(bs []block, sep string) string {
	parts := make([]string, 0, len(bs))
	for _, b := range bs {
		if b.s != "" {
			parts = append(parts, b.s)
		}
	}
	return strings.Join(parts, sep)
}

// blockElements hold block content in any context.
var blockElements = map[string]bool{
	"p": true, "div": true, "section": true, "article": true, "header": true, "footer": true,
	"main": true, "nav": true, "aside": true, "center": true, "body": true, "html": true,
	"h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true,
	"ul": true, "ol": true, "li": true, "dl": true, "dt": true, "dd": true,
	"table": true, "blockquote": true, "pre": true, "hr": true, "figure": true,
	"ac:task-list": true, "ac:layout": true, "ac:layout-section": true, "ac:layout-cell": true,
	"ac:rich-text-body": true, "ac:adf-extension": true,
}

// isBlock reports whether n starts a block of its own. Outside a paragraph,
// macros such as toc or an unknown macro without a body stand alone; inside
// one they flow with the text.
func (r *renderer) isBlock(n *node, inPara bool) bool {
	if n.isText() {
		return false
	}
	if isMacro(n) {
		return macroIsBlock(n) || (!inPara && !inlineMacros[macroName(n)])
	}
	return blockElements[n.name]
}

// blocks renders a sequence of nodes that may mix block elements and inline
// content; each run of inline content becomes paragraphs.
func (r *renderer) blocks(nodes []*node) []block {
	return r.blocksIn(nodes, false)
}

// blocksIn is blocks for the content of a paragraph when inPara is true.
func (r *renderer) blocksIn(nodes []*node, inPara bool) []block {
	var out []block
	start := -1
	flush := func(end int) {
		if start >= 0 {
			out = append(out, r.paragraphs(r.inlines(nodes[start:end]))...)
			start = -1
		}
	}
	for i, n := range nodes {
		if r.isBlock(n, inPara) {
			flush(i)
			for _, b := range r.block(n) {
				// Markdown would merge two adjacent lists of the same type.
				if b.kind == kindList && !r.text && r.cell == 0 && len(out) > 0 && out[len(out)-1].kind == kindList &&
					isOrderedList(b.s) == isOrderedList(out[len(out)-1].s) {
					out = append(out, block{s: "<!-- -->", kind: kindOther})
				}
				out = append(out, b)
			}
			continue
		}
		if start < 0 {
			start = i
		}
	}
	flush(len(nodes))
	return out
}

func isOrderedList(s string) bool { return s != "" && s[0] >= '0' && s[0] <= '9' }

// paragraphs turns rendered inline content, with "\n" for hard line breaks,
// into paragraph blocks: two or more breaks in a row separate paragraphs.
func (r *renderer) paragraphs(s string) []block {
	var out []block
	var lines []string
	flush := func() {
		if len(lines) == 0 {
			return
		}
		sep := "  \n"
		if r.text || r.cell > 0 {
			sep = "\n"
		}
		out = append(out, block{s: strings.Join(lines, sep), kind: kindPara})
		lines = nil
	}
	for _, line := range strings.Split(s, "\n") {
		line = strings.TrimSpace(collapseRuns(line))
		if line == "" {
			flush()
			continue
		}
		if !r.text {
			line = escapeLineStart(line)
		}
		lines = append(lines, line)
	}
	flush()
	return out
}

// collapseRuns replaces runs of spaces left where inline pieces meet.
func collapseRuns(s string) string {
	if !strings.Contains(s, "  ") {
		return s
	}
	var b strings.Builder
	prev := false
	for i := 0; i < len(s); i++ {
		if s[i] == ' ' {
			if prev {
				continue
			}
			prev = true
		} else {
			prev = false
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// block renders one block element.
func (r *renderer) block(n *node) []block {
	if isMacro(n) {
		return r.macroBlock(n)
	}
	switch n.name {
	case "h1", "h2", "h3", "h4", "h5", "h6":
		return r.heading(n)
	case "ul", "ol":
		return r.list(n)
	case "ac:task-list":
		return r.taskList(n)
	case "table":
		return r.table(n)
	case "blockquote":
		return r.quote("", r.quotedBlocks(n.children))
	case "pre":
		return r.codeBlock("", preText(n))
	case "hr":
		if r.text {
			return nil
		}
		return []block{{s: "---", kind: kindOther}}
	case "li":
		// A list item outside a list: render it as a one-item list.
		return r.list(&node{name: "ul", children: []*node{n}})
	case "dt":
		return r.emphasised(r.blocks(n.children))
	case "ac:adf-extension":
		return r.adfExtension(n)
	case "p":
		return r.blocksIn(n.children, true)
	}
	// Containers: div, layouts, rich-text bodies, ...
	return r.blocks(n.children)
}

// preText returns the text of a preformatted element, with <br> as newline.
func preText(n *node) string {
	var b strings.Builder
	var walk func(*node)
	walk = func(m *node) {
		switch {
		case m.isText():
			b.WriteString(m.text)
		case m.name == "br":
			b.WriteByte('\n')
		default:
			for _, c := range m.children {
				walk(c)
			}
		}
	}
	walk(n)
	return b.String()
}

// adfContent returns the displayable content of an ac:adf-extension without
// its attributes.
func adfContent(n *node) []*node {
	var out []*node
	for _, c := range n.children {
		switch c.name {
		case "ac:adf-attribute", "ac:adf-fallback":
		case "ac:adf-node", "ac:adf-content":
			out = append(out, &node{name: "div", children: adfContent(c)})
		default:
			out = append(out, c)
		}
	}
	return out
}

func (r *renderer) heading(n *node) []block {
	s := strings.TrimSpace(collapseRuns(strings.ReplaceAll(r.inlines(n.children), "\n", " ")))
	if s == "" {
		return nil
	}
	switch {
	case r.text:
		return []block{{s: s, kind: kindOther}}
	case r.cell > 0:
		return []block{{s: "**" + s + "**", kind: kindPara}}
	}
	return []block{{s: strings.Repeat("#", int(n.name[1]-'0')) + " " + s, kind: kindOther}}
}

// emphasised renders blocks whose single paragraph should be bold (a term).
func (r *renderer) emphasised(bs []block) []block {
	if r.text || len(bs) != 1 || bs[0].kind != kindPara || strings.Contains(bs[0].s, "\n") {
		return bs
	}
	return []block{{s: "**" + bs[0].s + "**", kind: kindPara}}
}

// quote renders blocks as a block quote, led by a bold heading line if head
// is not empty. In plain text the head is a line of its own and the body is
// not marked.
func (r *renderer) quote(head string, body []block) []block {
	if r.text {
		if head != "" {
			body = append([]block{{s: head, kind: kindPara}}, body...)
		}
		return []block{{s: joinBlocks(body, "\n\n"), kind: kindOther}}
	}
	if r.quotes >= maxQuoteNesting {
		if head != "" {
			body = append([]block{{s: head, kind: kindPara}}, body...)
		}
		return body
	}
	inner := joinBlocks(body, "\n\n")
	if head != "" {
		if inner == "" {
			inner = head
		} else {
			inner = head + "\n\n" + inner
		}
	}
	if inner == "" {
		return nil
	}
	return []block{{s: prefixLines(inner, "> ", ">"), kind: kindOther}}
}

// prefixLines prefixes every line of s; empty lines get blank instead.
func prefixLines(s, prefix, blank string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		if l == "" {
			lines[i] = blank
		} else {
			lines[i] = prefix + l
		}
	}
	return strings.Join(lines, "\n")
}

// codeBlock renders preformatted text: a fenced block in Markdown, code spans
// joined by line breaks inside a table cell, the bare text in plain text.
func (r *renderer) codeBlock(lang, code string) []block {
	code = strings.ReplaceAll(code, "\r\n", "\n")
	code = strings.TrimRight(strings.TrimLeft(code, "\n"), " \t\n")
	if code == "" {
		return nil
	}
	if r.text {
		return []block{{s: code, kind: kindOther}}
	}
	if r.cell > 0 {
		lines := strings.Split(code, "\n")
		for i, l := range lines {
			lines[i] = codeSpan(strings.TrimRight(l, " \t"))
		}
		return []block{{s: strings.Join(lines, "\n"), kind: kindOther}}
	}
	fence := "```"
	if n := longestRun(code, '`'); n >= 3 {
		fence = strings.Repeat("`", n+1)
	}
	lang = strings.Map(func(r rune) rune {
		if r == ' ' || r == '\t' || r == '`' || r == '\n' || r == '\r' {
			return -1
		}
		return r
	}, strings.ToLower(lang))
	return []block{{s: fence + lang + "\n" + code + "\n" + fence, kind: kindOther}}
}
