package main

import (
	"cmp"
	"html"
	"net/url"
	"regexp"
	"slices"
	"strings"

	htmltomarkdown "github.com/JohannesKaufmann/html-to-markdown/v2"
	"github.com/JohannesKaufmann/html-to-markdown/v2/converter"

	"github.com/confluence-graph/confluence-graph/confluence/storage"
)

// Site is the fake tenant site every link target resolves to, and the base
// URL both converters make relative URLs absolute against.
const Site = "https://acme.atlassian.net"

// Resolve maps every link target to a deterministic absolute URL on Site, in
// the shapes Confluence uses (every target exists): pages and blog posts by
// id when the body gives one, else by space and title, spaces by key, attachments under the content that
// holds them ("current" for the page itself). Title and file name segments are
// path-escaped, so a converter must emit the URL as given (re-escaping a "%"
// loses the link).
func Resolve(t storage.LinkTarget) (string, bool) {
	esc := url.PathEscape
	space := esc(cmp.Or(t.SpaceKey, "DOC"))
	content := func(kind storage.LinkKind) string {
		switch {
		case t.ContentID != "": // the id names the content even when a (stale) title is written too
			return "pages/" + esc(t.ContentID)
		case kind == storage.LinkBlogPost:
			return "display/" + space + "/" + t.PostingDay + "/" + esc(t.Title)
		}
		return "display/" + space + "/" + esc(t.Title)
	}
	switch t.Kind {
	case storage.LinkPage, storage.LinkBlogPost, storage.LinkContent:
		return Site + "/wiki/" + content(t.Kind), true
	case storage.LinkSpace:
		return Site + "/wiki/spaces/" + space, true
	case storage.LinkAttachment:
		holder := "current"
		if t.Container != 0 {
			holder = content(t.Container)
		}
		return Site + "/wiki/download/attachments/" + holder + "/" + esc(t.Filename), true
	}
	return "", false
}

// Score is a retention count: Kept of Total.
type Score struct{ Kept, Total int }

// Add returns the sum of two scores.
func (s Score) Add(o Score) Score { return Score{s.Kept + o.Kept, s.Total + o.Total} }

// Percent is Kept as a share of Total, 100 for an empty Total.
func (s Score) Percent() float64 {
	if s.Total == 0 {
		return 100
	}
	return 100 * float64(s.Kept) / float64(s.Total)
}

// Result is what one converter's output keeps of a page.
type Result struct {
	Words, Links, Langs Score
	// LostLinks are the targets whose URL the output lacks; LostWords the
	// words it has fewer of than the page (sorted, once each); LostLangs the
	// code languages no fence line carries.
	LostLinks []Link
	LostWords []string
	LostLangs []string
	// Err is the converter's error; the output is then taken as empty.
	Err error
}

// Converter turns a storage-format body into Markdown.
type Converter struct {
	Name    string
	Convert func(doc string) (string, error)
}

// Converters are the two converters compared: ours (storage.ToMarkdown, with
// every link target resolved on Site) and html-to-markdown v2's default
// converter on the same XHTML, with Site as its domain for relative URLs.
func Converters() []Converter {
	opts := storage.Options{ResolveLink: Resolve, BaseURL: Site, JiraBaseURL: Site}
	return []Converter{
		{Name: "ours", Convert: func(doc string) (string, error) { return storage.ToMarkdown(doc, opts) }},
		{Name: "html-to-markdown", Convert: func(doc string) (string, error) {
			return htmltomarkdown.ConvertString(doc, converter.WithDomain(Site))
		}},
	}
}

// Measure scores a converter's output against the page. Words are compared
// as multisets (a word the page has three times counts three times and is
// kept as often as the output has it, at most three): a set would hide a
// lost paragraph whenever its words occur elsewhere on the page. A link is
// kept when its URL appears in the output with Markdown escapes, HTML
// entities and percent-escapes undone on both sides, not as the prefix of a
// longer URL. A code language is kept when a fence line (``` or ~~~, also
// inside quotes) names it, compared without case, once per code block.
func Measure(src Source, out string, err error) Result {
	if err != nil {
		out = ""
	}
	r := Result{Err: err}

	have := map[string]int{}
	for _, w := range words(markdownText(out)) {
		have[w]++
	}
	for w, n := range src.Words {
		k := min(n, have[w])
		r.Words = r.Words.Add(Score{k, n})
		if k < n {
			r.LostWords = append(r.LostWords, w)
		}
	}
	slices.Sort(r.LostWords)

	norm := normalize(out)
	for _, l := range src.Links {
		r.Links.Total++
		if containsURL(norm, normalize(l.URL)) {
			r.Links.Kept++
		} else {
			r.LostLinks = append(r.LostLinks, l)
		}
	}

	fences := map[string]int{}
	for _, m := range fencePattern.FindAllStringSubmatch(out, -1) {
		fences[strings.ToLower(m[1])]++
	}
	for _, lang := range src.Langs {
		r.Langs.Total++
		if fences[lang] > 0 {
			fences[lang]--
			r.Langs.Kept++
		} else {
			r.LostLangs = append(r.LostLangs, lang)
		}
	}
	return r
}

