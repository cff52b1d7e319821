package loaders

import (
	"context"
	"fmt"
	"sort"
	"sync"

	"github.com/confluence-graph/confluence-graph/graph/model"
)

// The CQL reads behind WithHierarchyFallback. Each is memoised for the request (the wrapper
// lives as long as the request's loaders), so paging through a fallback list costs no more
// calls than reading it once.

// lazy is a value computed once.
type lazy[T any] struct {
	once sync.Once
	v    T
	err  error
}

func (z *lazy[T]) get(f func() (T, error)) (T, error) {
	z.once.Do(func() { z.v, z.err = f() })
	return z.v, z.err
}

// children returns every current child of every tree kind of parent in child order, read once.
func (f *fallbackUpstream) children(ctx context.Context, parent string) ([]Page, error) {
	f.mu.Lock()
	z := f.kids[parent]
	if z == nil {
		z = &lazy[[]Page]{}
		f.kids[parent] = z
	}
	f.mu.Unlock()
	return z.get(func() ([]Page, error) {
		byParent, err := f.childrenOf(ctx, []string{parent})
		return nonNil(byParent[parent]), err
	})
}

type walkKey struct {
	id    string
	depth int
}

// walk is a breadth-first read of the pages below one page, one level per step.
type walk struct {
	mu       sync.Mutex
	items    []Page
	frontier []string // the pages whose children the next step reads
	level    int      // levels read
	done     bool
}

// descendants returns the pages below root down to depth levels, level by level and each level
// in child order (the v2 descendants order), reading levels until it holds at least want items
// or the walk ends; done reports the end.
func (f *fallbackUpstream) descendants(ctx context.Context, root string, depth, want int) ([]Page, bool, error) {
	k := walkKey{root, depth}
	f.mu.Lock()
	w := f.walks[k]
	if w == nil {
		w = &walk{frontier: []string{root}}
		f.walks[k] = w
	}
	f.mu.Unlock()
	w.mu.Lock()
	defer w.mu.Unlock()
	for !w.done && len(w.items) < want {
		if w.level >= depth || len(w.frontier) == 0 {
			w.done = true
			break
		}
		byParent, err := f.childrenOf(ctx, w.frontier)
		if err != nil {
			return nil, false, err
		}
		w.level++
		var next []string
		for _, parent := range w.frontier {
			for _, c := range byParent[parent] {
				c.Depth = w.level
				w.items = append(w.items, c)
				next = append(next, c.ID)
			}
		}
		w.frontier = next
	}
	if w.level >= depth || len(w.frontier) == 0 {
		w.done = true
	}
	return w.items[:len(w.items):len(w.items)], w.done, nil
}

// childrenOf reads the current children of every tree kind of parents through CQL content
// search (treeCQL with one parent, or cqlChunk parents with the ancestors expansion telling each
// row's parent), each parent's in child order. Page rows without a child position are replaced
// by the full page, read in bulk (a row whose page is gone is dropped), as the batched children
// read does.
func (f *fallbackUpstream) childrenOf(ctx context.Context, parents []string) (map[string][]Page, error) {
	byParent := map[string][]Page{}
	var ids []string
	for _, p := range parents {
		if isDigits(p) {
			ids = append(ids, p)
		}
	}
	for _, c := range chunks(ids, cqlChunk) {
		cql, expand := fmt.Sprintf(treeCQL, c[0]), []string(nil)
		if len(c) > 1 {
			cql, expand = fmt.Sprintf(treeCQL, cqlIDs(c)), []string{"ancestors"}
		}
		rows, err := contentSearchAll(ctx, f.Upstream, cql, expand)
		if err != nil {
			return nil, err
		}
		for _, r := range rows {
			p := r.Page
			if len(c) == 1 {
				p.ParentID = c[0]
			}
			if p.ParentID != "" {
				byParent[p.ParentID] = append(byParent[p.ParentID], p)
			}
		}
	}
	var noPos []string
	for _, ps := range byParent {
		for _, p := range ps {
			if !p.HasPosition && model.IsPageKind(p.Kind) {
				noPos = append(noPos, p.ID)
			}
		}
	}
	full, err := fetchChunked(noPos, func(c []string) ([]Page, error) { return f.Upstream.PagesByID(ctx, c, "") }, pageID)
	if err != nil {
		return nil, err
	}
	for parent, ps := range byParent {
		kept := ps[:0]
		for _, p := range ps {
			if p.HasPosition || !model.IsPageKind(p.Kind) {
				kept = append(kept, p) // other kinds without a position sort by id
			} else if x, ok := full[p.ID]; ok {
				kept = append(kept, x)
			}
		}
		sort.SliceStable(kept, func(a, b int) bool {
			if kept[a].Position != kept[b].Position {
				return kept[a].Position < kept[b].Position
			}
			return lessID(kept[a].ID, kept[b].ID)
		})
		byParent[parent] = kept
	}
	return byParent, nil
}
