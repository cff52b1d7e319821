package graph

import (
	"context"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"

	"github.com/confluence-graph/confluence-graph/graph/model"
	"github.com/confluence-graph/confluence-graph/loaders"
)

// The page tree holds pages, folders, whiteboards, databases and embeds. Lists of tree content
// come from the loaders as Page records whose Kind says what each is; contentOf turns each into
// the GraphQL type of its kind (Page, Folder, OtherContent).

// contentOf returns the Content a listing record stands for.
func contentOf(p model.Page) model.Content {
	if model.IsPageKind(p.Kind) {
		return &p
	}
	return nodeContent(model.NodeFromListing(p))
}

// nodeContent wraps a folder, whiteboard, database or embed in its GraphQL type.
func nodeContent(n model.TreeNode) model.Content {
	if n.Kind == "folder" {
		return &model.Folder{TreeNode: n}
	}
	return &model.OtherContent{TreeNode: n}
}

func contentConnection(list loaders.List[loaders.Page], w window) *model.ContentConnection {
	nodes, edges, info := edgesOf(list, w, contentOf,
		func(c string, n model.Content) *model.ContentEdge { return &model.ContentEdge{Cursor: c, Node: n} })
	return &model.ContentConnection{Nodes: nodes, Edges: edges, PageInfo: info}
}

// loadTreeContent returns tree content by reference: a page through the page loader, another kind
// through its v2 route.
func loadTreeContent(ctx context.Context, ref loaders.ContentRef) (model.Content, error) {
	if model.IsPageKind(ref.Kind) {
		p, err := loadPage(ctx, ref.ID)
		if err != nil {
			return nil, err
		}
		return p, nil
	}
	if _, err := requireCaller(ctx); err != nil {
		return nil, err
	}
	n, err := loaders.For(ctx).Node(ctx, ref)
	if err != nil {
		return nil, err
	}
	return nodeContent(n), nil
}

// queryContent answers Query.content: the id's type (v2 convert-ids-to-types), then the read of
// that kind. NotFound for an id that is not tree content.
func queryContent(ctx context.Context, id string) (model.Content, error) {
	if _, err := requireCaller(ctx); err != nil {
		return nil, err
	}
	if !isDecimalID(id) {
		return nil, inputErrorf("id", "id must be a decimal content id")
	}
	types, err := loaders.For(ctx).ContentTypes(ctx, []string{id})
	if err != nil {
		return nil, err
	}
	kind, ok := types[id]
	if ok && kind == "blogpost" {
		p, err := loadContent(ctx, loaders.KindBlogPost, id)
		if err != nil {
			return nil, err
		}
		return (*model.BlogPost)(p), nil
	}
	if !ok || !isTreeKind(kind) {
		return nil, notFoundf("no page, blog post, folder, whiteboard, database or embed with id %s", id)
	}
	return loadTreeContent(ctx, loaders.ContentRef{ID: id, Kind: kind})
}

func isTreeKind(kind string) bool {
	switch kind {
	case "page", "folder", "whiteboard", "database", "embed":
		return true
	}
	return false
}

