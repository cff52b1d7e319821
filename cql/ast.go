package cql

// Pos is a position in the query text: Line and Column are 1-based (Column
// counts characters), Offset is the 0-based byte offset. The zero Pos means
// "no position" (nodes made by the builder).
type Pos struct {
	Line, Column, Offset int
}

// Expr is a boolean expression node: *Clause, *NotExpr or *BinaryExpr. The set is
// closed; other implementations cannot be made outside this package.
type Expr interface{ exprNode() }

// Op is a clause operator.
type Op int

// The clause operators of CQL.
const (
	OpEq          Op = iota + 1 // =
	OpNe                        // !=
	OpContains                  // ~
	OpNotContains               // !~
	OpGt                        // >
	OpGe                        // >=
	OpLt                        // <
	OpLe                        // <=
	OpIn                        // IN
	OpNotIn                     // NOT IN
)

// String returns the operator as written in canonical CQL ("=", "NOT IN").
func (o Op) String() string {
	switch o {
	case OpEq:
		return "="
	case OpNe:
		return "!="
	case OpContains:
		return "~"
	case OpNotContains:
		return "!~"
	case OpGt:
		return ">"
	case OpGe:
		return ">="
	case OpLt:
		return "<"
	case OpLe:
		return "<="
	case OpIn:
		return "IN"
	case OpNotIn:
		return "NOT IN"
	}
	return "?"
}

// negative reports whether the operator is the negation of another one.
func (o Op) negative() bool {
	return o == OpNe || o == OpNotContains || o == OpNotIn
}

// Clause is "field op value" or "field IN (values)". Field is the
// canonical field name (see Fields). Values has exactly one element for
// every operator but IN and NOT IN, which have one or more.
type Clause struct {
	Field  string
	Op     Op
	Values []Value
	Pos    Pos // position of the field name
	OpPos  Pos // position of the operator
}

// NotExpr is "NOT x".
type NotExpr struct {
	X   Expr
	Pos Pos // position of the NOT keyword
}

// Logic is the connective of a Binary.
type Logic int

// The two connectives. CQL gives them no precedence: a chain is evaluated
// left to right, so "a AND b OR c" is "(a AND b) OR c" and
// "a OR b AND c" is "(a OR b) AND c".
const (
	LogicAnd Logic = iota + 1
	LogicOr
)

// String returns "AND" or "OR".
func (l Logic) String() string {
	if l == LogicOr {
		return "OR"
	}
	return "AND"
}

// BinaryExpr is "x AND y" or "x OR y". A chain parsed from text nests to
// the left: ((a AND b) OR c).
type BinaryExpr struct {
	Op   Logic
	X, Y Expr
}

func (*Clause) exprNode()     {}
func (*NotExpr) exprNode()    {}
func (*BinaryExpr) exprNode() {}

// Value is the right-hand side of a clause: *Literal or *Func. The set is
// closed.
type Value interface{ valueNode() }

// Literal is a quoted or unquoted value. Text is the value after
// unquoting and unescaping; quoting is a matter of the printer.
type Literal struct {
	Text string
	Pos  Pos
}

// Func is a function call such as now("-7d") or currentUser(). Name is
// the canonical spelling (see Functions).
type Func struct {
	Name string
	Args []Literal
	Pos  Pos
}

func (*Literal) valueNode() {}
func (*Func) valueNode()    {}

// Direction is the sort direction of an OrderItem.
type Direction int

// Sort directions. DirDefault is what "ORDER BY field" without ASC or DESC
// means; this package sorts it ascending (Confluence documents each field
// as having its own default, without listing them).
const (
	DirDefault Direction = iota
	DirAsc
	DirDesc
)

// OrderItem is one entry of ORDER BY: a canonical field name and a
// direction.
type OrderItem struct {
	Field string
	Dir   Direction
	Pos   Pos
}
