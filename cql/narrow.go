package cql

import "strings"

// IndexKey names a document attribute a caller may index to find the documents a query can
// match without evaluating it on every document.
type IndexKey int

// The attributes Candidates may name, narrowest first (Candidates prefers the first it finds). Values under IndexSpace are lower-cased; the others
// compare exactly, as Match compares them.
const (
	IndexID       IndexKey = iota + 1 // Document.ID
	IndexParent                       // Document.ParentID
	IndexAncestor                     // each of Document.AncestorIDs
	IndexSpace                        // Document.SpaceKey, lower-cased
)

// Candidates reports a necessary condition of the query: every document it matches in env has,
// under key, one of values (an empty values list means nothing matches). ok is false when the
// query has no positive id, parent, space or ancestor clause among its top-level AND terms, or
// when it names a field Match cannot evaluate (a full scan is then needed to report that error
// as Match would). A caller that evaluates Match on exactly the documents the condition admits,
// in its usual order, gets the same result as a full scan, only sooner.
func (q *Query) Candidates(env Env) (key IndexKey, values []string, ok bool) {
	if !evaluable(q.expr) {
		return 0, nil, false
	}
	e := resolve(env)
	for _, c := range conjuncts(q.expr, nil) {
		if c.Op != OpEq && c.Op != OpIn {
			continue
		}
		k := indexKeyOf(lookupField(c.Field))
		if k == 0 || key != 0 && k >= key {
			continue
		}
		vs := e.values(c)
		if k == IndexSpace {
			for i, v := range vs {
				vs[i] = strings.ToLower(v)
			}
		}
		key, values = k, vs
	}
	return key, values, key != 0
}

// conjuncts appends the clauses x requires: x itself, or the clauses of both sides of an AND.
func conjuncts(x Expr, out []*Clause) []*Clause {
	switch x := x.(type) {
	case *Clause:
		return append(out, x)
	case *BinaryExpr:
		if x.Op == LogicAnd {
			return conjuncts(x.Y, conjuncts(x.X, out))
		}
	}
	return out
}

// indexKeyOf is the index that answers an equality on f; 0 if none does.
func indexKeyOf(f *field) IndexKey {
	if f == nil {
		return 0
	}
	switch {
	case f.kind == kindSpace:
		return IndexSpace
	case f.kind != kindContent:
		return 0
	case f.name == "parent":
		return IndexParent
	case f.name == "ancestor":
		return IndexAncestor
	}
	return IndexID
}

// evaluable reports whether Match can evaluate every clause of x.
func evaluable(x Expr) bool {
	switch x := x.(type) {
	case *Clause:
		f := lookupField(x.Field)
		return f != nil && evaluableKind(f.kind)
	case *NotExpr:
		return evaluable(x.X)
	case *BinaryExpr:
		return evaluable(x.X) && evaluable(x.Y)
	}
	return false
}

// evaluableKind reports whether evalClause answers fields of kind k.
func evaluableKind(k fieldKind) bool {
	switch k {
	case kindDate, kindText, kindTitle, kindContent, kindUser, kindString, kindSpace, kindType:
		return true
	}
	return false
}
