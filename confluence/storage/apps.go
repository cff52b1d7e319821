package storage

import (
	"net/url"
	"strings"
)

// codeMacro describes a macro whose body is source code: the language it
// implies and the parameters that may name another one, first match wins.
type codeMacro struct {
	lang   string
	params []string
}

// codeMacros lists the built-in and the common marketplace macros that hold
// code, by macro name. To support another app, add its macro name here.
var codeMacros = map[string]codeMacro{
	"code":           {params: []string{"language", "lang"}},
	"noformat":       {},
	"code-pro":       {params: []string{"language", "lang", "syntax"}},
	"code-block":     {params: []string{"language", "lang", "syntax"}},
	"codeblock":      {params: []string{"language", "lang", "syntax"}},
	"sourcecode":     {params: []string{"language", "lang", "syntax"}},
	"sql":            {lang: "sql"},
	"plantuml":       {lang: "plantuml"},
	"plantumlcloud":  {lang: "plantuml"},
	"plantuml-cloud": {lang: "plantuml"},
	"mermaid":        {lang: "mermaid"},
	"mermaid-cloud":  {lang: "mermaid"},
	"mermaid-macro":  {lang: "mermaid"},
	"latex":          {lang: "latex"},
	"mathblock":      {lang: "latex"},
}

// codeMacro renders a code macro as a fenced block led by its bold title.
func (r *renderer) codeMacro(n *node, cm codeMacro, ps []param) []block {
	code, ok := plainBody(n)
	if !ok {
		if b := n.child("ac:rich-text-body"); b != nil {
			code = b.textContent()
		}
	}
	lang := cm.lang
	if l := paramOf(ps, cm.params...); l != "" {
		lang = l
	}
	var out []block
	if title := paramOf(ps, "title"); title != "" {
		out = append(out, r.label(title, ""))
	}
	return append(out, r.codeBlock(lang, code)...)
}

// jira renders a jira macro: the issue key, linked to the issue when
// Options.JiraBaseURL is set, or "[Jira issues: JQL]" for a query.
func (r *renderer) jira(ps []param) string {
	base := strings.TrimRight(strings.TrimSpace(r.opts.JiraBaseURL), "/")
	if key := paramOf(ps, "key"); key != "" {
		if base == "" || r.text {
			if r.text {
				return key
			}
			return escapeMarkdown(key)
		}
		return r.link(escapeMarkdown(key), base+"/browse/"+url.PathEscape(key), key)
	}
	jql := paramOf(ps, "jqlQuery", "jql")
	if jql == "" {
		return r.bracket("Jira issues")
	}
	if base == "" || r.text {
		return r.bracket("Jira issues: " + jql)
	}
	return r.link(escapeMarkdown("Jira issues: "+jql), base+"/issues/?jql="+url.QueryEscape(jql), "")
}

// macroUser returns the ri:user a macro names in its "user" parameter.
func macroUser(n *node) *node {
	for _, c := range n.children {
		if c.name == "ac:parameter" && strings.EqualFold(c.attr("ac:name"), "user") {
			if u := findElement(c, "ri:user"); u != nil {
				return u
			}
		}
	}
	return nil
}

// findElement returns the first element named name below n, or nil.
func findElement(n *node, name string) *node {
	for _, c := range n.children {
		if c.name == name {
			return c
		}
		if f := findElement(c, name); f != nil {
			return f
		}
	}
	return nil
}

// fileMacros are the macros that show an attached file, with the label the
// rendered link gets.
var fileMacros = map[string]string{
	"drawio": "draw.io diagram", "drawio-sketch": "draw.io diagram", "inc-drawio": "draw.io diagram",
	"drawio-board": "draw.io board", "gliffy": "Gliffy diagram",
	"view-file": "File", "viewfile": "File", "viewpdf": "File", "viewdoc": "File",
	"viewxls": "File", "viewppt": "File", "multimedia": "File",
}

// macroTarget returns the attachment a file macro shows: draw.io and Gliffy
// name the diagram (whose attachment has the diagram's name) and optionally
// the id of the page holding it; view-file and its kin hold an ri:attachment.
func macroTarget(n *node) (LinkTarget, bool) {
	if _, ok := fileMacros[macroName(n)]; !ok {
		return LinkTarget{}, false
	}
	var t LinkTarget
	for _, c := range n.children {
		if c.name != "ac:parameter" {
			continue
		}
		switch strings.ToLower(c.attr("ac:name")) {
		case "diagramname", "name":
			if a := findElement(c, "ri:attachment"); a != nil {
				return targetOf(a)
			}
			t.Filename = strings.TrimSpace(c.textContent())
		case "pageid":
			t.ContentID = strings.TrimSpace(c.textContent())
		}
	}
	if t.Filename == "" {
		return LinkTarget{}, false
	}
	t.Kind = LinkAttachment
	if t.ContentID != "" {
		t.Container = LinkContent
	}
	return t, true
}

// fileMacro renders a file macro as a named link to its attachment:
// "[draw.io diagram: name](url)", or without the URL when unresolved.
func (r *renderer) fileMacro(n *node, name string) (string, bool) {
	label, ok := fileMacros[name]
	if !ok {
		return "", false
	}
	t, ok := macroTarget(n)
	if !ok {
		return r.bracket(label), true
	}
	text := r.bracket(label + ": " + t.Filename)
	u, ok, tried := r.resolve(t)
	switch {
	case ok && !r.text:
		return "[" + escapeMarkdown(label+": "+t.Filename) + "](" + escapeURL(u) + ")", true
	case tried && !ok:
		return r.bracket(label + ": " + t.Filename + " (attachment not found)"), true
	}
	return text, true
}
