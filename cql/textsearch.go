package cql

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"
)

// textQuery is a compiled text search (the value of ~ or !~), following
// Confluence's text-search rules: whitespace-separated terms and double-quoted
// phrases, case-insensitive, analysed as English (analysis.go: stop words
// ignored, words stemmed), every one must match. A search whose words are all
// stop words has no items and matches nothing.
type textQuery struct {
	items []textItem
}

// textItem is one term or phrase.
type textItem struct {
	tokens   []string // index terms (analyze); more than one is a phrase, in which "" stands for any one word
	wildcard []rune   // lowercase pattern with '*' and '?' (set for wildcard terms), matched against index terms
	fuzzy    int      // maximum edit distance for "term~" (raw terms only)
	raw      bool     // tokens[0] is the lowercase, unstemmed word of "term~" or "term~0", matched against index terms
}

// compileText parses a text search. It returns a *Error without position
// (the caller adds it) when the search has no word (only punctuation or
// nothing) or a term starts with a wildcard.
func compileText(s string) (*textQuery, *Error) {
	q := &textQuery{}
	words := false
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
			terms := analyze(b.String())
			words = words || len(terms) > 0
			if terms = trimGaps(terms); len(terms) > 0 {
				q.items = append(q.items, textItem{tokens: terms})
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
		item, hasWord, err := compileTerm(raw, escaped)
		if err != nil {
			return nil, err
		}
		words = words || hasWord
		if item != nil {
			q.items = append(q.items, *item)
		}
	}
	if !words {
		return nil, &Error{Kind: KindEmptyText, Message: fmt.Sprintf("the text search %s has no word to look for; give at least one word", quote(s))}
	}
	return q, nil
}

// trimGaps drops the stop words' places at both ends of a phrase: they
// constrain nothing.
func trimGaps(terms []string) []string {
	for len(terms) > 0 && terms[0] == "" {
		terms = terms[1:]
	}
	for len(terms) > 0 && terms[len(terms)-1] == "" {
		terms = terms[:len(terms)-1]
	}
	return terms
}

// compileTerm turns one unquoted term into an item: nil if it holds no word
// (only punctuation) or only stop words; hasWord reports whether it held a
// word at all. Wildcard and fuzzy terms are not analysed (as in Lucene, they
// are compared with the stemmed index terms); other terms are.
func compileTerm(raw []rune, escaped []bool) (item *textItem, hasWord bool, err *Error) {
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
				return nil, false, &Error{Kind: KindValue, Message: fmt.Sprintf("the text search term %s starts with a wildcard; put at least one character before '%c'", quote(string(raw)), r)}
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
		return &textItem{wildcard: pat}, true, nil
	}
	toks := tokenize(string(raw))
	if len(toks) == 0 {
		return nil, false, nil
	}
	if len(toks) == 1 && fuzzy != 0 {
		return &textItem{tokens: toks, fuzzy: max(fuzzy, 0), raw: true}, true, nil
	}
	if terms := trimGaps(analyze(string(raw))); len(terms) > 0 {
		return &textItem{tokens: terms}, true, nil
	}
	return nil, true, nil
}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r) || r == '_'
}

// match reports whether every item occurs in one of fields (each an
// analysed source: title, body, one label). A query without items (only stop
// words) matches nothing.
func (q *textQuery) match(fields [][]string) bool {
	if len(q.items) == 0 {
		return false
	}
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
			if t != "" && globMatch(it.wildcard, []rune(t)) {
				return true
			}
		}
		return false
	case it.raw:
		w := it.tokens[0]
		for _, t := range toks {
			if t != "" && (t == w || (it.fuzzy > 0 && editDistance(t, w) <= it.fuzzy)) {
				return true
			}
		}
		return false
	case len(it.tokens) == 1:
		return slices.Contains(toks, it.tokens[0])
	}
	n := len(it.tokens)
outer:
	for i := 0; i+n <= len(toks); i++ {
		for j, w := range it.tokens {
			if w != "" && toks[i+j] != w {
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
