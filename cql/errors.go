package cql

import "fmt"

// ErrorKind tells apart the ways a query can be rejected, so that callers
// (the simulator, the GraphQL layer) can answer each the way Confluence does.
type ErrorKind int

const (
	// KindSyntax is a query that does not follow the grammar: a missing
	// value, an unbalanced parenthesis, an unterminated string, an
	// unquoted reserved word or character. Confluence answers
	// "Could not parse cql : <query>".
	KindSyntax ErrorKind = iota + 1
	// KindUnknownField is a clause on a field Confluence does not know.
	// Error.Field holds the name as written and Error.Suggestions the
	// closest known names. Confluence answers
	// "No field exists with the name: <name>".
	KindUnknownField
	// KindOperator is an operator, a function or ORDER BY that the field
	// does not support (for example "space ~ OPS").
	KindOperator
	// KindValue is a value the field cannot accept: a malformed or ISO
	// date, a non-numeric content id, a bad date increment, a text search
	// that starts with a wildcard.
	KindValue
	// KindEmptyText is a text search (~ or !~) with no searchable term,
	// such as text ~ "". Confluence answers it with HTTP 500.
	KindEmptyText
	// KindUnsupported is returned by Query.Match for a field this
	// evaluator cannot evaluate from a Document (pageStatus, space.type,
	// space.title, space.category, subtype, container, creator.fullname).
	// Parse accepts such fields.
	KindUnsupported
)

// String returns a short lowercase name for the kind ("syntax",
// "unknown field", ...).
func (k ErrorKind) String() string {
	switch k {
	case KindSyntax:
		return "syntax"
	case KindUnknownField:
		return "unknown field"
	case KindOperator:
		return "operator"
	case KindValue:
		return "value"
	case KindEmptyText:
		return "empty text"
	case KindUnsupported:
		return "unsupported"
	}
	return fmt.Sprintf("ErrorKind(%d)", int(k))
}

// Error is the only error type Parse, Build and Query.Match return.
//
// Line and Column are 1-based (Column counts characters, not bytes) and
// Offset is the 0-based byte offset into the query text. All three are 0
// when the query was built with Build rather than parsed from text.
type Error struct {
	Kind    ErrorKind
	Line    int
	Column  int
	Offset  int
	Message string // what is wrong and how to fix it, without the position

	// Field is the field name as written, for KindUnknownField,
	// KindOperator and KindUnsupported errors.
	Field string
	// Suggestions holds the known field names closest to Field, best
	// first, for KindUnknownField errors.
	Suggestions []string
}

// Error returns "cql: <message> at line L, column C", or "cql: <message>"
// when the error has no position (built queries).
func (e *Error) Error() string {
	if e.Line == 0 {
		return "cql: " + e.Message
	}
	return fmt.Sprintf("cql: %s at line %d, column %d", e.Message, e.Line, e.Column)
}
