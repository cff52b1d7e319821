package graph

import (
	"regexp"
	"slices"
	"strings"
	"unicode"

	"github.com/confluence-graph/confluence-graph/graph/model"
)

// Limits on an incident's fields. A longer description is not an error: its first
// descriptionUsed characters are read (the start of an alert or a channel holds the signal).
const (
	maxTitleLen     = 1000
	maxDescLen      = 1_000_000
	descriptionUsed = 4000
	maxFieldLen     = 500 // service, alert name, one label, one error message
	maxListLen      = 50  // labels, error messages
	maxTerms        = 12  // words sent in the any-word query
)

// signals is what an incident says, extracted for searching and scoring. Every slice holds
// lowercase, deduplicated words unless noted.
type signals struct {
	terms      []string // content words of title, description, service, labels, alert name parts
	title      []string // content words of the incident title alone (weighed higher)
	alert      string   // the alert name as given (trimmed), "" when none or only stop words
	alertParts []string
	service    string   // as given, trimmed
	svcWords   []string // service split into words
	hosts      []string // hostnames such as orders-db-1 or sentinel-0.example.net, lowercase
	errors     []string // error codes (ERR-4031, ORA-00060, 503) and error message phrases
	labels     []string // incident labels, lowercase
}

var (
	// hostPattern finds hostnames: a word with a dash or dot and a digit (orders-db-2, ip-10-0-4-11).
	hostPattern = regexp.MustCompile(`\b[a-zA-Z][a-zA-Z0-9]*(?:[-.][a-zA-Z0-9]+)+\b`)
	// codePattern finds error codes: LETTERS-digits, LETTERS_digits or a 3-digit HTTP status.
	codePattern = regexp.MustCompile(`\b(?:[A-Z][A-Z0-9]{1,9}[-_][0-9]{2,6}|[45][0-9]{2})\b`)
)

// validateIncident reports the first unusable field as a BAD_USER_INPUT error.
func validateIncident(in model.IncidentInput) error {
	switch {
	case len(in.Title) > maxTitleLen:
		return inputErrorf("incident.title", "title is %d characters; at most %d", len(in.Title), maxTitleLen)
	case in.Description != nil && len(*in.Description) > maxDescLen:
		return inputErrorf("incident.description", "description is %d characters; at most %d", len(*in.Description), maxDescLen)
	case in.Service != nil && len(*in.Service) > maxFieldLen:
		return inputErrorf("incident.service", "service is longer than %d characters", maxFieldLen)
	case in.AlertName != nil && len(*in.AlertName) > maxFieldLen:
		return inputErrorf("incident.alertName", "alertName is longer than %d characters", maxFieldLen)
	case len(in.Labels) > maxListLen || len(in.ErrorMessages) > maxListLen:
		return inputErrorf("incident", "labels and errorMessages take at most %d items each", maxListLen)
	}
	for _, s := range slices.Concat(in.Labels, in.ErrorMessages) {
		if len(s) > maxFieldLen {
			return inputErrorf("incident", "a label or error message is longer than %d characters", maxFieldLen)
		}
	}
	return nil
}

