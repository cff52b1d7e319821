package graph

import (
	"context"
	"sort"
	"sync"

	"github.com/confluence-graph/confluence-graph/graph/model"
	"github.com/confluence-graph/confluence-graph/loaders"
)

func loadSpace(ctx context.Context, key, id *string) (*model.Space, error) {
	if _, err := requireCaller(ctx); err != nil {
		return nil, err
	}
	l := loaders.For(ctx)
	var (
		s   *loaders.Space
		err error
	)
	switch {
	case key != nil && id != nil:
		return nil, inputErrorf("key", "give either key or id, not both")
	case key != nil && *key != "":
		s, err = l.SpaceByKey(ctx, *key)
	case id != nil && *id != "":
		s, err = l.SpaceByID(ctx, *id)
	default:
		return nil, inputErrorf("key", "give a space key or id")
	}
	if err != nil {
		return nil, err
	}
	return s, nil
}

func listSpaces(ctx context.Context, keys []string, typ *model.SpaceType, first *int, after *string) (*model.SpaceConnection, error) {
	if _, err := requireCaller(ctx); err != nil {
		return nil, err
	}
	return spacesPage(ctx, loaders.SpacesRequest{Keys: keys}, typ, first, after, 25)
}

// availableSpaces answers Query.availableSpaces: spaces whatever the read policy, admins only.
func availableSpaces(ctx context.Context, first *int, after *string) (*model.SpaceConnection, error) {
	if _, err := requireAdmin(ctx); err != nil {
		return nil, err
	}
	return spacesPage(ctx, loaders.SpacesRequest{IgnorePolicy: true}, nil, first, after, 100)
}

// spacesPage lists one page of spaces as r (with first, after and typ) asks.
func spacesPage(ctx context.Context, r loaders.SpacesRequest, typ *model.SpaceType, first *int, after *string, def int) (*model.SpaceConnection, error) {
	keys := r.Keys
	if len(keys) > maxIDs {
		return nil, inputErrorf("keys", "at most %d keys, got %d", maxIDs, len(keys))
	}
	w, err := pageWindow(first, after, def)
	if err != nil {
		return nil, err
	}
	if typ != nil {
		r.Type = fromSpaceType(*typ)
	}
	r.First, r.From = w.need(), w.From
	list, err := loaders.For(ctx).Spaces(ctx, r)
	if err != nil {
		return nil, err
	}
	nodes, edges, info := edgesOf(list, w, ptrTo[model.Space],
		func(c string, n *model.Space) *model.SpaceEdge { return &model.SpaceEdge{Cursor: c, Node: n} })
	return &model.SpaceConnection{Nodes: nodes, Edges: edges, PageInfo: info}, nil
}

func spaceHomepage(ctx context.Context, obj *model.Space) (*model.Page, error) {
	if obj.HomepageID == "" {
		return nil, nil
	}
	return nullIfNotFound(loadPage(ctx, obj.HomepageID))
}

func spacePages(ctx context.Context, obj *model.Space, depth *model.PageDepth, first *int, after *string) (*model.PageConnection, error) {
	root := depth == nil || *depth == model.PageDepthRoot
	return listConnection(first, after, 25, func(need int, from loaders.ListFrom) (loaders.List[model.Page], error) {
		return loaders.For(ctx).SpacePages(ctx, loaders.SpacePagesRequest{
			SpacePagesQuery: loaders.SpacePagesQuery{SpaceID: obj.ID, RootOnly: root}, First: need, From: from})
	}, pageConnection)
}

// maxTreeEntries bounds the entries of a page tree one call returns.
const maxTreeEntries = 2000

