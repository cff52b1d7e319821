package storage

import (
	"strings"
)

// isMacro reports whether n is a macro element (ac:structured-macro, or the
// older ac:macro).
func isMacro(n *node) bool {
	return n.name == "ac:structured-macro" || n.name == "ac:macro"
}

func macroName(n *node) string {
	return strings.ToLower(strings.TrimSpace(n.attr("ac:name")))
}

// inlineMacros render within a line of text.
var inlineMacros = map[string]bool{
	"status": true, "jira": true, "anchor": true, "mention": true,
	"profile": true, "user-profile": true,
}

// placeholders name the macros that render generated content the body does not
// hold; they become a short bracketed placeholder.
var placeholders = map[string]string{
	"toc":              "Table of contents",
	"toc-zone":         "",
	"children":         "Child pages",
	"list-children":    "Child pages",
	"detailssummary":   "Page properties report",
	"pagetree":         "Page tree",
	"pagetreesearch":   "Page tree search",
	"excerpt-include":  "Excerpt from",
	"include":          "Included page",
	"recently-updated": "Recently updated",
	"contentbylabel":   "Pages by label",
	"attachments":      "Attachments",
	"livesearch":       "Search",
	"blog-posts":       "Blog posts",
}

// transparentMacros only group their body; the body renders as if the macro
// were not there.
var transparentMacros = map[string]bool{
	"excerpt": true, "section": true, "column": true, "details": true, "div": true,
	"span": true, "multiexcerpt": true, "toc-zone": true,
}

// callouts are the admonition macros and their labels.
var callouts = map[string]string{
	"info": "Info", "note": "Note", "warning": "Warning", "tip": "Tip",
}

// macroIsBlock reports whether a macro renders as blocks.
func macroIsBlock(n *node) bool {
	name := macroName(n)
	if inlineMacros[name] {
		return false
	}
	if _, ok := placeholders[name]; ok {
		return false
	}
	if _, ok := callouts[name]; ok {
		return true
	}
	if _, ok := codeMacros[name]; ok {
		return true
	}
	switch name {
	case "panel", "expand":
		return true
	}
	return n.child("ac:rich-text-body") != nil || n.child("ac:plain-text-body") != nil
}

// param is one macro parameter, with its value rendered as text.
type param struct{ name, value string }

// params returns the macro's parameters in document order.
func (r *renderer) params(n *node) []param {
	var out []param
	for _, c := range n.children {
		if c.name == "ac:parameter" {
			out = append(out, param{name: c.attr("ac:name"), value: strings.TrimSpace(collapseSpace(paramValue(c)))})
		}
	}
	return out
}

func paramOf(ps []param, names ...string) string {
	for _, name := range names {
		for _, p := range ps {
			if strings.EqualFold(p.name, name) && p.value != "" {
				return p.value
			}
		}
	}
	return ""
}

// paramValue renders a parameter's content; resource identifiers inside it
// (a page for include, a user, ...) become their names.
func paramValue(n *node) string {
	var b strings.Builder
	for _, c := range n.children {
		switch {
		case c.isText():
			b.WriteString(c.text)
		case strings.HasPrefix(c.name, "ri:") && c.name != "ri:list":
			b.WriteString(resourceName(c))
		default:
			if b.Len() > 0 && c.name == "ri:list" {
				b.WriteString(", ")
			}
			b.WriteString(paramValue(c))
		}
	}
	return b.String()
}

// bodyNodes returns the macro's rich-text body, or nil.
func bodyNodes(n *node) []*node {
	if b := n.child("ac:rich-text-body"); b != nil {
		return b.children
	}
	return nil
}

// plainBody returns the macro's plain-text body (CDATA) and whether it has one.
func plainBody(n *node) (string, bool) {
	if b := n.child("ac:plain-text-body"); b != nil {
		return b.textContent(), true
	}
	return "", false
}

// macroBlock renders a block macro.
func (r *renderer) macroBlock(n *node) []block {
	name := macroName(n)
	ps := r.params(n)
	if cm, ok := codeMacros[name]; ok {
		return r.codeMacro(n, cm, ps)
	}
	switch name {
	case "html":
		// Confluence shows the HTML rendered, so it converts like the page.
		if body, ok := plainBody(n); ok {
			root, _ := parse(body)
			return r.blocks(root.children)
		}
	case "excerpt":
		if strings.EqualFold(paramOf(ps, "hidden"), "true") {
			return nil // Confluence shows a hidden excerpt only where it is included.
		}
	case "panel":
		head := ""
		if title := paramOf(ps, "title"); title != "" {
			head = r.label(title, "").s
		}
		return r.quote(head, r.quotedBlocks(bodyNodes(n)))
	case "expand":
		var out []block
		if title := paramOf(ps, "title"); title != "" {
			out = append(out, r.label(title, ""))
		}
		return append(out, r.blocks(bodyNodes(n))...)
	}
	if label, ok := callouts[name]; ok {
		body := r.quotedBlocks(bodyNodes(n))
		if title := paramOf(ps, "title"); title != "" {
			return r.quote(r.label(label+": "+title, "").s, body)
		}
		// "**Warning:** " leads the first paragraph.
		lead := r.label(label+":", "").s
		if len(body) > 0 && body[0].kind == kindPara {
			body[0].s = lead + " " + body[0].s
			return r.quote("", body)
		}
		return r.quote(lead, body)
	}
	if transparentMacros[name] {
		return r.macroBody(n)
	}
	if !macroIsBlock(n) {
		return r.paragraphs(r.macroInline(n))
	}
	// An unknown macro with a body: the body is what a reader sees.
	return r.macroBody(n)
}

