package graph

import (
	"errors"
	"testing"
)

func intp(n int) *int       { return &n }
func strp(s string) *string { return &s }

func TestPageWindow(t *testing.T) {
	w, err := pageWindow(nil, nil, 25)
	if err != nil || w.First != 25 || w.Offset != 0 || w.need() != 26 {
		t.Errorf("default window = %+v, %v", w, err)
	}
	w, err = pageWindow(intp(10), strp(encodeCursor(9)), 25)
	if err != nil || w.Offset != 10 || w.need() != 21 {
		t.Errorf("after cursor 9: window = %+v, %v; want offset 10", w, err)
	}
	for _, tc := range []struct {
		first *int
		after *string
	}{{intp(0), nil}, {intp(101), nil}, {intp(-1), nil}, {nil, strp("bogus")}, {nil, strp("Y2cxOmFiYw")}} {
		_, err := pageWindow(tc.first, tc.after, 25)
		var ie *InputError
		if !errors.As(err, &ie) {
			t.Errorf("pageWindow(%v, %v) error = %v, want *InputError", tc.first, tc.after, err)
		}
	}
}

func TestSlice(t *testing.T) {
	items := []int{0, 1, 2, 3, 4}
	got, cursors, next := slice(items, false, window{First: 2, Offset: 1})
	if len(got) != 2 || got[0] != 1 || got[1] != 2 || !next {
		t.Errorf("slice = %v, hasNext %v; want [1 2], true", got, next)
	}
	if off, ok := decodeCursor(cursors[1]); !ok || off != 2 {
		t.Errorf("cursor of item 2 decodes to %d, %v", off, ok)
	}
	got, _, next = slice(items, false, window{First: 10, Offset: 3})
	if len(got) != 2 || next {
		t.Errorf("tail slice = %v, hasNext %v; want [3 4], false", got, next)
	}
	_, _, next = slice(items, true, window{First: 10, Offset: 3})
	if !next {
		t.Errorf("hasNext = false with more upstream items")
	}
	got, _, next = slice(items, false, window{First: 2, Offset: 9})
	if len(got) != 0 || next {
		t.Errorf("past the end = %v, %v", got, next)
	}
}
