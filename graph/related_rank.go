package graph

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/confluence-graph/confluence-graph/graph/model"
	"github.com/confluence-graph/confluence-graph/loaders"
)

// Scoring. A candidate's score is the sum of
//   - BM25 over its fields (title, labels, ancestors' titles, excerpt), with field weights, the
//     document frequencies taken over the candidates themselves, and each incident word weighed
//     by where it came from (alert name and service above the title, the title above the rest);
//   - fixed bonuses for the alert name found verbatim, error codes, hosts, the service, and
//     incident labels the page carries;
//   - for a post-incident review, a recency bonus decaying over reviewsWindow days;
//
// multiplied by a kind factor (operational documentation first). Every addend above
// minReason becomes a reason.
const (
	bm25K1 = 1.2
	bm25B  = 0.75

	bonusAlert   = 6.0
	bonusError   = 3.0
	bonusHost    = 2.0
	bonusService = 3.0
	bonusLabel   = 1.0
	bonusRecent  = 1.5
	minReason    = 0.05
)

// fieldWeights weigh a word found in each field.
var fieldWeights = [...]float64{fieldTitle: 3, fieldLabels: 2, fieldAncestors: 1, fieldExcerpt: 1}

const (
	fieldTitle = iota
	fieldLabels
	fieldAncestors
	fieldExcerpt
	numFields
)

var fieldNames = [...]string{fieldTitle: "title", fieldLabels: "labels", fieldAncestors: "ancestors", fieldExcerpt: "text"}

// kindFactor multiplies the score of each kind: what an on-call engineer acts on comes first.
var kindFactor = map[model.ContentKind]float64{
	model.ContentKindRunbook:      1.3,
	model.ContentKindKnownIssue:   1.3,
	model.ContentKindPostmortem:   1.2,
	model.ContentKindPlaybook:     1.15,
	model.ContentKindArchitecture: 1.0,
	model.ContentKindOther:        0.8,
}

// candidate is one distinct content hit with its scoring.
type candidate struct {
	hit     loaders.SearchHit
	fields  [numFields][]string
	kind    model.ContentKind
	score   float64
	reasons []*model.RelatedReason
	weights []float64 // reasons' weights, for ordering
	queries []queryRole
}

func (c *candidate) because(w float64, signal, detail string) {
	c.score += w
	if w >= minReason {
		c.reasons = append(c.reasons, &model.RelatedReason{Signal: signal, Detail: detail})
		c.weights = append(c.weights, w)
	}
}

func (c *candidate) toModel() *model.RelatedContent {
	h := c.hit
	var content model.Content = &model.Page{ID: h.ContentID, Title: h.Title, Partial: true}
	if h.Type == "blogpost" {
		content = asBlogPost(&model.Page{ID: h.ContentID, Title: h.Title, Partial: true})
	}
	return &model.RelatedContent{
		Content: content,
		Score:   math.Round(c.score*1000) / 1000, Kind: c.kind, Reasons: c.reasons, Excerpt: h.Excerpt,
		URL: h.URL, SpaceKey: h.SpaceKey, LastModified: timeOrNil(h.LastModified),
	}
}

// rank merges the hits of every query (deduplicated by content id) and scores them, best first;
// ties go to the most recently modified.
func rank(s signals, qs []query, hits [][]loaders.SearchHit, now time.Time) []*candidate {
	byID := map[string]*candidate{}
	var cs []*candidate
	for i, hs := range hits {
		for _, h := range hs {
			if h.ContentID == "" || (h.Type != "page" && h.Type != "blogpost") {
				continue
			}
			c := byID[h.ContentID]
			if c == nil {
				c = &candidate{hit: h}
				c.fields[fieldTitle] = words(h.Title)
				c.fields[fieldLabels] = words(strings.Join(h.Labels, " "))
				c.fields[fieldAncestors] = words(strings.Join(h.Ancestors, " "))
				c.fields[fieldExcerpt] = words(h.Excerpt)
				byID[h.ContentID] = c
				cs = append(cs, c)
			}
			if !slices.Contains(c.queries, qs[i].role) {
				c.queries = append(c.queries, qs[i].role)
			}
		}
	}
	weights := termWeights(s)
	avg := averageLengths(cs)
	df := documentFrequencies(s.terms, cs)
	for _, c := range cs {
		var why string
		c.kind, why = kindOf(c.hit)
		scoreTerms(c, s, weights, df, float64(len(cs)), avg)
		scoreSignals(c, s, qs)
		if c.kind == model.ContentKindPostmortem {
			if age := now.Sub(c.hit.LastModified).Hours() / 24; age >= 0 && age < reviewsWindow {
				c.because(bonusRecent*(1-age/reviewsWindow), "RECENT_REVIEW", fmt.Sprintf("review modified %d days before the incident", int(age)))
			}
		}
		f := kindFactor[c.kind]
		c.score *= f
		c.reasons = append(c.reasons, &model.RelatedReason{Signal: "KIND", Detail: fmt.Sprintf("%s: %s (x%.2f)", c.kind, why, f)})
		c.weights = append(c.weights, 0)
		sortReasons(c)
	}
	slices.SortStableFunc(cs, func(a, b *candidate) int {
		if a.score != b.score {
			if a.score > b.score {
				return -1
			}
			return 1
		}
		return b.hit.LastModified.Compare(a.hit.LastModified)
	})
	return cs
}

