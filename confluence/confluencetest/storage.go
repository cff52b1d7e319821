package confluencetest

import (
	"encoding/json"
	"html"
	"io"
	"slices"
	"strings"

	xhtml "golang.org/x/net/html"
)

// node is a parsed storage-format element (or a text node when name == "").
type node struct {
	name  string
	attrs map[string]string
	order []string // attribute names in source order
	kids  []*node
	text  string
	cdata bool
}

// parseNodes parses storage-format XHTML (with ac:/ri: elements and CDATA)
// into a tree. It never fails: malformed input yields a best-effort tree.
func parseNodes(s string) *node {
	root := &node{name: "#root"}
	stack := []*node{root}
	z := xhtml.NewTokenizer(strings.NewReader(s))
	z.AllowCDATA(true)
	for {
		tt := z.Next()
		if tt == xhtml.ErrorToken {
			if z.Err() != io.EOF {
				return root
			}
			return root
		}
		top := stack[len(stack)-1]
		switch tt {
		case xhtml.TextToken:
			raw := string(z.Raw())
			t := &node{text: string(z.Text())}
			if strings.HasPrefix(raw, "<![CDATA[") {
				t.cdata = true
			}
			top.kids = append(top.kids, t)
		case xhtml.StartTagToken, xhtml.SelfClosingTagToken:
			tok := z.Token()
			n := &node{name: tok.Data, attrs: map[string]string{}}
			for _, a := range tok.Attr {
				key := a.Key
				if a.Namespace != "" {
					key = a.Namespace + ":" + a.Key
				}
				if _, dup := n.attrs[key]; !dup {
					n.order = append(n.order, key)
				}
				n.attrs[key] = a.Val
			}
			top.kids = append(top.kids, n)
			if tt == xhtml.StartTagToken && !voidElement(n.name) {
				stack = append(stack, n)
			}
		case xhtml.EndTagToken:
			name, _ := z.TagName()
			for i := len(stack) - 1; i > 0; i-- {
				if stack[i].name == string(name) {
					stack = stack[:i]
					break
				}
			}
		}
	}
}

func voidElement(name string) bool {
	switch name {
	case "br", "hr", "img", "col", "input", "meta", "link":
		return true
	}
	return false
}

// bodyInfo is what CQL needs from a storage body.
type bodyInfo struct {
	text     string
	macros   []string
	mentions []string
}

func parseStorage(s string) bodyInfo {
	var bi bodyInfo
	var b strings.Builder
	var walk func(n *node)
	walk = func(n *node) {
		if n.name == "" {
			b.WriteString(n.text)
			return
		}
		switch n.name {
		case "ac:structured-macro":
			if m := n.attrs["ac:name"]; m != "" && !slices.Contains(bi.macros, m) {
				bi.macros = append(bi.macros, m)
			}
		case "ri:user":
			if id := n.attrs["ri:account-id"]; id != "" && !slices.Contains(bi.mentions, id) {
				bi.mentions = append(bi.mentions, id)
			}
		case "ac:parameter", "ac:task-id", "ac:task-status":
			return
		}
		for _, k := range n.kids {
			walk(k)
		}
		if blockElement(n.name) {
			b.WriteString("\n")
		}
	}
	walk(parseNodes(s))
	bi.text = strings.Join(strings.Fields(b.String()), " ")
	return bi
}

func blockElement(name string) bool {
	switch name {
	case "p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "tr", "td", "th", "pre", "div", "blockquote", "ac:task", "ac:plain-text-body", "br":
		return true
	}
	return false
}

// renderer renders storage format to the HTML of the `view` representation.
// lookupUser and lookupPage resolve mentions and page links; either may
// return "" when unknown.
type renderer struct {
	pageID     string
	spaceKey   string
	userName   func(accountID string) string
	pageHref   func(spaceKey, title string) string
	blogHref   func(spaceKey, title string) string // "" when no such blog post
	attachHref func(pageID, filename string) string
}

func (r *renderer) render(storage string) string {
	var b strings.Builder
	for _, k := range parseNodes(storage).kids {
		r.node(&b, k)
	}
	return b.String()
}

