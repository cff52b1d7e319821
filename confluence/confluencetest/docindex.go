package confluencetest

import (
	"slices"
	"strings"

	"github.com/confluence-graph/confluence-graph/cql"
)

// docIndex is the search index: every searchable document in a fixed order, and the positions
// of the documents under each id, parent, ancestor and (lower-cased) space key. Confluence
// answers CQL from an index too; this one only narrows the documents a query is evaluated on,
// so what a search returns is what a scan of every document returns.
type docIndex struct {
	docs []*doc
	by   map[cql.IndexKey]map[string][]int
}

func newDocIndex(docs []*doc) *docIndex {
	ix := &docIndex{docs: docs, by: map[cql.IndexKey]map[string][]int{}}
	for _, k := range []cql.IndexKey{cql.IndexID, cql.IndexParent, cql.IndexAncestor, cql.IndexSpace} {
		ix.by[k] = map[string][]int{}
	}
	add := func(k cql.IndexKey, v string, i int) {
		if v != "" {
			ix.by[k][v] = append(ix.by[k][v], i)
		}
	}
	for i, d := range docs {
		add(cql.IndexID, d.ID(), i)
		add(cql.IndexParent, d.ParentID(), i)
		add(cql.IndexSpace, strings.ToLower(d.SpaceKey()), i)
		for _, a := range d.AncestorIDs() {
			add(cql.IndexAncestor, a, i)
		}
	}
	return ix
}

// candidates returns the documents q may match in env, in index order: those the index
// admits when the query names an id, parent, ancestor or space it must have, else all.
func (ix *docIndex) candidates(q *cql.Query, env cql.Env) []*doc {
	key, values, ok := q.Candidates(env)
	if !ok {
		return ix.docs
	}
	var pos []int
	for _, v := range values {
		pos = append(pos, ix.by[key][v]...)
	}
	slices.Sort(pos)
	pos = slices.Compact(pos)
	out := make([]*doc, len(pos))
	for i, p := range pos {
		out[i] = ix.docs[p]
	}
	return out
}
