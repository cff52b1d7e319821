package graph

import (
	"encoding/base64"
	"strconv"
	"strings"

	"github.com/confluence-graph/confluence-graph/graph/model"
	"github.com/confluence-graph/confluence-graph/loaders"
)

// maxFirst caps `first` on every connection.
const maxFirst = 100

// maxOffset caps how deep `after` may page when its cursor cannot resume upstream: such a page is
// read from the list's start, so deep offsets would cost many upstream calls. A cursor that
// carries the upstream's position (the end cursor of a page read through a cursor-paged
// endpoint) resumes there with one call at any depth and is not capped.
const maxOffset = 2500

// window is a validated (first, after) pair. The read starts at From (the list's start, or the
// upstream position after's cursor carries) and the window is its items [Skip, Skip+First);
// Offset is the window's index in the whole list.
type window struct {
	First  int
	Offset int
	Skip   int
	From   loaders.ListFrom
}

// need is how many items from where the read starts the loader must fetch: a resumed read takes
// exactly the window and learns whether more follow from the upstream; a read of the list's
// start takes one extra.
func (w window) need() int {
	if w.From.Resume {
		return w.Skip + w.First
	}
	return w.Skip + w.First + 1
}

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
		pos, ok := decodeCursor(*after)
		if !ok {
			return window{}, inputErrorf("after", "after is not a cursor this API issued")
		}
		w.Offset, w.Skip, w.From = pos.Offset+1, pos.Skip, loaders.ListFrom{Cursor: pos.Upstream, Resume: true}
		if pos.Upstream == "" && w.Skip > maxOffset {
			return window{}, inputErrorf("after", "paging deeper than %d items is not supported; narrow the query instead", maxOffset)
		}
	}
	return w, nil
}

// position is what a cursor carries: the item's index in the whole list, and where the list
// continues after it: Skip items after the upstream position Upstream ("" : the list's start).
type position struct {
	Offset   int
	Skip     int
	Upstream string
}

// cursorPrefix marks this API's cursors; cg1 cursors (an offset only, from earlier versions)
// are still read, as a position from the list's start.
const (
	cursorPrefix   = "cg2:"
	cursorPrefixV1 = "cg1:"
	// maxUpstreamCursor bounds the upstream cursor a client may hand back.
	maxUpstreamCursor = 1024
)

// encodeCursor makes the opaque cursor of an item.
func encodeCursor(p position) string {
	return base64.RawURLEncoding.EncodeToString([]byte(cursorPrefix + strconv.Itoa(p.Offset) + ":" + strconv.Itoa(p.Skip) + ":" + p.Upstream))
}

func decodeCursor(c string) (position, bool) {
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil {
		return position{}, false
	}
	s := string(b)
	if rest, ok := strings.CutPrefix(s, cursorPrefixV1); ok {
		n, ok := cursorInt(rest)
		return position{Offset: n, Skip: n + 1}, ok
	}
	rest, ok := strings.CutPrefix(s, cursorPrefix)
	if !ok {
		return position{}, false
	}
	parts := strings.SplitN(rest, ":", 3)
	if len(parts) != 3 || len(parts[2]) > maxUpstreamCursor {
		return position{}, false
	}
	off, ok1 := cursorInt(parts[0])
	skip, ok2 := cursorInt(parts[1])
	return position{Offset: off, Skip: skip, Upstream: parts[2]}, ok1 && ok2
}

func cursorInt(s string) (int, bool) {
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 || n > 1_000_000 {
		return 0, false
	}
	return n, true
}

// slice cuts the window out of list, read from w.From. It returns the window's items, their
// cursors and whether more items follow. The last item's cursor resumes at the upstream's
// position when the read ended right after it (List.Next); the others count from w.From.
func slice[T any](list loaders.List[T], w window) ([]T, []string, bool) {
	items := list.Items
	if w.Skip >= len(items) {
		return nil, nil, false
	}
	end := min(w.Skip+w.First, len(items))
	out := items[w.Skip:end]
	cursors := make([]string, len(out))
	for i := range out {
		p := position{Offset: w.Offset + i, Skip: w.Skip + i + 1, Upstream: w.From.Cursor}
		if w.Skip+i+1 == len(items) && list.Next != "" {
			p.Skip, p.Upstream = 0, list.Next
		}
		cursors[i] = encodeCursor(p)
	}
	hasNext := end < len(items) || list.More
	return out, cursors, hasNext
}

// edgesOf cuts the window out of items (as slice does), converts the window's items to nodes
// and pairs each node with its cursor as an edge; it serves every connection type, which differ
// only in their node and edge types. nodes and edges are never nil.
func edgesOf[I, N, E any](list loaders.List[I], w window, node func(I) N, edge func(cursor string, n N) E) ([]N, []E, *model.PageInfo) {
	in, cursors, hasNext := slice(list, w)
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
