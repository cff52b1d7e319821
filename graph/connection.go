package graph

import (
	"encoding/base64"
	"strconv"
	"strings"
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
