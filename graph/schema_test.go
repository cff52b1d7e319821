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

// List fields are priced by the upstream calls and the items they may cost: the items of a list
// multiply their nested lists' items, a list read in one batch per level adds one call however
// many parents it has, a list read per parent one call per parent. So the reference query runs at
// 100 pages while a 100 x 100 x 100 nesting stays far above any sensible limit.
func TestComplexityPricesCallsAndItems(t *testing.T) {
	flat := cost(t, `{ page(id: "1") { children(first: 10) { nodes { id } } } }`, nil)
	nested := cost(t, `{ page(id: "1") { children(first: 10) { nodes { id ... on Page { children(first: 10) { nodes { id } } } } } } }`, nil)
	defaulted := cost(t, `{ page(id: "1") { children { nodes { id } } } }`, nil)
	wide := cost(t, `{ page(id: "1") { children(first: 10) { nodes { id title url ... on Page { status } } } } }`, nil)
	perPage := cost(t, `{ page(id: "1") { children(first: 10) { nodes { id ... on Page { versions(first: 1) { nodes { number } } } } } } }`, nil)
	batched := cost(t, `{ page(id: "1") { children(first: 10) { nodes { id ... on Page { attachments(first: 1) { nodes { title } } } } } } }`, nil)
	if flat < 10 || nested-flat < 10*10 || defaulted <= flat {
		t.Errorf("costs: first 10 = %d, nested 10x10 = %d, default 25 = %d; want the items multiplied", flat, nested, defaulted)
	}
	if wide != flat {
		t.Errorf("cost with more scalar fields = %d, want %d (fields are not priced)", wide, flat)
	}
	if perPage-batched < 9*10 {
		t.Errorf("versions under 10 children cost %d more than attachments, want at least 9 calls more (one call per child against one batch)", perPage-batched)
	}
	q1 := func(first int) int {
		return cost(t, strings.Replace(nestedQuery, "pages(first: 25)", "pages(first: "+itoa(first)+")", 1), map[string]any{"key": "BENCH1"})
	}
	huge := cost(t, `{ space(key: "A") { pages(first: 100) { nodes { children(first: 100) { nodes { ... on Page { children(first: 100) { nodes { id } } } } } } } } }`, nil)
	t.Logf("costs: nested query at 25 pages %d, at 100 pages %d; 100 x 100 x 100 children %d", q1(25), q1(100), huge)
	if c := q1(25); c < 500 || c > 2000 {
		t.Errorf("nested query cost = %d, want between 500 and 2,000", c)
	}
	if c := q1(100); c > 5000 {
		t.Errorf("nested query at 100 pages costs %d, want at most 5,000 (half the server's default limit)", c)
	}
	if c := cost(t, `{ spaces(first: 100) { nodes { pages(first: 100) { nodes { id } } } } }`, nil); c < 10_000 {
		t.Errorf("100 spaces' 100 pages cost %d, want over 10,000 (100 page-list calls, 10,000 items)", c)
	}
	if huge < 1_000_000 {
		t.Errorf("100 x 100 x 100 children cost %d, want over a million (the items they may return)", huge)
	}
}
