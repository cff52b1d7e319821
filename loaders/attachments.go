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
	return l.AttachmentsFrom(ctx, pageID, mediaType, first, ListFrom{})
}

// AttachmentsFrom is Attachments read from from.
func (l *Loaders) AttachmentsFrom(ctx context.Context, pageID, mediaType string, first int, from ListFrom) (List[Attachment], error) {
	return l.ContentAttachmentsFrom(ctx, KindPage, pageID, mediaType, first, from)
}

// ContentAttachmentsFrom is AttachmentsFrom for content of kind content (a page or a blog post).
func (l *Loaders) ContentAttachmentsFrom(ctx context.Context, content ContentKind, id, mediaType string, first int, from ListFrom) (List[Attachment], error) {
	key := attachmentsKey{PageID: id, Content: content, MediaType: mediaType, N: first, From: from}
	return load(ctx, l, func(l *Loaders) *dataloader.Loader[attachmentsKey, List[Attachment]] { return l.batchers().attachments }, key)
}

func (l *Loaders) loadAttachments(ctx context.Context, keys []attachmentsKey) []*dataloader.Result[List[Attachment]] {
	out := fromDetails(ctx, l, pageIDs(keys), 0, func(ct *Content, i int) (List[Attachment], bool) {
		var items []Attachment
		for _, a := range ct.Attachments {
			if keys[i].MediaType == "" || strings.EqualFold(a.MediaType, keys[i].MediaType) {
				items = append(items, a)
			}
		}
		return trim(items, keys[i].N), ct.AttachmentsComplete
	})
	return fillRest(ctx, l, keys, out, attachmentsOf)
}

// attachmentsOf reads the attachments of one page through the per-page endpoint.
func attachmentsOf(ctx context.Context, up Upstream, k attachmentsKey) (List[Attachment], error) {
	return collectFrom(ctx, k.From.Cursor, k.N, func(opt ListOptions) ([]Attachment, string, error) {
		return up.Attachments(ctx, k.Content, k.PageID, k.MediaType, opt)
	})
}
