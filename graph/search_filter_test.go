package graph

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/confluence-graph/confluence-graph/cql"
	"github.com/confluence-graph/confluence-graph/graph/model"
)

// clauses parses q and lists its clauses as "field op value|value", in order.
func clauses(t *testing.T, q string) []string {
	t.Helper()
	parsed, err := cql.Parse(q)
	if err != nil {
		t.Fatalf("built CQL %q does not parse: %v", q, err)
	}
	var out []string
	var walk func(x cql.Expr)
	walk = func(x cql.Expr) {
		switch x := x.(type) {
		case *cql.Clause:
			var vs []string
			for _, v := range x.Values {
				switch v := v.(type) {
				case *cql.Literal:
					vs = append(vs, v.Text)
				default:
					vs = append(vs, fmt.Sprintf("%T", v))
				}
			}
			out = append(out, strings.ToLower(x.Field)+" "+x.Op.String()+" "+strings.Join(vs, "|"))
		case *cql.BinaryExpr:
			if x.Op != cql.LogicAnd {
				t.Errorf("built CQL %q has an OR", q)
			}
			walk(x.X)
			walk(x.Y)
		case *cql.NotExpr:
			t.Errorf("built CQL %q has a NOT", q)
		}
	}
	walk(parsed.Expr())
	return out
}

// Every PageFilter field becomes its own clause, ANDed, through the cql builder.
func TestBuildPageFilterFields(t *testing.T) {
	since := time.Date(2026, 11, 1, 9, 30, 0, 0, time.FixedZone("CET", 3600))
	days := 7
	blog, any := model.ContentTypeBlogpost, model.ContentTypeOther
	tests := []struct {
		name   string
		filter model.PageFilter
		want   []string
		order  string
	}{
		{"empty filter lists pages", model.PageFilter{}, []string{"type = page"}, ""},
		{"text alone is a page search", model.PageFilter{Text: strp("redis failover")},
			[]string{"type = page", "text ~ redis failover"}, ""},
		{"title", model.PageFilter{Title: strp("Payment")}, []string{"type = page", "title ~ Payment"}, ""},
		{"spaces and labels", model.PageFilter{Spaces: []string{"OPS", "ARCH"}, Labels: []string{"runbook"}},
			[]string{"type = page", "space IN OPS|ARCH", "label IN runbook"}, ""},
		{"modified since, in UTC", model.PageFilter{ModifiedSince: &since}, []string{"type = page", "lastmodified >= 2026-11-01 08:30"}, ""},
		{"modified within days", model.PageFilter{ModifiedWithinDays: &days}, []string{"type = page", "lastmodified >= *cql.Func"}, ""},
		{"ancestor", model.PageFilter{AncestorID: strp("100002")}, []string{"type = page", "ancestor = 100002"}, ""},
		{"type", model.PageFilter{Type: &blog, Text: strp("release")}, []string{"type = blogpost", "text ~ release"}, ""},
		{"any type", model.PageFilter{Type: &any, Text: strp("release")}, []string{"text ~ release"}, ""},
	}
	for _, o := range []struct {
		order model.SearchOrder
		want  string
	}{
		{model.SearchOrderLastModifiedDesc, "ORDER BY lastmodified DESC"},
		{model.SearchOrderLastModifiedAsc, "ORDER BY lastmodified ASC"},
		{model.SearchOrderCreatedDesc, "ORDER BY created DESC"},
		{model.SearchOrderTitleAsc, "ORDER BY title ASC"},
		{model.SearchOrderRelevance, ""},
	} {
		order := o.order
		tests = append(tests, struct {
			name   string
			filter model.PageFilter
			want   []string
			order  string
		}{"order " + string(o.order), model.PageFilter{Text: strp("x"), OrderBy: &order}, []string{"type = page", "text ~ x"}, o.want})
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, err := buildPageFilter(tt.filter)
			if err != nil {
				t.Fatal(err)
			}
			if got := clauses(t, q); !slices.Equal(got, tt.want) {
				t.Errorf("clauses of %q = %q, want %q", q, got, tt.want)
			}
			if got := strings.Contains(q, "ORDER BY"); got != (tt.order != "") || (tt.order != "" && !strings.Contains(strings.ToLower(q), strings.ToLower(tt.order))) {
				t.Errorf("cql = %q, want order %q", q, tt.order)
			}
		})
	}
}

// A filter value stays one value: quotes and CQL keywords in it cannot add a clause.
func TestBuildPageFilterIsInjectionSafe(t *testing.T) {
	evil := `a" OR type = space`
	tests := []struct {
		name   string
		filter model.PageFilter
		want   []string
	}{
		{"space key", model.PageFilter{Spaces: []string{evil}}, []string{"type = page", "space IN " + evil}},
		{"label", model.PageFilter{Labels: []string{"ok", evil}}, []string{"type = page", "label IN ok|" + evil}},
		{"ancestor", model.PageFilter{Text: strp("x"), AncestorID: strp(evil)}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, err := buildPageFilter(tt.filter)
			if tt.want == nil {
				var ie *InputError
				if !errors.As(err, &ie) {
					t.Fatalf("buildPageFilter = %q, %v; want an *InputError", q, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := clauses(t, q); !slices.Equal(got, tt.want) {
				t.Errorf("clauses of %q = %q, want %q", q, got, tt.want)
			}
		})
	}
	// In text and title the quote is escaped and the words are searched for literally.
	for _, f := range []model.PageFilter{{Text: strp(evil)}, {Title: strp(evil)}} {
		q, err := buildPageFilter(f)
		if err != nil {
			t.Fatal(err)
		}
		got := clauses(t, q)
		if len(got) != 2 || got[0] != "type = page" || !strings.Contains(got[1], "OR type = space") {
			t.Errorf("clauses of %q = %q, want type = page and one text clause holding the whole value", q, got)
		}
	}
}

// Out-of-range and empty filters are input errors, not CQL sent upstream. (An empty filter is
// not empty: type defaults to PAGE, so {} lists pages; see TestBuildPageFilterFields.)
func TestBuildPageFilterRejects(t *testing.T) {
	zero, big := 0, 3651
	any := model.ContentTypeOther
	for name, f := range map[string]model.PageFilter{
		"any type and nothing else":  {Type: &any},
		"any type and blank text":    {Type: &any, Text: strp("   ")},
		"modifiedWithinDays 0":       {ModifiedWithinDays: &zero},
		"modifiedWithinDays 3651":    {ModifiedWithinDays: &big},
		"punctuation-only text word": {Text: strp(`""`)},
	} {
		t.Run(name, func(t *testing.T) {
			q, err := buildPageFilter(f)
			var ie *InputError
			if !errors.As(err, &ie) {
				t.Errorf("buildPageFilter = %q, %v; want an *InputError", q, err)
			}
		})
	}
}
