package cql_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/confluence-graph/confluence-graph/cql"
)

// TestParseErrors checks invalid queries are rejected with the right kind,
// position and an actionable message.
func TestParseErrors(t *testing.T) {
	tests := []struct {
		name         string
		in           string
		kind         cql.ErrorKind
		line, column int
		offset       int
		msg          string // substring of Message
	}{
		{"unbalanced open parenthesis", `type = page AND (space = A OR space = B`, cql.KindSyntax, 1, 40, 39, "missing ')' for the '(' at line 1, column 17"},
		{"unbalanced close parenthesis", `type = page) AND space = A`, cql.KindSyntax, 1, 12, 11, "unexpected ')'"},
		{"nested unbalanced", "((type = page)", cql.KindSyntax, 1, 15, 14, "missing ')' for the '(' at line 1, column 1"},
		{"missing value at end", `type = page AND title = `, cql.KindSyntax, 1, 25, 24, "expected a value after '='"},
		{"missing value before AND", `title = AND type = page`, cql.KindSyntax, 1, 9, 8, "found the reserved word 'AND'"},
		{"missing value before paren", `type = page AND (title = ) `, cql.KindSyntax, 1, 26, 25, "expected a value after '=', found ')'"},
		{"missing value on line 2", "type = page AND\nspace =", cql.KindSyntax, 2, 8, 23, "expected a value after '='"},
		{"missing operator", `type page`, cql.KindSyntax, 1, 6, 5, "expected an operator"},
		{"empty IN list", `label in ()`, cql.KindSyntax, 1, 11, 10, "expected a value after 'IN ('"},
		{"trailing comma in list", `label in (a, )`, cql.KindSyntax, 1, 14, 13, "expected a value after ','"},
		{"IN list without comma", `label in (a b)`, cql.KindSyntax, 1, 13, 12, "expected ',' or ')' in the IN list, found 'b'"},
		{"arguments without comma", `created > now(a b)`, cql.KindSyntax, 1, 17, 16, "expected ',' or ')' to close now(, found 'b'"},
		{"IN without list", `label in a`, cql.KindSyntax, 1, 10, 9, "expected '(' and a list of values after IN"},
		{"NOT without IN", `label not a`, cql.KindSyntax, 1, 11, 10, "expected IN after 'label NOT'"},
		{"dangling AND", `type = page AND`, cql.KindSyntax, 1, 16, 15, "expected a field name, NOT or '('"},
		{"two values", `title = a b`, cql.KindSyntax, 1, 11, 10, "expected AND, OR, ORDER BY or the end of the query, found 'b'"},
		{"empty query", `   `, cql.KindSyntax, 1, 4, 3, "the query is empty"},
		{"only ORDER BY", `order by title`, cql.KindSyntax, 1, 1, 0, "ORDER BY needs a clause before it"},
		{"ORDER without BY", `type = page ORDER title`, cql.KindSyntax, 1, 19, 18, "expected BY after ORDER"},
		{"ORDER BY nothing", `type = page ORDER BY`, cql.KindSyntax, 1, 21, 20, "expected a field name in ORDER BY"},
		{"unterminated double quote", `type = page AND title = "abc`, cql.KindSyntax, 1, 25, 24, "unterminated string"},
		{"unterminated single quote", `title = 'abc`, cql.KindSyntax, 1, 9, 8, "unterminated string"},
		{"string ends in escaped quote", `title = "abc\"`, cql.KindSyntax, 1, 9, 8, "escaped by a backslash"},
		{"lone bang", `title ! a`, cql.KindSyntax, 1, 7, 6, "write '!=' (not equal) or '!~'"},
		{"unquoted reserved character", `text ~ foo*`, cql.KindSyntax, 1, 11, 10, "reserved character '*' must be inside a quoted value"},
		{"unquoted reserved word", `label = order`, cql.KindSyntax, 1, 9, 8, "reserved word 'order'"},
		{"leading NOT", `NOT type = page`, cql.KindSyntax, 1, 1, 0, "cannot start with NOT"},
		{"leading NOT in group", `(NOT label = a) AND type = page`, cql.KindSyntax, 1, 2, 1, "cannot start with NOT"},
		{"double NOT", `type = page AND NOT NOT label = a`, cql.KindSyntax, 1, 21, 20, "expected a field or '(' after NOT"},
		{"nested function argument", `created > now(now())`, cql.KindSyntax, 1, 15, 14, "must be a plain value"},
		{"unknown field", `type = page AND tilte = "x"`, cql.KindUnknownField, 1, 17, 16, "No field exists with the name: 'tilte'; closest known names: title"},
		{"no status field", `status = current`, cql.KindUnknownField, 1, 1, 0, "No field exists with the name: 'status'"},
		{"unknown field in ORDER BY", `type = page ORDER BY modified`, cql.KindUnknownField, 1, 22, 21, "No field exists with the name: 'modified'"},
		{"operator the field lacks", `space ~ OPS`, cql.KindOperator, 1, 7, 6, "operator '~' is not supported for field 'space'; use one of: =, !=, IN, NOT IN"},
		{"equals on text", `text = "deploy"`, cql.KindOperator, 1, 6, 5, "operator '=' is not supported for field 'text'"},
		{"range on label", `label > a`, cql.KindOperator, 1, 7, 6, "operator '>' is not supported for field 'label'"},
		{"IN on dates", `created in (2024-01-01)`, cql.KindOperator, 1, 9, 8, "operator 'IN' is not supported for field 'created'"},
		{"order by label", `type = page ORDER BY label`, cql.KindOperator, 1, 22, 21, "ORDER BY is not supported on field 'label'"},
		{"function on wrong field", `space = now()`, cql.KindOperator, 1, 9, 8, "function 'now()' cannot be used with field 'space'"},
		{"function with wrong operator", `space = favouriteSpaces()`, cql.KindOperator, 1, 7, 6, "function 'favouriteSpaces()' cannot be used with operator '='"},
		{"unknown function", `creator = currentUsr()`, cql.KindValue, 1, 11, 10, "unknown function 'currentUsr()'; closest known functions: currentUser"},
		{"ISO date unquoted", `created > 2024-01-31T09:30:00Z`, cql.KindValue, 1, 11, 10, "ISO 8601 date-time"},
		{"ISO date quoted", `type = page AND lastModified >= "2024-01-31T09:30:00.000Z"`, cql.KindValue, 1, 33, 32, `write "yyyy-MM-dd HH:mm" (e.g. "2024-01-31 09:30")`},
		{"bad date", `created > "2024-13-01"`, cql.KindValue, 1, 11, 10, "invalid date"},
		{"bad increment", `created > now("-7")`, cql.KindValue, 1, 15, 14, "invalid increment \"-7\""},
		{"too many arguments", `created > now("-7d", "1d")`, cql.KindValue, 1, 11, 10, "takes 0 to 1 arguments, not 2"},
		{"missing count", `space in recentlyViewedSpaces()`, cql.KindValue, 1, 10, 9, "takes 1 argument, not 0"},
		{"non-numeric id", `id = abc`, cql.KindValue, 1, 6, 5, "numeric content id"},
		{"leading wildcard", `text ~ "*ploy"`, cql.KindValue, 1, 8, 7, "starts with a wildcard"},
		{"empty text", `text ~ ""`, cql.KindEmptyText, 1, 8, 7, "has no word to look for"},
		{"blank title search", `title ~ "   "`, cql.KindEmptyText, 1, 9, 8, "has no word to look for"},
		{"multi-byte column", `title = "日本" AND foo = x`, cql.KindUnknownField, 1, 18, 21, "'foo'"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, err := cql.Parse(tt.in)
			if err == nil {
				t.Fatalf("Parse(%q) = %q, want an error", tt.in, q)
			}
			var e *cql.Error
			if !errors.As(err, &e) {
				t.Fatalf("Parse(%q) error %T, want *cql.Error", tt.in, err)
			}
			if e.Kind != tt.kind {
				t.Errorf("kind = %v, want %v (%v)", e.Kind, tt.kind, err)
			}
			if e.Line != tt.line || e.Column != tt.column || e.Offset != tt.offset {
				t.Errorf("position = line %d, column %d, offset %d, want line %d, column %d, offset %d (%v)",
					e.Line, e.Column, e.Offset, tt.line, tt.column, tt.offset, err)
			}
			if !strings.Contains(e.Message, tt.msg) {
				t.Errorf("message = %q, want it to contain %q", e.Message, tt.msg)
			}
			if !strings.HasPrefix(err.Error(), "cql: ") || !strings.HasSuffix(err.Error(), e.Message+" at line "+itoa(tt.line)+", column "+itoa(tt.column)) {
				t.Errorf("Error() = %q, want \"cql: <message> at line %d, column %d\"", err.Error(), tt.line, tt.column)
			}
		})
	}
}

