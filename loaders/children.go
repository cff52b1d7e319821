package loaders

import (
	"context"
	"fmt"
	"sort"

	"github.com/graph-gophers/dataloader/v7"

	"github.com/confluence-graph/confluence-graph/confluence"
	"github.com/confluence-graph/confluence-graph/graph/model"
)

// Children of many parents. One CQL content search `parent in (...)` answers up to cqlChunk
// parents, but it cannot limit rows per parent, and its rows come in no child order: a parent's
// first n children are known only once all of its children are read. So the search reads no
// more rows than the batch asks for (first+1 per parent, rounded up to whole calls of maxBatch
// rows, since a call costs the same whatever it holds): when every child fits, one call answers
// every parent; when the parents have more children than that, each is read through its own
// direct-children route with limit first+1, which returns children in order. Either way the
// rows read stay within the batch's first+1 per parent plus one call's worth, instead of every
// child of every parent.

// loadChildren answers children keys: from the batched search for parents it read completely,
// through the per-parent route for the others (one parent alone, a search Confluence refused, a
// batch with more children than it asked for).
func (l *Loaders) loadChildren(ctx context.Context, keys []childrenKey) []*dataloader.Result[List[Page]] {
	out := make([]*dataloader.Result[List[Page]], len(keys))
	if !l.cfg.NoCQLBatching && len(keys) > 1 {
		byParent, err := l.searchChildren(ctx, keys)
		if err != nil {
			return fail[List[Page]](len(keys), err)
		}
		for i, k := range keys {
			items, ok := byParent[k.PageID]
			if !ok {
				continue
			}
			for j := range items {
				items[j].ParentType = cmpOr(k.Kind, confluence.KindPage)
			}
			out[i] = &dataloader.Result[List[Page]]{Data: trim(items, k.N)}
		}
	}
	return fillRest(ctx, l, keys, out, childrenOf)
}

// childrenOf reads the children of one parent through its kind's direct-children endpoint.
func childrenOf(ctx context.Context, up Upstream, k childrenKey) (List[Page], error) {
	return collectFrom(ctx, k.From.Cursor, k.N, func(opt ListOptions) ([]Page, string, error) {
		return up.Children(ctx, ContentRef{ID: k.PageID, Kind: k.Kind}, opt)
	})
}

// childRows returns the parents keys name, each once in order, and the rows a batched read of
// each may spend: first+1 (the one more tells whether there is a next page), the largest first
// among a parent's keys; 0 when a key asks for every child.
func childRows(keys []childrenKey) ([]string, map[string]int) {
	rows := map[string]int{}
	for _, k := range keys {
		switch r, seen := rows[k.PageID]; {
		case seen && r == 0: // another key asks for every child
		case k.N <= 0:
			rows[k.PageID] = 0
		default:
			rows[k.PageID] = max(r, k.N+1)
		}
	}
	return uniquePageIDs(keys), rows
}

// searchChildren reads the children of every kind of the keys' parents through CQL content
// searches, each parent's in child order, priming the labels of the child pages. The map holds
// an entry (possibly empty) for every parent whose children it read completely; the others are
// for the per-parent route: all of them when the search is refused (canFallBack) or cannot tell
// parents apart, a chunk's parents when they have more children than the chunk asked for.
// Another failure is returned.
func (l *Loaders) searchChildren(ctx context.Context, keys []childrenKey) (map[string][]Page, error) {
	up, err := l.upstream(ctx)
	if err != nil {
		return nil, err
	}
	parents, rows := childRows(keys)
	byParent := map[string][]Page{}
	expand := []string{"ancestors", "metadata.labels"}
	for _, c := range chunks(parents, cqlChunk) {
		budget := 0
		for _, p := range c {
			if rows[p] == 0 {
				budget = 0
				break
			}
			budget += rows[p]
		}
		got, complete, err := l.searchChildRows(ctx, up, c, expand, budget)
		if err != nil {
			if !canFallBack(err) {
				return nil, err
			}
			return nil, nil
		}
		if got == nil {
			return nil, nil // the upstream cannot tell parents apart; use per-parent calls
		}
		if !complete {
			continue
		}
		for _, p := range c {
			byParent[p] = got[p]
		}
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

// searchChildRows runs the children search for parents, reading at most budget rows rounded up
// to whole calls (0: every row), and groups the rows by parent. complete reports that the search
// ended within the budget; a nil map means a row named no parent.
func (l *Loaders) searchChildRows(ctx context.Context, up Upstream, parents, expand []string, budget int) (map[string][]Page, bool, error) {
	fetch := func(opt ListOptions) ([]Content, string, error) {
		opt.Limit = maxBatch
		return up.ContentSearch(ctx, fmt.Sprintf(treeCQL, cqlIDs(parents)), expand, opt)
	}
	most := 0
	if budget > 0 {
		most = (budget + maxBatch - 1) / maxBatch * maxBatch
	}
	list, err := collect(ctx, most, fetch)
	if err != nil {
		return nil, false, err
	}
	byParent := map[string][]Page{}
	for _, ct := range list.Items {
		p := ct.Page
		if p.ParentID == "" {
			return nil, false, nil
		}
		if p.Kind == "" {
			p.Kind = confluence.KindPage
		}
		byParent[p.ParentID] = append(byParent[p.ParentID], p)
		if ct.LabelsComplete && model.IsPageKind(p.Kind) {
			l.primeLabels(ctx, p.ID, nonNil(ct.Labels))
		}
	}
	return byParent, !list.More, nil
}

// completePositions replaces the rows without a child position by the full records: pages read
// in bulk (250 per call, which also primes the page loader), other kinds one call each; a row
// whose content is gone is dropped.
func (l *Loaders) completePositions(ctx context.Context, up Upstream, byParent map[string][]Page) error {
	var childIDs []string
	var nodes []ContentRef
	for _, ps := range byParent {
		for _, p := range ps {
			switch {
			case p.HasPosition:
			case model.IsPageKind(p.Kind):
				childIDs = append(childIDs, p.ID)
			default:
				nodes = append(nodes, ContentRef{ID: p.ID, Kind: p.Kind})
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
	nodePos := map[string]TreeNode{}
	for _, ref := range nodes {
		n, err := l.Node(ctx, ref)
		if err != nil && !isNotFound(err) {
			return err
		}
		if err == nil {
			nodePos[ref.ID] = n
		}
	}
	for parent, ps := range byParent {
		kept := ps[:0]
		for _, p := range ps {
			switch {
			case p.HasPosition:
				kept = append(kept, p)
			case model.IsPageKind(p.Kind):
				if f, ok := full[p.ID]; ok {
					f.Kind = p.Kind
					kept = append(kept, f)
				}
			default:
				if n, ok := nodePos[p.ID]; ok {
					p.Position, p.HasPosition = n.Position, n.HasPosition
					kept = append(kept, p)
				}
			}
		}
		byParent[parent] = kept
	}
	return nil
}