// markdownText is the text a Markdown document shows, as far as words go:
// outside fenced code blocks (where everything is literal) inline HTML tags
// are removed ("H<sub>2</sub>O" shows "H2O"; other tags such as <br>
// separate words) and character references are
// decoded, except after a backslash ("\<div>", "\&amp;" are literal).
func markdownText(md string) string {
	lines := strings.Split(md, "\n")
	var fence string
	for i, line := range lines {
		m := fenceLine.FindStringSubmatch(line)
		switch {
		case m != nil && fence == "":
			fence = m[1]
		case m != nil && m[1][0] == fence[0] && len(m[1]) >= len(fence) && strings.TrimSpace(m[2]) == "":
			fence = ""
		case fence == "":
			line = strings.ReplaceAll(line, `\<`, "\x00") // an escaped "<" opens no tag
			line = strings.ReplaceAll(inlineTag.ReplaceAllStringFunc(line, dropTag), "\x00", "<")
			lines[i] = html.UnescapeString(strings.ReplaceAll(line, `\&`, "&amp;"))
			continue
		default:
			continue // inside a code block: literal
		}
		lines[i] = "" // a fence and its info string are not shown
	}
	return strings.Join(lines, "\n")
}

// inlineTag matches an HTML tag or comment; group 1 is the tag's name.
var inlineTag = regexp.MustCompile(`<(?:/?([A-Za-z][A-Za-z0-9-]*)(?:\s[^<>]*)?/?|!--.*?--)>`)

// dropTag replaces an inlineTag match: an inline element's tag (or a
// comment) by nothing, any other tag by a space.
func dropTag(m string) string {
	if name := inlineTag.FindStringSubmatch(m)[1]; name != "" && !inlineElements[strings.ToLower(name)] {
		return " "
	}
	return ""
}

// fenceLine matches a line that opens or closes a fenced code block.
var fenceLine = regexp.MustCompile("^[ \t>]*(`{3,}|~{3,})(.*)$")

// fencePattern matches the opening fence of a code block and its info word.
var fencePattern = regexp.MustCompile("(?m)^[ \t>]*(?:`{3,}|~{3,})[ \t]*([^\\s`]+)")

// mdEscape matches a Markdown backslash escape of ASCII punctuation.
var mdEscape = regexp.MustCompile(`\\([!-/:-@\[-` + "`" + `{-~])`)

// normalize undoes Markdown escapes, HTML entities and percent-escapes, so a
// URL compares equal however a converter chose to write it.
func normalize(s string) string {
	return percentDecode(html.UnescapeString(mdEscape.ReplaceAllString(s, "$1")))
}

// percentDecode replaces every valid %XX escape by its byte and leaves
// anything else as it is.
func percentDecode(s string) string {
	if !strings.Contains(s, "%") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
			b.WriteByte(unhex(s[i+1])<<4 | unhex(s[i+2]))
			i += 2
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c <= 'F':
		return c - 'A' + 10
	}
	return c - 'a' + 10
}

// containsURL reports whether u occurs in text other than as the prefix of a
// longer URL (a trailing "/" alone does not make it longer; "#anchor" may
// follow, since the converter appends anchors).
func containsURL(text, u string) bool {
	if u == "" {
		return false
	}
	for i := 0; ; {
		j := strings.Index(text[i:], u)
		if j < 0 {
			return false
		}
		end := i + j + len(u)
		if !continuesURL(text[end:]) {
			return true
		}
		i += j + 1
	}
}

// continuesURL reports whether rest, the text after a URL match, continues
// that URL's path or query.
func continuesURL(rest string) bool {
	if rest == "" {
		return false
	}
	c := rest[0]
	switch {
	case isURLChar(c):
		return true
	case c == '/' || c == '.':
		return len(rest) > 1 && (isURLChar(rest[1]) || rest[1] == '/')
	}
	return false
}

func isURLChar(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("_~%+=&?-", c) >= 0
}
