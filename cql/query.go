package cql

// Query is a parsed or built CQL query: a boolean expression and an
// optional ORDER BY list. A Query is immutable and safe for concurrent use.
type Query struct {
	expr  Expr
	order []OrderItem
}

// Expr is a boolean expression node: *Clause, *Not or *Binary.
type Expr interface{ exprNode() }

// OrderItem is one field of an ORDER BY list.
type OrderItem struct {
	Field string
}

// Parse parses and checks a CQL query. Errors are *Error.
func Parse(s string) (*Query, error) {
	return nil, &Error{Kind: KindSyntax, Line: 1, Column: 1, Message: "not implemented yet"}
}

// String returns the query in canonical CQL.
func (q *Query) String() string { return "" }

// Match reports whether d satisfies the query in env.
func (q *Query) Match(d Document, env Env) (bool, error) {
	return false, &Error{Kind: KindUnsupported, Message: "not implemented yet"}
}

// Sort orders docs by the query's ORDER BY (stable); without one, by
// lastModified descending, then id descending.
func (q *Query) Sort(docs []Document, env Env) {}
