package server_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"
	"github.com/vektah/gqlparser/v2/validator"
	"github.com/vektah/gqlparser/v2/validator/rules"

	"github.com/confluence-graph/confluence-graph/graph"
	"github.com/confluence-graph/confluence-graph/internal/testquery"
	"github.com/confluence-graph/confluence-graph/internal/testsupport"
	"github.com/confluence-graph/confluence-graph/server"
	"github.com/confluence-graph/confluence-graph/settings"
)

// fragmentBomb is a document of levels fragments, each spreading the one
// below it twice: about 40 bytes a level, 2^levels fields once expanded.
func fragmentBomb(levels int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "query { ...F%d }\nfragment F0 on Query { __typename }\n", levels)
	for i := 1; i <= levels; i++ {
		fmt.Fprintf(&b, "fragment F%d on Query { ...F%d ...F%d }\n", i, i-1, i-1)
	}
	return b.String()
}

// repeatedField is one field repeated n times in one selection set.
func repeatedField(n int) string {
	return "query {" + strings.Repeat(" __typename", n) + " }"
}

// introspectionQuery is the query GraphiQL sends when it opens (graphql-js
// getIntrospectionQuery with descriptions), the largest document a normal
// client sends.
const introspectionQuery = `query IntrospectionQuery {
  __schema {
    queryType { name } mutationType { name } subscriptionType { name }
    types { ...FullType }
    directives { name description locations args { ...InputValue } }
  }
}
fragment FullType on __Type {
  kind name description
  fields(includeDeprecated: true) { name description args { ...InputValue } type { ...TypeRef } isDeprecated deprecationReason }
  inputFields { ...InputValue }
  interfaces { ...TypeRef }
  enumValues(includeDeprecated: true) { name description isDeprecated deprecationReason }
  possibleTypes { ...TypeRef }
}
fragment InputValue on __InputValue { name description type { ...TypeRef } defaultValue }
fragment TypeRef on __Type {
  kind name
  ofType { kind name ofType { kind name ofType { kind name ofType { kind name
    ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } } }
}`

func TestFieldLimitRefusesBeforeValidation(t *testing.T) {
	e := newEnv(t, server.Config{})
	key := e.key("acme", settings.RoleReader)
	for _, tc := range []struct {
		name  string
		query string
	}{
		{"fragment bomb of 39 levels", fragmentBomb(39)},
		{"10,000 copies of one field", repeatedField(10000)},
		{"a fragment spread 600 times", "query { ...F" + strings.Repeat(" ...F", 599) + " }\nfragment F on Query { __typename }"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if len(tc.query) > 200_000 {
				t.Fatalf("attack document is %d bytes; it should be small", len(tc.query))
			}
			got := e.post(key, tc.query, nil)
			if code := got.code(); code != server.CodeFieldLimit {
				t.Fatalf("code %q, want %s; response %.300s", code, server.CodeFieldLimit, got.Raw)
			}
			if !strings.Contains(got.message(), fmt.Sprint(server.DefaultFieldLimit)) {
				t.Errorf("message %q does not name the limit %d", got.message(), server.DefaultFieldLimit)
			}
			if strings.Contains(got.Raw, `"data"`) {
				t.Errorf("a refused document must have no data entry: %.200s", got.Raw)
			}
		})
	}
}

func TestFieldLimitAdmitsNormalDocuments(t *testing.T) {
	e := newEnv(t, server.Config{Introspection: true})
	key := e.key("acme", settings.RoleReader)
	for name, q := range map[string]string{
		"GraphiQL's introspection query":           introspectionQuery,
		"a field repeated up to the limit":         repeatedField(server.DefaultFieldLimit),
		"a fragment bomb of 7 levels (128 fields)": fragmentBomb(7),
	} {
		t.Run(name, func(t *testing.T) {
			got := e.post(key, q, nil)
			if len(got.Errors) != 0 {
				t.Fatalf("want no errors, got %.300s", got.Raw)
			}
		})
	}
	t.Run("one field over the limit", func(t *testing.T) {
		got := e.post(key, repeatedField(server.DefaultFieldLimit+1), nil)
		if code := got.code(); code != server.CodeFieldLimit {
			t.Fatalf("code %q, want %s", code, server.CodeFieldLimit)
		}
	})
}

