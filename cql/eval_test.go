package cql_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/confluence-graph/confluence-graph/cql"
)

// matching returns the ids of the corpus documents q matches, in corpus
// order.
func matching(t *testing.T, q *cql.Query, e cql.Env) []string {
	t.Helper()
	var ids []string
	for _, d := range corpus() {
		ok, err := q.Match(d, e)
		if err != nil {
			t.Fatalf("Match(%s, %s): %v", q, d.id, err)
		}
		if ok {
			ids = append(ids, d.id)
		}
	}
	return ids
}

func sorted(t *testing.T, q *cql.Query, e cql.Env) []string {
	t.Helper()
	return sortedWith(t, q, e, q.Sort)
}

// sortedWith returns the ids of the corpus documents q matches, in the order sort gives them.
func sortedWith(t *testing.T, q *cql.Query, e cql.Env, sort func([]cql.Document, cql.Env)) []string {
	t.Helper()
	var docs []cql.Document
	for _, d := range corpus() {
		if ok, err := q.Match(d, e); err != nil {
			t.Fatal(err)
		} else if ok {
			docs = append(docs, d)
		}
	}
	sort(docs, e)
	ids := make([]string, len(docs))
	for i, d := range docs {
		ids[i] = d.ID()
	}
	return ids
}

// TestProductExamples runs the four CQL examples of the product's docs end
// to end: parse, print, evaluate, order.
func TestProductExamples(t *testing.T) {
	tests := []struct {
		name, in, printed string
		want              []string // in default order: lastModified desc, id desc
	}{
		{"recently modified pages", `type = page AND lastModified >= now('-7d')`, `type = page AND lastModified >= now("-7d")`, []string{"103", "101"}},
		{"pages in OPS", `space = OPS AND type = page`, `space = OPS AND type = page`, []string{"103", "101", "102", "100"}},
		{"runbook pages", `label = runbook AND type = page`, `label = runbook AND type = page`, []string{"101", "102", "200"}},
		{"deployment procedure", `text ~ "deployment procedure"`, `text ~ "deployment procedure"`, []string{"103", "101", "201", "102", "200"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, err := cql.Parse(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if got := q.String(); got != tt.printed {
				t.Errorf("String() = %q, want %q", got, tt.printed)
			}
			if got := sorted(t, q, env()); !slices.Equal(got, tt.want) {
				t.Errorf("matches = %v, want %v", got, tt.want)
			}
			reparsed, err := cql.Parse(q.String())
			if err != nil {
				t.Fatal(err)
			}
			if got := sorted(t, reparsed, env()); !slices.Equal(got, tt.want) {
				t.Errorf("matches of the printed query = %v, want %v", got, tt.want)
			}
		})
	}
}

// TestMatch checks the evaluator field by field, in corpus order.
func TestMatch(t *testing.T) {
	plus14 := time.FixedZone("UTC+14", 14*3600)
	tests := []struct {
		name string
		in   string
		env  func(cql.Env) cql.Env // nil: env() as is
		want []string
	}{
		{"space key is case-insensitive", `space = ops`, nil, []string{"100", "101", "102", "103"}},
		{"AND then OR, left to right", `type = page AND space = OPS OR type = blogpost`, nil, []string{"100", "101", "102", "103", "201"}},
		{"OR then AND, left to right (no precedence)", `type = blogpost OR type = page AND space = OPS`, nil, []string{"100", "101", "102", "103"}},
		{"parentheses group", `type = blogpost OR (type = page AND space = OPS)`, nil, []string{"100", "101", "102", "103", "201"}},
		{"NOT", `type = page AND NOT label = runbook`, nil, []string{"100", "103"}},
		{"ancestor at any depth", `ancestor = 100`, nil, []string{"101", "102", "103"}},
		{"parent is direct only", `parent = 100`, nil, []string{"101", "103"}},
		{"parent in", `parent in (100, 201)`, nil, []string{"101", "103", "202"}},
		{"id in", `id in (101, 200)`, nil, []string{"101", "200"}},
		{"content alias", `content = 102`, nil, []string{"102"}},
		{"recently viewed content limit", `id in recentlyViewedContent(2)`, nil, []string{"102", "200"}},
		{"recently viewed content offset", `id in recentlyViewedContent(1, 2)`, nil, []string{"101"}},
		{"recently viewed content past end", `id in recentlyViewedContent(5, 9)`, nil, nil},
		{"creator is current user", `creator = currentUser()`, nil, []string{"100", "102", "201"}},
		{"creator is not current user", `creator != currentUser()`, nil, []string{"101", "103", "200", "202"}},
		{"currentUser unbound matches nothing", `creator = currentUser()`, func(e cql.Env) cql.Env { e.CurrentUser = ""; return e }, nil},
		{"negated unbound currentUser matches all", `creator != currentUser()`, func(e cql.Env) cql.Env { e.CurrentUser = ""; return e }, []string{"100", "101", "102", "103", "200", "201", "202"}},
		{"contributor", `contributor = currentUser()`, nil, []string{"100", "101", "102", "201"}},
		{"mention", `mention = currentUser()`, nil, []string{"101"}},
		{"watcher in", `watcher in (currentUser(), "` + bob + `")`, nil, []string{"101", "200"}},
		{"favourite by account id", `favourite = "` + bob + `"`, nil, []string{"102"}},
		{"label not in", `label not in (runbook, draft)`, nil, []string{"100", "201", "202"}},
		{"label not equal", `label != runbook`, nil, []string{"100", "103", "201", "202"}},
		{"macro case-insensitive", `macro = JIRA`, nil, []string{"101"}},
		{"type in", `type in (blogpost, comment)`, nil, []string{"201", "202"}},
		{"favourite spaces", `space in favouriteSpaces()`, nil, []string{"200", "201", "202"}},
		{"favourite spaces and keys", `space in (favouriteSpaces(), "NOPE") AND type = page`, nil, []string{"200"}},
		{"recently viewed spaces", `space in recentlyViewedSpaces(1)`, nil, []string{"100", "101", "102", "103"}},
		{"not in recently viewed spaces", `space not in recentlyViewedSpaces(2)`, nil, nil},
		{"current space", `space = currentSpace() AND type = page`, nil, []string{"100", "101", "102", "103"}},
		{"space.key", `space.key = eng`, nil, []string{"200", "201", "202"}},
		{"unknown space key matches nothing", `space = NOPE`, nil, nil},
		// Dates: the clock is Wednesday 2026-11-25 12:00 UTC.
		{"startOfDay with increment", `type = page AND created >= startOfDay("-5d")`, nil, []string{"103"}},
		{"now with hours", `lastModified > now("-36h")`, nil, []string{"103"}},
		{"endOfDay with increment", `created <= endOfDay("-4d")`, nil, []string{"100", "101", "102", "103", "200"}},
		{"startOfWeek is Sunday", `created >= startOfWeek()`, nil, []string{"201", "202"}},
		{"endOfWeek last week", `created > endOfWeek("-1w")`, nil, []string{"201", "202"}},
		{"startOfMonth", `lastModified >= startOfMonth()`, nil, []string{"101", "102", "103", "200", "201", "202"}},
		{"endOfMonth previous", `lastModified <= endOfMonth("-1M")`, nil, []string{"100"}},
		{"startOfYear", `created < startOfYear()`, nil, []string{"100"}},
		{"now weeks", `created >= now("-4w")`, nil, []string{"103", "201", "202"}},
		{"date literal equals the whole day", `created = "2026-11-22"`, nil, []string{"201", "202"}},
		{"date literal not equal", `type = comment OR created != 2026-11-22`, nil, []string{"100", "101", "102", "103", "200", "202"}},
		{"after a day is after its end", `lastModified > "2026-11-22"`, nil, []string{"101", "103"}},
		{"from a day includes it", `lastModified >= "2026/11/22"`, nil, []string{"101", "103", "201", "202"}},
		{"before a day", `lastModified < "2026-11-22"`, nil, []string{"100", "102", "200"}},
		{"up to a day includes it", `lastModified <= 2026-11-22`, nil, []string{"100", "102", "200", "201", "202"}},
		{"date-time equals the minute", `lastModified = "2026-11-22 12:00"`, nil, []string{"201", "202"}},
		{"date-time next minute", `lastModified = "2026/11/22 12:01"`, nil, nil},
		{"date literal in site zone (day differs)", `created = "2026-11-22"`, func(e cql.Env) cql.Env { e.Location = plus14; return e }, nil},
		{"date literal in site zone (next day)", `created = "2026-11-23"`, func(e cql.Env) cql.Env { e.Location = plus14; return e }, []string{"201", "202"}},
		{"startOfDay at 01:00 UTC", `lastModified >= startOfDay("-1d")`, at0100, []string{"103"}},
		{"startOfDay at 01:00 UTC is yesterday 15:00 in UTC-10", `lastModified >= startOfDay("-1d")`,
			func(e cql.Env) cql.Env { e = at0100(e); e.Location = time.FixedZone("UTC-10", -10*3600); return e }, []string{"101", "103"}},
		{"zero Env uses the real clock", `lastModified <= now()`, func(cql.Env) cql.Env { return cql.Env{} }, []string{"100", "101", "102", "103", "200", "201", "202"}},
		// Titles and text.
		{"title equals, case-insensitive", `title = "deployment runbook"`, nil, []string{"101"}},
		{"title not equal", `type = page AND title != "Deployment Runbook"`, nil, []string{"100", "102", "103", "200"}},
		{"title in", `title in ("Draft notes", "Release 2.0")`, nil, []string{"103", "201"}},
		{"title contains searches titles only", `title ~ deployment`, nil, []string{"101"}},
		{"title contains every term", `title ~ "runbook incident"`, nil, []string{"102"}},
		{"title does not contain", `type = page AND title !~ runbook`, nil, []string{"100", "103", "200"}},
		{"text searches title, body and labels", `text ~ runbook`, nil, []string{"101", "102", "200"}},
		{"text terms are case-insensitive", `text ~ "ROLL"`, nil, []string{"101"}},
		{"every term must match", `text ~ "welcome operations"`, nil, []string{"100"}},
		{"quoted phrase", `text ~ "\"deployment procedure\""`, nil, []string{"101", "200", "201"}},
		{"phrase across punctuation", `text ~ "\"build tag\""`, nil, []string{"101"}},
		{"phrase and term", `text ~ "\"roll back\" alarms"`, nil, []string{"101"}},
		{"wildcard star", `text ~ "deploy*"`, nil, []string{"101", "102", "103", "200", "201"}},
		{"wildcard question mark", `text ~ "roll?ack"`, nil, []string{"102"}},
		{"escaped wildcard is punctuation: the word deployment, stemmed", `text ~ "deployment\\*"`, nil, []string{"101", "102", "103", "200", "201"}},
		{"wildcard is matched against stems: deployment* misses deploy", `text ~ "deployment*"`, nil, nil},
		{"fuzzy", `text ~ "procedur~"`, nil, []string{"101", "102", "103", "200", "201"}},
		{"fuzzy zero is exact, unstemmed, against stems", `text ~ "procedur~0"`, nil, []string{"101", "102", "103", "200", "201"}},
		{"fuzzy terms are not stemmed", `text ~ "procedures~0"`, nil, nil},
		{"does not contain", `text !~ deployment`, nil, []string{"100", "202"}},
		{"siteSearch is text", `siteSearch ~ "nice"`, nil, []string{"202"}},
		{"injection attempt is one title", `title = "a\" or type = page"`, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, err := cql.Parse(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			e := env()
			if tt.env != nil {
				e = tt.env(e)
			}
			if got := matching(t, q, e); !slices.Equal(got, tt.want) {
				t.Errorf("%s matches %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

// at0100 moves the clock to 01:00 UTC on the same day.
func at0100(e cql.Env) cql.Env {
	e.Now = func() time.Time { return time.Date(2026, 11, 25, 1, 0, 0, 0, time.UTC) }
	return e
}

// TestMatchUnsupportedField checks fields a Document cannot answer are a
// KindUnsupported error, not a silent false.
func TestMatchUnsupportedField(t *testing.T) {
	q, err := cql.Parse(`type = page AND pageStatus = "Rough draft"`)
	if err != nil {
		t.Fatal(err)
	}
	_, err = q.Match(corpus()[0], env())
	var e *cql.Error
	if !errors.As(err, &e) || e.Kind != cql.KindUnsupported || e.Field != "pageStatus" {
		t.Fatalf("Match error = %v, want KindUnsupported on pageStatus", err)
	}
	if got, want := e.Column, 17; got != want {
		t.Errorf("column = %d, want %d", got, want)
	}
}

// TestSort checks ORDER BY and the default order.
func TestSort(t *testing.T) {
	tests := []struct {
		name, in string
		want     []string
	}{
		{"default is lastModified desc then id desc", `space != NOPE`, []string{"103", "101", "202", "201", "102", "200", "100"}},
		{"title", `type = page ORDER BY title`, []string{"101", "103", "200", "102", "100"}},
		{"space then created desc", `type = page ORDER BY space, created DESC`, []string{"200", "103", "102", "101", "100"}},
		{"id desc", `space = OPS ORDER BY id DESC`, []string{"103", "102", "101", "100"}},
		{"lastModified asc", `space = ENG ORDER BY lastModified ASC`, []string{"200", "201", "202"}},
		{"stable on ties", `space != NOPE ORDER BY type`, []string{"201", "202", "100", "101", "102", "103", "200"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, err := cql.Parse(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if got := sorted(t, q, env()); !slices.Equal(got, tt.want) {
				t.Errorf("order = %v, want %v", got, tt.want)
			}
		})
	}
}

// TestSortIDsNumerically checks "99" sorts before "100".
func TestSortIDsNumerically(t *testing.T) {
	q, err := cql.Parse(`type = page ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	docs := []cql.Document{&doc{id: "100"}, &doc{id: "99"}, &doc{id: "1000"}}
	q.Sort(docs, cql.Env{})
	var got []string
	for _, d := range docs {
		got = append(got, d.ID())
	}
	if want := []string{"99", "100", "1000"}; !slices.Equal(got, want) {
		t.Errorf("order = %v, want %v", got, want)
	}
}
