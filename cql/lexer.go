package cql

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

type tokKind int

const (
	tokEOF    tokKind = iota
	tokWord           // unquoted run: field name, keyword, function name or value
	tokString         // quoted string, text unescaped
	tokLParen
	tokRParen
	tokComma
	tokOp // = != ~ !~ > >= < <=
)

type token struct {
	kind tokKind
	text string // word as written, or string after unescaping
	op   Op
	pos  Pos
}

// describe names a token for an error message.
func (t token) describe() string {
	switch t.kind {
	case tokEOF:
		return "the end of the query"
	case tokWord:
		return fmt.Sprintf("'%s'", t.text)
	case tokString:
		return fmt.Sprintf("the string %s", quote(t.text))
	case tokLParen:
		return "'('"
	case tokRParen:
		return "')'"
	case tokComma:
		return "','"
	case tokOp:
		return fmt.Sprintf("'%s'", t.op)
	}
	return "?"
}

// reservedChars must be quoted to appear in a value, as Confluence's CQL
// documentation lists them; the
// backslash and braces are added because they have no unquoted meaning.
const reservedChars = "+;?|*%^$#@[]\\{}"

// wordStop ends an unquoted word.
func wordStop(r rune) bool {
	return isSpace(r) || strings.ContainsRune("()=!~<>,\"'", r)
}

func isSpace(r rune) bool {
	return r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\f' || r == '\v'
}

type lexer struct {
	src  string
	off  int
	line int
	col  int
}

func newLexer(src string) *lexer { return &lexer{src: src, line: 1, col: 1} }

func (l *lexer) pos() Pos { return Pos{Line: l.line, Column: l.col, Offset: l.off} }

// peekRune returns the rune at the current offset and its byte width; an
// invalid byte is returned as utf8.RuneError with width 1.
func (l *lexer) peekRune() (rune, int) {
	if l.off >= len(l.src) {
		return -1, 0
	}
	return utf8.DecodeRuneInString(l.src[l.off:])
}

// advance moves past one rune, keeping line and column.
func (l *lexer) advance() {
	r, w := l.peekRune()
	if w == 0 {
		return
	}
	l.off += w
	if r == '\n' {
		l.line++
		l.col = 1
	} else {
		l.col++
	}
}

func syntaxErr(p Pos, format string, args ...any) *Error {
	return &Error{Kind: KindSyntax, Line: p.Line, Column: p.Column, Offset: p.Offset, Message: fmt.Sprintf(format, args...)}
}

// singleTokens are the tokens of one character that no other follows.
var singleTokens = map[rune]token{
	'(': {kind: tokLParen},
	')': {kind: tokRParen},
	',': {kind: tokComma},
	'=': {kind: tokOp, op: OpEq},
	'~': {kind: tokOp, op: OpContains},
}

// next returns the next token or a *Error.
func (l *lexer) next() (token, error) {
	for {
		r, _ := l.peekRune()
		if r == -1 || !isSpace(r) {
			break
		}
		l.advance()
	}
	start := l.pos()
	r, _ := l.peekRune()
	if t, ok := singleTokens[r]; ok {
		l.advance()
		t.pos = start
		return t, nil
	}
	switch {
	case r == -1:
		return token{kind: tokEOF, pos: start}, nil
	case r == '!':
		l.advance()
		switch r2, _ := l.peekRune(); r2 {
		case '=':
			l.advance()
			return token{kind: tokOp, op: OpNe, pos: start}, nil
		case '~':
			l.advance()
			return token{kind: tokOp, op: OpNotContains, pos: start}, nil
		}
		return token{}, syntaxErr(start, "unexpected '!': write '!=' (not equal) or '!~' (does not contain)")
	case r == '>' || r == '<':
		l.advance()
		op := OpGt
		if r == '<' {
			op = OpLt
		}
		if r2, _ := l.peekRune(); r2 == '=' {
			l.advance()
			op++ // OpGe follows OpGt, OpLe follows OpLt
		}
		return token{kind: tokOp, op: op, pos: start}, nil
	case r == '"' || r == '\'':
		return l.quoted(r, start)
	}
	for {
		r, _ := l.peekRune()
		if r == -1 || wordStop(r) {
			break
		}
		if strings.ContainsRune(reservedChars, r) {
			return token{}, syntaxErr(l.pos(), "reserved character '%c' must be inside a quoted value, e.g. \"a%cb\"", r, r)
		}
		l.advance()
	}
	return token{kind: tokWord, text: l.src[start.Offset:l.off], pos: start}, nil
}

// quoted reads a string opened by q at start. A backslash makes the next
// character literal.
func (l *lexer) quoted(q rune, start Pos) (token, error) {
	l.advance()
	var b strings.Builder
	escapedQuote := false // the last character read was \q
	for {
		r, w := l.peekRune()
		switch {
		case r == -1 && escapedQuote:
			return token{}, syntaxErr(start, "unterminated string: the %c opened here is never closed (the last %c is escaped by a backslash)", q, q)
		case r == -1:
			return token{}, syntaxErr(start, "unterminated string: the %c opened here is never closed; add a closing %c", q, q)
		case r == q:
			l.advance()
			return token{kind: tokString, text: b.String(), pos: start}, nil
		case r == '\\':
			l.advance()
			r2, w2 := l.peekRune()
			if r2 == -1 {
				return token{}, syntaxErr(start, "unterminated string: the %c opened here is never closed; add a closing %c", q, q)
			}
			b.WriteString(l.src[l.off : l.off+w2])
			l.advance()
			escapedQuote = r2 == q
		default:
			escapedQuote = false
			b.WriteString(l.src[l.off : l.off+w])
			l.advance()
		}
	}
}
