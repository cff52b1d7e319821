package cql_test

import (
	"errors"
	"math/rand"
	"slices"
	"strings"
	"testing"
	"testing/quick"
	"time"

	"github.com/confluence-graph/confluence-graph/cql"
)

// titleRoundTrip builds title = s, prints it, parses it back and reports
// whether the result is one clause on title whose value is exactly s.
func titleRoundTrip(t *testing.T, s string) bool {
	t.Helper()
	q, err := cql.Build(cql.Field("title").Eq(cql.String(s)))
	if err != nil {
		t.Errorf("Build(title = %q): %v", s, err)
		return false
	}
	back, err := cql.Parse(q.String())
	if err != nil {
		t.Errorf("Parse(%q) (built from %q): %v", q.String(), s, err)
		return false
	}
	c, ok := back.Expr().(*cql.Clause)
	if !ok || c.Field != "title" || c.Op != cql.OpEq || len(c.Values) != 1 {
		t.Errorf("Parse(%q) = %#v, want one clause title = ...", q.String(), back.Expr())
		return false
	}
	l, ok := c.Values[0].(*cql.Literal)
	if !ok || l.Text != s {
		t.Errorf("value of %q = %#v, want %q", q.String(), c.Values[0], s)
		return false
	}
	return true
}

// TestBuildTitleRoundTrip is the injection property: for any string s,
// building title = s and parsing the printed query gives back one clause
// whose value is exactly s.
func TestBuildTitleRoundTrip(t *testing.T) {
	fixed := []string{
		"", " ", "a", `a" or type = page`, `a\" or type = page`, `a\`, `\`, `\\"`, `"`, `'`, `''`, `'" OR '1'='1`,
		"and", "OR", "not", "order by", "ORDER BY title", "in", "asc", "desc", ")", "(", "type = page) OR (title = x",
		"日本語", "Übersicht", "emoji 🙂", "tab\tnew\nline\r\n", "\x00", "\xff\xfe invalid utf8", "title = \"x\"",
		"~", "!~", "!=", "*", "?", "a,b", "now()", "currentUser()", "2024-01-31T09:30:00Z", "123", "-7d",
	}
	for _, s := range fixed {
		titleRoundTrip(t, s)
	}
	// Random strings weighted towards the characters that matter.
	alphabet := []rune("ab \"'\\(),=!~<>*?;+-:/.日🙂\n\tANDORNOTIN")
	gen := func(r *rand.Rand) string {
		n := r.Intn(24)
		rs := make([]rune, n)
		for i := range rs {
			rs[i] = alphabet[r.Intn(len(alphabet))]
		}
		return string(rs)
	}
	r := rand.New(rand.NewSource(20261125))
	for range 2000 {
		if !titleRoundTrip(t, gen(r)) {
			return
		}
	}
	// And testing/quick's own arbitrary strings.
	if err := quick.Check(func(s string) bool { return titleRoundTrip(t, s) }, &quick.Config{MaxCount: 2000}); err != nil {
		t.Error(err)
	}
}