// TestUnknownFieldDetails checks what the simulator needs to answer like
// Confluence: the field as written and the suggestions.
func TestUnknownFieldDetails(t *testing.T) {
	_, err := cql.Parse(`lastmodifed > now("-1d")`)
	var e *cql.Error
	if !errors.As(err, &e) || e.Kind != cql.KindUnknownField {
		t.Fatalf("Parse error = %v, want an unknown-field *cql.Error", err)
	}
	if got, want := e.Field, "lastmodifed"; got != want {
		t.Errorf("Field = %q, want %q", got, want)
	}
	if len(e.Suggestions) == 0 || e.Suggestions[0] != "lastModified" {
		t.Errorf("Suggestions = %q, want lastModified first", e.Suggestions)
	}
}

// TestSyntaxBeforeFields checks a syntax error later in the query wins
// over an unknown field earlier, as the query is parsed before it is
// checked.
func TestSyntaxBeforeFields(t *testing.T) {
	_, err := cql.Parse(`foo = x AND (type = page`)
	var e *cql.Error
	if !errors.As(err, &e) || e.Kind != cql.KindSyntax {
		t.Fatalf("Parse error = %v, want a syntax error", err)
	}
}

// TestDeepNesting checks hostile nesting is an error, not a crash.
func TestDeepNesting(t *testing.T) {
	in := strings.Repeat("(", 5000) + "type = page" + strings.Repeat(")", 5000)
	_, err := cql.Parse(in)
	var e *cql.Error
	if !errors.As(err, &e) || !strings.Contains(e.Message, "more than 100 deep") {
		t.Fatalf("Parse error = %v, want a nesting error", err)
	}
}

func itoa(n int) string {
	s := ""
	for {
		s = string(rune('0'+n%10)) + s
		n /= 10
		if n == 0 {
			return s
		}
	}
}
