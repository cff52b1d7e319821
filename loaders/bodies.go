package loaders

import (
	"context"

	"github.com/graph-gophers/dataloader/v7"
)

// Page bodies: current storage and ADF bodies of many pages in one GET /pages?id=...&body-format=
// per 250 pages; other versions and the view format one GET /pages/{id} each. A body at a
// version never changes, so it is kept across requests until evicted.

// PagesWithBody returns pages in the order of ids, like Pages, each with its current body in
// format (storage, atlas_doc_format or view). For storage and atlas_doc_format one GET
// /pages?id=...&body-format=... per 250 ids serves the metadata and the bodies; view has no
// bulk form and costs one GET /pages/{id}?body-format=view per page, which also brings the
// metadata. It primes the page loader with the metadata and the body loader with each body
// under its version number, so Page and Body for these ids (current version, same format)
// cost nothing more. A missing id gets a *NotFoundError of kind "page". With the cross-request
// cache, a page whose metadata and body at that version are cached costs no call.
func (l *Loaders) PagesWithBody(ctx context.Context, ids []string, format string) ([]*Page, []error) {
	return l.ContentWithBody(ctx, KindPage, ids, format)
}

// ContentWithBody is PagesWithBody for content of kind (KindBlogPost: GET /blogposts?id=...).
func (l *Loaders) ContentWithBody(ctx context.Context, kind ContentKind, ids []string, format string) ([]*Page, []error) {
	keys := make([]BodyRequest, len(ids))
	for i, id := range ids {
		keys[i] = BodyRequest{PageID: id, Content: kind, Format: format}.normalized()
	}
	ps, errs := loadMany(ctx, l, func(l *Loaders) *dataloader.Loader[BodyRequest, *Page] { return l.batchers().bodies }, keys)
	return l.checkMany(ctx, ps, errs, kindName(kind), ids)
}

// Body returns the page r names with its body in r.Format (storage, atlas_doc_format or view);
// Title is the title at that version. Current storage and ADF bodies of many pages come from
// one bulk call; bodies at a version are cached across requests.
func (l *Loaders) Body(ctx context.Context, r BodyRequest) (*Page, error) {
	p, err := load(ctx, l, func(l *Loaders) *dataloader.Loader[BodyRequest, *Page] { return l.batchers().bodies }, r.normalized())
	return l.checkOne(ctx, p, err, kindName(r.Content), r.PageID)
}

func (l *Loaders) loadBodies(ctx context.Context, keys []BodyRequest) []*dataloader.Result[*Page] {
	out := make([]*dataloader.Result[*Page], len(keys))
	up, err := l.upstream(ctx) // before the cache: see loadBulk
	if err != nil {
		return fill(out, err)
	}
	type bulkKey struct {
		format string
		kind   ContentKind
	}
	bulk := map[bulkKey][]int{} // format and kind -> key indexes
	var single []int
	for i, k := range keys {
		if p, ok := l.cachedBody(k); ok {
			out[i] = &dataloader.Result[*Page]{Data: p}
			continue
		}
		if k.IsCurrent && (k.Format == "storage" || k.Format == "atlas_doc_format") {
			bk := bulkKey{k.Format, k.Content}
			bulk[bk] = append(bulk[bk], i)
		} else {
			single = append(single, i)
		}
	}
	if len(bulk) == 0 && len(single) == 0 {
		return out
	}
	for bk, idx := range bulk {
		l.loadCurrentBodies(ctx, up, bk.kind, bk.format, keys, idx, out)
	}
	rest := make([]BodyRequest, len(single))
	for j, i := range single {
		rest[j] = keys[i]
	}
	res := each(ctx, l, rest, func(ctx context.Context, up Upstream, k BodyRequest) (*Page, error) {
		v := k.Version
		if k.IsCurrent {
			v = 0
		}
		p, err := up.PageAt(ctx, k.Content, k.PageID, v, k.Format)
		if err != nil {
			return nil, err
		}
		p.Content = k.Content
		l.cacheBody(p, k.Format)
		if k.IsCurrent {
			l.cachePage(p)
			l.primeCurrent(ctx, p, k.Format)
		}
		return &p, nil
	})
	for j, i := range single {
		out[i] = res[j]
	}
	return out
}

