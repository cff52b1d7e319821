package cql

import (
	"sort"
	"strings"
	"time"
)

// Sort orders docs in place by the query's ORDER BY list; DirDefault sorts
// ascending. Without ORDER BY it sorts by lastModified descending, then id
// descending (Confluence ranks by relevance, which this package does not
// model). The sort is stable: documents equal on every key keep their
// order. Titles, types and space keys compare case-insensitively, ids
// numerically. env is accepted for symmetry with Match and is not used
// today.
func (q *Query) Sort(docs []Document, env Env) {
	order := q.order
	if len(order) == 0 {
		order = []OrderItem{{Field: "lastModified", Dir: DirDesc}, {Field: "id", Dir: DirDesc}}
	}
	sort.SliceStable(docs, func(i, j int) bool {
		for _, it := range order {
			c := compareOn(it.Field, docs[i], docs[j])
			if c == 0 {
				continue
			}
			if it.Dir == DirDesc {
				return c > 0
			}
			return c < 0
		}
		return false
	})
}

func compareOn(field string, a, b Document) int {
	switch field {
	case "id", "content":
		return compareIDs(a.ID(), b.ID())
	case "created":
		return compareTimes(a.Created(), b.Created())
	case "lastModified":
		return compareTimes(a.LastModified(), b.LastModified())
	case "title":
		return compareFold(a.Title(), b.Title())
	case "type":
		return compareFold(a.Type(), b.Type())
	case "space", "space.key":
		return compareFold(a.SpaceKey(), b.SpaceKey())
	}
	return 0
}

func compareTimes(a, b time.Time) int { return a.Compare(b) }

func compareFold(a, b string) int {
	if c := strings.Compare(strings.ToLower(a), strings.ToLower(b)); c != 0 {
		return c
	}
	return strings.Compare(a, b)
}

// compareIDs compares decimal ids numerically (shorter after stripping
// leading zeros is smaller), falling back to string order.
func compareIDs(a, b string) int {
	ta, tb := strings.TrimLeft(a, "0"), strings.TrimLeft(b, "0")
	if len(ta) != len(tb) {
		if len(ta) < len(tb) {
			return -1
		}
		return 1
	}
	if c := strings.Compare(ta, tb); c != 0 {
		return c
	}
	return strings.Compare(a, b)
}
