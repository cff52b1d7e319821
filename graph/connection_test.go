package graph

import (
	"encoding/base64"
	"errors"
	"testing"

	"github.com/confluence-graph/confluence-graph/loaders"
)

func intp(n int) *int       { return &n }
func strp(s string) *string { return &s }

func TestPageWindow(t *testing.T) {
	w, err := pageWindow(nil, nil, 25)
	if err != nil || w.First != 25 || w.Offset != 0 || w.need() != 26 {
		t.Errorf("default window = %+v, %v", w, err)
	}
	w, err = pageWindow(intp(10), strp(encodeCursor(position{Offset: 9, Skip: 10})), 25)
	if err != nil || w.Offset != 10 || w.need() != 20 || !w.From.Resume || w.From.Cursor != "" {
		t.Errorf("after cursor 9: window = %+v, %v; want offset 10, the first 20 items read exactly", w, err)
	}
	w, err = pageWindow(intp(10), strp(encodeCursor(position{Offset: 4999, Upstream: "abc"})), 25)
	if err != nil || w.Offset != 5000 || w.need() != 10 || w.From.Cursor != "abc" {
		t.Errorf("after a resumable cursor 4999: window = %+v, %v; want offset 5000, 10 items from the upstream cursor", w, err)
	}
	legacy := base64.RawURLEncoding.EncodeToString([]byte("cg1:9"))
	if w, err = pageWindow(intp(10), &legacy, 25); err != nil || w.Offset != 10 || w.Skip != 10 || w.From.Cursor != "" {
		t.Errorf("after a cg1 cursor 9: window = %+v, %v; want offset 10 from the start", w, err)
	}
	if _, err = pageWindow(nil, strp(encodeCursor(position{Offset: 2600, Skip: 2601})), 25); err == nil {
		t.Errorf("a position 2,601 items from the start was accepted, want the depth cap for cursors that cannot resume")
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
	list := func(more bool, next string) loaders.List[int] {
		return loaders.List[int]{Items: items, More: more, Next: next}
	}
	got, cursors, next := slice(list(false, ""), window{First: 2, Offset: 1, Skip: 1})
	if len(got) != 2 || got[0] != 1 || got[1] != 2 || !next {
		t.Errorf("slice = %v, hasNext %v; want [1 2], true", got, next)
	}
	if p, ok := decodeCursor(cursors[1]); !ok || p != (position{Offset: 2, Skip: 3}) {
		t.Errorf("cursor of item 2 decodes to %+v, %v", p, ok)
	}
	got, _, next = slice(list(false, ""), window{First: 10, Offset: 3, Skip: 3})
	if len(got) != 2 || next {
		t.Errorf("tail slice = %v, hasNext %v; want [3 4], false", got, next)
	}
	_, cursors, next = slice(list(true, "up"), window{First: 10, Offset: 3, Skip: 3})
	if !next {
		t.Errorf("hasNext = false with more upstream items")
	}
	if p, _ := decodeCursor(cursors[1]); p != (position{Offset: 4, Upstream: "up"}) {
		t.Errorf("cursor of the last item read = %+v, want the upstream's position after it", p)
	}
	got, _, next = slice(list(false, ""), window{First: 2, Offset: 9, Skip: 9})
	if len(got) != 0 || next {
		t.Errorf("past the end = %v, %v", got, next)
	}
}
