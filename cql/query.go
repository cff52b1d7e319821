package cql

// Query is a parsed or built CQL query: a boolean expression and an
// optional ORDER BY list. A Query is immutable once returned by Parse or
// Build and is safe for concurrent use; do not modify the nodes returned
// by Expr or OrderBy.
type Query struct {
	expr  Expr
	order []OrderItem
	// text holds the compiled text search of every ~ and !~ clause.
	text map[*Clause]*textQuery
}

// Expr returns the root of the query's boolean expression.
func (q *Query) Expr() Expr { return q.expr }

// OrderBy returns the ORDER BY list; nil when the query has none.
func (q *Query) OrderBy() []OrderItem { return q.order }

// Equal reports whether a and b have the same structure and values,
// ignoring source positions. Two nil queries are equal.
func Equal(a, b *Query) bool {
	if a == nil || b == nil {
		return a == b
	}
	if !equalExpr(a.expr, b.expr) || len(a.order) != len(b.order) {
		return false
	}
	for i := range a.order {
		if a.order[i].Field != b.order[i].Field || a.order[i].Dir != b.order[i].Dir {
			return false
		}
	}
	return true
}

func equalExpr(a, b Expr) bool {
	switch x := a.(type) {
	case *Clause:
		y, ok := b.(*Clause)
		if !ok || x.Field != y.Field || x.Op != y.Op || len(x.Values) != len(y.Values) {
			return false
		}
		for i := range x.Values {
			if !equalValue(x.Values[i], y.Values[i]) {
				return false
			}
		}
		return true
	case *NotExpr:
		y, ok := b.(*NotExpr)
		return ok && equalExpr(x.X, y.X)
	case *BinaryExpr:
		y, ok := b.(*BinaryExpr)
		return ok && x.Op == y.Op && equalExpr(x.X, y.X) && equalExpr(x.Y, y.Y)
	}
	return false
}

func equalValue(a, b Value) bool {
	switch x := a.(type) {
	case *Literal:
		y, ok := b.(*Literal)
		return ok && x.Text == y.Text
	case *Func:
		y, ok := b.(*Func)
		if !ok || x.Name != y.Name || len(x.Args) != len(y.Args) {
			return false
		}
		for i := range x.Args {
			if x.Args[i].Text != y.Args[i].Text {
				return false
			}
		}
		return true
	}
	return false
}
