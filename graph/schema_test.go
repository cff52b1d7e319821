package graph_test

import (
	"strings"
	"testing"

	"github.com/99designs/gqlgen/complexity"
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/validator/rules"

	"github.com/confluence-graph/confluence-graph/graph"
)

// Annie and the playground read the descriptions: every type, field, argument and enum value of
// our schema has one.
func TestSchemaIsDescribed(t *testing.T) {
	s := graph.New(graph.Deps{}).Schema()
	checked := 0
	for name, def := range s.Types {
		if def.BuiltIn || strings.HasPrefix(name, "_") || def.Position == nil || def.Position.Src == nil || def.Position.Src.BuiltIn ||
			!strings.HasSuffix(def.Position.Src.Name, "schema.graphqls") {
			continue
		}
		checked++
		if strings.TrimSpace(def.Description) == "" && name != "Query" && name != "Mutation" {
			t.Errorf("type %s has no description", name)
		}
		for _, f := range def.Fields {
			if strings.HasPrefix(f.Name, "_") {
				continue
			}
			if strings.TrimSpace(f.Description) == "" {
				t.Errorf("field %s.%s has no description", name, f.Name)
			}
			for _, a := range f.Arguments {
				if strings.TrimSpace(a.Description) == "" {
					t.Errorf("argument %s.%s(%s) has no description", name, f.Name, a.Name)
				}
			}
		}
		for _, v := range def.EnumValues {
			if strings.TrimSpace(v.Description) == "" {
				t.Errorf("enum value %s.%s has no description", name, v.Name)
			}
		}
	}
	if checked < 40 {
		t.Errorf("checked %d types of schema.graphqls, want at least 40", checked)
	}
}

// Every connection caps first at 100 with a clear error, and has edges, nodes and pageInfo.
func TestConnectionsAreRelay(t *testing.T) {
	s := graph.New(graph.Deps{}).Schema()
	n := 0
	for name, def := range s.Types {
		if !strings.HasSuffix(name, "Connection") {
			continue
		}
		n++
		for _, f := range []string{"edges", "nodes", "pageInfo"} {
			if def.Fields.ForName(f) == nil {
				t.Errorf("%s lacks %s", name, f)
			}
		}
	}
	if n < 6 {
		t.Errorf("found %d connection types, want at least 6", n)
	}
}

func cost(t *testing.T, query string, vars map[string]any) int {
	t.Helper()
	es := graph.New(graph.Deps{})
	doc, errs := gqlparser.LoadQueryWithRules(es.Schema(), query, rules.NewDefaultRules())
	if errs != nil {
		t.Fatalf("query does not validate: %v", errs)
	}
	return complexity.Calculate(t.Context(), es, doc.Operations[0], vars)
}

// List fields are priced by the items they may return, so a server complexity limit bounds the
// nodes a query can produce.
func TestComplexityCountsListItems(t *testing.T) {
	flat := cost(t, `{ page(id: "1") { children(first: 10) { nodes { id } } } }`, nil)
	nested := cost(t, `{ page(id: "1") { children(first: 10) { nodes { id children(first: 10) { nodes { id } } } } } }`, nil)
	defaulted := cost(t, `{ page(id: "1") { children { nodes { id } } } }`, nil)
	if flat < 10 || nested < 10*flat-20 || defaulted <= flat {
		t.Errorf("costs: first 10 = %d, nested 10x10 = %d, default 25 = %d; want lists multiplied", flat, nested, defaulted)
	}
	issue := cost(t, nestedQuery, map[string]any{"key": "BENCH1"})
	t.Logf("cost of the issue's nested query: %d", issue)
	if issue < 1000 || issue > 20000 {
		t.Errorf("nested query cost = %d, want between 1,000 and 20,000", issue)
	}
}
