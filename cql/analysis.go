package cql

import (
	"strings"
	"sync"
	"unicode"

	"github.com/kljensen/snowball/english"
)

// English text analysis, the model of how Confluence indexes and queries text for ~ and !~.
// Confluence's search is built on Apache Lucene, and its documentation says what its analysis
// does: split text into words, remove "'s" from the ends of words, lower-case, remove common
// words such as "the" and "or", and reduce words to their stems ("fishing" and "fishes" both
// become "fish"). Both the indexed text and the query words go through the same analysis, so
// "deployment procedure" finds "deploying procedures".
//
// The stop words are Lucene's English set (StopAnalyzer.ENGLISH_STOP_WORDS_SET, the default of
// Lucene's EnglishAnalyzer and of Elasticsearch's "_english_" list). A removed stop word keeps
// its position, as Lucene's StopFilter does, so a phrase with a stop word inside ("failover of
// redis") matches any one word in that place. The stemmer is Snowball's English (Porter2)
// stemmer from github.com/kljensen/snowball; Lucene's EnglishAnalyzer uses the older Porter
// stemmer, which agrees with it on the common inflections (-s, -es, -ed, -ing, -ment, -ion).

// stopWords is Lucene's English stop word set.
var stopWords = map[string]bool{
	"a": true, "an": true, "and": true, "are": true, "as": true, "at": true, "be": true,
	"but": true, "by": true, "for": true, "if": true, "in": true, "into": true, "is": true,
	"it": true, "no": true, "not": true, "of": true, "on": true, "or": true, "such": true,
	"that": true, "the": true, "their": true, "then": true, "there": true, "these": true,
	"they": true, "this": true, "to": true, "was": true, "will": true, "with": true,
}

// Stem returns the index term text search uses for the word w: w lower-cased, without a
// possessive "'s", reduced to its English stem; "" for a stop word. Two words match in a
// text search exactly when their Stems are equal and not "".
func Stem(w string) string {
	w = strings.TrimSuffix(strings.ReplaceAll(strings.ToLower(w), "\u2019", "'"), "'s")
	if w == "" || stopWords[w] {
		return ""
	}
	return stem(w)
}

// stemCache remembers stems: searches in the simulator analyze every document's text for
// every query, and the vocabulary of a site is small. It stops growing at stemCacheMax words.
var (
	stemCache     sync.Map // string -> string
	stemCacheSize int
	stemCacheMu   sync.Mutex
)

const stemCacheMax = 1 << 17

func stem(w string) string {
	if s, ok := stemCache.Load(w); ok {
		return s.(string)
	}
	s := english.Stem(w, true)
	if s == "" {
		s = w
	}
	stemCacheMu.Lock()
	if stemCacheSize < stemCacheMax {
		stemCacheSize++
		stemCache.Store(w, s)
	}
	stemCacheMu.Unlock()
	return s
}

// analyze returns the index terms of s in order: Stem of each word of tokenize(s), with ""
// standing in for a stop word so that positions are kept.
func analyze(s string) []string {
	toks := tokenize(s)
	for i, t := range toks {
		toks[i] = Stem(t)
	}
	return toks
}

func isApostrophe(r rune) bool { return r == '\'' || r == '\u2019' }

// tokenize splits s into lowercase words: runs of letters, digits, marks and underscores; an
// apostrophe between two such runes stays inside the word ("o'neil", "redis's"), as in
// Lucene's standard tokenizer (a typographic apostrophe is read as ').
func tokenize(s string) []string {
	var toks []string
	var b strings.Builder
	rs := []rune(s)
	for i, r := range rs {
		if isWordRune(r) {
			b.WriteRune(unicode.ToLower(r))
			continue
		}
		if isApostrophe(r) && b.Len() > 0 && i+1 < len(rs) && isWordRune(rs[i+1]) {
			b.WriteRune('\'')
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

// IndexTerms returns the index terms of s as text ~ and title ~ compare them: each word lower-cased
// and stemmed, with "" standing in for a stop word.
func IndexTerms(s string) []string { return analyze(s) }

// AnalyzedDocument is a Document that keeps the index terms of its title and text, so that a
// text search need not analyze them again on every query, as a search index keeps them.
// TitleTerms must equal IndexTerms(Title()) and TextTerms IndexTerms(Text()); callers do not modify them.
type AnalyzedDocument interface {
	Document
	TitleTerms() []string
	TextTerms() []string
}

func titleTerms(d Document) []string {
	if a, ok := d.(AnalyzedDocument); ok {
		return a.TitleTerms()
	}
	return analyze(d.Title())
}

func textTerms(d Document) []string {
	if a, ok := d.(AnalyzedDocument); ok {
		return a.TextTerms()
	}
	return analyze(d.Text())
}
