package loaders

import (
	"context"

	"github.com/graph-gophers/dataloader/v7"
)

// Labels of many pages: with an ExpandingUpstream they ride on the details search (details.go)
// for up to 50 pages; otherwise one CQL content search id in (...) with metadata.labels (100
// pages a clause, 250 rows a call); a page the batched form does not answer gets one per-page
// call.

// Labels returns every label of a page.
func (l *Loaders) Labels(ctx context.Context, pageID string) ([]Label, error) {
	return l.ContentLabels(ctx, KindPage, pageID)
}

// ContentLabels is Labels for content of kind content (a page or a blog post).
func (l *Loaders) ContentLabels(ctx context.Context, content ContentKind, id string) ([]Label, error) {
	return load(ctx, l, func(l *Loaders) *dataloader.Loader[contentKey, []Label] { return l.batchers().labels }, contentKey{ID: id, Content: content})
}

func (l *Loaders) loadLabels(ctx context.Context, keys []contentKey) []*dataloader.Result[[]Label] {
	ids := pageIDs(keys)
	// An expanding upstream brings labels with the details call that comments and attachments
	// of the same pages make anyway. That call carries comment bodies, which cap it at 50 pages,
	// so the labels of more pages come from a labels-only search (250 pages a call) instead.
	if l.expandsDetails(ctx, len(ids), detailsChunk) {
		out := fromDetails(ctx, l, ids, detailsChunk, func(ct *Content, _ int) ([]Label, bool) {
			return nonNil(ct.Labels), ct.LabelsComplete
		})
		return fillRest(ctx, l, keys, out, labelsOf)
	}
	out := make([]*dataloader.Result[[]Label], len(ids))
	if !l.cfg.NoCQLBatching && len(ids) > 1 {
		got, err := l.searchLabels(ctx, ids)
		if err != nil {
			return fail[[]Label](len(ids), err)
		}
		for i, id := range ids {
			if ls, ok := got[id]; ok {
				out[i] = &dataloader.Result[[]Label]{Data: ls}
			}
		}
	}
	return fillRest(ctx, l, keys, out, labelsOf)
}

// labelsOf reads every label of a page through the per-page endpoint.
func labelsOf(ctx context.Context, up Upstream, k contentKey) ([]Label, error) {
	ls, err := collectAll(ctx, func(opt ListOptions) ([]Label, string, error) {
		return up.Labels(ctx, k.Content, k.ID, opt)
	})
	return nonNil(ls), err
}

// searchLabels reads the labels of pages ids through CQL content searches. A refused search
// (canFallBack) answers nothing, leaving every page to the per-page endpoint; another failure
// is returned.
func (l *Loaders) searchLabels(ctx context.Context, ids []string) (map[string][]Label, error) {
	up, err := l.upstream(ctx)
	if err != nil {
		return nil, err
	}
	got := map[string][]Label{}
	ok, err := searchChunks(ctx, up, ids, cqlChunk, "id in (%s)", []string{"metadata.labels"}, func(ct Content) bool {
		if ct.LabelsComplete {
			got[ct.Page.ID] = nonNil(ct.Labels)
		}
		return true
	})
	if !ok {
		return nil, err // nil, nil: fall back to per-page calls
	}
	return got, nil
}