// spacePageTree flattens a page tree depth-first, children in child order, and returns the
// maxTreeEntries entries after the one after names (the tree's start when nil).
//
// Entries are content of every kind: pages, folders, whiteboards, databases, embeds.
// Below a root page it reads the root's descendants (one extra level tells whether the deepest
// pages have children). For a whole space it reads the space's page list with parent links,
// 250 pages a call, and the space's other content (folders, ...) with one CQL content search,
// instead of one descendants call per top-level page; a parent that neither read returned (the
// search refused) is read by id, so no page is orphaned. When the entries asked do not cover
// the list, it reads on while that costs no more calls than the descendants of each top-level
// page or folder would, and falls back to those descendants when the list is longer still.
// A continuation builds
// the tree again up to the entries it returns; within the cache's TTL the space's page list and
// other content come from what earlier calls read (loaders.SpacePageList), so it reads only the
// part of the list no earlier call read, from where the last read stopped.
func spacePageTree(ctx context.Context, obj *model.Space, rootID *string, maxDepth *int, after *string) (*model.PageTree, error) {
	md := 3
	if maxDepth != nil {
		md = *maxDepth
	}
	if md < 1 || md > 5 {
		return nil, inputErrorf("maxDepth", "maxDepth must be between 1 and 5, got %d", md)
	}
	skip := 0
	if after != nil && *after != "" {
		p, ok := decodeCursor(*after)
		if !ok || p.Upstream != "" {
			return nil, inputErrorf("after", "after is not a cursor of a page tree")
		}
		skip = p.Offset + 1
	}
	// The entries to walk: those before the window, the window, and one to tell whether the
	// tree continues.
	want := skip + maxTreeEntries + 1
	l := loaders.For(ctx)
	children := map[string][]loaders.Page{} // parent id -> children
	var tops []loaders.Page
	rootParent := ""
	cut := false // a read stopped before the end of what it lists
	switch {
	case rootID != nil && *rootID != "":
		rootParent = *rootID
		list, err := l.Descendants(ctx, *rootID, md+1, want)
		if err != nil {
			return nil, err
		}
		cut = list.More
		for _, p := range list.Items {
			if p.Depth == 1 || p.ParentID == *rootID {
				tops = append(tops, p)
			} else {
				children[p.ParentID] = append(children[p.ParentID], p)
			}
		}
	default:
		all, err := l.SpacePageList(ctx, obj.ID, want, 0)
		if err != nil {
			return nil, err
		}
		nodes, err := l.SpaceTreeNodesCached(ctx, obj.Key)
		if err != nil {
			return nil, err
		}
		var roots loaders.List[loaders.Page]
		if all.More {
			// The descendants route costs a call per top-level item: while the rest of the list
			// costs no more calls than that, reading it is cheaper (and a continuation reuses it).
			if roots, err = l.SpacePages(ctx, loaders.SpacePagesRequest{SpacePagesQuery: loaders.SpacePagesQuery{SpaceID: obj.ID, RootOnly: true}, First: want}); err != nil {
				return nil, err
			}
			if all, err = l.SpacePageList(ctx, obj.ID, 0, len(roots.Items)+topNodes(nodes)); err != nil {
				return nil, err
			}
		}
		if !all.More {
			items := append(append([]loaders.Page(nil), all.Items...), nodes...)
			more, err := l.ResolveParents(ctx, items)
			if err != nil {
				return nil, err
			}
			items = append(items, more...)
			ids := make(map[string]bool, len(items))
			for _, p := range items {
				ids[p.ID] = true
			}
			for _, p := range items {
				if p.ParentID == "" || !ids[p.ParentID] {
					tops = append(tops, p)
				} else {
					children[p.ParentID] = append(children[p.ParentID], p)
				}
			}
			break
		}
		if tops, cut, err = treeByDescendants(ctx, l, roots, nodes, md, want, children); err != nil {
			return nil, err
		}
	}
	sortByPosition(tops)
	for _, cs := range children {
		sortByPosition(cs)
	}
	var out []*model.PageTreeEntry
	var walk func(p loaders.Page, parent string, depth int)
	walk = func(p loaders.Page, parent string, depth int) {
		if len(out) >= want {
			return
		}
		e := &model.PageTreeEntry{Content: contentOf(p), Depth: depth, HasChildren: len(children[p.ID]) > 0}
		if pg, ok := e.Content.(*model.Page); ok {
			e.Page = pg
		}
		if parent != "" {
			e.ParentID = &parent
		}
		out = append(out, e)
		if depth >= md {
			return
		}
		for _, c := range children[p.ID] {
			walk(c, p.ID, depth+1)
		}
	}
	for _, t := range tops {
		walk(t, rootParent, 1)
	}
	entries := out[min(skip, len(out)):min(skip+maxTreeEntries, len(out))]
	tree := &model.PageTree{Entries: nonNilSlice(entries)}
	if len(entries) > 0 && (len(out) > skip+maxTreeEntries || cut) {
		c := encodeCursor(position{Offset: skip + len(entries) - 1})
		tree.Truncated, tree.EndCursor = true, &c
	}
	return tree, nil
}

// topNodes counts the top-level items among nodes.
func topNodes(nodes []loaders.Page) int {
	n := 0
	for _, p := range nodes {
		if p.ParentID == "" {
			n++
		}
	}
	return n
}

// treeByDescendants reads the first first descendants of each of the space's top-level pages
// (list) and of each top-level node among nodes (one call per top item, concurrently), filling
// children; it returns the top items and whether a read stopped before its list's end.
func treeByDescendants(ctx context.Context, l *loaders.Loaders, list loaders.List[loaders.Page], nodes []loaders.Page, md, first int, children map[string][]loaders.Page) ([]loaders.Page, bool, error) {
	tops, cut := list.Items, list.More
	for _, n := range nodes {
		if n.ParentID == "" {
			tops = append(tops, n)
		}
	}
	results := make([]loaders.List[loaders.Page], len(tops))
	errs := make([]error, len(tops))
	var wg sync.WaitGroup
	for i := range tops {
		wg.Go(func() {
			results[i], errs[i] = l.DescendantsOf(ctx, loaders.ContentRef{ID: tops[i].ID, Kind: tops[i].Kind}, md, first, loaders.ListFrom{})
		})
	}
	wg.Wait()
	for i := range tops {
		if errs[i] != nil {
			return nil, false, errs[i]
		}
		cut = cut || results[i].More
		for _, p := range results[i].Items {
			children[p.ParentID] = append(children[p.ParentID], p)
		}
	}
	return tops, cut, nil
}

// sortByPosition orders sibling pages by child position, then by id.
func sortByPosition(ps []loaders.Page) {
	sort.SliceStable(ps, func(i, j int) bool {
		if ps[i].Position != ps[j].Position {
			return ps[i].Position < ps[j].Position
		}
		if len(ps[i].ID) != len(ps[j].ID) {
			return len(ps[i].ID) < len(ps[j].ID)
		}
		return ps[i].ID < ps[j].ID
	})
}
