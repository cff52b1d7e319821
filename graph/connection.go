package graph

import (
	"encoding/base64"
	"strconv"
	"strings"

	"github.com/confluence-graph/confluence-graph/graph/model"
)

// maxFirst caps `first` on every connection.
const maxFirst = 100

// maxOffset caps how deep `after` may page: every page is read from the list's start (upstream
// cursors are not resumable across requests), so deep offsets would cost many upstream calls.
const maxOffset = 2500

// window is a validated (first, after) pair: the items to return are [Offset, Offset+First).
type window struct {
	First  int
	Offset int
}

// need is how many items from the start of the list the loader must fetch to answer the window
// and to know whether more follow (one extra).
func (w window) need() int { return w.Offset + w.First + 1 }

// pageWindow validates first (1..100; nil means def) and decodes after.
func pageWindow(first *int, after *string, def int) (window, error) {
	w := window{First: def}
	if first != nil {
		w.First = *first
	}
	if w.First < 1 || w.First > maxFirst {
		return window{}, inputErrorf("first", "first must be between 1 and %d, got %d", maxFirst, w.First)
	}
	if after != nil && *after != "" {
		off, ok := decodeCursor(*after)
		if !ok {
			return window{}, inputErrorf("after", "after is not a cursor this API issued")
		}
		w.Offset = off + 1
		if w.Offset > maxOffset {
			return window{}, inputErrorf("after", "paging deeper than %d items is not supported; narrow the query instead", maxOffset)
		}
	}
	return w, nil
}

const cursorPrefix = "cg1:"

// encodeCursor makes the opaque cursor of the item at offset i of a list.
func encodeCursor(i int) string {
	return base64.RawURLEncoding.EncodeToString([]byte(cursorPrefix + strconv.Itoa(i)))
}

func decodeCursor(c string) (int, bool) {
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil || !strings.HasPrefix(string(b), cursorPrefix) {
		return 0, false
	}
	n, err := strconv.Atoi(string(b[len(cursorPrefix):]))
	if err != nil || n < 0 || n > 1_000_000 {
		return 0, false
	}
	return n, true
}

// slice cuts the window out of items, which hold the list from its start (as many as the
// loader fetched); more reports whether the upstream list continues past items.
// It returns the window's items, their cursors and the page info.
func slice[T any](items []T, more bool, w window) ([]T, []string, bool) {
	if w.Offset >= len(items) {
		return nil, nil, false
	}
	end := min(w.Offset+w.First, len(items))
	out := items[w.Offset:end]
	cursors := make([]string, len(out))
	for i := range out {
		cursors[i] = encodeCursor(w.Offset + i)
	}
	hasNext := end < len(items) || more
	return out, cursors, hasNext
}

// edgesOf cuts the window out of items (as slice does), converts the window's items to nodes
// and pairs each node with its cursor as an edge; it serves every connection type, which differ
// only in their node and edge types. nodes and edges are never nil.
func edgesOf[I, N, E any](items []I, more bool, w window, node func(I) N, edge func(cursor string, n N) E) ([]N, []E, *model.PageInfo) {
	in, cursors, hasNext := slice(items, more, w)
	nodes := make([]N, len(in))
	edges := make([]E, len(in))
	for i, it := range in {
		nodes[i] = node(it)
		edges[i] = edge(cursors[i], nodes[i])
	}
	return nodes, edges, pageInfo(cursors, w, hasNext)
}

// pageInfo describes a window whose items have cursors.
func pageInfo(cursors []string, w window, hasNext bool) *model.PageInfo {
	pi := &model.PageInfo{HasNextPage: hasNext, HasPreviousPage: w.Offset > 0}
	if len(cursors) > 0 {
		pi.StartCursor = &cursors[0]
		pi.EndCursor = &cursors[len(cursors)-1]
	}
	return pi
}
