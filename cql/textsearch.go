package cql

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
)

// textQuery is a compiled text search (the value of ~ or !~), following
// Confluence's text-search rules: whitespace-separated terms and double-quoted
// phrases, case-insensitive, every one must match.
type textQuery struct {
	items []textItem
}

// textItem is one term or phrase.
type textItem struct {
	tokens   []string // lowercase words; more than one is a phrase
	wildcard []rune   // lowercase pattern with '*' and '?' (set for wildcard terms)
	fuzzy    int      // maximum edit distance for "term~" (0: exact)
}

// compileText parses a text search. It returns a *Error without position
// (the caller adds it) when the search has no term or a term starts with
// a wildcard.
func compileText(s string) (*textQuery, *Error) {
	q := &textQuery{}
	rs := []rune(s)
	for i := 0; i < len(rs); {
		r := rs[i]
		if unicode.IsSpace(r) {
			i++
			continue
		}
		if r == '"' {
			var b strings.Builder
			i++
			for i < len(rs) && rs[i] != '"' {
				if rs[i] == '\\' && i+1 < len(rs) {
					i++
				}
				b.WriteRune(rs[i])
				i++
			}
			i++ // closing quote, if any
			if toks := tokenize(b.String()); len(toks) > 0 {
				q.items = append(q.items, textItem{tokens: toks})
			}
			continue
		}
		// A term: runes up to whitespace or a quote; escaped runes are literal.
		var raw []rune
		var escaped []bool
		for i < len(rs) && !unicode.IsSpace(rs[i]) && rs[i] != '"' {
			esc := false
			if rs[i] == '\\' && i+1 < len(rs) {
				i++
				esc = true
			}
			raw = append(raw, rs[i])
			escaped = append(escaped, esc)
			i++
		}
		item, err := compileTerm(raw, escaped)
		if err != nil {
			return nil, err
		}
		if item != nil {
			q.items = append(q.items, *item)
		}
	}
	if len(q.items) == 0 {
		return nil, &Error{Kind: KindEmptyText, Message: fmt.Sprintf("the text search %s has no word to look for; give at least one word", quote(s))}
	}
	return q, nil
}

// compileTerm turns one unquoted term into an item; nil if it holds no
// word (only punctuation).
func compileTerm(raw []rune, escaped []bool) (*textItem, *Error) {
	fuzzy := 0
	// "roam~" or "roam~1": fuzzy match.
	for j := len(raw) - 1; j >= 0; j-- {
		if raw[j] == '~' && !escaped[j] {
			suffix := string(raw[j+1:])
			if n, err := strconv.Atoi(suffix); suffix == "" || (err == nil && n >= 0 && n <= 2) {
				fuzzy = 2
				if suffix != "" {
					fuzzy = n
				}
				if fuzzy == 0 {
					fuzzy = -1 // "~0": exact
				}
				raw, escaped = raw[:j], escaped[:j]
			}
			break
		}
		if !unicode.IsDigit(raw[j]) {
			break
		}
	}
	wild := false
	for j, r := range raw {
		if (r == '*' || r == '?') && !escaped[j] {
			if j == 0 {
				return nil, &Error{Kind: KindValue, Message: fmt.Sprintf("the text search term %s starts with a wildcard; put at least one character before '%c'", quote(string(raw)), r)}
			}
			wild = true
		}
	}
	if wild {
		pat := make([]rune, 0, len(raw))
		for j, r := range raw {
			switch {
			case (r == '*' || r == '?') && !escaped[j]:
				pat = append(pat, r)
			case isWordRune(r):
				pat = append(pat, unicode.ToLower(r))
			case escaped[j] && (r == '*' || r == '?'):
				// An escaped wildcard is a literal character no word holds.
				pat = append(pat, unicode.ReplacementChar)
			}
		}
		return &textItem{wildcard: pat}, nil
	}
	toks := tokenize(string(raw))
	switch len(toks) {
	case 0:
		return nil, nil
	case 1:
		if fuzzy < 0 {
			fuzzy = 0
		}
		return &textItem{tokens: toks, fuzzy: fuzzy}, nil
	}
	return &textItem{tokens: toks}, nil
}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r) || r == '_'
}

// tokenize splits s into lowercase words: runs of letters, digits, marks
// and underscores.
func tokenize(s string) []string {
	var toks []string
	var b strings.Builder
	for _, r := range s {
		if isWordRune(r) {
			b.WriteRune(unicode.ToLower(r))
			continue
		}
		if b.Len() > 0 {
			toks = append(toks, b.String())
			b.Reset()
		}
	}
	if b.Len() > 0 {
		toks = append(toks, b.String())
	}
	return toks
}

// match reports whether every item occurs in one of fields (each a
// tokenized source: title, body, one label).
func (q *textQuery) match(fields [][]string) bool {
	for _, it := range q.items {
		found := false
		for _, f := range fields {
			if it.matchField(f) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

func (it *textItem) matchField(toks []string) bool {
	switch {
	case it.wildcard != nil:
		for _, t := range toks {
			if globMatch(it.wildcard, []rune(t)) {
				return true
			}
		}
		return false
	case len(it.tokens) == 1:
		w := it.tokens[0]
		for _, t := range toks {
			if t == w || (it.fuzzy > 0 && editDistance(t, w) <= it.fuzzy) {
				return true
			}
		}
		return false
	}
	n := len(it.tokens)
outer:
	for i := 0; i+n <= len(toks); i++ {
		for j := range n {
			if toks[i+j] != it.tokens[j] {
				continue outer
			}
		}
		return true
	}
	return false
}

// globMatch matches s against pat, where '*' is any run of runes and '?'
// exactly one rune.
func globMatch(pat, s []rune) bool {
	p, i := 0, 0
	star, mark := -1, 0
	for i < len(s) {
		switch {
		case p < len(pat) && (pat[p] == '?' || pat[p] == s[i]):
			p++
			i++
		case p < len(pat) && pat[p] == '*':
			star, mark = p, i
			p++
		case star >= 0:
			p = star + 1
			mark++
			i = mark
		default:
			return false
		}
	}
	for p < len(pat) && pat[p] == '*' {
		p++
	}
	return p == len(pat)
}
