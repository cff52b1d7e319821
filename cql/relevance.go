package cql

import (
	"math"
	"slices"
	"sort"
)

// Relevance, the order Confluence uses when a query has no ORDER BY. Confluence ranks text
// searches with a Lucene-style score; this package models the classic Lucene similarity, which
// is what a Confluence index of that lineage plausibly does, not more:
//
//	score(d) = coord(d) * sum over terms t matched by d of
//	           idf(t)^2 * (titleBoost*tf(t, title)*norm(title) + tf(t, text)*norm(text))
//
// where tf = sqrt(frequency), idf = 1 + ln(N/(df+1)) over the matched documents, norm =
// 1/sqrt(field length in words), coord = matched terms / all terms, and text is the body with
// the labels. Terms are the words and phrases of the positive text, title and siteSearch ~
// clauses; a query without any keeps the lastModified order. Ties keep that order too.
const titleBoost = 2.0

// SortRelevance orders docs as Confluence's search does: like Sort when the query has an ORDER
// BY or no text search, otherwise by descending relevance, equally relevant documents in
// Sort's default order.
func (q *Query) SortRelevance(docs []Document, env Env) {
	q.Sort(docs, env)
	if len(q.order) == 0 {
		if terms := q.relevanceTerms(); len(terms) > 0 {
			sortByRelevance(docs, terms)
		}
	}
}

// relevanceTerms returns the items of every positive text-search clause.
func (q *Query) relevanceTerms() []textItem {
	var out []textItem
	var walk func(x Expr, negated bool)
	walk = func(x Expr, negated bool) {
		switch x := x.(type) {
		case *BinaryExpr:
			walk(x.X, negated)
			walk(x.Y, negated)
		case *NotExpr:
			walk(x.X, !negated)
		case *Clause:
			if negated || x.Op != OpContains {
				return
			}
			if tq := q.text[x]; tq != nil {
				out = append(out, tq.items...)
			}
		}
	}
	walk(q.expr, false)
	return out
}

// sortByRelevance orders docs (already in lastModified order) by descending relevance.
func sortByRelevance(docs []Document, terms []textItem) {
	type fields struct{ title, text []string }
	fs := make([]fields, len(docs))
	df := make([]int, len(terms))
	for i, d := range docs {
		fs[i].title = titleTerms(d)
		fs[i].text = slices.Clip(textTerms(d)) // labels are appended to a copy, never to the document's terms
		for _, l := range d.Labels() {
			fs[i].text = append(fs[i].text, analyze(l)...)
		}
		for j := range terms {
			if terms[j].matchField(fs[i].title) || terms[j].matchField(fs[i].text) {
				df[j]++
			}
		}
	}
	n := float64(len(docs))
	score := make([]float64, len(docs))
	for i := range docs {
		matched, sum := 0, 0.0
		for j := range terms {
			tt, tx := occurrences(&terms[j], fs[i].title), occurrences(&terms[j], fs[i].text)
			if tt+tx == 0 {
				continue
			}
			matched++
			idf := 1 + math.Log(n/float64(df[j]+1))
			sum += idf * idf * (titleBoost*math.Sqrt(float64(tt))*lengthNorm(fs[i].title) + math.Sqrt(float64(tx))*lengthNorm(fs[i].text))
		}
		score[i] = sum * float64(matched) / float64(len(terms))
	}
	idx := make([]int, len(docs))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return score[idx[a]] > score[idx[b]] })
	sorted := make([]Document, len(docs))
	for i, j := range idx {
		sorted[i] = docs[j]
	}
	copy(docs, sorted)
}

func lengthNorm(ws []string) float64 { return 1 / math.Sqrt(float64(max(1, len(ws)))) }

// occurrences counts where an item matches in toks: each position for a word or wildcard
// term, each start for a phrase.
func occurrences(it *textItem, toks []string) int {
	if len(it.tokens) > 1 {
		c := 0
		for i := range toks {
			if it.matchField(toks[i:min(len(toks), i+len(it.tokens))]) {
				c++
			}
		}
		return c
	}
	c := 0
	for i := range toks {
		if it.matchField(toks[i : i+1]) {
			c++
		}
	}
	return c
}