func isDecimalID(s string) bool {
	if s == "" || len(s) > 20 {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// contentParent loads the parent (of any kind) named by parentID and parentType; nil when there
// is none or it is not visible.
func contentParent(ctx context.Context, parentID, parentType string) (model.Content, error) {
	if parentID == "" {
		return nil, nil
	}
	c, err := loadTreeContent(ctx, loaders.ContentRef{ID: parentID, Kind: parentType})
	if isNotFound(err) {
		return nil, nil
	}
	return c, err
}

func pageParent(ctx context.Context, obj *model.Page) (model.Content, error) {
	parentID, parentType := obj.ParentID, obj.ParentType
	if obj.Partial && (parentID == "" || parentType == "") {
		p, err := fullPage(ctx, obj)
		if err != nil {
			return nil, err
		}
		parentID, parentType = p.ParentID, p.ParentType
	}
	return contentParent(ctx, parentID, parentType)
}

// treeAncestors loads the ancestors of every kind of of, the top-most first: the pages in one
// bulk read, each other kind by id (concurrently). Ancestors that are not visible are left out.
func treeAncestors(ctx context.Context, of loaders.ContentRef) ([]model.Content, error) {
	refs, err := loaders.For(ctx).Ancestors(ctx, of)
	if err != nil {
		return nil, err
	}
	var pageIDs []string
	for _, r := range refs {
		if model.IsPageKind(r.Kind) {
			pageIDs = append(pageIDs, r.ID)
		}
	}
	pages, err := loadPages(ctx, pageIDs)
	if err != nil {
		return nil, err
	}
	out := make([]model.Content, len(refs))
	errs := make([]error, len(refs))
	var wg sync.WaitGroup
	pi := 0
	for i, r := range refs {
		if model.IsPageKind(r.Kind) {
			if p := pages[pi]; p != nil {
				out[i] = p
			}
			pi++
			continue
		}
		wg.Go(func() {
			n, err := loaders.For(ctx).Node(ctx, r)
			if err == nil {
				out[i] = nodeContent(n)
			} else if !isNotFound(err) {
				errs[i] = err
			}
		})
	}
	wg.Wait()
	kept := make([]model.Content, 0, len(out))
	for i, c := range out {
		if errs[i] != nil {
			return nil, errs[i]
		}
		if c != nil {
			kept = append(kept, c)
		}
	}
	return kept, nil
}

func pageAncestors(ctx context.Context, obj *model.Page) ([]model.Content, error) {
	return treeAncestors(ctx, loaders.ContentRef{ID: obj.ID})
}

func treeChildren(ctx context.Context, of loaders.ContentRef, first *int, after *string) (*model.ContentConnection, error) {
	return listConnection(first, after, 25, func(need int, from loaders.ListFrom) (loaders.List[model.Page], error) {
		return loaders.For(ctx).ChildrenOf(ctx, of, need, from)
	}, contentConnection)
}

func treeDescendants(ctx context.Context, of loaders.ContentRef, depth, first *int, after *string) (*model.ContentConnection, error) {
	d := 2
	if depth != nil {
		d = *depth
	}
	if d < 1 || d > 10 {
		return nil, inputErrorf("depth", "depth must be between 1 and 10, got %d", d)
	}
	return listConnection(first, after, 50, func(need int, from loaders.ListFrom) (loaders.List[model.Page], error) {
		return loaders.For(ctx).DescendantsOf(ctx, of, d, need, from)
	}, contentConnection)
}

func pageChildren(ctx context.Context, obj *model.Page, first *int, after *string) (*model.ContentConnection, error) {
	return treeChildren(ctx, loaders.ContentRef{ID: obj.ID}, first, after)
}

func pageDescendants(ctx context.Context, obj *model.Page, depth, first *int, after *string) (*model.ContentConnection, error) {
	return treeDescendants(ctx, loaders.ContentRef{ID: obj.ID}, depth, first, after)
}

// fullNode returns n when it is complete, else the complete record of the same content.
func fullNode(ctx context.Context, n *model.TreeNode) (*model.TreeNode, error) {
	if !n.Partial {
		return n, nil
	}
	if _, err := requireCaller(ctx); err != nil {
		return nil, err
	}
	full, err := loaders.For(ctx).Node(ctx, loaders.ContentRef{ID: n.ID, Kind: n.Kind})
	if err != nil {
		return nil, err
	}
	return &full, nil
}

func nodeRef(n *model.TreeNode) loaders.ContentRef { return loaders.ContentRef{ID: n.ID, Kind: n.Kind} }

func nodeType(n *model.TreeNode) model.ContentType { return toContentType(n.Kind) }

func nodeURL(ctx context.Context, n *model.TreeNode) (string, error) {
	full, err := fullNode(ctx, n)
	if err != nil {
		return "", err
	}
	return full.URL, nil
}

func nodeSpace(ctx context.Context, n *model.TreeNode) (*model.Space, error) {
	spaceID := n.SpaceID
	if spaceID == "" {
		full, err := fullNode(ctx, n)
		if err != nil {
			return nil, err
		}
		spaceID = full.SpaceID
	}
	return nullIfNotFound(loaders.For(ctx).SpaceByID(ctx, spaceID))
}

func nodeAuthor(ctx context.Context, n *model.TreeNode) (*model.User, error) {
	full, err := fullNode(ctx, n)
	if err != nil {
		return nil, err
	}
	return loadUser(ctx, full.AuthorID)
}

func nodeCreatedAt(ctx context.Context, n *model.TreeNode) (*time.Time, error) {
	full, err := fullNode(ctx, n)
	if err != nil {
		return nil, err
	}
	return timePtr(full.Created), nil
}

func nodeParent(ctx context.Context, n *model.TreeNode) (model.Content, error) {
	parentID, parentType := n.ParentID, n.ParentType
	if n.Partial && (parentID == "" || parentType == "") {
		full, err := fullNode(ctx, n)
		if err != nil {
			return nil, err
		}
		parentID, parentType = full.ParentID, full.ParentType
	}
	return contentParent(ctx, parentID, parentType)
}

// findFolders answers the federation's Folder representations, one read per folder.
func findFolders(ctx context.Context, reps []*model.FolderRepresentation) ([]*model.Folder, error) {
	if _, err := requireCaller(ctx); err != nil {
		return nil, err
	}
	out := make([]*model.Folder, len(reps))
	errs := make([]error, len(reps))
	failed := false
	var wg sync.WaitGroup
	for i, r := range reps {
		if r.ID == nil {
			continue
		}
		wg.Go(func() {
			n, err := loaders.For(ctx).Node(ctx, loaders.ContentRef{ID: *r.ID, Kind: "folder"})
			if err != nil {
				errs[i] = err
				return
			}
			out[i] = &model.Folder{TreeNode: n}
		})
	}
	wg.Wait()
	for _, err := range errs {
		failed = failed || err != nil
	}
	if failed {
		return out, graphql.BatchErrorList(errs)
	}
	return out, nil
}