func (r *renderer) kids(b *strings.Builder, n *node) {
	for _, k := range n.kids {
		r.node(b, k)
	}
}

func child(n *node, name string) *node {
	for _, k := range n.kids {
		if k.name == name {
			return k
		}
	}
	return nil
}

func params(n *node) map[string]string {
	m := map[string]string{}
	for _, k := range n.kids {
		if k.name == "ac:parameter" {
			m[k.attrs["ac:name"]] = textOf(k)
		}
	}
	return m
}

func textOf(n *node) string {
	if n.name == "" {
		return n.text
	}
	var b strings.Builder
	for _, k := range n.kids {
		b.WriteString(textOf(k))
	}
	return b.String()
}

func (r *renderer) node(b *strings.Builder, n *node) {
	esc := html.EscapeString
	if n.name == "" {
		b.WriteString(esc(n.text))
		return
	}
	switch n.name {
	case "ac:structured-macro", "ac:macro":
		r.macro(b, n)
	case "ac:link":
		r.link(b, n)
	case "ac:image":
		src := ""
		if a := child(n, "ri:attachment"); a != nil {
			src = r.attachHref(r.pageID, a.attrs["ri:filename"])
		} else if u := child(n, "ri:url"); u != nil {
			src = u.attrs["ri:value"]
		}
		b.WriteString(`<img class="confluence-embedded-image" src="` + esc(src) + `">`)
	case "ac:task-list":
		b.WriteString(`<ul class="inline-task-list">`)
		r.kids(b, n)
		b.WriteString(`</ul>`)
	case "ac:task":
		class := ""
		if s := child(n, "ac:task-status"); s != nil && strings.TrimSpace(textOf(s)) == "complete" {
			class = ` class="checked"`
		}
		b.WriteString("<li" + class + ">")
		if body := child(n, "ac:task-body"); body != nil {
			r.kids(b, body)
		}
		b.WriteString("</li>")
	case "ac:parameter", "ac:task-id", "ac:task-status", "ac:placeholder":
	case "ac:rich-text-body", "ac:task-body", "ac:plain-text-body", "ac:emoticon":
		r.kids(b, n)
	case "ri:user", "ri:page", "ri:attachment", "ri:url":
	default:
		b.WriteString("<" + n.name)
		for _, k := range n.order {
			b.WriteString(" " + k + `="` + esc(n.attrs[k]) + `"`)
		}
		if voidElement(n.name) {
			b.WriteString(">")
			return
		}
		b.WriteString(">")
		r.kids(b, n)
		b.WriteString("</" + n.name + ">")
	}
}

func (r *renderer) macro(b *strings.Builder, n *node) {
	esc := html.EscapeString
	name := n.attrs["ac:name"]
	ps := params(n)
	switch name {
	case "code", "noformat":
		lang := ps["language"]
		b.WriteString(`<div class="code panel"><pre class="syntaxhighlighter-pre" data-language="` + esc(lang) + `">`)
		if body := child(n, "ac:plain-text-body"); body != nil {
			b.WriteString(esc(textOf(body)))
		}
		b.WriteString("</pre></div>")
	case "info", "warning", "note", "tip", "panel":
		b.WriteString(`<div class="confluence-information-macro confluence-information-macro-` + name + `">`)
		if t := ps["title"]; t != "" {
			b.WriteString(`<p class="title">` + esc(t) + `</p>`)
		}
		b.WriteString(`<div class="confluence-information-macro-body">`)
		if body := child(n, "ac:rich-text-body"); body != nil {
			r.kids(b, body)
		}
		b.WriteString("</div></div>")
	case "expand":
		title := ps["title"]
		if title == "" {
			title = "Click here to expand..."
		}
		b.WriteString(`<div class="expand-container"><div class="expand-control"><span class="expand-control-text">` + esc(title) + `</span></div><div class="expand-content">`)
		if body := child(n, "ac:rich-text-body"); body != nil {
			r.kids(b, body)
		}
		b.WriteString("</div></div>")
	case "status":
		colour := strings.ToLower(ps["colour"])
		b.WriteString(`<span class="status-macro aui-lozenge aui-lozenge-` + esc(colour) + `">` + esc(strings.ToUpper(ps["title"])) + `</span>`)
	case "jira":
		key := ps["key"]
		b.WriteString(`<span class="confluence-jim-macro jira-issue" data-jira-key="` + esc(key) + `"><a href="` + esc(ps["server"]) + `/browse/` + esc(key) + `" class="jira-issue-key">` + esc(key) + `</a></span>`)
	case "toc":
		b.WriteString(`<div class="toc-macro"></div>`)
	default:
		b.WriteString(`<div class="conf-macro output-block" data-macro-name="` + esc(name) + `">`)
		if body := child(n, "ac:rich-text-body"); body != nil {
			r.kids(b, body)
		} else if body := child(n, "ac:plain-text-body"); body != nil {
			b.WriteString(esc(textOf(body)))
		}
		b.WriteString("</div>")
	}
}

