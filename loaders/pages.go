package loaders

import (
	"context"

	"github.com/graph-gophers/dataloader/v7"
)

// Pages by id: GET /pages?id=...&limit=250, with the cross-request cache in front.

// Typed entry points for resolvers, here and in the other entity files. Each returns
// ErrNoLoaders when l is nil, ErrNotConnected (wrapped) when the tenant has no integration, a
// *NotFoundError for a missing key, or the upstream's error. A list request's First is how many
// items from the list's start the caller wants (the result holds at most First items and says
// whether more follow); First <= 0 means all.

// Page returns one page (metadata, no body).
func (l *Loaders) Page(ctx context.Context, id string) (*Page, error) {
	return load(ctx, l, func(l *Loaders) *dataloader.Loader[string, *Page] { return l.pages }, id)
}

// Pages returns pages in the order of ids, with a per-id error (nil where found).
func (l *Loaders) Pages(ctx context.Context, ids []string) ([]*Page, []error) {
	return loadMany(ctx, l, func(l *Loaders) *dataloader.Loader[string, *Page] { return l.pages }, ids)
}

// PrimePage records a complete page so later loads of its id cost nothing.
func (l *Loaders) PrimePage(ctx context.Context, p Page) {
	if l == nil || p.Partial {
		return
	}
	l.pages.Prime(ctx, p.ID, &p)
}

func pageID(p Page) string { return p.ID }

func (l *Loaders) loadPages(ctx context.Context, ids []string) []*dataloader.Result[*Page] {
	return loadBulk(ctx, l, ids, bulkLookup[Page]{
		kind: "page", cacheKind: entryPage,
		fetch: func(ctx context.Context, up Upstream, ids []string) ([]Page, error) {
			return up.PagesByID(ctx, ids, "")
		},
		keyOf: pageID,
		keep:  func(_ context.Context, p Page) { l.cachePage(p) },
	})
}

// cachePage keeps a complete page's metadata (without its body) across requests.
func (l *Loaders) cachePage(p Page) {
	if p.Partial {
		return
	}
	p.Body = ""
	l.putMeta(entryKey{Kind: entryPage, ID: p.ID}, p)
}

// primePages records complete pages of a listing for the page loader and the cache.
func (l *Loaders) primePages(ctx context.Context, ps []Page) {
	for i := range ps {
		if p := ps[i]; !p.Partial {
			l.pages.Prime(ctx, p.ID, &p)
			l.cachePage(p)
		}
	}
}
