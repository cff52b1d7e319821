package storage

import (
	"strings"
)

// inlines renders nodes as inline content. Hard line breaks are "\n"; the
// result is not trimmed.
func (r *renderer) inlines(nodes []*node) string {
	var b strings.Builder
	for _, n := range nodes {
		b.WriteString(r.inline(n))
	}
	return b.String()
}

// inline renders one node as inline content.
func (r *renderer) inline(n *node) string {
	if n.isText() {
		s := collapseSpace(n.text)
		if r.text {
			return s
		}
		return escapeMarkdown(s)
	}
	if isMacro(n) {
		if macroIsBlock(n) {
			return r.flatten(r.macroBlock(n))
		}
		return r.macroInline(n)
	}
	switch n.name {
	case "br":
		return "\n"
	case "strong", "b":
		return r.emphasis(n, &r.strong, "**", "**")
	case "em", "i", "cite", "dfn", "var":
		return r.emphasis(n, &r.em, "*", "*")
	case "s", "del", "strike":
		return r.emphasis(n, &r.strike, "~~", "~~")
	case "span":
		if strings.Contains(strings.ToLower(n.attr("style")), "line-through") {
			return r.emphasis(n, &r.strike, "~~", "~~")
		}
		return r.inlines(n.children)
	case "u", "ins":
		return r.tagged(n, "u")
	case "sub", "sup":
		return r.tagged(n, n.name)
	case "code", "tt", "kbd", "samp":
		s := collapseSpace(n.textContent())
		if r.text || strings.TrimSpace(s) == "" {
			return s
		}
		return codeSpan(s)
	case "q":
		return "“" + r.inlines(n.children) + "”"
	case "a":
		return r.anchorLink(n)
	case "ac:link":
		return r.confluenceLink(n)
	case "ac:image":
		return r.image(n)
	case "img":
		return r.htmlImage(n)
	case "ac:emoticon":
		return emoticon(n)
	case "time":
		if dt := n.attr("datetime"); dt != "" {
			return dt
		}
		return r.inlines(n.children)
	case "ri:user":
		return r.mention(n)
	case "ri:page", "ri:blog-post", "ri:attachment", "ri:space", "ri:url":
		t := resourceName(n)
		if r.text {
			return t
		}
		return escapeMarkdown(t)
	case "ac:placeholder", "ac:parameter", "ac:task-id", "ac:task-uuid", "ac:task-status",
		"ac:adf-attribute", "colgroup", "col", "script", "style", "head", "title":
		// Editor instructions and metadata: not page content.
		return ""
	}
	if r.isBlock(n, true) {
		return r.flatten(r.block(n))
	}
	// span, font, ac:inline-comment-marker, ac:task-body, unknown elements:
	// transparent.
	return r.inlines(n.children)
}

// flatten turns blocks met in an inline context into lines.
func (r *renderer) flatten(bs []block) string {
	s := joinBlocks(bs, "\n")
	if s == "" {
		return ""
	}
	return "\n" + s + "\n"
}

// emphasis wraps the content of n in delimiters unless the same emphasis is
// already open; surrounding spaces stay outside the delimiters, as Markdown
// requires.
func (r *renderer) emphasis(n *node, depth *int, open, close string) string {
	*depth++
	s := r.inlines(n.children)
	*depth--
	if r.text || *depth > 0 {
		return s
	}
	return wrap(s, open, close)
}

// tagged wraps content in an inline HTML tag Markdown lacks a syntax for.
func (r *renderer) tagged(n *node, tag string) string {
	s := r.inlines(n.children)
	if r.text {
		return s
	}
	return wrap(s, "<"+tag+">", "</"+tag+">")
}

func wrap(s, open, close string) string {
	core := strings.TrimSpace(s)
	if core == "" {
		return s
	}
	lead := s[:strings.Index(s, core)]
	trail := s[len(lead)+len(core):]
	// A hard break inside emphasis would split it across paragraph lines;
	// close and reopen it around each break.
	lines := strings.Split(core, "\n")
	for i, l := range lines {
		if t := strings.TrimSpace(l); t != "" {
			lines[i] = open + t + close
		}
	}
	return lead + strings.Join(lines, "\n") + trail
}