// TestBuild checks builder output text and that it means what it says.
func TestBuild(t *testing.T) {
	since := time.Date(2026, 11, 1, 9, 30, 0, 0, time.UTC)
	tests := []struct {
		name  string
		expr  cql.Expr
		order []cql.OrderItem
		want  string
	}{
		{"product filter", cql.And(
			cql.Field("type").Eq(cql.String("page")),
			cql.Field("space").In(cql.Strings("OPS", "ENG")...),
			cql.Field("label").Eq(cql.String("runbook")),
			cql.Field("lastModified").Ge(cql.Now(cql.Days(-7))),
		), []cql.OrderItem{cql.Descending("lastModified")},
			`type = page AND space IN ("OPS", "ENG") AND label = runbook AND lastModified >= now("-7d") ORDER BY lastModified DESC`},
		{"nested or stays grouped", cql.And(cql.Field("type").Eq(cql.String("page")), cql.Or(cql.Field("label").Eq(cql.String("a")), cql.Field("label").Eq(cql.String("b")))),
			nil, `type = page AND (label = a OR label = b)`},
		{"not", cql.And(cql.Field("type").Eq(cql.String("page")), cql.Not(cql.Field("label").In(cql.String("draft")))),
			nil, `type = page AND NOT label IN ("draft")`},
		{"nil elements skipped", cql.And(nil, cql.Field("id").In(cql.Int(1), cql.Int(22)), nil), nil, `id IN (1, 22)`},
		{"dates", cql.And(cql.Field("created").Gt(cql.Date(since)), cql.Field("lastModified").Lt(cql.DateTime(since))),
			nil, `created > "2026-11-01" AND lastModified < "2026-11-01 09:30"`},
		{"date functions", cql.Or(cql.Field("created").Ge(cql.StartOfWeek(cql.Weeks(-1))), cql.Field("created").Le(cql.EndOfMonth(cql.Months(1))),
			cql.Field("created").Ge(cql.StartOfYear(cql.Years(-1))), cql.Field("created").Ge(cql.EndOfDay(cql.Hours(2))),
			cql.Field("created").Ge(cql.StartOfDay(cql.Minutes(-90))), cql.Field("created").Ge(cql.StartOfMonth()), cql.Field("created").Ge(cql.EndOfWeek()), cql.Field("created").Ge(cql.EndOfYear())),
			nil, `created >= startOfWeek("-1w") OR created <= endOfMonth("+1M") OR created >= startOfYear("-1y") OR created >= endOfDay("+2h") OR created >= startOfDay("-90m") OR created >= startOfMonth() OR created >= endOfWeek() OR created >= endOfYear()`},
		{"user and space functions", cql.And(cql.Field("creator").Eq(cql.CurrentUser()), cql.Field("space").In(cql.FavouriteSpaces(), cql.String("X")),
			cql.Field("space").NotIn(cql.RecentlyViewedSpaces(3)), cql.Field("id").In(cql.RecentlyViewedContent(10, 0)), cql.Field("space").Ne(cql.CurrentSpace())),
			nil, `creator = currentUser() AND space IN (favouriteSpaces(), "X") AND space NOT IN recentlyViewedSpaces(3) AND id IN recentlyViewedContent(10, 0) AND space != currentSpace()`},
		{"terms escape search syntax", cql.Field("text").Contains(cql.Terms(`deploy* "now" a~ C:\x`)), nil, `text ~ "deploy\\* \\\"now\\\" a\\~ C\\:\\\\x"`},
		{"phrase", cql.Field("text").Contains(cql.Phrase("deployment procedure")), nil, `text ~ "\"deployment procedure\""`},
		{"title contains and not contains", cql.And(cql.Field("title").Contains(cql.Terms("run")), cql.Field("title").NotContains(cql.Terms("draft"))),
			nil, `title ~ run AND title !~ draft`},
		{"field names are canonicalised", cql.Field("LASTMODIFIED").Gt(cql.Now()), []cql.OrderItem{cql.Ascending("Title")}, `lastModified > now() ORDER BY title ASC`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, err := cql.Build(tt.expr, tt.order...)
			if err != nil {
				t.Fatalf("Build: %v", err)
			}
			if got := q.String(); got != tt.want {
				t.Errorf("String() = %q, want %q", got, tt.want)
			}
			back, err := cql.Parse(q.String())
			if err != nil {
				t.Fatalf("Parse(%q): %v", q.String(), err)
			}
			if !cql.Equal(back, q) {
				t.Errorf("Parse(String()) is not Equal to the built query")
			}
		})
	}
}

// TestBuildTextSearchMeaning checks Terms and Phrase search what they say.
func TestBuildTextSearchMeaning(t *testing.T) {
	tests := []struct {
		name string
		v    cql.Value
		want []string
	}{
		{"terms", cql.Terms("Deployment   procedure"), []string{"101", "102", "103", "200", "201"}},
		{"phrase", cql.Phrase("deployment procedure"), []string{"101", "200", "201"}},
		{"a star is not a wildcard", cql.Terms("roll*"), []string{"101"}},
		{"a leading star is no error (the word deploy, stemmed)", cql.Terms("*deploy"), []string{"101", "102", "103", "200", "201"}},
		{"quotes inside a phrase", cql.Phrase(`roll "back`), []string{"101"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, err := cql.Build(cql.Field("text").Contains(tt.v))
			if err != nil {
				t.Fatal(err)
			}
			if got := matching(t, q, env()); !slices.Equal(got, tt.want) {
				t.Errorf("%s matches %v, want %v", q, got, tt.want)
			}
		})
	}
}