// termWeights weighs each incident word by its strongest source.
func termWeights(s signals) map[string]float64 {
	w := map[string]float64{}
	set := func(ws []string, v float64) {
		for _, t := range ws {
			w[t] = max(w[t], v)
		}
	}
	set(s.terms, 1)
	set(s.title, 1.3)
	set(s.svcWords, 1.6)
	set(s.alertParts, 1.6)
	return w
}

func averageLengths(cs []*candidate) [numFields]float64 {
	var avg [numFields]float64
	for _, c := range cs {
		for f := range numFields {
			avg[f] += float64(len(c.fields[f]))
		}
	}
	for f := range numFields {
		avg[f] = max(1, avg[f]/float64(max(1, len(cs))))
	}
	return avg
}

// documentFrequencies counts, per word, the candidates holding it in any field.
func documentFrequencies(terms []string, cs []*candidate) map[string]float64 {
	df := map[string]float64{}
	for _, c := range cs {
		for _, t := range terms {
			for f := range numFields {
				if count(c.fields[f], t) > 0 {
					df[t]++
					break
				}
			}
		}
	}
	return df
}

// scoreTerms adds BM25 per field for each incident word (n candidates, df per word), one reason
// per field listing the words found there.
func scoreTerms(c *candidate, s signals, weights, df map[string]float64, n float64, avg [numFields]float64) {
	for f := range numFields {
		var found []string
		total := 0.0
		for _, t := range s.terms {
			tf := float64(count(c.fields[f], t))
			if tf == 0 {
				continue
			}
			idf := math.Log(1 + (n-df[t]+0.5)/(df[t]+0.5))
			norm := 1 - bm25B + bm25B*float64(len(c.fields[f]))/avg[f]
			total += weights[t] * fieldWeights[f] * idf * tf * (bm25K1 + 1) / (tf + bm25K1*norm)
			found = append(found, t)
		}
		if len(found) > 0 {
			signal := "TEXT_TERMS"
			if f == fieldTitle {
				signal = "TITLE_TERMS"
			}
			c.because(total, signal, fmt.Sprintf("%s has %s", fieldNames[f], strings.Join(found, ", ")))
		}
	}
}

// scoreSignals adds the fixed bonuses: alert name, errors and hosts verbatim, service, labels.
func scoreSignals(c *candidate, s signals, qs []query) {
	hay := strings.ToLower(c.hit.Title + "\n" + c.hit.Excerpt + "\n" + strings.Join(c.hit.Labels, " "))
	seen := func(p string) bool { return containsPhrase(hay, p) }
	var verbatim []string
	for _, q := range qs {
		if q.role == roleVerbatim {
			verbatim = q.phrases
		}
	}
	fromVerbatim := slices.Contains(c.queries, roleVerbatim)
	credited := false
	if s.alert != "" && (seen(s.alert) || (fromVerbatim && len(verbatim) == 1)) {
		if c.kind == model.ContentKindPostmortem {
			// A review naming the alert tells what happened last time; the runbook or known
			// issue naming it tells what to do now, which on-call needs first.
			c.because(bonusAlert/2, "ALERT_NAME", "names alert "+s.alert+" (a review of an earlier firing)")
		} else {
			c.because(bonusAlert, "ALERT_NAME", "names alert "+s.alert)
		}
		credited = true
	}
	for _, e := range s.errors {
		if seen(e) {
			c.because(bonusError, "ERROR", "mentions "+e)
			credited = true
		}
	}
	for _, h := range s.hosts {
		if seen(h) {
			c.because(bonusHost, "HOST", "mentions host "+h)
			credited = true
		}
	}
	if fromVerbatim && !credited {
		// The search matched a phrase in the body outside the excerpt.
		c.because(bonusError, "VERBATIM", "the body has one of: "+strings.Join(verbatim, ", "))
	}
	if s.service != "" && len(s.svcWords) > 0 && containsWords(s.svcWords, c.fields[fieldTitle], c.fields[fieldLabels], c.fields[fieldExcerpt]) {
		c.because(bonusService, "SERVICE", "about service "+s.service)
	}
	for _, l := range s.labels {
		if slices.ContainsFunc(c.hit.Labels, func(x string) bool { return strings.EqualFold(x, l) }) {
			c.because(bonusLabel, "LABEL", "labelled "+l)
		}
	}
}

