package cql

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// evalEnv is an Env resolved once per Match call.
type evalEnv struct {
	Env
	now time.Time
	loc *time.Location
}

func resolve(env Env) *evalEnv {
	e := &evalEnv{Env: env, loc: env.Location}
	if e.loc == nil {
		e.loc = time.UTC
	}
	if env.Now != nil {
		e.now = env.Now()
	} else {
		e.now = time.Now()
	}
	e.now = e.now.In(e.loc)
	return e
}

// Match reports whether d satisfies the query, evaluated in env.
//
// Semantics: AND and OR as parsed (left to right); "!=", "!~" and NOT IN
// are the negation of "=", "~" and IN. Type, space keys, labels, macros
// and "title =" compare case-insensitively; ids and accountIds exactly. A
// multi-valued field (labels, contributors, ancestors, ...) matches "=" and
// IN when any of its values is among the query's. Date literals are read
// in env.Location and name a whole day (yyyy-MM-dd) or a whole minute
// (with HH:mm): "=" matches inside it, ">" after it, ">=" from its start,
// "<" before its start, "<=" before its end. Date functions name an
// instant computed from env.Now. text ~ searches the title, Text() and
// the labels; title ~ only the title.
//
// The only error is a *Error of KindUnsupported, for fields a Document
// cannot answer (pageStatus, space.type, space.title, space.category,
// subtype, container, creator.fullname). Match is safe for concurrent use.
func (q *Query) Match(d Document, env Env) (bool, error) {
	return q.eval(q.expr, d, resolve(env))
}

func (q *Query) eval(x Expr, d Document, e *evalEnv) (bool, error) {
	switch x := x.(type) {
	case *BinaryExpr:
		l, err := q.eval(x.X, d, e)
		if err != nil {
			return false, err
		}
		if x.Op == LogicAnd && !l || x.Op == LogicOr && l {
			return l, nil
		}
		return q.eval(x.Y, d, e)
	case *NotExpr:
		v, err := q.eval(x.X, d, e)
		return !v, err
	case *Clause:
		v, err := q.evalClause(x, d, e)
		if err != nil {
			return false, err
		}
		if x.Op.negative() {
			return !v, nil
		}
		return v, nil
	}
	return false, &Error{Kind: KindUnsupported, Message: fmt.Sprintf("unknown expression node %T", x)}
}

// evalClause evaluates the positive form of c (= for !=, ~ for !~, IN for
// NOT IN).
func (q *Query) evalClause(c *Clause, d Document, e *evalEnv) (bool, error) {
	f := lookupField(c.Field)
	switch f.kind {
	case kindDate:
		t := d.Created()
		if f.name == "lastModified" {
			t = d.LastModified()
		}
		return matchDate(c, t, e), nil
	case kindText:
		tq := q.text[c]
		fields := [][]string{titleTerms(d), textTerms(d)}
		for _, l := range d.Labels() {
			fields = append(fields, analyze(l))
		}
		return tq.match(fields), nil
	case kindTitle:
		if c.Op == OpContains || c.Op == OpNotContains {
			return q.text[c].match([][]string{titleTerms(d)}), nil
		}
		return anyIn([]string{d.Title()}, e.values(c), true), nil
	case kindContent:
		var have []string
		switch f.name {
		case "ancestor":
			have = d.AncestorIDs()
		case "parent":
			if p := d.ParentID(); p != "" {
				have = []string{p}
			}
		default:
			have = []string{d.ID()}
		}
		return anyIn(have, e.values(c), false), nil
	case kindUser:
		var have []string
		switch f.name {
		case "creator":
			have = []string{d.Creator()}
		case "contributor":
			have = d.Contributors()
		case "mention":
			have = d.Mentions()
		case "watcher":
			have = d.Watchers()
		case "favourite":
			have = d.Favourites()
		}
		return anyIn(have, e.values(c), false), nil
	case kindString:
		have := d.Labels()
		if f.name == "macro" {
			have = d.Macros()
		}
		return anyIn(have, e.values(c), true), nil
	case kindSpace:
		return anyIn([]string{d.SpaceKey()}, e.values(c), true), nil
	case kindType:
		return anyIn([]string{d.Type()}, e.values(c), true), nil
	}
	err := posErr(KindUnsupported, c.Pos, "field '%s' cannot be evaluated here: documents carry no %s", f.name, f.name)
	err.Field = c.Field
	return false, err
}

// anyIn reports whether any non-empty element of have is in want.
func anyIn(have, want []string, fold bool) bool {
	for _, h := range have {
		if h == "" {
			continue
		}
		for _, w := range want {
			if h == w || fold && strings.EqualFold(h, w) {
				return true
			}
		}
	}
	return false
}

// values expands the clause's literals and non-date functions into the
// set of values they stand for.
func (e *evalEnv) values(c *Clause) []string {
	var out []string
	for _, v := range c.Values {
		switch v := v.(type) {
		case *Literal:
			out = append(out, v.Text)
		case *Func:
			switch v.Name {
			case "currentUser":
				if e.CurrentUser != "" {
					out = append(out, e.CurrentUser)
				}
			case "currentSpace":
				if e.CurrentSpace != "" {
					out = append(out, e.CurrentSpace)
				}
			case "favouriteSpaces":
				out = append(out, e.FavouriteSpaces...)
			case "recentlyViewedSpaces":
				out = append(out, window(e.RecentlyViewedSpaces, v.Args)...)
			case "recentlyViewedContent":
				out = append(out, window(e.RecentlyViewedContent, v.Args)...)
			}
		}
	}
	return out
}

// window applies limit[, offset] arguments to a most-recent-first list.
func window(list []string, args []Literal) []string {
	limit, offset := len(list), 0
	if len(args) > 0 {
		limit, _ = strconv.Atoi(args[0].Text)
	}
	if len(args) > 1 {
		offset, _ = strconv.Atoi(args[1].Text)
	}
	if offset >= len(list) {
		return nil
	}
	list = list[offset:]
	if limit < len(list) {
		list = list[:limit]
	}
	return list
}

// matchDate evaluates the positive form of a date clause on t.
func matchDate(c *Clause, t time.Time, e *evalEnv) bool {
	var lo, hi time.Time
	switch v := c.Values[0].(type) {
	case *Literal:
		var ok bool
		lo, hi, ok = dateRange(v.Text, e.loc)
		if !ok {
			return false
		}
	case *Func:
		var inc increment
		if len(v.Args) > 0 {
			inc, _ = parseIncrement(v.Args[0].Text)
		}
		lo = dateFunc(v.Name, e.now, inc)
		hi = lo.Add(time.Nanosecond)
	}
	switch c.Op {
	case OpEq, OpNe:
		return !t.Before(lo) && t.Before(hi)
	case OpGt:
		return !t.Before(hi)
	case OpGe:
		return !t.Before(lo)
	case OpLt:
		return t.Before(lo)
	case OpLe:
		return t.Before(hi)
	}
	return false
}
