package cql

import (
	"fmt"
	"strings"
)

func posErr(kind ErrorKind, p Pos, format string, args ...any) *Error {
	return &Error{Kind: kind, Line: p.Line, Column: p.Column, Offset: p.Offset, Message: fmt.Sprintf(format, args...)}
}

// check validates q against the field and function tables, canonicalises
// field and function names in place and compiles text searches.
func (q *Query) check() error {
	if q.expr == nil {
		return &Error{Kind: KindSyntax, Message: "the query is empty; give at least one clause"}
	}
	if n := leadingNot(q.expr); n != nil {
		return posErr(KindSyntax, n.Pos, "a query cannot start with NOT (Confluence rejects a negative first clause); put a positive clause first, e.g. type = page AND NOT ...")
	}
	q.text = map[*Clause]*textQuery{}
	if err := q.checkExpr(q.expr, 0); err != nil {
		return err
	}
	for i := range q.order {
		it := &q.order[i]
		f := lookupField(it.Field)
		if f == nil {
			return unknownField(it.Field, it.Pos)
		}
		if !f.orderBy {
			e := posErr(KindOperator, it.Pos, "ORDER BY is not supported on field '%s'; order by one of: %s", f.name, strings.Join(orderable(), ", "))
			e.Field = it.Field
			return e
		}
		it.Field = f.name
		if it.Dir < DirDefault || it.Dir > DirDesc {
			return posErr(KindSyntax, it.Pos, "invalid ORDER BY direction for '%s'", f.name)
		}
	}
	return nil
}

func orderable() []string {
	var out []string
	for _, f := range fieldTable {
		if f.orderBy {
			out = append(out, f.name)
		}
	}
	return out
}

// leadingNot returns the NOT that the query starts with, if any.
func leadingNot(x Expr) *NotExpr {
	for {
		switch y := x.(type) {
		case *BinaryExpr:
			x = y.X
		case *NotExpr:
			return y
		default:
			return nil
		}
	}
}

func unknownField(name string, p Pos) *Error {
	sugg := closest(name, Fields(), 3)
	e := posErr(KindUnknownField, p, "No field exists with the name: '%s'; closest known names: %s", name, strings.Join(sugg, ", "))
	e.Field = name
	e.Suggestions = sugg
	return e
}

func (q *Query) checkExpr(x Expr, depth int) error {
	if depth > 4*maxDepth {
		return &Error{Kind: KindSyntax, Message: fmt.Sprintf("the query nests more than %d deep", 4*maxDepth)}
	}
	switch x := x.(type) {
	case *Clause:
		return q.checkClause(x)
	case *NotExpr:
		if x.X == nil {
			return posErr(KindSyntax, x.Pos, "NOT needs an expression after it")
		}
		return q.checkExpr(x.X, depth+1)
	case *BinaryExpr:
		if x.Op != LogicAnd && x.Op != LogicOr {
			return &Error{Kind: KindSyntax, Message: "a binary expression needs AND or OR"}
		}
		if x.X == nil || x.Y == nil {
			return &Error{Kind: KindSyntax, Message: fmt.Sprintf("%s needs an expression on both sides", x.Op)}
		}
		if err := q.checkExpr(x.X, depth+1); err != nil {
			return err
		}
		return q.checkExpr(x.Y, depth+1)
	case nil:
		return &Error{Kind: KindSyntax, Message: "missing expression"}
	}
	return &Error{Kind: KindSyntax, Message: fmt.Sprintf("unknown expression node %T", x)}
}

func (q *Query) checkClause(c *Clause) error {
	f := lookupField(c.Field)
	if f == nil {
		return unknownField(c.Field, c.Pos)
	}
	if c.Op < OpEq || c.Op > OpNotIn {
		return posErr(KindSyntax, c.OpPos, "invalid operator for field '%s'", f.name)
	}
	if !f.ops.has(c.Op) {
		e := posErr(KindOperator, c.OpPos, "operator '%s' is not supported for field '%s'; use one of: %s", c.Op, f.name, f.ops)
		e.Field = c.Field
		return e
	}
	c.Field = f.name
	list := c.Op == OpIn || c.Op == OpNotIn
	switch {
	case len(c.Values) == 0:
		return posErr(KindSyntax, c.OpPos, "expected a value after '%s'", c.Op)
	case !list && len(c.Values) > 1:
		return posErr(KindSyntax, c.OpPos, "operator '%s' takes one value, not %d; use IN for a list", c.Op, len(c.Values))
	}
	for _, v := range c.Values {
		var err error
		switch v := v.(type) {
		case *Literal:
			err = q.checkLiteral(c, f, v)
		case *Func:
			err = checkFunc(c, f, v)
		default:
			err = posErr(KindSyntax, c.OpPos, "missing value after '%s'", c.Op)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func (q *Query) checkLiteral(c *Clause, f *field, v *Literal) error {
	switch f.kind {
	case kindContent:
		if v.Text == "" || strings.Trim(v.Text, "0123456789") != "" {
			return posErr(KindValue, v.Pos, "field '%s' takes a numeric content id, not %s", f.name, quote(v.Text))
		}
	case kindDate:
		if msg := checkDate(v.Text); msg != "" {
			return posErr(KindValue, v.Pos, "%s", msg)
		}
	case kindText, kindTitle:
		if c.Op == OpContains || c.Op == OpNotContains {
			tq, err := compileText(v.Text)
			if err != nil {
				err.Line, err.Column, err.Offset = v.Pos.Line, v.Pos.Column, v.Pos.Offset
				return err
			}
			q.text[c] = tq
		}
	}
	return nil
}

func checkFunc(c *Clause, f *field, v *Func) error {
	fd := lookupFunc(v.Name)
	if fd == nil {
		return posErr(KindValue, v.Pos, "unknown function '%s()'; closest known functions: %s", v.Name, strings.Join(closest(v.Name, Functions(), 3), ", "))
	}
	v.Name = fd.name
	usable := false
	for _, k := range fd.kinds {
		usable = usable || k == f.kind
	}
	if !usable {
		e := posErr(KindOperator, v.Pos, "function '%s()' cannot be used with field '%s'", fd.name, f.name)
		e.Field = c.Field
		return e
	}
	if !fd.ops.has(c.Op) {
		e := posErr(KindOperator, c.OpPos, "function '%s()' cannot be used with operator '%s'; use one of: %s", fd.name, c.Op, fd.ops)
		e.Field = c.Field
		return e
	}
	if len(v.Args) < fd.minArgs || len(v.Args) > fd.maxArgs {
		want := fmt.Sprintf("%d to %d arguments", fd.minArgs, fd.maxArgs)
		switch {
		case fd.maxArgs == 0:
			want = "no arguments"
		case fd.minArgs == fd.maxArgs:
			want = fmt.Sprintf("%d argument", fd.minArgs)
		}
		return posErr(KindValue, v.Pos, "function '%s()' takes %s, not %d", fd.name, want, len(v.Args))
	}
	for _, a := range v.Args {
		switch fd.argKind {
		case argIncrement:
			if _, ok := parseIncrement(a.Text); !ok {
				return posErr(KindValue, a.Pos, "invalid increment %s for %s(): write (+/-)nn followed by y, M, w, d, h or m, e.g. \"-7d\"", quote(a.Text), fd.name)
			}
		case argCount:
			if a.Text == "" || len(a.Text) > 6 || strings.Trim(a.Text, "0123456789") != "" {
				return posErr(KindValue, a.Pos, "%s() takes a whole number of at most 6 digits, not %s", fd.name, quote(a.Text))
			}
		}
	}
	return nil
}