// extractSignals reads an incident. It never fails: an incident with no content word yields
// empty signals, which the caller reports.
func extractSignals(in model.IncidentInput) signals {
	var s signals
	desc := ""
	if in.Description != nil {
		desc = *in.Description
		if len(desc) > descriptionUsed {
			desc = desc[:descriptionUsed]
		}
	}
	if in.AlertName != nil {
		a := strings.TrimSpace(*in.AlertName)
		parts := contentWords(splitIdentifier(a))
		if len(parts) > 0 {
			s.alert, s.alertParts = a, parts
		}
	}
	if in.Service != nil {
		s.service = strings.TrimSpace(*in.Service)
		s.svcWords = contentWords(words(s.service))
	}
	for _, l := range in.Labels {
		if l = strings.ToLower(strings.TrimSpace(l)); l != "" && !slices.Contains(s.labels, l) {
			s.labels = append(s.labels, l)
		}
	}
	s.title = contentWords(splitIdentifiers(in.Title))
	free := in.Title + "\n" + desc + "\n" + strings.Join(in.ErrorMessages, "\n")
	for _, h := range hostPattern.FindAllString(free, -1) {
		if h = strings.ToLower(h); hasDigit(h) && !codePattern.MatchString(strings.ToUpper(h)) && !slices.Contains(s.hosts, h) {
			s.hosts = append(s.hosts, h)
		}
	}
	for _, c := range codePattern.FindAllString(free, -1) {
		if !slices.Contains(s.errors, c) {
			s.errors = append(s.errors, c)
		}
	}
	for _, m := range in.ErrorMessages {
		if m = strings.TrimSpace(m); len(words(m)) > 1 && len(m) <= 120 && !slices.Contains(s.errors, m) {
			s.errors = append(s.errors, m)
		}
	}
	// Order matters: the any-word query sends the first maxTerms, so the strongest come first.
	all := slices.Concat(s.alertParts, s.svcWords, s.title, contentWords(splitIdentifiers(desc)),
		contentWords(words(strings.Join(s.labels, " "))))
	for _, w := range all {
		if !slices.Contains(s.terms, w) {
			s.terms = append(s.terms, w)
		}
	}
	return s
}

// empty reports whether the incident gave nothing to search for.
func (s signals) empty() bool { return len(s.terms) == 0 && s.alert == "" && len(s.errors) == 0 }

// words splits s into lowercase runs of letters and digits (the way Confluence's index splits
// text: punctuation, dashes and underscores separate words).
func words(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// splitIdentifiers is words with CamelCase identifiers split too; a CamelCase word is kept
// whole as well (RedisPrimaryDown gives redisprimarydown, redis, primary, down).
func splitIdentifiers(s string) []string {
	var out []string
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		parts := splitCamel(f)
		if len(parts) > 1 {
			out = append(out, strings.ToLower(f))
		}
		for _, p := range parts {
			out = append(out, strings.ToLower(p))
		}
	}
	return out
}

// splitIdentifier splits one alert name (CamelCase, snake_case, kebab-case or dotted) into its
// lowercase words, without the whole name.
func splitIdentifier(s string) []string {
	var out []string
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		for _, p := range splitCamel(f) {
			out = append(out, strings.ToLower(p))
		}
	}
	return out
}

// splitCamel splits "RedisPrimaryDown" into Redis, Primary, Down and "HTTPErrorRate" into HTTP,
// Error, Rate; a word without case changes is returned alone.
func splitCamel(s string) []string {
	rs := []rune(s)
	var out []string
	start := 0
	for i := 1; i < len(rs); i++ {
		lowerToUpper := unicode.IsLower(rs[i-1]) && unicode.IsUpper(rs[i])
		acronymEnd := i+1 < len(rs) && unicode.IsUpper(rs[i-1]) && unicode.IsUpper(rs[i]) && unicode.IsLower(rs[i+1])
		letterDigit := unicode.IsLetter(rs[i-1]) != unicode.IsLetter(rs[i])
		if lowerToUpper || acronymEnd || letterDigit {
			out = append(out, string(rs[start:i]))
			start = i
		}
	}
	return append(out, string(rs[start:]))
}

// contentWords drops stop words, one-letter words and duplicates.
func contentWords(ws []string) []string {
	var out []string
	for _, w := range ws {
		if len([]rune(w)) < 2 || stopWords[w] || slices.Contains(out, w) {
			continue
		}
		out = append(out, w)
	}
	return out
}

func hasDigit(s string) bool { return strings.ContainsFunc(s, unicode.IsDigit) }

// stopWords are English function words and words every alert carries ("alert", "firing").
var stopWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`a an and are as at be been but by can could did do does for from had has have
		how i if in into is it its may me more most my no not of on or our out over so some such than that the their them
		then there these they this those to too under up us was we were what when where which while who why will with
		would you your after again all also any because before being between both down each few further here just off
		once only other own same should very s t am nor ours yourself
		alert alerts alerting firing fired fires triggered resolved warning critical page paged incident issue problem
		please help seeing seems started since still now currently`) {
		m[w] = true
	}
	// "down" is a signal in an alert name (RedisPrimaryDown, ServiceDown), not only prose.
	delete(m, "down")
	return m
}()