// containsPhrase reports whether the words of p occur next to each other in hay (both
// lowercased), the way a Confluence phrase search matches.
func containsPhrase(hay, p string) bool {
	pw := words(p)
	if len(pw) == 0 {
		return false
	}
	hw := words(hay)
	for i := 0; i+len(pw) <= len(hw); i++ {
		if slices.Equal(hw[i:i+len(pw)], pw) {
			return true
		}
	}
	return false
}

// containsWords reports whether one field holds the words ws next to each other.
func containsWords(ws []string, fields ...[]string) bool {
	for _, f := range fields {
		if containsPhrase(strings.Join(f, " "), strings.Join(ws, " ")) {
			return true
		}
	}
	return false
}

func count(ws []string, t string) int {
	n := 0
	for _, w := range ws {
		if w == t {
			n++
		}
	}
	return n
}

// sortReasons orders the reasons strongest first, the KIND reason last.
func sortReasons(c *candidate) {
	idx := make([]int, len(c.reasons))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int {
		switch {
		case c.weights[a] > c.weights[b]:
			return -1
		case c.weights[a] < c.weights[b]:
			return 1
		}
		return 0
	})
	rs := make([]*model.RelatedReason, len(idx))
	for i, j := range idx {
		rs[i] = c.reasons[j]
	}
	c.reasons = rs
}

var (
	pirTitle = regexp.MustCompile(`(?i)^(PIR|PM|INC)-?\d|post-?mortem|post-incident|incident review`)
	kindWord = []struct {
		kind model.ContentKind
		re   *regexp.Regexp
	}{
		{model.ContentKindKnownIssue, regexp.MustCompile(`(?i)\bknown[ -]?issues?\b`)},
		{model.ContentKindRunbook, regexp.MustCompile(`(?i)\brunbooks?\b|\bprocedure\b`)},
		{model.ContentKindPlaybook, regexp.MustCompile(`(?i)\bplaybooks?\b`)},
		{model.ContentKindArchitecture, regexp.MustCompile(`(?i)\barchitecture\b|\bdesign\b`)},
	}
	reviewAncestor = regexp.MustCompile(`(?i)post-?incident|post-?mortem|incident reviews?`)
	// sectionKinds are the titles of section pages whose descendants are of a kind (a page
	// under "Runbooks"; not a page under one runbook whose title says "procedure").
	sectionKinds = []struct {
		kind model.ContentKind
		re   *regexp.Regexp
	}{
		{model.ContentKindPostmortem, reviewAncestor},
		{model.ContentKindKnownIssue, regexp.MustCompile(`(?i)\bknown[ -]?issues\b`)},
		{model.ContentKindRunbook, regexp.MustCompile(`(?i)\brunbooks\b`)},
		{model.ContentKindPlaybook, regexp.MustCompile(`(?i)\bplaybooks\b`)},
		{model.ContentKindArchitecture, regexp.MustCompile(`(?i)^architecture\b|\barchitecture$`)},
	}
)

// kindOf classifies a hit and says why: by label first, then title pattern, then ancestors,
// then content type (a blog post in a reviews space is a review).
func kindOf(h loaders.SearchHit) (model.ContentKind, string) {
	for _, k := range []model.ContentKind{model.ContentKindPostmortem, model.ContentKindKnownIssue, model.ContentKindRunbook, model.ContentKindPlaybook, model.ContentKindArchitecture} {
		for _, l := range h.Labels {
			if slices.Contains(kindLabels[k], strings.ToLower(l)) {
				return k, "labelled " + l
			}
		}
	}
	if pirTitle.MatchString(h.Title) {
		return model.ContentKindPostmortem, "title reads like a review"
	}
	for _, kw := range kindWord {
		if m := kw.re.FindString(h.Title); m != "" {
			return kw.kind, fmt.Sprintf("title says %q", m)
		}
	}
	for i := len(h.Ancestors) - 1; i >= 0; i-- {
		for _, sec := range sectionKinds {
			if sec.re.MatchString(h.Ancestors[i]) {
				return sec.kind, fmt.Sprintf("under %q", h.Ancestors[i])
			}
		}
	}
	if h.Type == "blogpost" && reviewAncestor.MatchString(h.SpaceName) {
		return model.ContentKindPostmortem, fmt.Sprintf("blog post in %q", h.SpaceName)
	}
	return model.ContentKindOther, "no kind label, title pattern or section"
}
