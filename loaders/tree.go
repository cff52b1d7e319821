package loaders

import (
	"context"
	"errors"

	"github.com/graph-gophers/dataloader/v7"

	"github.com/confluence-graph/confluence-graph/confluence"
	"github.com/confluence-graph/confluence-graph/graph/model"
)

// The content tree: pages, folders, whiteboards, databases and embeds. Children of many parents
// in one CQL content search `parent in (...)` over every tree kind (with the children's labels
// and positions, plus one bulk read for child order when the upstream does not report
// positions); descendants, ancestors and folders (and the other kinds) one call each.

// treeCQL is the batched children query: every kind of tree content under the parents.
const treeCQL = "type in (page, folder, whiteboard, database, embed) AND parent in (%s)"

// Children returns the first first children of every kind of a page (Partial records, Kind
// set), in child order.
func (l *Loaders) Children(ctx context.Context, pageID string, first int) (List[Page], error) {
	return l.ChildrenFrom(ctx, pageID, first, ListFrom{})
}

// ChildrenFrom is Children read from from.
func (l *Loaders) ChildrenFrom(ctx context.Context, pageID string, first int, from ListFrom) (List[Page], error) {
	return l.ChildrenOf(ctx, ContentRef{ID: pageID}, first, from)
}

// ChildrenOf is ChildrenFrom for a parent of any tree kind (a page or a folder, ...).
func (l *Loaders) ChildrenOf(ctx context.Context, parent ContentRef, first int, from ListFrom) (List[Page], error) {
	key := childrenKey{PageID: parent.ID, Kind: kindKey(parent.Kind), N: first, From: from}
	list, err := load(ctx, l, func(l *Loaders) *dataloader.Loader[childrenKey, List[Page]] { return l.batchers().children }, key)
	return l.filterList(ctx, list, err)
}

// Descendants returns the first first items of every kind below a page down to depth levels
// (Partial records with Kind and Depth).
func (l *Loaders) Descendants(ctx context.Context, pageID string, depth, first int) (List[Page], error) {
	return l.DescendantsFrom(ctx, pageID, depth, first, ListFrom{})
}

// DescendantsFrom is Descendants read from from.
func (l *Loaders) DescendantsFrom(ctx context.Context, pageID string, depth, first int, from ListFrom) (List[Page], error) {
	return l.DescendantsOf(ctx, ContentRef{ID: pageID}, depth, first, from)
}

// DescendantsOf is DescendantsFrom below tree content of any kind.
func (l *Loaders) DescendantsOf(ctx context.Context, of ContentRef, depth, first int, from ListFrom) (List[Page], error) {
	key := descendantsKey{PageID: of.ID, Kind: kindKey(of.Kind), Depth: depth, N: first, From: from}
	list, err := load(ctx, l, func(l *Loaders) *dataloader.Loader[descendantsKey, List[Page]] { return l.batchers().descendants }, key)
	return l.filterList(ctx, list, err)
}

// Ancestors returns the ancestors of every kind of tree content, the top-most first.
func (l *Loaders) Ancestors(ctx context.Context, of ContentRef) ([]ContentRef, error) {
	of.Kind = kindKey(of.Kind)
	refs, err := load(ctx, l, func(l *Loaders) *dataloader.Loader[ContentRef, []ContentRef] { return l.batchers().ancestors }, of)
	if err != nil {
		return nil, err
	}
	return l.hiddenAncestors(ctx, refs)
}

// Node returns a folder, whiteboard, database or embed (ref.Kind) by id.
func (l *Loaders) Node(ctx context.Context, ref ContentRef) (TreeNode, error) {
	n, err := load(ctx, l, func(l *Loaders) *dataloader.Loader[ContentRef, TreeNode] { return l.batchers().nodes }, ref)
	if err != nil {
		return n, err
	}
	if _, err := l.checkOne(ctx, &Page{ID: n.ID, SpaceID: n.SpaceID, Kind: n.Kind}, nil, n.Kind, n.ID); err != nil {
		return TreeNode{}, err
	}
	return n, nil
}

// ContentTypes returns the content type of each visible id among ids (at most 100).
func (l *Loaders) ContentTypes(ctx context.Context, ids []string) (map[string]string, error) {
	return direct(ctx, l, func(up Upstream) (map[string]string, error) { return up.ContentTypes(ctx, ids) })
}

// direct makes one upstream read outside the dataloaders: it binds the request's Upstream and
// holds one of the request's concurrency slots while call runs.
func direct[T any](ctx context.Context, l *Loaders, call func(Upstream) (T, error)) (T, error) {
	var zero T
	up, err := l.upstream(ctx)
	if err != nil {
		return zero, err
	}
	if err := l.acquire(ctx); err != nil {
		return zero, err
	}
	defer l.release()
	return call(up)
}

// kindKey is the canonical kind of a key: "" for a page.
func kindKey(kind string) string {
	if model.IsPageKind(kind) {
		return ""
	}
	return kind
}

// lessID orders decimal ids numerically.
func lessID(a, b string) bool {
	if len(a) != len(b) {
		return len(a) < len(b)
	}
	return a < b
}

// uniquePageIDs returns the pages keys name, each once, in order.
func uniquePageIDs[K interface{ pageID() string }](keys []K) []string {
	seen := map[string]bool{}
	var out []string
	for _, k := range keys {
		if id := k.pageID(); !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

func (l *Loaders) loadDescendants(ctx context.Context, keys []descendantsKey) []*dataloader.Result[List[Page]] {
	return each(ctx, l, keys, func(ctx context.Context, up Upstream, k descendantsKey) (List[Page], error) {
		return collectFrom(ctx, k.From.Cursor, k.N, func(opt ListOptions) ([]Page, string, error) {
			return up.Descendants(ctx, ContentRef{ID: k.PageID, Kind: k.Kind}, k.Depth, opt)
		})
	})
}

func (l *Loaders) loadAncestors(ctx context.Context, refs []ContentRef) []*dataloader.Result[[]ContentRef] {
	return each(ctx, l, refs, func(ctx context.Context, up Upstream, ref ContentRef) ([]ContentRef, error) {
		return up.Ancestors(ctx, ref)
	})
}

func (l *Loaders) loadNodes(ctx context.Context, refs []ContentRef) []*dataloader.Result[TreeNode] {
	return each(ctx, l, refs, func(ctx context.Context, up Upstream, ref ContentRef) (TreeNode, error) {
		return up.Node(ctx, ref)
	})
}

// isNotFound reports whether err means "does not exist or not visible".
func isNotFound(err error) bool { return errors.Is(err, confluence.ErrNotFound) }

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
