package loaders

import (
	"context"
	"sort"

	"github.com/graph-gophers/dataloader/v7"
)

// The page tree: children of many pages in one CQL content search parent in (...) (with the
// children's labels and positions, plus one bulk page read for child order when the upstream
// does not report positions); descendants and ancestors one call per page.

// Children returns the first first child pages of a page (Partial records), in child order.
func (l *Loaders) Children(ctx context.Context, pageID string, first int) (List[Page], error) {
	return l.ChildrenFrom(ctx, pageID, first, ListFrom{})
}

// ChildrenFrom is Children read from from.
func (l *Loaders) ChildrenFrom(ctx context.Context, pageID string, first int, from ListFrom) (List[Page], error) {
	key := childrenKey{PageID: pageID, N: first, From: from}
	return load(ctx, l, func(l *Loaders) *dataloader.Loader[childrenKey, List[Page]] { return l.children }, key)
}

// Descendants returns the first first pages below a page down to depth levels (Partial records).
func (l *Loaders) Descendants(ctx context.Context, pageID string, depth, first int) (List[Page], error) {
	return l.DescendantsFrom(ctx, pageID, depth, first, ListFrom{})
}

// DescendantsFrom is Descendants read from from.
func (l *Loaders) DescendantsFrom(ctx context.Context, pageID string, depth, first int, from ListFrom) (List[Page], error) {
	key := descendantsKey{PageID: pageID, Depth: depth, N: first, From: from}
	return load(ctx, l, func(l *Loaders) *dataloader.Loader[descendantsKey, List[Page]] { return l.descendants }, key)
}

// Ancestors returns the ids of a page's ancestors, the top-most first.
func (l *Loaders) Ancestors(ctx context.Context, pageID string) ([]string, error) {
	return load(ctx, l, func(l *Loaders) *dataloader.Loader[string, []string] { return l.ancestors }, pageID)
}

func (l *Loaders) loadChildren(ctx context.Context, keys []childrenKey) []*dataloader.Result[List[Page]] {
	if !l.cfg.NoCQLBatching && len(keys) > 1 {
		byParent, err := l.searchChildren(ctx, uniquePageIDs(keys))
		if err != nil {
			return fail[List[Page]](len(keys), err)
		}
		if byParent != nil {
			out := make([]*dataloader.Result[List[Page]], len(keys))
			for i, k := range keys {
				out[i] = &dataloader.Result[List[Page]]{Data: trim(byParent[k.PageID], k.N)}
			}
			return out
		}
	}
	return each(ctx, l, keys, childrenOf)
}

// childrenOf reads the children of one page through the per-page endpoint.
func childrenOf(ctx context.Context, up Upstream, k childrenKey) (List[Page], error) {
	return collectFrom(ctx, k.From.Cursor, k.N, func(opt ListOptions) ([]Page, string, error) {
		return up.Children(ctx, k.PageID, opt)
	})
}

// searchChildren reads the children of parents through CQL content searches, each parent's in
// child order, priming the labels of the children. It answers nil (use the per-page endpoint)
// when the search is refused (canFallBack) or cannot tell parents apart; another failure is
// returned.
func (l *Loaders) searchChildren(ctx context.Context, parents []string) (map[string][]Page, error) {
	up, err := l.upstream(ctx)
	if err != nil {
		return nil, err
	}
	byParent := map[string][]Page{}
	expand := []string{"ancestors", "metadata.labels"}
	ok, err := searchChunks(ctx, up, parents, cqlChunk, "type = page AND parent in (%s)", expand, func(ct Content) bool {
		p := ct.Page
		if p.ParentID == "" {
			return false // the upstream cannot tell parents apart; use per-page calls
		}
		byParent[p.ParentID] = append(byParent[p.ParentID], p)
		if ct.LabelsComplete {
			l.primeLabels(ctx, p.ID, nonNil(ct.Labels))
		}
		return true
	})
	if !ok {
		return nil, err
	}
	if err := l.completePositions(ctx, up, byParent); err != nil {
		return nil, err
	}
	for _, items := range byParent {
		sort.SliceStable(items, func(a, b int) bool {
			if items[a].Position != items[b].Position {
				return items[a].Position < items[b].Position
			}
			return lessID(items[a].ID, items[b].ID)
		})
	}
	return byParent, nil
}

// completePositions replaces the rows without a child position by the full pages, read in bulk
// (250 per call), which also primes the page loader; a row whose page is gone is dropped.
func (l *Loaders) completePositions(ctx context.Context, up Upstream, byParent map[string][]Page) error {
	var childIDs []string
	for _, ps := range byParent {
		for _, p := range ps {
			if !p.HasPosition {
				childIDs = append(childIDs, p.ID)
			}
		}
	}
	full, err := fetchChunked(childIDs, func(c []string) ([]Page, error) {
		ps, err := up.PagesByID(ctx, c, "")
		if err == nil {
			l.primePages(ctx, ps)
		}
		return ps, err
	}, pageID)
	if err != nil {
		return err
	}
	for parent, ps := range byParent {
		kept := ps[:0]
		for _, p := range ps {
			if p.HasPosition {
				kept = append(kept, p)
			} else if f, ok := full[p.ID]; ok {
				kept = append(kept, f)
			}
		}
		byParent[parent] = kept
	}
	return nil
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
			return up.Descendants(ctx, k.PageID, k.Depth, opt)
		})
	})
}

func (l *Loaders) loadAncestors(ctx context.Context, ids []string) []*dataloader.Result[[]string] {
	return each(ctx, l, ids, func(ctx context.Context, up Upstream, id string) ([]string, error) {
		return up.Ancestors(ctx, id)
	})
}
