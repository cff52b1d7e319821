package bench

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"
)

// FieldVariant is the nested query cut down to its base (a space and its 25 pages) plus one
// field, so that the field's own upstream cost shows.
type FieldVariant struct {
	Field string // the selection added under pages { nodes { id title ... } }
	query *Query
}

// nestedFieldSelections are the fields of the nested query, each measured on its own.
var nestedFieldSelections = []string{
	"",
	"labels { name }",
	"author { displayName }",
	"children(first: 10) { nodes { id title } }",
	"children(first: 10) { nodes { id title ... on Page { labels { name } } } }",
	"comments(first: 5) { nodes { body { value } } }",
	"comments(first: 5) { nodes { author { displayName } body { value } } }",
	"attachments(first: 5) { nodes { title mediaType } }",
	"versions(first: 3) { nodes { number message } }",
}

// NestedFieldVariants returns the base query first, then one variant per field of the nested
// query. Variants run only in the API modes.
func NestedFieldVariants() []FieldVariant {
	out := make([]FieldVariant, len(nestedFieldSelections))
	for i, sel := range nestedFieldSelections {
		text := `query Field($key: String!) { space(key: $key) { name pages(first: 25) { nodes { id title ` + sel + ` } } } }`
		name := "base"
		if sel != "" {
			name = sel
		}
		out[i] = FieldVariant{Field: sel, query: &Query{
			Name:    name,
			Title:   "space → 25 pages → " + cmpOrString(sel, "(id, title only)"),
			GraphQL: text,
			api: func(ctx context.Context, a *API, t Targets) (any, error) {
				var res map[string]any
				err := a.Query(ctx, text, map[string]any{"key": t.SpaceKey}, &res)
				return res, err
			},
			naive: func(context.Context, *Naive, Targets) (any, error) {
				return nil, fmt.Errorf("bench: field variants run only through the API")
			},
		}}
	}
	return out
}

func cmpOrString(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// FieldCost is the measured cost of one field variant.
type FieldCost struct {
	Field string
	Cell  Cell
}

// MeasureFields measures every nested field variant in mode m at latency lat.
func (h *Harness) MeasureFields(ctx context.Context, m Mode, lat time.Duration, plan Plan) ([]FieldCost, error) {
	var out []FieldCost
	for _, v := range NestedFieldVariants() {
		c, err := h.Measure(ctx, v.query, m, lat, plan)
		if err != nil {
			return out, err
		}
		out = append(out, FieldCost{Field: v.Field, Cell: c})
	}
	return out, nil
}

func (r *Report) writeFields(p func(string, ...any)) {
	if len(r.Fields) == 0 {
		return
	}
	base := r.Fields[0].Cell
	p("### What each field of `nested` costs (api-unlimited, %v latency)\n\n", base.Latency)
	p("Each row is `space(key) { name pages(first: 25) { nodes { id title FIELD } } }`; *extra* is the calls beyond the base row.\n\n")
	p("| field | calls | extra | critical path | p50 | upstream requests |\n|---|---:|---:|---:|---:|---|\n")
	for _, f := range r.Fields {
		c := f.Cell
		extra := "–"
		if f.Field != "" {
			extra = fmt.Sprintf("+%d", c.Calls-base.Calls)
		}
		var eps []string
		for _, ep := range slices.Sorted(maps.Keys(c.ByEndpoint)) {
			eps = append(eps, fmt.Sprintf("`%s` ×%d", strings.TrimPrefix(ep, "GET "), c.ByEndpoint[ep]))
		}
		field := "(base)"
		if f.Field != "" {
			field = "`" + f.Field + "`"
		}
		p("| %s | %s | %s | %d | %s | %s |\n", field, callsText(c), extra, c.Chain,
			FormatDuration(c.P50), strings.Join(eps, ", "))
	}
	p("\n")
}
