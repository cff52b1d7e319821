package storage

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// collapseSpace turns every run of XML whitespace (and no-break spaces) into
// one space, as a browser displays it.
func collapseSpace(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		if r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\f' || r == '\u00a0' {
			if !space {
				b.WriteByte(' ')
			}
			space = true
			continue
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}

// escapeMarkdown escapes the characters of plain text that Markdown would
// otherwise read as markup. Line-start markers are handled by escapeLineStart.
func escapeMarkdown(s string) string {
	if !strings.ContainsAny(s, "\\`*_[]<>~&") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch r {
		case '\\', '`', '*', '[', ']':
			b.WriteByte('\\')
		case '_':
			// Intra-word underscores (snake_case) cannot open emphasis in GFM.
			prev, _ := utf8.DecodeLastRuneInString(s[:i])
			next, _ := utf8.DecodeRuneInString(s[i+size:])
			if !isWordRune(prev) || !isWordRune(next) {
				b.WriteByte('\\')
			}
		case '<':
			if i+1 < len(s) {
				c := s[i+1]
				if c == '/' || c == '!' || c == '?' || ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z') {
					b.WriteByte('\\')
				}
			}
		case '&':
			// Text that reads like an entity ("&amp;" written out) must not
			// be decoded by the Markdown renderer.
			if looksLikeEntity(s[i+1:]) {
				b.WriteByte('\\')
			}
		case '~':
			if strings.HasPrefix(s[i+1:], "~") || strings.HasSuffix(s[:i], "~") {
				b.WriteByte('\\')
			}
		}
		b.WriteString(s[i : i+size])
		i += size
	}
	return b.String()
}

// looksLikeEntity reports whether s starts with the rest of an entity
// reference: a name or #number followed by ';'.
func looksLikeEntity(s string) bool {
	for i := 0; i < len(s) && i < 33; i++ {
		c := s[i]
		switch {
		case c == ';':
			return i > 0
		case c == '#' && i == 0, ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z') || ('0' <= c && c <= '9'):
		default:
			return false
		}
	}
	return false
}

func isWordRune(r rune) bool {
	return r != utf8.RuneError && (unicode.IsLetter(r) || unicode.IsDigit(r))
}

// escapeLineStart escapes a paragraph line that Markdown would read as a
// heading, quote, list item, rule or fence.
func escapeLineStart(line string) string {
	if line == "" {
		return line
	}
	switch line[0] {
	case '#', '>', '=':
		return `\` + line
	case '-', '+', '*':
		if len(line) == 1 || line[1] == ' ' || line[1] == '\t' || strings.Trim(line, string(line[0])+" ") == "" {
			return `\` + line
		}
	case '~':
		if strings.HasPrefix(line, "~~~") {
			return `\` + line
		}
	}
	// "1. " or "1) " would start an ordered list.
	i := 0
	for i < len(line) && i < 10 && line[i] >= '0' && line[i] <= '9' {
		i++
	}
	if i > 0 && i < len(line) && (line[i] == '.' || line[i] == ')') && (i+1 == len(line) || line[i+1] == ' ') {
		return line[:i] + `\` + line[i:]
	}
	return line
}

// codeSpan renders s as an inline code span with a delimiter longer than any
// backtick run inside it.
func codeSpan(s string) string {
	if s == "" {
		return ""
	}
	fence := strings.Repeat("`", longestRun(s, '`')+1)
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") || (strings.HasPrefix(s, " ") && strings.HasSuffix(s, " ") && strings.TrimSpace(s) != "") {
		return fence + " " + s + " " + fence
	}
	return fence + s + fence
}

func longestRun(s string, c byte) int {
	best, cur := 0, 0
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			cur++
			if cur > best {
				best = cur
			}
		} else {
			cur = 0
		}
	}
	return best
}

// safeURL reports whether a link or image URL may be emitted: script and
// data URLs (except data:image) are dropped, keeping only their text, so the
// Markdown is safe to render.
func safeURL(u string) bool {
	s := strings.ToLower(strings.Map(func(r rune) rune {
		if r <= ' ' {
			return -1
		}
		return r
	}, u))
	switch {
	case strings.HasPrefix(s, "javascript:"), strings.HasPrefix(s, "vbscript:"), strings.HasPrefix(s, "file:"):
		return false
	case strings.HasPrefix(s, "data:"):
		return strings.HasPrefix(s, "data:image/") && !strings.HasPrefix(s, "data:image/svg")
	}
	return true
}

// escapeURL makes a URL safe inside a Markdown link destination.
func escapeURL(u string) string {
	return urlReplacer.Replace(strings.TrimSpace(u))
}

var urlReplacer = strings.NewReplacer(" ", "%20", "(", "%28", ")", "%29", "<", "%3C", ">", "%3E", "\n", "", "\r", "", "\t", "%09")
