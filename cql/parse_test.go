package cql_test

import (
	"testing"

	"github.com/confluence-graph/confluence-graph/cql"
)

// TestParseReferenceExamples parses the examples of Confluence's CQL
// documentation (and the product's own four), checks the canonical text, and
// checks that the canonical text parses back to an equal query.
func TestParseReferenceExamples(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		// The product's own examples.
		{"recently modified pages", `type = page AND lastModified >= now('-7d')`, `type = page AND lastModified >= now("-7d")`},
		{"pages in a space", `space = OPS AND type = page`, `space = OPS AND type = page`},
		{"runbook pages", `label = runbook AND type = page`, `label = runbook AND type = page`},
		{"text search", `text ~ "deployment procedure"`, `text ~ "deployment procedure"`},
		// Grammar.
		{"lowercase keywords", `type = page and space = OPS or label = x`, `type = page AND space = OPS OR label = x`},
		{"mixed-case keywords", `type = page AnD NoT label In (a) oRdEr By title AsC`, `type = page AND NOT label IN ("a") ORDER BY title ASC`},
		{"parentheses kept on the right", `type = page AND (space = A OR space = B)`, `type = page AND (space = A OR space = B)`},
		{"parentheses dropped on the left", `(type = page AND space = A) OR space = B`, `type = page AND space = A OR space = B`},
		{"OR on the left of AND keeps its parentheses", `(type = page OR space = A) AND label = x`, `(type = page OR space = A) AND label = x`},
		{"left-to-right OR then AND is printed with parentheses", `type = page OR space = A AND label = x`, `(type = page OR space = A) AND label = x`},
		{"nested left chains", `((label = a OR label = b) AND type = page) OR space = X AND title = y`,
			`((label = a OR label = b) AND type = page OR space = X) AND title = y`},
		{"NOT of a group", `type = page AND NOT (label = a OR label = b)`, `type = page AND NOT (label = a OR label = b)`},
		{"order by list", `type = page ORDER BY created DESC, title`, `type = page ORDER BY created DESC, title`},
		{"order by lastmodified lowercase", `type = page order by lastmodified desc`, `type = page ORDER BY lastModified DESC`},
		{"not in with function", `space NOT IN favouriteSpaces()`, `space NOT IN favouriteSpaces()`},
		{"no spaces around operators", `title="a"or type=page`, `title = a OR type = page`},
		{"newlines and tabs", "type = page\n\tAND space = OPS", `type = page AND space = OPS`},
		// Operators.
		{"not equal", `type != attachment`, `type != attachment`},
		{"does not contain", `text !~ "draft"`, `text !~ draft`},
		{"ranges", `created > 2014-09-01 AND created >= 2014-09-01 AND created < 2014-09-02 AND created <= 2014-09-02`,
			`created > "2014-09-01" AND created >= "2014-09-01" AND created < "2014-09-02" AND created <= "2014-09-02"`},
		// Fields.
		{"ancestor in", `ancestor in (123, 223)`, `ancestor IN (123, 223)`},
		{"content alias of id", `content = 123`, `content = 123`},
		{"id in list", `id in (123, 223, 323)`, `id IN (123, 223, 323)`},
		{"parent in", `parent in (123, 223)`, `parent IN (123, 223)`},
		{"creator account id", `creator = "557058:f5a4ab55-1234"`, `creator = "557058:f5a4ab55-1234"`},
		{"unquoted account id", `creator = 557058:f5a4ab55-1234`, `creator = "557058:f5a4ab55-1234"`},
		{"contributor", `contributor = currentUser()`, `contributor = currentUser()`},
		{"mention", `mention in (currentUser(), abc)`, `mention IN (currentUser(), "abc")`},
		{"watcher", `watcher != currentUser()`, `watcher != currentUser()`},
		{"favourite", `favourite = currentUser()`, `favourite = currentUser()`},
		{"favorite spelling", `favorite = currentUser()`, `favourite = currentUser()`},
		{"label not in", `label not in (draft, review)`, `label NOT IN ("draft", "review")`},
		{"macro", `macro = jira`, `macro = jira`},
		{"page status", `pageStatus = "Rough draft"`, `pageStatus = "Rough draft"`},
		{"space with functions and keys", `space IN (favouriteSpaces(), 'FS', 'TS')`, `space IN (favouriteSpaces(), "FS", "TS")`},
		{"space recently viewed", `space in recentlyViewedSpaces(5)`, `space IN recentlyViewedSpaces(5)`},
		{"space in unquoted keys", `space IN (A, B)`, `space IN ("A", "B")`},
		{"text master field", `text ~ confluence`, `text ~ confluence`},
		{"title exact", `title = "Advanced Searching"`, `title = "Advanced Searching"`},
		{"title contains", `title ~ "advanced"`, `title ~ advanced`},
		{"title in", `title in ("A", "B")`, `title IN ("A", "B")`},
		{"type in", `type in (page, blogpost, comment, attachment, whiteboard, database, embed, folder)`,
			`type IN ("page", "blogpost", "comment", "attachment", "whiteboard", "database", "embed", "folder")`},
		{"creator fullname", `creator.fullname ~ "Annie"`, `creator.fullname ~ Annie`},
		{"space key", `space.key = OPS`, `space.key = OPS`},
		{"space type", `space.type = personal`, `space.type = personal`},
		{"site search", `siteSearch ~ "q"`, `siteSearch ~ q`},
		{"subtype", `subtype = live`, `subtype = live`},
		// Functions.
		{"currentUser", `creator = currentUser()`, `creator = currentUser()`},
		{"startOfDay with increment", `created > startOfDay("-7d")`, `created > startOfDay("-7d")`},
		{"endOfWeek with increment", `created > endOfWeek("-1w")`, `created > endOfWeek("-1w")`},
		{"now weeks", `created >= now("-4w")`, `created >= now("-4w")`},
		{"increment without sign", `lastModified < endOfMonth("1M")`, `lastModified < endOfMonth("1M")`},
		{"all period functions", `created >= startOfWeek() AND created >= startOfMonth() AND created >= startOfYear() AND created <= endOfDay() AND created <= endOfYear("+1y")`,
			`created >= startOfWeek() AND created >= startOfMonth() AND created >= startOfYear() AND created <= endOfDay() AND created <= endOfYear("+1y")`},
		{"hour and minute increments", `lastModified > now("-2h") OR lastModified > now("-30m")`, `lastModified > now("-2h") OR lastModified > now("-30m")`},
		{"function names case-insensitive", `creator = CURRENTUSER()`, `creator = currentUser()`},
		{"favouriteSpaces", `space in favouriteSpaces()`, `space IN favouriteSpaces()`},
		{"recentlyViewedContent", `id in recentlyViewedContent(10, 0)`, `id IN recentlyViewedContent(10, 0)`},
		{"currentSpace", `space = currentSpace()`, `space = currentSpace()`},
		// Literals.
		{"date slash with time", `created > "2014/09/01 10:00"`, `created > "2014/09/01 10:00"`},
		{"date dash with time", `created > "2014-09-01 10:00"`, `created > "2014-09-01 10:00"`},
		{"date slash", `created > "2014/09/01"`, `created > "2014/09/01"`},
		{"unquoted dates", `created > 2014-09-01 AND lastModified < 2014/09/01`, `created > "2014-09-01" AND lastModified < "2014/09/01"`},
		{"single quotes", `title = 'it''s'`, ""}, // two adjacent strings: a syntax error, checked below
		{"escaped double quote", `title = "a\"b"`, `title = "a\"b"`},
		{"escaped single quote", `title = 'it\'s'`, `title = "it's"`},
		{"exact phrase title", `title = "\"Advanced Searching\""`, `title = "\"Advanced Searching\""`},
		{"injection stays a value", `title = "a\" or type = page"`, `title = "a\" or type = page"`},
		{"quoted reserved word", `label = "and"`, `label = "and"`},
		{"quoted reserved characters", `title = "a+b; c?"`, `title = "a+b; c?"`},
		{"escaped backslash", `title = "C:\\temp"`, `title = "C:\\temp"`},
		{"unicode value", `title = "Übersicht 日本"`, `title = "Übersicht 日本"`},
		// Text search.
		{"exact phrase text", `text ~ "\"a b\""`, `text ~ "\"a b\""`},
		{"wildcards", `text ~ "dep*" AND text ~ "te?t"`, `text ~ "dep*" AND text ~ "te?t"`},
		{"fuzzy", `text ~ "roam~"`, `text ~ "roam~"`},
		{"escaped reserved char in text", `text ~ "\\[example\\]"`, `text ~ "\\[example\\]"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, err := cql.Parse(tt.in)
			if tt.want == "" {
				if err == nil {
					t.Fatalf("Parse(%q) = %q, want an error", tt.in, q)
				}
				return
			}
			if err != nil {
				t.Fatalf("Parse(%q): %v", tt.in, err)
			}
			if got := q.String(); got != tt.want {
				t.Errorf("Parse(%q).String() = %q, want %q", tt.in, got, tt.want)
			}
			again, err := cql.Parse(q.String())
			if err != nil {
				t.Fatalf("Parse(%q) of the printed form: %v", q.String(), err)
			}
			if !cql.Equal(again, q) {
				t.Errorf("Parse(%q) is not Equal to Parse(%q)", q.String(), tt.in)
			}
		})
	}
}

// TestParseTree checks the shape of parsed trees: left-to-right chains
// without precedence, NOT, IN lists, functions and ORDER BY.
func TestParseTree(t *testing.T) {
	q, err := cql.Parse(`type = page OR space = A AND label = x`)
	if err != nil {
		t.Fatal(err)
	}
	// No precedence: (type = page OR space = A) AND label = x.
	and, ok := q.Expr().(*cql.BinaryExpr)
	if !ok || and.Op != cql.LogicAnd {
		t.Fatalf("root = %#v, want an AND", q.Expr())
	}
	or, ok := and.X.(*cql.BinaryExpr)
	if !ok || or.Op != cql.LogicOr {
		t.Fatalf("left of AND = %#v, want an OR", and.X)
	}
	if c, ok := and.Y.(*cql.Clause); !ok || c.Field != "label" || c.Op != cql.OpEq {
		t.Fatalf("right of AND = %#v, want label = x", and.Y)
	}

	q, err = cql.Parse("type = page AND\n  label NOT IN (a, 'b c') ORDER BY lastmodified DESC")
	if err != nil {
		t.Fatal(err)
	}
	c := q.Expr().(*cql.BinaryExpr).Y.(*cql.Clause)
	if got, want := c.Op, cql.OpNotIn; got != want {
		t.Errorf("op = %v, want %v", got, want)
	}
	if got, want := len(c.Values), 2; got != want {
		t.Fatalf("len(values) = %d, want %d", got, want)
	}
	if got, want := c.Values[1].(*cql.Literal).Text, "b c"; got != want {
		t.Errorf("second value = %q, want %q", got, want)
	}
	if got, want := c.Pos, (cql.Pos{Line: 2, Column: 3, Offset: 18}); got != want {
		t.Errorf("clause position = %+v, want %+v", got, want)
	}
	order := q.OrderBy()
	if len(order) != 1 || order[0].Field != "lastModified" || order[0].Dir != cql.DirDesc {
		t.Errorf("order = %+v, want lastModified DESC", order)
	}

	q, err = cql.Parse(`lastModified >= now('-7d')`)
	if err != nil {
		t.Fatal(err)
	}
	f, ok := q.Expr().(*cql.Clause).Values[0].(*cql.Func)
	if !ok || f.Name != "now" || len(f.Args) != 1 || f.Args[0].Text != "-7d" {
		t.Errorf("value = %#v, want now(\"-7d\")", q.Expr().(*cql.Clause).Values[0])
	}
}

// TestFieldsAndFunctions checks the exported tables name what Parse accepts.
func TestFieldsAndFunctions(t *testing.T) {
	for _, f := range cql.Fields() {
		if _, err := cql.Parse(f + ` = x OR type = page`); err != nil {
			if e, ok := err.(*cql.Error); !ok || e.Kind == cql.KindUnknownField {
				t.Errorf("field %q from Fields() is unknown to Parse: %v", f, err)
			}
		}
	}
	if got, want := len(cql.Functions()), 14; got != want {
		t.Errorf("len(Functions()) = %d, want %d", got, want)
	}
}

// TestAscDescAreValues checks ASC and DESC, keywords of ORDER BY only, are
// accepted as unquoted values and printed quoted.
func TestAscDescAreValues(t *testing.T) {
	q, err := cql.Parse(`label = asc OR label = DESC`)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := q.String(), `label = "asc" OR label = "DESC"`; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
}