func TestEntitiesPricedPerRepresentation(t *testing.T) {
	e := newEnv(t, server.Config{ComplexityLimit: 1000})
	key := e.key("acme", settings.RoleReader)
	reps := make([]map[string]any, 1500)
	for i := range reps {
		reps[i] = map[string]any{"__typename": "Page", "id": fmt.Sprint(i + 1)}
	}
	q := `query($r: [_Any!]!) { _entities(representations: $r) { ... on Page { id } } }`
	got := e.post(key, q, map[string]any{"r": reps})
	if code := got.code(); code != server.CodeComplexityLimit {
		t.Fatalf("1,500 representations under a complexity limit of 1,000: code %q, want %s; %.300s",
			code, server.CodeComplexityLimit, got.Raw)
	}
	if !strings.Contains(got.message(), "1501") {
		t.Errorf("message %q should give the measured cost (1 + 1,500 entities)", got.message())
	}
}

// BenchmarkFieldGuard sends refused documents of growing size: the time per
// document grows with its size, not with its square (validation) or its
// expansion (a fragment bomb).
func BenchmarkFieldGuard(b *testing.B) {
	store := mustOpenStore(b)
	srv, err := server.New(server.Config{Schema: graph.New(graph.Deps{}), Keys: store,
		Logger: slog.New(slog.NewJSONHandler(io.Discard, nil))})
	if err != nil {
		b.Fatal(err)
	}
	key := testsupport.MustKey(b, store, "acme", settings.RoleReader)
	h := srv.Handler()
	send := func(q string) string {
		body, _ := json.Marshal(map[string]string{"query": q})
		req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+key)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec.Body.String()
	}
	type doc struct{ name, q string }
	var docs []doc
	for _, n := range []int{1000, 4000, 10000} {
		docs = append(docs, doc{fmt.Sprintf("fields=%d", n), repeatedField(n)})
	}
	for _, levels := range []int{20, 39, 60} {
		docs = append(docs, doc{fmt.Sprintf("fragment-levels=%d", levels), fragmentBomb(levels)})
	}
	for _, d := range docs {
		b.Run(d.name, func(b *testing.B) {
			i := 0
			for b.Loop() {
				i++ // a new text each time, so no cached verdict is reused
				if got := send(fmt.Sprintf("%s\n# %d", d.q, i)); !strings.Contains(got, server.CodeFieldLimit) {
					b.Fatalf("not refused: %.200s", got)
				}
			}
		})
	}
}

// The default complexity limit admits the reference nested query at 100 pages (priced by its
// upstream calls and items, about 3,450) and refuses children nested 100 x 100 x 100 (over a
// million items).
func TestDefaultComplexityLimitAdmitsNestedQueryAt100Pages(t *testing.T) {
	e := newEnv(t, server.Config{})
	key := e.key("acme", settings.RoleReader)
	q100 := strings.Replace(testquery.Nested, "pages(first: 25)", "pages(first: 100)", 1)
	if q100 == testquery.Nested {
		t.Fatal("testquery.Nested no longer reads pages(first: 25)")
	}
	if got := e.post(key, q100, map[string]any{"key": "BENCH1"}); got.code() == server.CodeComplexityLimit {
		t.Errorf("nested query at 100 pages refused: %s", got.message())
	}
	huge := `{ space(key: "A") { pages(first: 100) { nodes { children(first: 100) { nodes { ... on Page { children(first: 100) { nodes { id } } } } } } } } }`
	if got := e.post(key, huge, nil); got.code() != server.CodeComplexityLimit {
		t.Errorf("100 x 100 x 100 children: code %q, want %s; %.300s", got.code(), server.CodeComplexityLimit, got.Raw)
	}
}

// BenchmarkUnguardedValidation is the baseline of BenchmarkFieldGuard: gqlparser's validation of
// the same repeated-field documents without the guard in front, whose time grows with the square
// of the field count (doubling the fields about quadruples it).
func BenchmarkUnguardedValidation(b *testing.B) {
	schema := graph.New(graph.Deps{Logger: slog.New(slog.DiscardHandler)}).Schema()
	for _, n := range []int{250, 500, 1000} {
		doc, err := parser.ParseQuery(&ast.Source{Input: repeatedField(n)})
		if err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("fields=%d", n), func(b *testing.B) {
			for b.Loop() {
				if errs := validator.ValidateWithRules(schema, doc, rules.NewDefaultRules()); len(errs) != 0 {
					b.Fatal(errs)
				}
			}
		})
	}
}
