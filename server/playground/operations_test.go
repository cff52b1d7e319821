package playground_test

import (
	"os"
	"regexp"
	"testing"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
)

// federationPrelude declares the Federation directives schema.graphqls uses;
// gqlgen adds them at generate time, so the bare file lacks them.
const federationPrelude = `
scalar FieldSet
directive @link(url: String!, import: [String!]) repeatable on SCHEMA
directive @key(fields: FieldSet!, resolvable: Boolean = true) repeatable on OBJECT | INTERFACE
directive @shareable repeatable on OBJECT | FIELD_DEFINITION
`

func loadSchema(t *testing.T) *ast.Schema {
	t.Helper()
	sdl, err := os.ReadFile("../../schema.graphqls")
	if err != nil {
		t.Fatalf("read schema: %v", err)
	}
	schema, gerr := gqlparser.LoadSchema(
		&ast.Source{Name: "federation.graphqls", Input: federationPrelude, BuiltIn: true},
		&ast.Source{Name: "schema.graphqls", Input: string(sdl)},
	)
	if gerr != nil {
		t.Fatalf("load schema: %v", gerr)
	}
	return schema
}

// TestPageOperationsMatchSchema checks every GraphQL operation the pages
// send against schema.graphqls, so a renamed field fails here rather than in
// a user's browser. Nil rules mean gqlparser's default (spec) rules.
func TestPageOperationsMatchSchema(t *testing.T) {
	schema := loadSchema(t)

	settingsJS, err := os.ReadFile("settings/settings.js")
	if err != nil {
		t.Fatal(err)
	}
	marked := regexp.MustCompile(`/\* graphql \*/ '([^']*)'`).FindAllStringSubmatch(string(settingsJS), -1)
	if got, want := len(marked), 6; got != want {
		t.Fatalf("settings.js operations: got %d, want %d (integration, connect, test, disconnect, spaces, read policy)", got, want)
	}
	defaultQuery, err := os.ReadFile("web/src/default-query.graphql")
	if err != nil {
		t.Fatal(err)
	}

	ops := map[string]string{"playground default query": string(defaultQuery)}
	for _, m := range marked {
		ops["settings.js: "+m[1][:30]] = m[1]
	}
	for name, op := range ops {
		t.Run(name, func(t *testing.T) {
			if _, errs := gqlparser.LoadQueryWithRules(schema, op, nil); errs != nil {
				t.Errorf("operation does not validate: %v", errs)
			}
		})
	}
}
