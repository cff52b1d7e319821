package bench

import (
	"context"
)

const pageTreeGraphQL = `query PageTree($key: String!, $root: ID!) { space(key: $key) {
  pageTree(rootId: $root, maxDepth: 3) { entries { depth parentId hasChildren content { id title } } } } }`

// TreeEntry is one entry of a flattened page tree, depth first, siblings in child order.
type TreeEntry struct {
	ID, Title, ParentID string
	Depth               int
	HasChildren         bool
}

func pageTreeQuery() *Query {
	return &Query{
		Name:    "pagetree",
		Title:   "`Space.pageTree(rootId, maxDepth: 3)`: every page in the three levels below a page, flattened (no per-level cap)",
		GraphQL: pageTreeGraphQL,
		Depth:   3,
		Floor:   2,
		FloorNote: "the space by key, then `GET /pages/{id}/descendants` one level deeper than asked (so the last " +
			"level knows whether it has children; 250 rows per call)",
		api:   pageTreeAPI,
		naive: pageTreeNaive,
	}
}

func pageTreeAPI(ctx context.Context, a *API, t Targets) (any, error) {
	var res struct {
		Space *struct {
			PageTree struct {
				Entries []struct {
					Depth       int    `json:"depth"`
					ParentID    string `json:"parentId"`
					HasChildren bool   `json:"hasChildren"`
					Content     struct {
						ID    string `json:"id"`
						Title string `json:"title"`
					} `json:"content"`
				} `json:"entries"`
			} `json:"pageTree"`
		} `json:"space"`
	}
	if err := a.Query(ctx, pageTreeGraphQL, map[string]any{"key": t.SpaceKey, "root": t.TreeRoot}, &res); err != nil {
		return nil, err
	}
	if res.Space == nil {
		return nil, errNotFound("space " + t.SpaceKey)
	}
	out := make([]TreeEntry, len(res.Space.PageTree.Entries))
	for i, e := range res.Space.PageTree.Entries {
		out[i] = TreeEntry{ID: e.Content.ID, Title: e.Content.Title, ParentID: e.ParentID, Depth: e.Depth, HasChildren: e.HasChildren}
	}
	return out, nil
}

// pageTreeNaive walks the tree below the root one children call per page (all children, 250 per
// call), down to the pages of the third level, whose own children call says whether they have any.
func pageTreeNaive(ctx context.Context, n *Naive, t Targets) (any, error) {
	if _, err := n.spaceByKey(ctx, t.SpaceKey); err != nil {
		return nil, err
	}
	root := Tree{ID: t.TreeRoot}
	if err := n.subtree(ctx, &root, 4, 250); err != nil {
		return nil, err
	}
	var out []TreeEntry
	var walk func(t Tree, depth int)
	walk = func(t Tree, depth int) {
		for _, c := range t.Children {
			out = append(out, TreeEntry{ID: c.ID, Title: c.Title, ParentID: t.ID, Depth: depth, HasChildren: len(c.Children) > 0})
			if depth < 3 {
				walk(c, depth+1)
			}
		}
	}
	walk(root, 1)
	return out, nil
}
