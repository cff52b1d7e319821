package loaders

import (
	"context"
	"strings"

	"github.com/graph-gophers/dataloader/v7"
)

// Attachments of many pages: with an ExpandingUpstream one details search (details.go) for up to
// 50 pages; otherwise, and for a page whose expanded list is cut, one call per page.

// Attachments returns the first first attachments of a page, of mediaType when set.
func (l *Loaders) Attachments(ctx context.Context, pageID, mediaType string, first int) (List[Attachment], error) {
	return load(ctx, l, func(l *Loaders) *dataloader.Loader[attachmentsKey, List[Attachment]] { return l.attachments }, attachmentsKey{PageID: pageID, MediaType: mediaType, N: first})
}

func (l *Loaders) loadAttachments(ctx context.Context, keys []attachmentsKey) []*dataloader.Result[List[Attachment]] {
	out := make([]*dataloader.Result[List[Attachment]], len(keys))
	for i, ct := range l.expanded(ctx, pageIDs(keys)) {
		if ct != nil && ct.err != nil {
			out[i] = &dataloader.Result[List[Attachment]]{Error: ct.err}
		} else if ct != nil && ct.AttachmentsComplete {
			var items []Attachment
			for _, a := range ct.Attachments {
				if keys[i].MediaType == "" || strings.EqualFold(a.MediaType, keys[i].MediaType) {
					items = append(items, a)
				}
			}
			out[i] = &dataloader.Result[List[Attachment]]{Data: trim(items, keys[i].N)}
		}
	}
	return fillRest(ctx, l, keys, out, func(ctx context.Context, up Upstream, k attachmentsKey) (List[Attachment], error) {
		return collect(ctx, k.N, func(opt ListOptions) ([]Attachment, string, error) {
			return up.Attachments(ctx, k.PageID, k.MediaType, opt)
		})
	})
}