// TestBuildErrors checks Build applies Parse's checks.
func TestBuildErrors(t *testing.T) {
	tests := []struct {
		name  string
		expr  cql.Expr
		order []cql.OrderItem
		kind  cql.ErrorKind
		msg   string
	}{
		{"nothing", cql.And(), nil, cql.KindSyntax, "empty"},
		{"unknown field", cql.Field("titel").Eq(cql.String("x")), nil, cql.KindUnknownField, "No field exists with the name: 'titel'"},
		{"operator", cql.Field("space").Contains(cql.String("x")), nil, cql.KindOperator, "operator '~' is not supported for field 'space'"},
		{"empty IN", cql.Field("label").In(), nil, cql.KindSyntax, "expected a value after 'IN'"},
		{"empty terms", cql.Field("text").Contains(cql.Terms("  ")), nil, cql.KindEmptyText, "no word"},
		{"leading not", cql.And(cql.Not(cql.Field("label").Eq(cql.String("x"))), cql.Field("type").Eq(cql.String("page"))), nil, cql.KindSyntax, "cannot start with NOT"},
		{"two increments", cql.Field("created").Gt(cql.Now(cql.Days(1), cql.Days(2))), nil, cql.KindValue, "takes 0 to 1 arguments"},
		{"huge increment", cql.Field("created").Gt(cql.Now(cql.Days(-10000000))), nil, cql.KindValue, "invalid increment"},
		{"non-numeric id", cql.Field("id").In(cql.String("12a")), nil, cql.KindValue, "numeric content id"},
		{"bad date", cql.Field("created").Gt(cql.String("yesterday")), nil, cql.KindValue, "invalid date"},
		{"order by label", cql.Field("type").Eq(cql.String("page")), []cql.OrderItem{cql.Descending("label")}, cql.KindOperator, "ORDER BY is not supported"},
		{"nil value", cql.Field("type").Eq(nil), nil, cql.KindSyntax, "missing value"},
		{"nil operand", &cql.BinaryExpr{Op: cql.LogicAnd, X: cql.Field("type").Eq(cql.String("page"))}, nil, cql.KindSyntax, "both sides"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, err := cql.Build(tt.expr, tt.order...)
			var e *cql.Error
			if !errors.As(err, &e) {
				t.Fatalf("Build = %v, %v; want a *cql.Error", q, err)
			}
			if e.Kind != tt.kind || !strings.Contains(e.Message, tt.msg) {
				t.Errorf("error = %v (kind %v), want kind %v containing %q", err, e.Kind, tt.kind, tt.msg)
			}
			if e.Line != 0 || strings.Contains(err.Error(), " at line ") {
				t.Errorf("error %q has a position; built queries have none", err)
			}
		})
	}
}

// TestBuildCopiesInput checks Build does not share nodes with its input,
// so reusing another query's tree is safe.
func TestBuildCopiesInput(t *testing.T) {
	orig, err := cql.Parse(`TYPE = page AND title = x`)
	if err != nil {
		t.Fatal(err)
	}
	combined, err := cql.Build(cql.And(orig.Expr(), cql.Field("label").Eq(cql.String("y"))))
	if err != nil {
		t.Fatal(err)
	}
	orig.Expr().(*cql.BinaryExpr).Y.(*cql.Clause).Values[0].(*cql.Literal).Text = "changed"
	if got, want := combined.String(), `type = page AND title = x AND label = y`; got != want {
		t.Errorf("combined = %q, want %q", got, want)
	}
}

// TestQuote checks the exported quoting helper parses back.
func TestQuote(t *testing.T) {
	for _, s := range []string{"", `a"b\c`, "日本", "\xff"} {
		q, err := cql.Parse("title = " + cql.Quote(s))
		if err != nil {
			t.Fatalf("Parse(title = %s): %v", cql.Quote(s), err)
		}
		if got := q.Expr().(*cql.Clause).Values[0].(*cql.Literal).Text; got != s {
			t.Errorf("value = %q, want %q", got, s)
		}
	}
}
