package main

import (
	"cmp"
	"net/url"
	"regexp"
	"strings"
	"unicode"

	"golang.org/x/net/html"

	"github.com/confluence-graph/confluence-graph/confluence/storage"
)

// Source is what a reader of a storage-format page sees in Confluence, as far
// as the measurement counts it: the visible words, the link targets and the
// languages of code blocks.
type Source struct {
	// Words counts each visible word (lower case) as often as it occurs.
	Words map[string]int
	// Links are the page's link targets with the absolute URL a converter
	// should emit for each, one entry per distinct URL, in order of first
	// appearance.
	Links []Link
	// Langs holds the language of each code macro that has one, once per
	// macro (lower case).
	Langs []string
}

// Link is one link target of a page and the URL that stands for it.
type Link struct {
	// Name says what the target is: "page Release Plan", "href https://...".
	Name string
	// URL is the absolute URL that must appear in the output.
	URL string
	// Resolved is true for targets the converter resolves through
	// Options.ResolveLink (pages, blog posts, spaces, attachments) and false
	// for plain URLs written in the body (a href, img src, ri:url).
	Resolved bool
}

// hiddenElements hold text that Confluence does not show a reader: macro and
// ADF node parameters, the ADF fallback (a second rendering of the ADF node
// beside it, for clients that cannot show the node), task metadata and
// editor-only placeholders.
var hiddenElements = map[string]bool{
	"ac:parameter":     true,
	"ac:adf-attribute": true,
	"ac:adf-fallback":  true,
	"ac:task-id":       true,
	"ac:task-uuid":     true,
	"ac:task-status":   true,
	"ac:placeholder":   true,
}

// voidElements never have an end tag in HTML, so they open no scope even
// when written without "/>".
var voidElements = map[string]bool{
	"area": true, "base": true, "br": true, "col": true, "embed": true, "hr": true, "img": true,
	"input": true, "link": true, "meta": true, "source": true, "track": true, "wbr": true,
}

// inlineElements do not separate words: the text on both sides of their tags
// runs on, as a reader sees it.
var inlineElements = map[string]bool{
	"a": true, "abbr": true, "b": true, "big": true, "cite": true, "code": true, "del": true, "dfn": true,
	"em": true, "font": true, "i": true, "ins": true, "kbd": true, "mark": true, "q": true, "s": true,
	"samp": true, "small": true, "span": true, "strike": true, "strong": true, "sub": true, "sup": true,
	"time": true, "tt": true, "u": true, "var": true,
	"ac:link": true, "ac:link-body": true, "ac:plain-text-link-body": true, "ac:inline-comment-marker": true,
}

// inline reports whether an element's tags leave the words around them whole.
func inline(name string) bool {
	return inlineElements[name] || strings.HasPrefix(name, "ri:")
}

// frame is one open element while Analyze walks the body.
type frame struct {
	name   string
	macro  string            // ac:name of a macro element
	params map[string]string // a macro's parameters by name
	body   bool              // a macro with an ac:plain-text-body (code-like)
	hidden bool              // this element's text is not shown to readers
	text   strings.Builder   // the text of an ac:parameter
	param  string            // the ac:name of an ac:parameter
}

