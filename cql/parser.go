package cql

import (
	"fmt"
	"strings"
)

// maxDepth bounds parenthesis and NOT nesting so hostile input cannot
// exhaust the stack.
const maxDepth = 100

// reservedWords must be quoted to be used as values (Confluence's CQL
// documentation lists them as reserved).
var reservedWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`after and as avg before begin by commit contains count distinct else empty end
		explain from having if in inner insert into is isnull left like limit max min not null or order outer right
		select sum then was where update`) {
		m[w] = true
	}
	return m
}()

// isReserved reports whether w, compared case-insensitively, is a reserved
// word or one of the keywords ASC and DESC.
func isReserved(w string) bool {
	lw := strings.ToLower(w)
	return reservedWords[lw] || lw == "asc" || lw == "desc"
}

// Parse parses a CQL query and checks it against the field and function
// tables of Confluence Cloud. Keywords, field names and function names are
// case-insensitive; the returned Query holds canonical spellings.
//
// Every error is a *Error. Syntax problems come first (KindSyntax); a
// syntactically valid query is then checked for unknown fields
// (KindUnknownField), operators or functions the field does not accept
// (KindOperator), bad values (KindValue) and empty text searches
// (KindEmptyText).
func Parse(s string) (*Query, error) {
	p := &parser{}
	if err := p.lexAll(s); err != nil {
		// Report the lexing error only if the parser gets that far.
		p.lexErr = err
	}
	q, err := p.parseQuery()
	if err != nil {
		return nil, err
	}
	if err := q.check(); err != nil {
		return nil, err
	}
	return q, nil
}

type parser struct {
	toks   []token
	lexErr error // error after the last token in toks
	i      int
}

func (p *parser) lexAll(s string) error {
	l := newLexer(s)
	for {
		t, err := l.next()
		if err != nil {
			return err
		}
		p.toks = append(p.toks, t)
		if t.kind == tokEOF {
			return nil
		}
	}
}

// peek returns the token n ahead of the current one. Past the tokens
// lexed, it returns the lexing error.
func (p *parser) peek(n int) (token, error) {
	if p.i+n < len(p.toks) {
		return p.toks[p.i+n], nil
	}
	if p.lexErr != nil {
		return token{}, p.lexErr
	}
	return p.toks[len(p.toks)-1], nil // EOF
}

func (p *parser) cur() (token, error) { return p.peek(0) }

func (p *parser) skip() { p.i++ }

// callAhead reports whether a '(' follows the current token: a word there is a function call.
func (p *parser) callAhead() bool {
	n, err := p.peek(1)
	return err == nil && n.kind == tokLParen
}

// isWord reports whether t is the unquoted word w, case-insensitively.
func isWord(t token, w string) bool {
	return t.kind == tokWord && strings.EqualFold(t.text, w)
}

func (p *parser) parseQuery() (*Query, error) {
	t, err := p.cur()
	if err != nil {
		return nil, err
	}
	if t.kind == tokEOF {
		return nil, syntaxErr(t.pos, "the query is empty; write at least one clause, e.g. type = page")
	}
	if isWord(t, "order") {
		if t2, err := p.peek(1); err == nil && isWord(t2, "by") {
			return nil, syntaxErr(t.pos, "ORDER BY needs a clause before it, e.g. type = page ORDER BY title")
		}
	}
	x, err := p.parseExpr(0)
	if err != nil {
		return nil, err
	}
	q := &Query{expr: x}
	t, err = p.cur()
	if err != nil {
		return nil, err
	}
	if isWord(t, "order") {
		q.order, err = p.parseOrder()
		if err != nil {
			return nil, err
		}
		t, err = p.cur()
		if err != nil {
			return nil, err
		}
	}
	switch t.kind {
	case tokEOF:
		return q, nil
	case tokRParen:
		return nil, syntaxErr(t.pos, "unexpected ')': there is no '(' for it to close")
	}
	if q.order != nil {
		return nil, syntaxErr(t.pos, "expected ',' or the end of the query after the ORDER BY list, found %s", t.describe())
	}
	return nil, syntaxErr(t.pos, "expected AND, OR, ORDER BY or the end of the query, found %s", t.describe())
}