// macroBody renders a macro's rich-text body, or its plain-text body as code.
func (r *renderer) macroBody(n *node) []block {
	if b := n.child("ac:rich-text-body"); b != nil {
		return r.blocks(b.children)
	}
	if code, ok := plainBody(n); ok {
		return r.codeBlock("", code)
	}
	return nil
}

// label renders a bold label line (plain in text mode); suffix follows it
// unbolded.
func (r *renderer) label(s, suffix string) block {
	if r.text {
		return block{s: strings.TrimSpace(s + " " + suffix), kind: kindPara}
	}
	out := "**" + escapeMarkdown(s) + "**"
	if suffix != "" {
		out += " " + suffix
	}
	return block{s: out, kind: kindPara}
}

// placeholder renders macros whose output Confluence generates, such as
// "[Table of contents]" or "[Included page: Title]".
func (r *renderer) placeholder(name, label string, ps []param) string {
	if label == "" {
		return ""
	}
	switch name {
	case "excerpt-include", "include":
		if page := paramOf(ps, "", "page", "pageTitle", "nopanel-page"); page != "" {
			label += ": " + page
		}
	case "children", "pagetree":
		if root := paramOf(ps, "page", "root"); root != "" {
			label += ": " + root
		}
	case "contentbylabel", "detailssummary":
		if l := paramOf(ps, "labels", "label", "cql"); l != "" {
			label += ": " + l
		}
	}
	return r.bracket(label)
}

// placeholderLink links a placeholder such as "[Excerpt from: Release Plan]"
// to the page its macro names (the first ac:link inside its parameters,
// which Links lists) when ResolveLink knows its URL, so a reader can follow
// it; otherwise the placeholder stays as it is.
func (r *renderer) placeholderLink(n *node, s string) string {
	if s == "" || r.text || len(s) < 3 || s[0] != '[' || s[len(s)-1] != ']' {
		return s
	}
	for _, c := range n.children {
		if c.name != "ac:parameter" {
			continue
		}
		if l := findElement(c, "ac:link"); l != nil {
			if t, ok := linkTarget(l); ok {
				if u, ok, _ := r.resolve(t); ok {
					return r.linkCore(s[1:len(s)-1], u, "")
				}
			}
			return s
		}
	}
	return s
}

// bracket renders "[text]" with the text escaped for Markdown.
func (r *renderer) bracket(s string) string {
	if r.text {
		return "[" + s + "]"
	}
	return "[" + escapeMarkdown(s) + "]"
}

// unknownHead renders "[macro name]" for a macro the converter does not know
// and that has no body, so the reader knows something is there. Its
// parameters are configuration, not content, and are left out.
func (r *renderer) unknownHead(name string) string {
	if name == "" {
		name = "unnamed"
	}
	return r.bracket("macro " + name)
}

// macroInline renders an inline macro.
func (r *renderer) macroInline(n *node) string {
	name := macroName(n)
	ps := r.params(n)
	switch name {
	case "status":
		t := paramOf(ps, "title")
		if t == "" {
			t = strings.ToUpper(paramOf(ps, "colour", "color"))
		}
		if t == "" {
			return ""
		}
		return r.bracket(t)
	case "jira":
		return r.jira(ps)
	case "profile", "user-profile":
		if u := macroUser(n); u != nil {
			return r.mention(u)
		}
		return ""
	case "anchor":
		id := paramOf(ps, "", "anchor")
		if id == "" || r.text {
			return ""
		}
		return `<a id="` + attrEscape(id) + `"></a>`
	}
	if label, ok := placeholders[name]; ok {
		return r.placeholderLink(n, r.placeholder(name, label, ps))
	}
	if s, ok := r.fileMacro(n, name); ok {
		return s
	}
	if body := strings.TrimSpace(r.flatten(r.macroBody(n))); body != "" {
		return body
	}
	return r.unknownHead(name)
}
