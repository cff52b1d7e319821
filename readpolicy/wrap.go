package readpolicy

import (
	"github.com/confluence-graph/confluence-graph/cql"
)

// Wrap returns q restricted by p: "(q) AND space IN (allowed) AND label NOT IN (excluded)",
// with q's ORDER BY kept. The restriction is added to the parsed syntax tree and the whole query
// printed again, so nothing in q (an OR, a parenthesis, a quote, an ORDER BY) can lift it: the
// result is one AND whose right-hand operands are the policy's clauses. q itself is returned
// when p is empty.
//
// label NOT IN hides content that carries an excluded label itself; a comment or an attachment
// whose page carries one is not hidden by the query and must be filtered by its container
// (the loaders do).
func (p Policy) Wrap(q *cql.Query) (*cql.Query, error) {
	if p.Empty() {
		return q, nil
	}
	parts := []cql.Expr{q.Expr()}
	if len(p.AllowedSpaces) > 0 {
		parts = append(parts, cql.Field("space").In(cql.Strings(p.AllowedSpaces...)...))
	}
	if len(p.ExcludedLabels) > 0 {
		parts = append(parts, cql.Field("label").NotIn(cql.Strings(p.ExcludedLabels...)...))
	}
	return cql.Build(cql.And(parts...), q.OrderBy()...)
}
