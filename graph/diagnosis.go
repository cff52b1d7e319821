package graph

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"golang.org/x/sync/errgroup"

	"github.com/confluence-graph/confluence-graph/cql"
	"github.com/confluence-graph/confluence-graph/graph/model"
	"github.com/confluence-graph/confluence-graph/loaders"
)

// maxProbes is how many conditions a diagnosis tries alone; with the spaces listing that makes
// at most five upstream calls, sent in parallel.
const (
	maxProbes       = 4
	diagnosisSpaces = 250
)

// condition is one AND-ed part of a query, as the diagnosis tries it: a filter clause, or one
// word of a text or title search.
type condition struct {
	expr cql.Expr
	text string // the condition as CQL
	word string // the word, for one word of a text search; "" for a filter
	hits int
}

// diagnose answers SearchConnection.diagnosis: nil when the search found something; otherwise
// the visible spaces, each condition tried alone (with the content type kept), the one that
// finds nothing alone, and a broader query.
func diagnose(ctx context.Context, sc *model.SearchConnection) (*model.SearchDiagnosis, error) {
	if sc == nil || sc.TotalCount > 0 || len(sc.Nodes) > 0 {
		return nil, nil
	}
	q, err := cql.Parse(sc.Cql)
	if err != nil {
		return nil, err
	}
	scope, conds, order := splitConditions(q)
	d := &model.SearchDiagnosis{VisibleSpaces: []string{}, Conditions: []*model.ConditionCheck{}}
	probes := conds[:min(len(conds), maxProbes)]
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		list, err := loaders.For(gctx).Spaces(gctx, loaders.SpacesRequest{First: diagnosisSpaces})
		for _, s := range list.Items {
			d.VisibleSpaces = append(d.VisibleSpaces, s.Key)
		}
		return err
	})
	// A query of a single condition needs no probe: it is the one that found nothing.
	if len(conds) > 1 {
		for _, c := range probes {
			g.Go(func() error {
				pq, err := cql.Build(cql.And(append(slices.Clone(scope), c.expr)...))
				if err != nil {
					return err
				}
				sp, _, err := loaders.For(gctx).Search(gctx, loaders.SearchRequest{SearchQuery: loaders.SearchQuery{CQL: pq.String()}, First: 1})
				c.hits = max(sp.Total, len(sp.Hits))
				return err
			})
		}
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	var eliminated *condition
	for _, c := range conds {
		if sp := unseenSpaces(c.expr, d.VisibleSpaces); len(sp) > 0 {
			eliminated = c
			d.Summary = fmt.Sprintf("the connected account cannot see space %s; it sees %d spaces", strings.Join(sp, ", "), len(d.VisibleSpaces))
			break
		}
	}
	if len(conds) > 1 {
		for _, c := range probes {
			d.Conditions = append(d.Conditions, &model.ConditionCheck{Cql: c.text, Hits: c.hits})
			if eliminated == nil && c.hits == 0 {
				eliminated = c
			}
		}
	}
	if eliminated == nil && len(conds) == 1 {
		eliminated = conds[0]
	}
	switch {
	case d.Summary != "":
	case eliminated != nil && len(conds) == 1:
		d.Summary = "the query's only condition matches nothing the account can see"
	case eliminated != nil:
		d.Summary = fmt.Sprintf("%s alone finds nothing, so it eliminated everything", eliminated.text)
	case len(conds) == 0:
		d.Summary = "the query has no condition besides the content type, and the account sees no such content"
	default:
		d.Summary = "each condition finds something alone; together they are too narrow (try matching any word)"
	}
	if eliminated != nil {
		d.EliminatedBy = &eliminated.text
	}
	if b := broaderQuery(scope, conds, eliminated, order); b != "" && b != sc.Cql {
		d.BroaderCql = &b
	}
	return d, nil
}

// splitConditions reads a query's top-level AND chain: the content-type clauses (kept in every
// probe), the other conditions (each word of a text or title search alone), and the order.
// A query that is not an AND chain is one condition.
func splitConditions(q *cql.Query) (scope []cql.Expr, conds []*condition, order []cql.OrderItem) {
	var parts []cql.Expr
	var walk func(x cql.Expr)
	walk = func(x cql.Expr) {
		if b, ok := x.(*cql.BinaryExpr); ok && b.Op == cql.LogicAnd {
			walk(b.X)
			walk(b.Y)
			return
		}
		parts = append(parts, x)
	}
	walk(q.Expr())
	for _, x := range parts {
		c, ok := x.(*cql.Clause)
		switch {
		case ok && strings.EqualFold(c.Field, "type"):
			scope = append(scope, x)
		case ok && c.Op == cql.OpContains && (strings.EqualFold(c.Field, "text") || strings.EqualFold(c.Field, "title")) && len(textWords(c)) > 1:
			for _, w := range textWords(c) {
				e := cql.Field(c.Field).Contains(cql.Terms(w))
				conds = append(conds, &condition{expr: e, text: printExpr(e), word: w})
			}
		default:
			conds = append(conds, &condition{expr: x, text: printExpr(x)})
		}
	}
	return scope, conds, q.OrderBy()
}

// textWords are the words of a text-search clause's value.
func textWords(c *cql.Clause) []string {
	var out []string
	for _, v := range c.Values {
		if l, ok := v.(*cql.Literal); ok {
			for _, w := range words(l.Text) {
				if !slices.Contains(out, w) {
					out = append(out, w)
				}
			}
		}
	}
	return out
}

// unseenSpaces returns the keys a space = / IN clause names that are not among visible.
func unseenSpaces(x cql.Expr, visible []string) []string {
	c, ok := x.(*cql.Clause)
	if !ok || !strings.EqualFold(c.Field, "space") || (c.Op != cql.OpEq && c.Op != cql.OpIn) {
		return nil
	}
	var out []string
	for _, v := range c.Values {
		if l, ok := v.(*cql.Literal); ok && !slices.ContainsFunc(visible, func(k string) bool { return strings.EqualFold(k, l.Text) }) {
			out = append(out, l.Text)
		}
	}
	if len(out) < len(c.Values) {
		return nil // some named space is visible: the clause alone can match
	}
	return out
}

// broaderQuery drops the eliminating condition and joins the words of every text condition
// with OR; "" when nothing but the content type would be left (that is no suggestion).
func broaderQuery(scope []cql.Expr, conds []*condition, eliminated *condition, order []cql.OrderItem) string {
	var filters, wordsOr []cql.Expr
	for _, c := range conds {
		switch {
		case c == eliminated:
		case c.word != "":
			wordsOr = append(wordsOr, c.expr)
		default:
			filters = append(filters, c.expr)
		}
	}
	if len(filters)+len(wordsOr) == 0 {
		return ""
	}
	xs := slices.Concat(scope, filters)
	if len(wordsOr) > 0 {
		xs = append(xs, cql.Or(wordsOr...))
	}
	if len(xs) == 0 {
		return ""
	}
	q, err := cql.Build(cql.And(xs...), order...)
	if err != nil {
		return ""
	}
	return q.String()
}

// printExpr prints one condition as CQL.
func printExpr(x cql.Expr) string {
	q, err := cql.Build(x)
	if err != nil {
		return fmt.Sprint(x)
	}
	return q.String()
}
