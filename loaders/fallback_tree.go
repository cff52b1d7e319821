package loaders

import (
	"cmp"
	"context"
	"fmt"
	"sort"
	"sync"

	"github.com/confluence-graph/confluence-graph/confluence"
	"github.com/confluence-graph/confluence-graph/graph/model"
)

// The CQL reads behind WithHierarchyFallback and NewV1Upstream's tree. Each is memoised for the
// cqlTree's lifetime (the request's: the wrapper and the v1 upstream live as long as the
// request's loaders), so paging through a CQL list costs no more calls than reading it once.

// cqlTree reads the page tree of every kind through up's CQL content search (and up.PagesByID
// for rows without a child position).
type cqlTree struct {
	up    Upstream
	mu    sync.Mutex
	kids  map[string]*lazy[[]Page] // a parent's children, read whole once
	walks map[walkKey]*walk
}

func newCQLTree(up Upstream) *cqlTree {
	return &cqlTree{up: up, kids: map[string]*lazy[[]Page]{}, walks: map[walkKey]*walk{}}
}

// listChildren is one page (opt; cursors "fb:<offset>") of parent's children in child order,
// with ParentType parent's kind.
func (f *cqlTree) listChildren(ctx context.Context, parent ContentRef, opt ListOptions) ([]Page, string, error) {
	all, err := f.children(ctx, parent.ID)
	if err != nil {
		return nil, "", err
	}
	ps, next, err := window(all, opt)
	for i := range ps {
		ps[i].ParentType = treeKind(parent)
	}
	return ps, next, err
}

// listDescendants is one page (opt) of the content below of down to depth levels, level by
// level, each level in child order, with Depth and ParentType.
func (f *cqlTree) listDescendants(ctx context.Context, of ContentRef, depth int, opt ListOptions) ([]Page, string, error) {
	from, limit := windowOf(opt)
	items, done, err := f.descendants(ctx, ContentRef{ID: of.ID, Kind: treeKind(of)}, depth, from+limit+1)
	if err != nil {
		return nil, "", err
	}
	ps, next, _ := window(items, opt)
	if done && from+limit >= len(items) {
		next = ""
	}
	return ps, next, nil
}

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
func (f *cqlTree) children(ctx context.Context, parent string) ([]Page, error) {
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
	kinds    map[string]string // the tree kind of every id read (and the root's)
}

// descendants returns the content below root down to depth levels, level by level and each
// level in child order (the v2 descendants order), reading levels until it holds at least want
// items or the walk ends; done reports the end. Each item's ParentType is its parent's kind.
func (f *cqlTree) descendants(ctx context.Context, root ContentRef, depth, want int) ([]Page, bool, error) {
	k := walkKey{root.ID, depth}
	f.mu.Lock()
	w := f.walks[k]
	if w == nil {
		w = &walk{frontier: []string{root.ID}, kinds: map[string]string{root.ID: root.Kind}}
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
				c.Depth, c.ParentType = w.level, w.kinds[parent]
				w.kinds[c.ID] = cmp.Or(c.Kind, confluence.KindPage)
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
func (f *cqlTree) childrenOf(ctx context.Context, parents []string) (map[string][]Page, error) {
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
		rows, err := contentSearchAll(ctx, f.up, cql, expand)
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
	full, err := fetchChunked(noPos, func(c []string) ([]Page, error) { return f.up.PagesByID(ctx, c, "") }, pageID)
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
