package cql

import (
	"sort"
	"strings"
)

// opSet is a set of operators, one bit per Op.
type opSet uint16

func ops(os ...Op) opSet {
	var s opSet
	for _, o := range os {
		s |= 1 << o
	}
	return s
}

func (s opSet) has(o Op) bool { return s&(1<<o) != 0 }

func (s opSet) String() string {
	var names []string
	for o := OpEq; o <= OpNotIn; o++ {
		if s.has(o) {
			names = append(names, o.String())
		}
	}
	return strings.Join(names, ", ")
}

var (
	equalityOps = ops(OpEq, OpNe, OpIn, OpNotIn)
	rangeOps    = ops(OpEq, OpNe, OpGt, OpGe, OpLt, OpLe)
	textOps     = ops(OpContains, OpNotContains)
	titleOps    = ops(OpEq, OpNe, OpContains, OpNotContains, OpIn, OpNotIn)
	listOps     = ops(OpIn, OpNotIn)
)

// fieldKind says how a field's values are interpreted and evaluated.
type fieldKind int

const (
	kindContent fieldKind = iota + 1 // content ids
	kindDate
	kindUser
	kindString // label, macro, pageStatus
	kindSpace
	kindText // text, siteSearch
	kindTitle
	kindType
	kindOther // accepted by Confluence, not evaluable from a Document
)

// field is one row of the table of CQL fields Confluence Cloud accepts
// (https://developer.atlassian.com/cloud/confluence/cql-fields/).
type field struct {
	name    string // canonical spelling
	kind    fieldKind
	ops     opSet
	orderBy bool // may appear in ORDER BY
}

// fieldTable lists the content-search fields of Confluence Cloud. The
// user-search-only fields (user, user.fullname, user.accountid) are not
// here: on content search they are unknown.
var fieldTable = []field{
	{"ancestor", kindContent, equalityOps, false},
	{"container", kindOther, equalityOps, false},
	{"content", kindContent, equalityOps, true},
	{"contributor", kindUser, equalityOps, false},
	{"created", kindDate, rangeOps, true},
	{"creator", kindUser, equalityOps, false},
	{"creator.fullname", kindOther, textOps, false},
	{"favourite", kindUser, equalityOps, false},
	{"id", kindContent, equalityOps, true},
	{"label", kindString, equalityOps, false},
	{"lastModified", kindDate, rangeOps, true},
	{"macro", kindString, equalityOps, false},
	{"mention", kindUser, equalityOps, false},
	{"pageStatus", kindOther, equalityOps, false},
	{"parent", kindContent, equalityOps, false},
	{"siteSearch", kindText, textOps, false},
	{"space", kindSpace, equalityOps, true},
	{"space.category", kindOther, equalityOps, false},
	{"space.key", kindSpace, equalityOps, true},
	{"space.title", kindOther, textOps, false},
	{"space.type", kindOther, equalityOps, false},
	{"subtype", kindOther, equalityOps, false},
	{"text", kindText, textOps, false},
	{"title", kindTitle, titleOps, true},
	{"type", kindType, equalityOps, true},
	{"watcher", kindUser, equalityOps, false},
}

// fieldAliases maps other accepted spellings (lowercase) to canonical names.
var fieldAliases = map[string]string{
	"favorite": "favourite",
}

var fieldsByLower = func() map[string]*field {
	m := make(map[string]*field, len(fieldTable)+len(fieldAliases))
	for i := range fieldTable {
		m[strings.ToLower(fieldTable[i].name)] = &fieldTable[i]
	}
	for alias, name := range fieldAliases {
		m[alias] = m[strings.ToLower(name)]
	}
	return m
}()

// lookupField finds a field by name, case-insensitively; nil if unknown.
func lookupField(name string) *field {
	return fieldsByLower[strings.ToLower(name)]
}

// Fields returns the canonical names of the fields Parse accepts, sorted.
func Fields() []string { return sortedNames(fieldTable, func(f field) string { return f.name }) }

// sortedNames returns the name of each row of table, sorted.
func sortedNames[T any](table []T, name func(T) string) []string {
	names := make([]string, len(table))
	for i, row := range table {
		names[i] = name(row)
	}
	sort.Strings(names)
	return names
}

// fn is one row of the table of CQL functions Confluence Cloud accepts
// (https://developer.atlassian.com/cloud/confluence/cql-functions/).
type fn struct {
	name    string
	kinds   []fieldKind // field kinds it may be used with
	ops     opSet
	minArgs int
	maxArgs int
	argKind argKind
}

type argKind int

const (
	argNone      argKind = iota
	argIncrement         // "(+/-)nn(y|M|w|d|h|m)"
	argCount             // non-negative integer
)

var dateFnKinds = []fieldKind{kindDate}

var funcTable = []fn{
	{"currentUser", []fieldKind{kindUser}, equalityOps, 0, 0, argNone},
	{"now", dateFnKinds, rangeOps, 0, 1, argIncrement},
	{"startOfDay", dateFnKinds, rangeOps, 0, 1, argIncrement},
	{"startOfWeek", dateFnKinds, rangeOps, 0, 1, argIncrement},
	{"startOfMonth", dateFnKinds, rangeOps, 0, 1, argIncrement},
	{"startOfYear", dateFnKinds, rangeOps, 0, 1, argIncrement},
	{"endOfDay", dateFnKinds, rangeOps, 0, 1, argIncrement},
	{"endOfWeek", dateFnKinds, rangeOps, 0, 1, argIncrement},
	{"endOfMonth", dateFnKinds, rangeOps, 0, 1, argIncrement},
	{"endOfYear", dateFnKinds, rangeOps, 0, 1, argIncrement},
	{"favouriteSpaces", []fieldKind{kindSpace}, listOps, 0, 0, argNone},
	{"recentlyViewedSpaces", []fieldKind{kindSpace}, listOps, 1, 1, argCount},
	{"recentlyViewedContent", []fieldKind{kindContent}, listOps, 1, 2, argCount},
	{"currentSpace", []fieldKind{kindSpace}, ops(OpEq, OpNe), 0, 0, argNone},
}

var funcsByLower = func() map[string]*fn {
	m := make(map[string]*fn, len(funcTable))
	for i := range funcTable {
		m[strings.ToLower(funcTable[i].name)] = &funcTable[i]
	}
	return m
}()

func lookupFunc(name string) *fn { return funcsByLower[strings.ToLower(name)] }

// Functions returns the canonical names of the functions Parse accepts,
// sorted.
func Functions() []string { return sortedNames(funcTable, func(f fn) string { return f.name }) }

// closest returns up to n names from known nearest to name by edit
// distance (case-insensitive), best first; ties in name order.
func closest(name string, known []string, n int) []string {
	type cand struct {
		name string
		d    int
	}
	lname := strings.ToLower(name)
	cands := make([]cand, 0, len(known))
	for _, k := range known {
		lk := strings.ToLower(k)
		d := editDistance(lname, lk)
		if lname != "" && (strings.HasPrefix(lk, lname) || strings.HasPrefix(lname, lk)) {
			d-- // a prefix is a strong hint
		}
		cands = append(cands, cand{k, d})
	}
	sort.SliceStable(cands, func(i, j int) bool {
		if cands[i].d != cands[j].d {
			return cands[i].d < cands[j].d
		}
		return cands[i].name < cands[j].name
	})
	out := make([]string, 0, n)
	for i := 0; i < n && i < len(cands); i++ {
		out = append(out, cands[i].name)
	}
	return out
}

// editDistance is the Levenshtein distance between a and b in runes.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