// Analyze reads a storage-format body leniently (malformed markup yields what
// could be read, never an error): the text outside hidden content (see
// hiddenElements, plus the body of an excerpt macro with hidden=true) gives
// its words, text nodes joined across inline markup (see inlineElements) and
// separated by any other tag; storage.Links gives the targets the converter resolves, each
// mapped to its URL by resolve; a href, img src and ri:url values give the
// plain links (made absolute against base, except same-page "#anchor" links
// and the javascript:, data: and vbscript: URLs a safe converter must drop);
// code macros with a language or lang parameter give their language.
func Analyze(doc string, resolve func(storage.LinkTarget) (string, bool), base *url.URL) Source {
	src := Source{Words: map[string]int{}}
	seen := map[string]bool{}
	addLink := func(name, u string, resolved bool) {
		if u != "" && !seen[u] {
			seen[u] = true
			src.Links = append(src.Links, Link{Name: name, URL: u, Resolved: resolved})
		}
	}
	for _, t := range storage.Links(doc) {
		if u, ok := resolve(t); ok {
			addLink(targetName(t), u, true)
		}
	}
	plain := func(raw string) {
		if u, ok := plainURL(raw, base); ok {
			addLink("url "+u, u, false)
		}
	}

	// run collects the text between two word breaks: text nodes separated
	// only by inline markup ("H<sub>2</sub>O") form one visible word.
	var run strings.Builder
	flush := func() {
		for _, w := range words(run.String()) {
			src.Words[w]++
		}
		run.Reset()
	}
	z := html.NewTokenizer(strings.NewReader(doc))
	z.AllowCDATA(true)
	var stack []*frame
	hidden := func() bool {
		for _, f := range stack {
			if f.hidden {
				return true
			}
		}
		return false
	}
	nearest := func(names ...string) *frame {
		for i := len(stack) - 1; i >= 0; i-- {
			for _, n := range names {
				if stack[i].name == n {
					return stack[i]
				}
			}
		}
		return nil
	}
	closeFrame := func(f *frame) {
		switch f.name {
		case "ac:parameter":
			if m := nearest("ac:structured-macro", "ac:macro"); m != nil {
				m.params[f.param] = strings.TrimSpace(f.text.String())
			}
		case "ac:structured-macro", "ac:macro":
			if lang := strings.ToLower(cmp.Or(f.params["language"], f.params["lang"])); f.body && lang != "" {
				src.Langs = append(src.Langs, lang)
			}
		}
	}
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			flush()
			for i := len(stack) - 1; i >= 0; i-- {
				closeFrame(stack[i])
			}
			return src
		case html.TextToken:
			text := tokenText(z.Raw())
			if nearest("ac:plain-text-body") != nil {
				if m := nearest("ac:structured-macro", "ac:macro"); m != nil && m.macro == "html" {
					// The html macro's body is markup the page shows rendered.
					text = htmlText(text)
				}
			}
			if p := nearest("ac:parameter"); p != nil {
				p.text.WriteString(text)
			}
			if hidden() {
				flush()
			} else {
				run.WriteString(text)
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			tok := z.Token()
			if !inline(tok.Data) {
				flush()
			}
			switch tok.Data {
			case "a":
				plain(attr(tok, "href"))
			case "img":
				plain(attr(tok, "src"))
			case "ri:url":
				plain(attr(tok, "ri:value"))
			}
			if tt == html.SelfClosingTagToken || voidElements[tok.Data] {
				continue
			}
			f := &frame{name: tok.Data, hidden: hiddenElements[tok.Data]}
			switch tok.Data {
			case "ac:structured-macro", "ac:macro":
				f.macro, f.params = attr(tok, "ac:name"), map[string]string{}
			case "ac:parameter":
				f.param = attr(tok, "ac:name")
			case "ac:plain-text-body", "ac:rich-text-body":
				if m := nearest("ac:structured-macro", "ac:macro"); m != nil {
					m.body = m.body || tok.Data == "ac:plain-text-body"
					// A hidden excerpt is not shown on its page.
					f.hidden = m.macro == "excerpt" && strings.EqualFold(m.params["hidden"], "true")
				}
			}
			stack = append(stack, f)
		case html.EndTagToken:
			name := z.Token().Data
			if !inline(name) {
				flush()
			}
			for i := len(stack) - 1; i >= 0; i-- {
				if stack[i].name != name {
					continue
				}
				// A stray end tag closes nothing; a matching one closes the
				// elements left open inside it too.
				for j := len(stack) - 1; j >= i; j-- {
					closeFrame(stack[j])
				}
				stack = stack[:i]
				break
			}
		}
	}
}

// tokenText is the text of a text token from its raw bytes: a CDATA section
// as written, other text with its character references decoded.
func tokenText(raw []byte) string {
	s := string(raw)
	if body, ok := strings.CutPrefix(s, "<![CDATA["); ok {
		return strings.TrimSuffix(body, "]]>")
	}
	return html.UnescapeString(s)
}

// htmlText is the text an HTML fragment shows: its text nodes, space-separated.
func htmlText(markup string) string {
	z := html.NewTokenizer(strings.NewReader(markup))
	var b strings.Builder
	for tt := z.Next(); tt != html.ErrorToken; tt = z.Next() {
		if tt == html.TextToken {
			b.WriteString(tokenText(z.Raw()))
			b.WriteByte(' ')
		}
	}
	return b.String()
}

// plainURL returns the absolute URL of a URL written in the body, and false
// for empty values, same-page anchors and unsafe schemes.
func plainURL(raw string, base *url.URL) (string, bool) {
	raw = strings.TrimSpace(raw)
	if raw == "" || strings.HasPrefix(raw, "#") {
		return "", false
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "", false
	}
	switch strings.ToLower(u.Scheme) {
	case "javascript", "data", "vbscript":
		return "", false
	}
	if !u.IsAbs() && base != nil {
		u = base.ResolveReference(u)
	}
	return u.String(), true
}

// urlPattern matches URLs in running text. Words are counted without them
// (in the page and in the output alike): a URL is a link, counted as one,
// and the words of a link's URL must not stand in for lost link text.
var urlPattern = regexp.MustCompile(`(?i)\b(?:https?|ftp|mailto|file):[^\s<>"')\]]*`)

// words splits text into lower-case words: runs of letters and digits, with
// URLs removed first.
func words(text string) []string {
	text = urlPattern.ReplaceAllString(text, " ")
	return strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}

func attr(t html.Token, key string) string {
	for _, a := range t.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// targetName is a readable name of a link target for the report.
func targetName(t storage.LinkTarget) string {
	name := t.Title
	switch {
	case t.Kind == storage.LinkAttachment:
		name = t.Filename
	case t.Kind == storage.LinkSpace:
		name = t.SpaceKey
	case name == "":
		name = t.ContentID
	}
	return t.Kind.String() + " " + name
}
