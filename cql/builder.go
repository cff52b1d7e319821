package cql

import (
	"strconv"
	"strings"
	"time"
)

// This file is the safe builder: queries made from typed values. Every
// value becomes a leaf of the syntax tree and the printer quotes and
// escapes it, so no value can change the structure of the query
// (title = `a" or type = page` stays one clause on title).
//
//	q, err := cql.Build(
//		cql.And(
//			cql.Field("type").Eq(cql.String("page")),
//			cql.Field("space").In(cql.Strings("OPS", "ENG")...),
//			cql.Field("lastModified").Ge(cql.Now(cql.Days(-7))),
//		),
//		cql.Descending("lastModified"),
//	)

// FieldRef names the field of a clause being built. The name is checked
// by Build, case-insensitively.
type FieldRef struct{ name string }

// Field starts a clause on the named field.
func Field(name string) FieldRef { return FieldRef{name: name} }

func (f FieldRef) clause(op Op, vs []Value) *Clause {
	return &Clause{Field: f.name, Op: op, Values: vs}
}

// Eq builds "field = v".
func (f FieldRef) Eq(v Value) Expr { return f.clause(OpEq, []Value{v}) }

// Ne builds "field != v".
func (f FieldRef) Ne(v Value) Expr { return f.clause(OpNe, []Value{v}) }

// Contains builds "field ~ v" (a text search; see Terms and Phrase).
func (f FieldRef) Contains(v Value) Expr { return f.clause(OpContains, []Value{v}) }

// NotContains builds "field !~ v".
func (f FieldRef) NotContains(v Value) Expr { return f.clause(OpNotContains, []Value{v}) }

// Gt builds "field > v".
func (f FieldRef) Gt(v Value) Expr { return f.clause(OpGt, []Value{v}) }

// Ge builds "field >= v".
func (f FieldRef) Ge(v Value) Expr { return f.clause(OpGe, []Value{v}) }

// Lt builds "field < v".
func (f FieldRef) Lt(v Value) Expr { return f.clause(OpLt, []Value{v}) }

// Le builds "field <= v".
func (f FieldRef) Le(v Value) Expr { return f.clause(OpLe, []Value{v}) }

// In builds "field IN (vs...)". Build rejects an empty list.
func (f FieldRef) In(vs ...Value) Expr { return f.clause(OpIn, vs) }

// NotIn builds "field NOT IN (vs...)". Build rejects an empty list.
func (f FieldRef) NotIn(vs ...Value) Expr { return f.clause(OpNotIn, vs) }

// String is a value taken exactly as given (any characters).
func String(s string) Value { return &Literal{Text: s} }

// Strings is String applied to each element, for In and NotIn.
func Strings(ss ...string) []Value {
	vs := make([]Value, len(ss))
	for i, s := range ss {
		vs[i] = String(s)
	}
	return vs
}

// Int is a decimal number value, such as a content id.
func Int(n int64) Value { return &Literal{Text: strconv.FormatInt(n, 10)} }

// DateTime is a date-time value "yyyy-MM-dd HH:mm" taken from t's own
// clock reading; Confluence reads it in the site or user time zone, so
// convert t with t.In(zone) first. As a literal it names a whole minute.
func DateTime(t time.Time) Value { return &Literal{Text: t.Format("2006-01-02 15:04")} }

// Date is a date value "yyyy-MM-dd" from t's own calendar day; it names a
// whole day in the site or user time zone.
func Date(t time.Time) Value { return &Literal{Text: t.Format("2006-01-02")} }

// Terms is a text-search value (for ~ and !~) that looks for every word
// of s, anywhere, in any order. Characters with a meaning in text search
// (wildcards, quotes, the fuzzy '~', backslash) are escaped, so they are
// searched literally. A string with no word makes Build fail with
// KindEmptyText.
func Terms(s string) Value {
	fields := strings.Fields(s)
	for i, w := range fields {
		fields[i] = escapeText(w)
	}
	return &Literal{Text: strings.Join(fields, " ")}
}

// Phrase is a text-search value (for ~ and !~) that looks for the words of
// s next to each other, in order.
func Phrase(s string) Value { return &Literal{Text: `"` + escapeText(s) + `"`} }

