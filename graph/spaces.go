package graph

import (
	"context"

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
	return toSpace(s), nil
}

func listSpaces(ctx context.Context, keys []string, typ *model.SpaceType, first *int, after *string) (*model.SpaceConnection, error) {
	if _, err := requireCaller(ctx); err != nil {
		return nil, err
	}
	if len(keys) > maxIDs {
		return nil, inputErrorf("keys", "at most %d keys, got %d", maxIDs, len(keys))
	}
	w, err := pageWindow(first, after, 25)
	if err != nil {
		return nil, err
	}
	t := ""
	if typ != nil {
		t = fromSpaceType(*typ)
	}
	list, err := loaders.For(ctx).Spaces(ctx, keys, t, w.need())
	if err != nil {
		return nil, err
	}
	ss := make([]*model.Space, len(list.Items))
	for i := range list.Items {
		ss[i] = toSpace(&list.Items[i])
	}
	nodes, cursors, hasNext := slice(ss, list.More, w)
	conn := &model.SpaceConnection{Nodes: nonNilSlice(nodes), Edges: []*model.SpaceEdge{}}
	for i, n := range nodes {
		conn.Edges = append(conn.Edges, &model.SpaceEdge{Cursor: cursors[i], Node: n})
	}
	conn.PageInfo = pageInfo(cursors, w, hasNext)
	return conn, nil
}

func spaceHomepage(ctx context.Context, obj *model.Space) (*model.Page, error) {
	if obj.HomepageID == "" {
		return nil, nil
	}
	return nullIfNotFound(loadPage(ctx, obj.HomepageID))
}

func spacePages(ctx context.Context, obj *model.Space, depth *model.PageDepth, first *int, after *string) (*model.PageConnection, error) {
	w, err := pageWindow(first, after, 25)
	if err != nil {
		return nil, err
	}
	root := depth == nil || *depth == model.PageDepthRoot
	list, err := loaders.For(ctx).SpacePages(ctx, obj.ID, root, w.need())
	if err != nil {
		return nil, err
	}
	return pageConnection(list.Items, list.More, w), nil
}

// maxTreeEntries bounds a page tree's size.
const maxTreeEntries = 2000

// spacePageTree flattens a page tree depth-first. It reads one extra level only to tell whether
// the deepest pages have children.
func spacePageTree(ctx context.Context, obj *model.Space, rootID *string, maxDepth *int) ([]*model.PageTreeEntry, error) {
	md := 3
	if maxDepth != nil {
		md = *maxDepth
	}
	if md < 1 || md > 5 {
		return nil, inputErrorf("maxDepth", "maxDepth must be between 1 and 5, got %d", md)
	}
	l := loaders.For(ctx)
	children := map[string][]loaders.Page{} // parent id -> children in order
	var tops []loaders.Page
	if rootID != nil && *rootID != "" {
		list, err := l.Descendants(ctx, *rootID, md+1, maxTreeEntries)
		if err != nil {
			return nil, err
		}
		for _, p := range list.Items {
			if p.Depth == 1 || p.ParentID == *rootID {
				tops = append(tops, p)
			} else {
				children[p.ParentID] = append(children[p.ParentID], p)
			}
		}
	} else {
		list, err := l.SpacePages(ctx, obj.ID, true, maxTreeEntries)
		if err != nil {
			return nil, err
		}
		tops = list.Items
		// The descendants of every top page, concurrently (one call each, in one tick).
		type res struct {
			list loaders.List[loaders.Page]
			err  error
		}
		results := make([]res, len(tops))
		done := make(chan struct{})
		for i := range tops {
			go func() {
				defer func() { done <- struct{}{} }()
				lst, err := l.Descendants(ctx, tops[i].ID, md, maxTreeEntries)
				results[i] = res{lst, err}
			}()
		}
		for range tops {
			<-done
		}
		for _, r := range results {
			if r.err != nil {
				return nil, r.err
			}
			for _, p := range r.list.Items {
				children[p.ParentID] = append(children[p.ParentID], p)
			}
		}
	}
	var out []*model.PageTreeEntry
	var walk func(p loaders.Page, parent string, depth int)
	walk = func(p loaders.Page, parent string, depth int) {
		if len(out) >= maxTreeEntries {
			return
		}
		e := &model.PageTreeEntry{Page: toPage(&p), Depth: depth, HasChildren: len(children[p.ID]) > 0}
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
	rootParent := ""
	if rootID != nil {
		rootParent = *rootID
	}
	for _, t := range tops {
		walk(t, rootParent, 1)
	}
	return nonNilSlice(out), nil
}
