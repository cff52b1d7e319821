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
	if p, ok := cachedFirst[Page](ctx, l, entryKey{Kind: entryPage, ID: id}); ok {
		return l.checkOne(ctx, p, nil, "page", id)
	}
	p, err := load(ctx, l, func(l *Loaders) *dataloader.Loader[string, *Page] { return l.batchers().pages }, id)
	return l.checkOne(ctx, p, err, "page", id)
}

// Pages returns pages in the order of ids, with a per-id error (nil where found).
func (l *Loaders) Pages(ctx context.Context, ids []string) ([]*Page, []error) {
	ps, errs := loadMany(ctx, l, func(l *Loaders) *dataloader.Loader[string, *Page] { return l.batchers().pages }, ids)
	return l.checkMany(ctx, ps, errs, "page", ids)
}

// BlogPost returns one blog post (metadata, no body): the page loader's read through
// GET /blogposts?id=..., batched and cached the same way.
func (l *Loaders) BlogPost(ctx context.Context, id string) (*Page, error) {
	p, err := load(ctx, l, func(l *Loaders) *dataloader.Loader[string, *Page] { return l.batchers().blogPosts }, id)
	return l.checkOne(ctx, p, err, "blog post", id)
}

// BlogPosts returns blog posts in the order of ids, with a per-id error (nil where found).
func (l *Loaders) BlogPosts(ctx context.Context, ids []string) ([]*Page, []error) {
	ps, errs := loadMany(ctx, l, func(l *Loaders) *dataloader.Loader[string, *Page] { return l.batchers().blogPosts }, ids)
	return l.checkMany(ctx, ps, errs, "blog post", ids)
}

// PrimePage records a complete page (or blog post, by its Kind) so later loads of its id cost
// nothing.
func (l *Loaders) PrimePage(ctx context.Context, p Page) {
	if l == nil || p.Partial {
		return
	}
	l.contentLoader(p.Content).Prime(ctx, p.ID, &p)
}

// contentLoader is the by-id loader of kind: pages or blog posts.
func (l *Loaders) contentLoader(kind ContentKind) *dataloader.Loader[string, *Page] {
	if kind == KindBlogPost {
		return l.batchers().blogPosts
	}
	return l.batchers().pages
}

// metaEntry is the cache entry kind of the metadata of content of kind.
func metaEntry(kind ContentKind) entryKind {
	if kind == KindBlogPost {
		return entryBlogPost
	}
	return entryPage
}

func pageID(p Page) string { return p.ID }

// loadContent is the by-id batch function of kind: one GET /pages (or /blogposts) ?id=... per
// 250 ids, with the cross-request cache in front.
func (l *Loaders) loadContent(kind ContentKind) func(ctx context.Context, ids []string) []*dataloader.Result[*Page] {
	return func(ctx context.Context, ids []string) []*dataloader.Result[*Page] {
		return loadBulk(ctx, l, ids, bulkLookup[Page]{
			kind: kindName(kind), cacheKind: metaEntry(kind),
			fetch: func(ctx context.Context, up Upstream, ids []string) ([]Page, error) {
				if kind == KindPage {
					return up.PagesByID(ctx, ids, "")
				}
				return up.ContentByID(ctx, kind, ids, "")
			},
			keyOf: pageID,
			keep:  func(_ context.Context, p Page) { l.cachePage(p) },
		})
	}
}

// cachePage keeps a complete page's (or blog post's) metadata (without its body) across requests.
func (l *Loaders) cachePage(p Page) {
	if p.Partial {
		return
	}
	p.Body = ""
	l.putMeta(entryKey{Kind: metaEntry(p.Content), ID: p.ID}, p)
}

// primePages records complete pages (or blog posts) of a listing for their loader and the cache.
func (l *Loaders) primePages(ctx context.Context, ps []Page) {
	for i := range ps {
		if p := ps[i]; !p.Partial {
			l.contentLoader(p.Content).Prime(ctx, p.ID, &p)
			l.cachePage(p)
		}
	}
}