func (p *parser) parseExpr(depth int) (Expr, error) {
	x, err := p.parseTerm(depth)
	if err != nil {
		return nil, err
	}
	for {
		t, err := p.cur()
		if err != nil {
			return nil, err
		}
		var op Logic
		switch {
		case isWord(t, "and"):
			op = LogicAnd
		case isWord(t, "or"):
			op = LogicOr
		default:
			return x, nil
		}
		p.skip()
		y, err := p.parseTerm(depth)
		if err != nil {
			return nil, err
		}
		x = &BinaryExpr{Op: op, X: x, Y: y}
	}
}

func (p *parser) parseTerm(depth int) (Expr, error) {
	t, err := p.cur()
	if err != nil {
		return nil, err // a lexing error carries its own position
	}
	if depth > maxDepth {
		return nil, syntaxErr(t.pos, "the query nests parentheses or NOT more than %d deep", maxDepth)
	}
	if isWord(t, "not") {
		p.skip()
		n, err := p.cur()
		if err != nil {
			return nil, err
		}
		if n.kind != tokLParen && (n.kind != tokWord || isWord(n, "not")) {
			return nil, syntaxErr(n.pos, "expected a field or '(' after NOT, found %s", n.describe())
		}
		x, err := p.parseTerm(depth + 1)
		if err != nil {
			return nil, err
		}
		return &NotExpr{X: x, Pos: t.pos}, nil
	}
	switch t.kind {
	case tokLParen:
		p.skip()
		x, err := p.parseExpr(depth + 1)
		if err != nil {
			return nil, err
		}
		c, err := p.cur()
		if err != nil {
			return nil, err
		}
		if c.kind != tokRParen {
			return nil, syntaxErr(c.pos, "missing ')' for the '(' at line %d, column %d; found %s", t.pos.Line, t.pos.Column, c.describe())
		}
		p.skip()
		return x, nil
	case tokWord:
		return p.parseClause()
	}
	return nil, syntaxErr(t.pos, "expected a field name, NOT or '(', found %s", t.describe())
}

func (p *parser) parseClause() (Expr, error) {
	f, _ := p.cur()
	p.skip()
	c := &Clause{Field: f.text, Pos: f.pos}
	t, err := p.cur()
	if err != nil {
		return nil, err
	}
	c.OpPos = t.pos
	switch {
	case t.kind == tokOp:
		p.skip()
		c.Op = t.op
		v, err := p.parseValue(fmt.Sprintf("after '%s'", t.op))
		if err != nil {
			return nil, err
		}
		c.Values = []Value{v}
		return c, nil
	case isWord(t, "in"):
		p.skip()
		c.Op = OpIn
	case isWord(t, "not"):
		p.skip()
		n, err := p.cur()
		if err != nil {
			return nil, err
		}
		if !isWord(n, "in") {
			return nil, syntaxErr(n.pos, "expected IN after '%s NOT', found %s", f.text, n.describe())
		}
		p.skip()
		c.Op = OpNotIn
	default:
		return nil, syntaxErr(t.pos, "expected an operator (=, !=, ~, !~, >, >=, <, <=, IN, NOT IN) after '%s', found %s", f.text, t.describe())
	}
	vs, err := p.parseList(c.Op)
	if err != nil {
		return nil, err
	}
	c.Values = vs
	return c, nil
}

// parseList reads the right side of IN / NOT IN: "(" value ("," value)* ")"
// or a single function call.
func (p *parser) parseList(op Op) ([]Value, error) {
	t, err := p.cur()
	if err != nil {
		return nil, err
	}
	if t.kind == tokWord && p.callAhead() {
		v, err := p.parseValue("after " + op.String())
		if err != nil {
			return nil, err
		}
		return []Value{v}, nil
	}
	if t.kind != tokLParen {
		return nil, syntaxErr(t.pos, "expected '(' and a list of values after %s, e.g. (a, b), found %s", op, t.describe())
	}
	p.skip()
	var vs []Value
	after := fmt.Sprintf("after '%s ('", op)
	where := fmt.Sprintf("in the %s list", op)
	for {
		v, err := p.parseValue(after)
		if err != nil {
			return nil, err
		}
		vs = append(vs, v)
		more, err := p.listSep(where)
		if err != nil {
			return nil, err
		}
		if !more {
			return vs, nil
		}
		after = "after ','"
	}
}

