package cql

import "strings"

// String returns the query in canonical CQL: keywords in upper case,
// canonical field and function names, single spaces, values bare when they
// are plain ASCII words (letters, digits, underscore) that are not reserved
// (inside IN lists: only when they are numbers) and double-quoted with
// backslash escapes otherwise, function arguments bare only when numeric,
// and parentheses where the left-to-right reading needs them, plus around
// an OR chain on the left of AND, so that the text means the same to a
// reader who expects AND to bind tighter.
// Parsing the result gives a query Equal to q.
func (q *Query) String() string {
	var b strings.Builder
	writeExpr(&b, q.expr)
	for i, it := range q.order {
		if i == 0 {
			b.WriteString(" ORDER BY ")
		} else {
			b.WriteString(", ")
		}
		b.WriteString(it.Field)
		switch it.Dir {
		case DirAsc:
			b.WriteString(" ASC")
		case DirDesc:
			b.WriteString(" DESC")
		}
	}
	return b.String()
}

func writeExpr(b *strings.Builder, x Expr) {
	switch x := x.(type) {
	case *Clause:
		b.WriteString(x.Field)
		b.WriteByte(' ')
		b.WriteString(x.Op.String())
		b.WriteByte(' ')
		if x.Op != OpIn && x.Op != OpNotIn {
			if len(x.Values) > 0 {
				writeValue(b, x.Values[0])
			}
			return
		}
		if len(x.Values) == 1 {
			if f, ok := x.Values[0].(*Func); ok {
				writeValue(b, f)
				return
			}
		}
		// Inside lists only numbers stay bare: unquoted space keys in
		// "space IN (A, B)" have been seen to fail on Cloud.
		b.WriteByte('(')
		for i, v := range x.Values {
			if i > 0 {
				b.WriteString(", ")
			}
			if l, ok := v.(*Literal); ok && !numeric(l.Text) {
				b.WriteString(quote(l.Text))
				continue
			}
			writeValue(b, v)
		}
		b.WriteByte(')')
	case *NotExpr:
		b.WriteString("NOT ")
		writeOperand(b, x.X)
	case *BinaryExpr:
		// An OR chain on the left of AND is parenthesised although the
		// left-to-right reading does not need it: a reader (or an engine)
		// that gives AND precedence, as JQL does, then still reads the
		// query as Confluence does.
		if l, ok := x.X.(*BinaryExpr); ok && x.Op == LogicAnd && l.Op == LogicOr {
			b.WriteByte('(')
			writeExpr(b, x.X)
			b.WriteByte(')')
		} else {
			writeExpr(b, x.X)
		}
		b.WriteByte(' ')
		b.WriteString(x.Op.String())
		b.WriteByte(' ')
		// The right operand needs parentheses when it is itself a chain.
		if _, ok := x.Y.(*BinaryExpr); ok {
			b.WriteByte('(')
			writeExpr(b, x.Y)
			b.WriteByte(')')
		} else {
			writeExpr(b, x.Y)
		}
	}
}

// writeOperand writes the operand of NOT, in parentheses unless it is a
// clause.
func writeOperand(b *strings.Builder, x Expr) {
	if _, ok := x.(*Clause); ok {
		writeExpr(b, x)
		return
	}
	b.WriteByte('(')
	writeExpr(b, x)
	b.WriteByte(')')
}

func writeValue(b *strings.Builder, v Value) {
	switch v := v.(type) {
	case *Literal:
		b.WriteString(literal(v.Text))
	case *Func:
		b.WriteString(v.Name)
		b.WriteByte('(')
		for i, a := range v.Args {
			if i > 0 {
				b.WriteString(", ")
			}
			// Increments are documented quoted; counts are numbers.
			if numeric(a.Text) {
				b.WriteString(a.Text)
			} else {
				b.WriteString(quote(a.Text))
			}
		}
		b.WriteByte(')')
	}
}

// literal renders a value bare when that is unambiguous, quoted otherwise.
func literal(s string) string {
	if bare(s) {
		return s
	}
	return quote(s)
}

func numeric(s string) bool {
	return s != "" && strings.Trim(s, "0123456789") == ""
}

func bare(s string) bool {
	if s == "" || isReserved(s) {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

// quote double-quotes s, escaping backslashes and double quotes. Any other
// byte, including newlines and invalid UTF-8, is kept as it is.
func quote(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		if s[i] == '"' || s[i] == '\\' {
			b.WriteByte('\\')
		}
		b.WriteByte(s[i])
	}
	b.WriteByte('"')
	return b.String()
}

// Quote returns s as a double-quoted CQL string literal with backslashes
// and double quotes escaped, for callers that assemble CQL text by hand.
// Prefer the builder.
func Quote(s string) string { return quote(s) }