func (r *renderer) link(b *strings.Builder, n *node) {
	esc := html.EscapeString
	label := ""
	if body := child(n, "ac:plain-text-link-body"); body != nil {
		label = textOf(body)
	} else if body := child(n, "ac:link-body"); body != nil {
		label = textOf(body)
	}
	switch {
	case child(n, "ri:user") != nil:
		id := child(n, "ri:user").attrs["ri:account-id"]
		name := r.userName(id)
		if name == "" {
			name = id
		}
		b.WriteString(`<a class="confluence-userlink user-mention" data-account-id="` + esc(id) + `" href="/wiki/people/` + esc(id) + `">@` + esc(name) + `</a>`)
	case child(n, "ri:page") != nil:
		p := child(n, "ri:page")
		key := p.attrs["ri:space-key"]
		if key == "" {
			key = r.spaceKey
		}
		title := p.attrs["ri:content-title"]
		if label == "" {
			label = title
		}
		b.WriteString(`<a href="` + esc(r.pageHref(key, title)) + `">` + esc(label) + `</a>`)
	case child(n, "ri:blog-post") != nil:
		bp := child(n, "ri:blog-post")
		key := cmpOr(bp.attrs["ri:space-key"], r.spaceKey)
		title := bp.attrs["ri:content-title"]
		if label == "" {
			label = title
		}
		if href := r.blogHref(key, title); href != "" {
			b.WriteString(`<a href="` + esc(href) + `">` + esc(label) + `</a>`)
		} else {
			b.WriteString(esc(label))
		}
	case child(n, "ri:attachment") != nil:
		f := child(n, "ri:attachment").attrs["ri:filename"]
		if label == "" {
			label = f
		}
		b.WriteString(`<a href="` + esc(r.attachHref(r.pageID, f)) + `">` + esc(label) + `</a>`)
	default:
		b.WriteString(esc(label))
	}
}

// adfFromText builds a minimal Atlassian Document Format document (as a JSON
// string, the way the API returns it) with one paragraph per text block.
func adfFromStorage(storage string) string {
	type textNode struct {
		Type string `json:"type"`
		Text string `json:"text"`
	}
	type para struct {
		Type    string     `json:"type"`
		Content []textNode `json:"content,omitempty"`
	}
	doc := struct {
		Type    string `json:"type"`
		Version int    `json:"version"`
		Content []para `json:"content"`
	}{Type: "doc", Version: 1, Content: []para{}}
	var walk func(n *node, b *strings.Builder)
	flush := func(b *strings.Builder) {
		if t := strings.Join(strings.Fields(b.String()), " "); t != "" {
			doc.Content = append(doc.Content, para{Type: "paragraph", Content: []textNode{{Type: "text", Text: t}}})
		}
		b.Reset()
	}
	var b strings.Builder
	walk = func(n *node, b *strings.Builder) {
		if n.name == "" {
			b.WriteString(n.text)
			return
		}
		if n.name == "ac:parameter" {
			return
		}
		for _, k := range n.kids {
			walk(k, b)
		}
		if blockElement(n.name) {
			flush(b)
		}
	}
	walk(parseNodes(storage), &b)
	flush(&b)
	out, _ := json.Marshal(doc)
	return string(out)
}