// listSep reads what follows an item of a parenthesised list (an IN list or a function's
// arguments): after ',' it reports that another item follows, after ')' that the list is
// closed; anything else is a syntax error, where naming the list ("in the IN list").
func (p *parser) listSep(where string) (bool, error) {
	t, err := p.cur()
	if err != nil {
		return false, err
	}
	switch t.kind {
	case tokComma:
		p.skip()
		return true, nil
	case tokRParen:
		p.skip()
		return false, nil
	}
	return false, syntaxErr(t.pos, "expected ',' or ')' %s, found %s", where, t.describe())
}

// parseValue reads a literal or a function call; after describes what
// precedes it, for the error message.
func (p *parser) parseValue(after string) (Value, error) {
	t, err := p.cur()
	if err != nil {
		return nil, err
	}
	switch t.kind {
	case tokString:
		p.skip()
		return &Literal{Text: t.text, Pos: t.pos}, nil
	case tokWord:
		if p.callAhead() {
			return p.parseFunc()
		}
		if reservedWords[strings.ToLower(t.text)] {
			return nil, syntaxErr(t.pos, "expected a value %s, found the reserved word '%s' (quote it if it is the value: \"%s\")", after, t.text, t.text)
		}
		p.skip()
		return &Literal{Text: t.text, Pos: t.pos}, nil
	}
	return nil, syntaxErr(t.pos, "expected a value %s, found %s", after, t.describe())
}

func (p *parser) parseFunc() (Value, error) {
	name, _ := p.cur()
	p.skip()
	p.skip() // "("
	f := &Func{Name: name.text, Pos: name.pos}
	t, err := p.cur()
	if err != nil {
		return nil, err
	}
	if t.kind == tokRParen {
		p.skip()
		return f, nil
	}
	where := "to close " + name.text + "("
	for {
		t, err := p.cur()
		if err != nil {
			return nil, err
		}
		switch {
		case t.kind == tokString:
		case t.kind == tokWord && !reservedWords[strings.ToLower(t.text)]:
			if p.callAhead() {
				return nil, syntaxErr(t.pos, "a function argument must be a plain value, not the call %s()", t.text)
			}
		default:
			return nil, syntaxErr(t.pos, "expected an argument or ')' in %s(...), found %s", name.text, t.describe())
		}
		p.skip()
		f.Args = append(f.Args, Literal{Text: t.text, Pos: t.pos})
		more, err := p.listSep(where)
		if err != nil {
			return nil, err
		}
		if !more {
			return f, nil
		}
	}
}

func (p *parser) parseOrder() ([]OrderItem, error) {
	p.skip() // ORDER
	t, err := p.cur()
	if err != nil {
		return nil, err
	}
	if !isWord(t, "by") {
		return nil, syntaxErr(t.pos, "expected BY after ORDER, found %s", t.describe())
	}
	p.skip()
	var items []OrderItem
	for {
		t, err := p.cur()
		if err != nil {
			return nil, err
		}
		if t.kind != tokWord || isReserved(t.text) {
			return nil, syntaxErr(t.pos, "expected a field name in ORDER BY, found %s", t.describe())
		}
		p.skip()
		it := OrderItem{Field: t.text, Pos: t.pos}
		d, err := p.cur()
		if err != nil {
			return nil, err
		}
		switch {
		case isWord(d, "asc"):
			it.Dir = DirAsc
			p.skip()
		case isWord(d, "desc"):
			it.Dir = DirDesc
			p.skip()
		}
		items = append(items, it)
		c, err := p.cur()
		if err != nil {
			return nil, err
		}
		if c.kind != tokComma {
			return items, nil
		}
		p.skip()
	}
}