// escapeText puts a backslash before every character with a meaning in
// the text-search syntax.
func escapeText(s string) string {
	var b strings.Builder
	for _, r := range s {
		if strings.ContainsRune(`\"*?~+-!&|(){}[]^:/`, r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Increment is an offset for the date functions: a count and a unit. Make
// one with Years, Months, Weeks, Days, Hours or Minutes.
type Increment struct {
	n    int
	unit byte
}

// Years is an increment of n years (negative: into the past).
func Years(n int) Increment { return Increment{n, 'y'} }

// Months is an increment of n months.
func Months(n int) Increment { return Increment{n, 'M'} }

// Weeks is an increment of n weeks.
func Weeks(n int) Increment { return Increment{n, 'w'} }

// Days is an increment of n days.
func Days(n int) Increment { return Increment{n, 'd'} }

// Hours is an increment of n hours.
func Hours(n int) Increment { return Increment{n, 'h'} }

// Minutes is an increment of n minutes.
func Minutes(n int) Increment { return Increment{n, 'm'} }

// String renders the increment as CQL writes it: "-7d", "+1M".
func (i Increment) String() string {
	sign := "+"
	n := i.n
	if n < 0 {
		sign, n = "-", -n
	}
	return sign + strconv.Itoa(n) + string(i.unit)
}

func dateCall(name string, inc []Increment) Value {
	f := &Func{Name: name}
	for _, i := range inc {
		f.Args = append(f.Args, Literal{Text: i.String()})
	}
	return f
}

// Now is now([inc]). Build rejects more than one increment, and counts of
// more than six digits.
func Now(inc ...Increment) Value { return dateCall("now", inc) }

// StartOfDay is startOfDay([inc]).
func StartOfDay(inc ...Increment) Value { return dateCall("startOfDay", inc) }

// StartOfWeek is startOfWeek([inc]).
func StartOfWeek(inc ...Increment) Value { return dateCall("startOfWeek", inc) }

// StartOfMonth is startOfMonth([inc]).
func StartOfMonth(inc ...Increment) Value { return dateCall("startOfMonth", inc) }

// StartOfYear is startOfYear([inc]).
func StartOfYear(inc ...Increment) Value { return dateCall("startOfYear", inc) }

// EndOfDay is endOfDay([inc]).
func EndOfDay(inc ...Increment) Value { return dateCall("endOfDay", inc) }

// EndOfWeek is endOfWeek([inc]).
func EndOfWeek(inc ...Increment) Value { return dateCall("endOfWeek", inc) }

// EndOfMonth is endOfMonth([inc]).
func EndOfMonth(inc ...Increment) Value { return dateCall("endOfMonth", inc) }

// EndOfYear is endOfYear([inc]).
func EndOfYear(inc ...Increment) Value { return dateCall("endOfYear", inc) }

// CurrentUser is currentUser(), for creator, contributor, mention, watcher
// and favourite.
func CurrentUser() Value { return &Func{Name: "currentUser"} }

// FavouriteSpaces is favouriteSpaces(), for space IN / NOT IN.
func FavouriteSpaces() Value { return &Func{Name: "favouriteSpaces"} }

// RecentlyViewedSpaces is recentlyViewedSpaces(limit), for space IN / NOT IN.
func RecentlyViewedSpaces(limit int) Value {
	return &Func{Name: "recentlyViewedSpaces", Args: []Literal{{Text: strconv.Itoa(limit)}}}
}

// RecentlyViewedContent is recentlyViewedContent(limit, offset), for
// ancestor, content, id and parent IN / NOT IN.
func RecentlyViewedContent(limit, offset int) Value {
	return &Func{Name: "recentlyViewedContent", Args: []Literal{{Text: strconv.Itoa(limit)}, {Text: strconv.Itoa(offset)}}}
}

// CurrentSpace is currentSpace(), for space = / !=.
func CurrentSpace() Value { return &Func{Name: "currentSpace"} }

// And joins xs with AND, left to right. nil elements are skipped; with
// one element it returns that element, with none nil (which Build
// rejects). An element that is itself a chain is kept as one operand, so
// And(a, Or(b, c)) is "a AND (b OR c)".
func And(xs ...Expr) Expr { return chain(LogicAnd, xs) }

// Or joins xs with OR, left to right, like And.
func Or(xs ...Expr) Expr { return chain(LogicOr, xs) }

func chain(op Logic, xs []Expr) Expr {
	var out Expr
	for _, x := range xs {
		if x == nil {
			continue
		}
		if out == nil {
			out = x
			continue
		}
		out = &BinaryExpr{Op: op, X: out, Y: x}
	}
	return out
}

// Not builds "NOT x". Confluence rejects a query whose first clause is
// negated, so Build fails for Not(x) alone or first in an And/Or chain.
func Not(x Expr) Expr { return &NotExpr{X: x} }

// Ascending is "ORDER BY field ASC".
func Ascending(field string) OrderItem { return OrderItem{Field: field, Dir: DirAsc} }

// Descending is "ORDER BY field DESC".
func Descending(field string) OrderItem { return OrderItem{Field: field, Dir: DirDesc} }

// Build checks x and order exactly as Parse checks text and returns the
// query. It copies its input, so nodes may be reused (for example
// q.Expr() of another query). Errors are *Error without a position.
func Build(x Expr, order ...OrderItem) (*Query, error) {
	q := &Query{expr: cloneExpr(x)}
	if len(order) > 0 {
		q.order = append([]OrderItem(nil), order...)
	}
	if err := q.check(); err != nil {
		return nil, err
	}
	return q, nil
}

func cloneExpr(x Expr) Expr {
	switch x := x.(type) {
	case *Clause:
		if x == nil {
			return nil
		}
		c := *x
		c.Values = make([]Value, len(x.Values))
		for i, v := range x.Values {
			c.Values[i] = cloneValue(v)
		}
		return &c
	case *NotExpr:
		if x == nil {
			return nil
		}
		return &NotExpr{X: cloneExpr(x.X), Pos: x.Pos}
	case *BinaryExpr:
		if x == nil {
			return nil
		}
		return &BinaryExpr{Op: x.Op, X: cloneExpr(x.X), Y: cloneExpr(x.Y)}
	}
	return nil // check reports the missing expression
}

func cloneValue(v Value) Value {
	switch v := v.(type) {
	case *Literal:
		if v == nil {
			return nil
		}
		l := *v
		return &l
	case *Func:
		if v == nil {
			return nil
		}
		f := *v
		f.Args = append([]Literal(nil), v.Args...)
		return &f
	}
	return v
}
