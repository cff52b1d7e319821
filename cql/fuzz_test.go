package cql_test

import (
	"errors"
	"testing"

	"github.com/confluence-graph/confluence-graph/cql"
)

// FuzzParse checks Parse never panics, fails only with *cql.Error, and
// that every query it accepts prints to text that parses back to an equal
// query which prints the same way; Match and Sort must not panic either.
func FuzzParse(f *testing.F) {
	seeds := []string{
		`type = page AND lastModified >= now('-7d')`,
		`space = OPS AND type = page`,
		`label = runbook AND type = page`,
		`text ~ "deployment procedure"`,
		`text ~ "\"a b\""`,
		`title = "a\" or type = page"`,
		`space IN (favouriteSpaces(), 'FS', 'TS') ORDER BY title DESC, created`,
		`id in recentlyViewedContent(10, 0)`,
		`type = page and (label not in (a, b) or NOT creator = currentUser())`,
		`created > "2014/09/01 10:00" AND created < 2014-09-02`,
		`text ~ "dep* te?t roam~"`,
		`created > startOfDay("-7d") OR created > endOfWeek("-1w")`,
		`title = 'it\'s' ORDER BY lastmodified`,
		`(type = page`,
		`tilte = x`,
		`created > 2024-01-01T10:00:00Z`,
		`text ~ ""`,
		"type = page\nAND\tspace = \"日本\"",
		`a = b c`,
	}
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q, err := cql.Parse(s)
		if err != nil {
			var e *cql.Error
			if !errors.As(err, &e) {
				t.Fatalf("Parse(%q) error %T, want *cql.Error", s, err)
			}
			if e.Line < 1 || e.Column < 1 || e.Offset < 0 || e.Offset > len(s) {
				t.Fatalf("Parse(%q) error position %d:%d (offset %d) is outside the input", s, e.Line, e.Column, e.Offset)
			}
			return
		}
		printed := q.String()
		back, err := cql.Parse(printed)
		if err != nil {
			t.Fatalf("Parse(%q) ok, but its printed form %q fails: %v", s, printed, err)
		}
		if !cql.Equal(back, q) {
			t.Fatalf("Parse(%q) printed as %q parses to a different query %q", s, printed, back)
		}
		if again := back.String(); again != printed {
			t.Fatalf("printing is not stable: %q then %q", printed, again)
		}
		d := corpus()[1]
		if _, err := q.Match(d, env()); err != nil {
			var e *cql.Error
			if !errors.As(err, &e) || e.Kind != cql.KindUnsupported {
				t.Fatalf("Match(%q) error %v, want nil or KindUnsupported", printed, err)
			}
		}
		q.Sort([]cql.Document{corpus()[0], d}, env())
	})
}