// loadCurrentBodies answers keys[idx] (current bodies in format) with bulk reads into out.
func (l *Loaders) loadCurrentBodies(ctx context.Context, up Upstream, kind ContentKind, format string, keys []BodyRequest, idx []int, out []*dataloader.Result[*Page]) {
	ids := make([]string, len(idx))
	for j, i := range idx {
		ids[j] = keys[i].PageID
	}
	found, err := fetchChunked(ids, func(c []string) ([]Page, error) {
		if kind == KindPage {
			return up.PagesByID(ctx, c, format)
		}
		return up.ContentByID(ctx, kind, c, format)
	}, pageID)
	for _, i := range idx {
		if err != nil {
			out[i] = &dataloader.Result[*Page]{Error: err}
			continue
		}
		p, ok := found[keys[i].PageID]
		if !ok {
			out[i] = &dataloader.Result[*Page]{Error: &NotFoundError{Kind: kindName(kind), Key: keys[i].PageID}}
			continue
		}
		l.cacheBody(p, format)
		l.cachePage(p)
		l.primeCurrent(ctx, p, format)
		out[i] = &dataloader.Result[*Page]{Data: &p}
	}
}

// cachedBody answers k from the cross-request cache: a body at a known version directly, the
// current body through the cached metadata's version number (metadata is the page as of its
// TTL, the body at that version immutable). The page returned carries the cached metadata.
func (l *Loaders) cachedBody(k BodyRequest) (*Page, bool) {
	if k.Version > 0 {
		v, ok := l.cached(entryKey{Kind: entryBody, ID: k.PageID, Version: k.Version, Format: k.Format})
		if !ok {
			return nil, false
		}
		p := v.(Page)
		return &p, true
	}
	m, ok := l.cached(entryKey{Kind: metaEntry(k.Content), ID: k.PageID})
	if !ok {
		return nil, false
	}
	meta := m.(Page)
	if meta.Current.Number == 0 {
		return nil, false
	}
	v, ok := l.cached(entryKey{Kind: entryBody, ID: k.PageID, Version: meta.Current.Number, Format: k.Format})
	if !ok {
		return nil, false
	}
	meta.Body = v.(Page).Body
	return &meta, true
}

// primeCurrent records a page fetched with its current body: its metadata for the page loader
// and its body under both keys the current body is asked by (version 0, and its number), so
// Page.body and Page.diff after a page read with its body cost no further call.
func (l *Loaders) primeCurrent(ctx context.Context, p Page, format string) {
	meta := p
	meta.Body = ""
	l.contentLoader(p.Content).Prime(ctx, p.ID, &meta)
	l.primeBody(ctx, p, format, true)
}

// primeBody records p (a page at p.Current.Number with its body in format) for the body loader;
// current says it is the current version, which is also asked for as version 0.
func (l *Loaders) primeBody(ctx context.Context, p Page, format string, current bool) {
	if current {
		l.batchers().bodies.Prime(ctx, BodyRequest{PageID: p.ID, Content: p.Content, Format: format}.normalized(), &p)
	}
	if p.Current.Number > 0 {
		l.batchers().bodies.Prime(ctx, BodyRequest{PageID: p.ID, Content: p.Content, Version: p.Current.Number, IsCurrent: current, Format: format}, &p)
	}
}

// cacheBody keeps a body at its version across requests.
func (l *Loaders) cacheBody(p Page, format string) {
	if p.Current.Number == 0 {
		return
	}
	l.putImmutable(entryKey{Kind: entryBody, ID: p.ID, Version: p.Current.Number, Format: format}, p)
}
