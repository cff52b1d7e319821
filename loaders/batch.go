package loaders

import (
	"context"
	"errors"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/confluence-graph/confluence-graph/confluence"
	"github.com/graph-gophers/dataloader/v7"
)

// fail gives every key the same error.
func fail[V any](n int, err error) []*dataloader.Result[V] {
	return fill(make([]*dataloader.Result[V], n), err)
}

// each runs fn for every key concurrently (bounded by the request's MaxConcurrency) and returns
// key-aligned results.
func each[K comparable, V any](ctx context.Context, l *Loaders, keys []K, fn func(context.Context, Upstream, K) (V, error)) []*dataloader.Result[V] {
	up, err := l.upstream(ctx)
	if err != nil {
		return fail[V](len(keys), err)
	}
	out := make([]*dataloader.Result[V], len(keys))
	var wg sync.WaitGroup
	for i, k := range keys {
		wg.Go(func() {
			if err := l.acquire(ctx); err != nil {
				out[i] = &dataloader.Result[V]{Error: err}
				return
			}
			defer l.release()
			v, err := fn(ctx, up, k)
			out[i] = &dataloader.Result[V]{Data: v, Error: err}
		})
	}
	wg.Wait()
	return out
}

// collect reads a cursor-paged list from its start until it holds need items or ends.
func collect[T any](ctx context.Context, need int, fetch func(ListOptions) ([]T, string, error)) (List[T], error) {
	var items []T
	opt := ListOptions{Limit: min(max(need, 1), maxBatch)}
	for {
		batch, next, err := fetch(opt)
		if err != nil {
			return List[T]{}, err
		}
		items = append(items, batch...)
		if next == "" {
			return List[T]{Items: items}, nil
		}
		if need > 0 && len(items) >= need {
			return List[T]{Items: items[:need], More: true}, nil
		}
		if err := ctx.Err(); err != nil {
			return List[T]{}, err
		}
		opt.Cursor = next
		opt.Limit = min(max(need-len(items), 1), maxBatch)
		if need <= 0 {
			opt.Limit = maxBatch
		}
	}
}

// trim cuts a complete list to its first n items.
func trim[T any](items []T, n int) List[T] {
	if n > 0 && len(items) > n {
		return List[T]{Items: items[:n], More: true}
	}
	return List[T]{Items: items}
}

func chunks[T any](s []T, n int) [][]T {
	var out [][]T
	for len(s) > n {
		out = append(out, s[:n])
		s = s[n:]
	}
	if len(s) > 0 {
		out = append(out, s)
	}
	return out
}

// ---- pages, bodies, spaces, users: bulk endpoints

// bulkLookup describes one keyed lookup through a bulk endpoint with the cross-request cache
// in front of it; loadBulk runs it.
type bulkLookup[V any] struct {
	kind      string                                                 // kind a missing key's NotFoundError names
	cacheKind string                                                 // kind of the cross-request cache entries
	norm      func(string) string                                    // cache and match key of a requested key; nil: the key itself
	fetch     func(context.Context, Upstream, []string) ([]V, error) // one bulk call for at most maxBatch keys
	keyOf     func(V) string                                         // match key of a fetched value
	keep      func(context.Context, V)                               // records a fetched value (caches, primes); nil: nothing
}

// loadBulk answers keys from the cross-request cache, fetches the rest in chunks of maxBatch
// and returns results aligned to keys; a key the upstream did not return gets a NotFoundError.
func loadBulk[V any](ctx context.Context, l *Loaders, keys []string, b bulkLookup[V]) []*dataloader.Result[*V] {
	norm := b.norm
	if norm == nil {
		norm = func(s string) string { return s }
	}
	out := make([]*dataloader.Result[*V], len(keys))
	var missing []string
	for i, k := range keys {
		if v, ok := l.cached(b.cacheKind, norm(k)); ok {
			x := v.(V)
			out[i] = &dataloader.Result[*V]{Data: &x}
			continue
		}
		missing = append(missing, k)
	}
	if len(missing) == 0 {
		return out
	}
	up, err := l.upstream(ctx)
	if err != nil {
		return fill(out, err)
	}
	found, err := fetchChunked(missing, func(c []string) ([]V, error) {
		vs, err := b.fetch(ctx, up, c)
		if err == nil && b.keep != nil {
			for _, v := range vs {
				b.keep(ctx, v)
			}
		}
		return vs, err
	}, b.keyOf)
	if err != nil {
		return fill(out, err)
	}
	for i, k := range keys {
		if out[i] != nil {
			continue
		}
		v, ok := found[norm(k)]
		if !ok {
			out[i] = &dataloader.Result[*V]{Error: &NotFoundError{Kind: b.kind, Key: k}}
			continue
		}
		out[i] = &dataloader.Result[*V]{Data: &v}
	}
	return out
}

// fetchChunked calls fetch with keys in chunks of maxBatch and indexes every value it returns
// by keyOf; it stops at the first error and returns it.
func fetchChunked[V any](keys []string, fetch func([]string) ([]V, error), keyOf func(V) string) (map[string]V, error) {
	found := map[string]V{}
	for _, c := range chunks(keys, maxBatch) {
		vs, err := fetch(c)
		if err != nil {
			return nil, err
		}
		for _, v := range vs {
			found[keyOf(v)] = v
		}
	}
	return found, nil
}

func pageID(p Page) string { return p.ID }

func (l *Loaders) loadPages(ctx context.Context, ids []string) []*dataloader.Result[*Page] {
	return loadBulk(ctx, l, ids, bulkLookup[Page]{
		kind: "page", cacheKind: "page",
		fetch: func(ctx context.Context, up Upstream, ids []string) ([]Page, error) {
			return up.PagesByID(ctx, ids, "")
		},
		keyOf: pageID,
		keep:  func(_ context.Context, p Page) { l.cachePage(p) },
	})
}

// fill sets err on every unset result.
func fill[V any](out []*dataloader.Result[V], err error) []*dataloader.Result[V] {
	for i := range out {
		if out[i] == nil {
			out[i] = &dataloader.Result[V]{Error: err}
		}
	}
	return out
}

func (l *Loaders) key(kind string, parts ...string) string {
	return cacheKey(l.tenant, l.gen, kind, parts...)
}

// cached looks an entry of the request's tenant up in the cross-request cache; a request
// without a tenant uses none (and is not counted as a miss).
func (l *Loaders) cached(kind string, parts ...string) (any, bool) {
	if l.tenant == "" {
		return nil, false
	}
	return l.cfg.Cache.get(l.key(kind, parts...))
}

// putMeta stores metadata of the request's tenant in the cross-request cache for the TTL; a
// request without a tenant stores nothing.
func (l *Loaders) putMeta(v any, kind string, parts ...string) {
	if l.tenant != "" {
		l.cfg.Cache.putMeta(l.tenant, l.gen, l.key(kind, parts...), v)
	}
}

// putImmutable stores an item of the request's tenant that never changes, like putMeta.
func (l *Loaders) putImmutable(v any, kind string, parts ...string) {
	if l.tenant != "" {
		l.cfg.Cache.putImmutable(l.tenant, l.gen, l.key(kind, parts...), v)
	}
}

func (l *Loaders) cachePage(p Page) {
	if p.Partial {
		return
	}
	p.Body = ""
	l.putMeta(p, "page", p.ID)
}

func (l *Loaders) loadBodies(ctx context.Context, keys []bodyKey) []*dataloader.Result[*Page] {
	out := make([]*dataloader.Result[*Page], len(keys))
	bulk := map[string][]int{} // format -> key indexes
	var single []int
	for i, k := range keys {
		if p, ok := l.cachedBody(k); ok {
			out[i] = &dataloader.Result[*Page]{Data: p}
			continue
		}
		if k.Current && (k.Format == "storage" || k.Format == "atlas_doc_format") {
			bulk[k.Format] = append(bulk[k.Format], i)
		} else {
			single = append(single, i)
		}
	}
	if len(bulk) == 0 && len(single) == 0 {
		return out
	}
	up, err := l.upstream(ctx)
	if err != nil {
		return fill(out, err)
	}
	for format, idx := range bulk {
		ids := make([]string, len(idx))
		for j, i := range idx {
			ids[j] = keys[i].ID
		}
		found, err := fetchChunked(ids, func(c []string) ([]Page, error) {
			return up.PagesByID(ctx, c, format)
		}, pageID)
		if err != nil {
			for _, i := range idx {
				out[i] = &dataloader.Result[*Page]{Error: err}
			}
			continue
		}
		for _, i := range idx {
			p, ok := found[keys[i].ID]
			if !ok {
				out[i] = &dataloader.Result[*Page]{Error: &NotFoundError{Kind: "page", Key: keys[i].ID}}
				continue
			}
			l.cacheBody(p, format)
			l.cachePage(p)
			l.primeCurrent(ctx, p, format)
			out[i] = &dataloader.Result[*Page]{Data: &p}
		}
	}
	rest := make([]bodyKey, len(single))
	for j, i := range single {
		rest[j] = keys[i]
	}
	res := each(ctx, l, rest, func(ctx context.Context, up Upstream, k bodyKey) (*Page, error) {
		v := k.Version
		if k.Current {
			v = 0
		}
		p, err := up.PageAt(ctx, k.ID, v, k.Format)
		if err != nil {
			return nil, err
		}
		l.cacheBody(p, k.Format)
		if k.Current {
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

// cachedBody answers k from the cross-request cache: a body at a known version directly, the
// current body through the cached metadata's version number (metadata is the page as of its
// TTL, the body at that version immutable). The page returned carries the cached metadata.
func (l *Loaders) cachedBody(k bodyKey) (*Page, bool) {
	if k.Version > 0 {
		v, ok := l.cached("body", k.ID, strconv.Itoa(k.Version), k.Format)
		if !ok {
			return nil, false
		}
		p := v.(Page)
		return &p, true
	}
	m, ok := l.cached("page", k.ID)
	if !ok {
		return nil, false
	}
	meta := m.(Page)
	if meta.Version.Number == 0 {
		return nil, false
	}
	v, ok := l.cached("body", k.ID, strconv.Itoa(meta.Version.Number), k.Format)
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
	l.pages.Prime(ctx, p.ID, &meta)
	l.bodies.Prime(ctx, bodyKey{ID: p.ID, Format: format, Current: true}, &p)
	if p.Version.Number > 0 {
		l.bodies.Prime(ctx, bodyKey{ID: p.ID, Version: p.Version.Number, Format: format, Current: true}, &p)
	}
}

func (l *Loaders) cacheBody(p Page, format string) {
	if p.Version.Number == 0 {
		return
	}
	l.putImmutable(p, "body", p.ID, strconv.Itoa(p.Version.Number), format)
}

func (l *Loaders) loadSpacesByID(ctx context.Context, ids []string) []*dataloader.Result[*Space] {
	return l.loadSpaces(ctx, ids, false)
}

func (l *Loaders) loadSpacesByKey(ctx context.Context, keys []string) []*dataloader.Result[*Space] {
	return l.loadSpaces(ctx, keys, true)
}

func (l *Loaders) loadSpaces(ctx context.Context, keys []string, byKey bool) []*dataloader.Result[*Space] {
	b := bulkLookup[Space]{
		kind: "space", cacheKind: "space",
		fetch: func(ctx context.Context, up Upstream, ids []string) ([]Space, error) {
			ss, _, err := up.Spaces(ctx, ids, nil, "", ListOptions{Limit: maxBatch})
			return ss, err
		},
		keyOf: func(s Space) string { return s.ID },
		keep:  l.primeSpace,
	}
	if byKey {
		b.cacheKind, b.norm = "spacekey", strings.ToUpper
		b.fetch = func(ctx context.Context, up Upstream, keys []string) ([]Space, error) {
			ss, _, err := up.Spaces(ctx, nil, keys, "", ListOptions{Limit: maxBatch})
			return ss, err
		}
		b.keyOf = func(s Space) string { return strings.ToUpper(s.Key) }
	}
	return loadBulk(ctx, l, keys, b)
}

// primeSpace records a space under both its id and its key.
func (l *Loaders) primeSpace(ctx context.Context, s Space) {
	l.spacesByID.Prime(ctx, s.ID, &s)
	l.spacesByKey.Prime(ctx, s.Key, &s)
	l.putMeta(s, "space", s.ID)
	l.putMeta(s, "spacekey", strings.ToUpper(s.Key))
}

func (l *Loaders) loadUsers(ctx context.Context, ids []string) []*dataloader.Result[*User] {
	return loadBulk(ctx, l, ids, bulkLookup[User]{
		kind: "user", cacheKind: "user",
		fetch: func(ctx context.Context, up Upstream, ids []string) ([]User, error) {
			return up.Users(ctx, ids)
		},
		keyOf: func(u User) string { return u.AccountID },
		keep:  func(_ context.Context, u User) { l.putMeta(u, "user", u.AccountID) },
	})
}

// ---- labels and children: one CQL content search for many pages

// cqlIDs renders ids for an IN list; ids are digits only (anything else is dropped).
func cqlIDs(ids []string) string {
	var b strings.Builder
	for _, id := range ids {
		if !isDigits(id) {
			continue
		}
		if b.Len() > 0 {
			b.WriteString(", ")
		}
		b.WriteString(id)
	}
	return b.String()
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// contentSearchAll runs a CQL content search to its end.
func contentSearchAll(ctx context.Context, up Upstream, cql string, expand []string) ([]Content, error) {
	list, err := collect(ctx, 0, func(opt ListOptions) ([]Content, string, error) {
		opt.Limit = maxBatch
		return up.ContentSearch(ctx, cql, expand, opt)
	})
	return list.Items, err
}

func (l *Loaders) loadLabels(ctx context.Context, ids []string) []*dataloader.Result[[]Label] {
	out := make([]*dataloader.Result[[]Label], len(ids))
	keys := make([]listKey, len(ids))
	for i, id := range ids {
		keys[i] = listKey{ID: id}
	}
	// An expanding upstream brings labels with the details call that comments and attachments
	// of the same pages make anyway. That call carries comment bodies, which cap it at 50 pages,
	// so the labels of more pages come from a labels-only search (250 pages a call) instead.
	if cs := l.expandedUpTo(ctx, keys, detailsChunk); cs != nil {
		for i, ct := range cs {
			if ct != nil && ct.err != nil {
				out[i] = &dataloader.Result[[]Label]{Error: ct.err}
			} else if ct != nil && ct.LabelsComplete {
				out[i] = &dataloader.Result[[]Label]{Data: nonNil(ct.Labels)}
			}
		}
	} else if !l.cfg.NoCQLBatching && len(ids) > 1 {
		up, err := l.upstream(ctx)
		if err != nil {
			return fail[[]Label](len(ids), err)
		}
		got := map[string][]Label{}
		ok := true
		for _, c := range chunks(ids, cqlChunk) {
			cs, err := contentSearchAll(ctx, up, "id in ("+cqlIDs(c)+")", []string{"metadata.labels"})
			if err != nil {
				if !canFallBack(err) {
					return fail[[]Label](len(ids), err)
				}
				ok = false // fall back to per-page calls
				break
			}
			for _, ct := range cs {
				if ct.LabelsComplete {
					got[ct.Page.ID] = nonNil(ct.Labels)
				}
			}
		}
		if ok {
			for i, id := range ids {
				if ls, ok := got[id]; ok {
					out[i] = &dataloader.Result[[]Label]{Data: ls}
				}
			}
		}
	}
	return fillRest(ctx, l, keys, out, func(ctx context.Context, up Upstream, k listKey) ([]Label, error) {
		list, err := collect(ctx, 0, func(opt ListOptions) ([]Label, string, error) {
			opt.Limit = maxBatch
			return up.Labels(ctx, k.ID, opt)
		})
		return nonNil(list.Items), err
	})
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func (l *Loaders) loadChildren(ctx context.Context, keys []listKey) []*dataloader.Result[List[Page]] {
	out := make([]*dataloader.Result[List[Page]], len(keys))
	if !l.cfg.NoCQLBatching && len(keys) > 1 {
		up, err := l.upstream(ctx)
		if err != nil {
			return fail[List[Page]](len(keys), err)
		}
		parents := uniqueIDs(keys)
		byParent := map[string][]Page{}
		ok := true
		for _, c := range chunks(parents, cqlChunk) {
			cs, err := contentSearchAll(ctx, up, "type = page AND parent in ("+cqlIDs(c)+")", []string{"ancestors", "metadata.labels"})
			if err != nil {
				if !canFallBack(err) {
					return fail[List[Page]](len(keys), err)
				}
				ok = false
				break
			}
			for _, ct := range cs {
				p := ct.Page
				if p.ParentID == "" {
					ok = false // the upstream cannot tell parents apart; use per-page calls
					break
				}
				byParent[p.ParentID] = append(byParent[p.ParentID], p)
				if ct.LabelsComplete {
					l.labels.Prime(ctx, p.ID, nonNil(ct.Labels))
				}
			}
		}
		if ok {
			// Rows without the child position are completed by one bulk read of the children
			// (250 per call), which also primes the page loader.
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
					for _, p := range ps {
						l.pages.Prime(ctx, p.ID, &p)
						l.cachePage(p)
					}
				}
				return ps, err
			}, pageID)
			if err != nil {
				return fail[List[Page]](len(keys), err)
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
			for i, k := range keys {
				items := byParent[k.ID]
				sort.SliceStable(items, func(a, b int) bool {
					if items[a].Position != items[b].Position {
						return items[a].Position < items[b].Position
					}
					return lessID(items[a].ID, items[b].ID)
				})
				out[i] = &dataloader.Result[List[Page]]{Data: trim(items, k.N)}
			}
			return out
		}
	}
	return each(ctx, l, keys, func(ctx context.Context, up Upstream, k listKey) (List[Page], error) {
		return collect(ctx, k.N, func(opt ListOptions) ([]Page, string, error) {
			return up.Children(ctx, k.ID, opt)
		})
	})
}

// lessID orders decimal ids numerically.
func lessID(a, b string) bool {
	if len(a) != len(b) {
		return len(a) < len(b)
	}
	return a < b
}

func uniqueIDs(keys []listKey) []string {
	seen := map[string]bool{}
	var out []string
	for _, k := range keys {
		if !seen[k.ID] {
			seen[k.ID] = true
			out = append(out, k.ID)
		}
	}
	return out
}

// ---- per-page lists without a bulk form: one call per page, concurrently

func (l *Loaders) loadDescendants(ctx context.Context, keys []listKey) []*dataloader.Result[List[Page]] {
	return each(ctx, l, keys, func(ctx context.Context, up Upstream, k listKey) (List[Page], error) {
		depth, _ := strconv.Atoi(k.Arg)
		return collect(ctx, k.N, func(opt ListOptions) ([]Page, string, error) {
			return up.Descendants(ctx, k.ID, depth, opt)
		})
	})
}

func (l *Loaders) loadSpacePages(ctx context.Context, keys []listKey) []*dataloader.Result[List[Page]] {
	return each(ctx, l, keys, func(ctx context.Context, up Upstream, k listKey) (List[Page], error) {
		list, err := collect(ctx, k.N, func(opt ListOptions) ([]Page, string, error) {
			return up.SpacePages(ctx, k.ID, k.Arg == "root", opt)
		})
		for i := range list.Items {
			if p := list.Items[i]; !p.Partial {
				l.pages.Prime(ctx, p.ID, &p)
				l.cachePage(p)
			}
		}
		return list, err
	})
}

func (l *Loaders) loadComments(ctx context.Context, keys []listKey) []*dataloader.Result[List[Comment]] {
	out := make([]*dataloader.Result[List[Comment]], len(keys))
	for i, ct := range l.expanded(ctx, keys) {
		if ct != nil && ct.err != nil {
			out[i] = &dataloader.Result[List[Comment]]{Error: ct.err}
		} else if ct != nil && ct.CommentsComplete {
			var footer, inline []Comment
			for _, c := range ct.Comments {
				switch {
				case c.ParentID != "":
				case c.Kind == CommentInline:
					inline = append(inline, c)
				default:
					footer = append(footer, c)
				}
			}
			var items []Comment
			switch keys[i].Arg {
			case CommentFooter:
				items = footer
			case CommentInline:
				items = inline
			default:
				items = append(footer, inline...)
			}
			out[i] = &dataloader.Result[List[Comment]]{Data: trim(items, keys[i].N)}
		}
	}
	return fillRest(ctx, l, keys, out, func(ctx context.Context, up Upstream, k listKey) (List[Comment], error) {
		if k.Arg != "" {
			return collect(ctx, k.N, func(opt ListOptions) ([]Comment, string, error) {
				return up.Comments(ctx, k.ID, k.Arg, opt)
			})
		}
		// Both kinds: footer comments first, then inline ones. The two lists are read at the
		// same time, so the field costs one round trip.
		var (
			footer, inline List[Comment]
			ferr, ierr     error
			wg             sync.WaitGroup
		)
		wg.Go(func() {
			footer, ferr = collect(ctx, k.N, func(opt ListOptions) ([]Comment, string, error) {
				return up.Comments(ctx, k.ID, CommentFooter, opt)
			})
		})
		inline, ierr = collect(ctx, k.N, func(opt ListOptions) ([]Comment, string, error) {
			return up.Comments(ctx, k.ID, CommentInline, opt)
		})
		wg.Wait()
		if ferr != nil {
			return List[Comment]{}, ferr
		}
		if ierr != nil {
			return List[Comment]{}, ierr
		}
		all := append(footer.Items, inline.Items...)
		list := trim(all, k.N)
		list.More = list.More || footer.More || inline.More
		return list, nil
	})
}

func (l *Loaders) loadReplies(ctx context.Context, keys []listKey) []*dataloader.Result[List[Comment]] {
	return each(ctx, l, keys, func(ctx context.Context, up Upstream, k listKey) (List[Comment], error) {
		return collect(ctx, k.N, func(opt ListOptions) ([]Comment, string, error) {
			return up.Replies(ctx, k.ID, k.Arg, opt)
		})
	})
}

func (l *Loaders) loadVersions(ctx context.Context, keys []listKey) []*dataloader.Result[List[Version]] {
	return each(ctx, l, keys, func(ctx context.Context, up Upstream, k listKey) (List[Version], error) {
		bodies := k.Arg == "bodies"
		list, err := collect(ctx, k.N, func(opt ListOptions) ([]Version, string, error) {
			return up.Versions(ctx, k.ID, opt, bodies)
		})
		for _, v := range list.Items {
			if !v.HasBody {
				continue
			}
			p := &Page{ID: k.ID, Title: v.Title, Partial: true, Body: v.Body,
				Version: Version{PageID: k.ID, Number: v.Number, Message: v.Message, MinorEdit: v.MinorEdit, CreatedAt: v.CreatedAt, AuthorID: v.AuthorID}}
			l.bodies.Prime(ctx, bodyKey{ID: k.ID, Version: v.Number, Format: "storage"}, p)
			l.cacheBody(*p, "storage")
		}
		for i := range list.Items {
			list.Items[i].Body, list.Items[i].HasBody = "", false // bodies live in the body loader
		}
		return list, err
	})
}

func (l *Loaders) loadAttachments(ctx context.Context, keys []listKey) []*dataloader.Result[List[Attachment]] {
	out := make([]*dataloader.Result[List[Attachment]], len(keys))
	for i, ct := range l.expanded(ctx, keys) {
		if ct != nil && ct.err != nil {
			out[i] = &dataloader.Result[List[Attachment]]{Error: ct.err}
		} else if ct != nil && ct.AttachmentsComplete {
			var items []Attachment
			for _, a := range ct.Attachments {
				if keys[i].Arg == "" || strings.EqualFold(a.MediaType, keys[i].Arg) {
					items = append(items, a)
				}
			}
			out[i] = &dataloader.Result[List[Attachment]]{Data: trim(items, keys[i].N)}
		}
	}
	return fillRest(ctx, l, keys, out, func(ctx context.Context, up Upstream, k listKey) (List[Attachment], error) {
		return collect(ctx, k.N, func(opt ListOptions) ([]Attachment, string, error) {
			return up.Attachments(ctx, k.ID, k.Arg, opt)
		})
	})
}

func (l *Loaders) loadAncestors(ctx context.Context, ids []string) []*dataloader.Result[[]string] {
	return each(ctx, l, ids, func(ctx context.Context, up Upstream, id string) ([]string, error) {
		return up.Ancestors(ctx, id)
	})
}

func (l *Loaders) loadVersion(ctx context.Context, keys []versionKey) []*dataloader.Result[*Version] {
	return each(ctx, l, keys, func(ctx context.Context, up Upstream, k versionKey) (*Version, error) {
		v, err := up.Version(ctx, k.PageID, k.Number)
		if errors.Is(err, confluence.ErrNotFound) {
			return nil, &NotFoundError{Kind: "version", Key: k.PageID + "@" + strconv.Itoa(k.Number)}
		}
		if err != nil {
			return nil, err
		}
		return &v, nil
	})
}

// fillRest answers the keys out leaves unset with one concurrent per-key call each.
func fillRest[V any](ctx context.Context, l *Loaders, keys []listKey, out []*dataloader.Result[V], fn func(context.Context, Upstream, listKey) (V, error)) []*dataloader.Result[V] {
	var rest []listKey
	var idx []int
	for i := range keys {
		if out[i] == nil {
			rest = append(rest, keys[i])
			idx = append(idx, i)
		}
	}
	if len(rest) == 0 {
		return out
	}
	res := each(ctx, l, rest, fn)
	for j, i := range idx {
		out[i] = res[j]
	}
	return out
}

// ---- page details: comments, attachments (and their authors) of many pages in one v1 call

// detailsExpand are the expansions of the details call. Bodies cap a v1 search page at 50.
var detailsExpand = []string{"metadata.labels", "children.comment.body.storage", "children.comment.version", "children.comment.ancestors", "children.attachment.version"}

const detailsChunk = 50

// expanded returns the expanded content of each key's page when the upstream decodes children
// expansions and more than one page is asked for; nil entries (and a nil slice) mean "use the
// per-page endpoints".
func (l *Loaders) expanded(ctx context.Context, keys []listKey) []*Content {
	return l.expandedUpTo(ctx, keys, 0)
}

// expandedUpTo is expanded for at most most keys (0: any number); nil beyond.
func (l *Loaders) expandedUpTo(ctx context.Context, keys []listKey, most int) []*Content {
	if l.cfg.NoCQLBatching || len(keys) < 2 || (most > 0 && len(keys) > most) {
		return nil
	}
	up, err := l.upstream(ctx)
	if err != nil {
		return nil
	}
	if x, ok := up.(ExpandingUpstream); !ok || !x.ExpandsChildren() {
		return nil
	}
	ids := make([]string, len(keys))
	for i, k := range keys {
		ids[i] = k.ID
	}
	cs, errs := l.details.LoadMany(ctx, ids)()
	for i := range errs {
		if errs[i] != nil {
			// Confluence is rate limiting or failing: report it rather than fan out.
			cs[i] = &Content{err: errs[i]}
		}
	}
	return cs
}

func (l *Loaders) loadDetails(ctx context.Context, ids []string) []*dataloader.Result[*Content] {
	out := make([]*dataloader.Result[*Content], len(ids))
	up, err := l.upstream(ctx)
	if err != nil {
		return fail[*Content](len(ids), err)
	}
	got := map[string]*Content{}
	for _, c := range chunks(ids, detailsChunk) {
		cs, err := contentSearchAll(ctx, up, "id in ("+cqlIDs(c)+")", detailsExpand)
		if err != nil {
			if !canFallBack(err) {
				return fail[*Content](len(ids), err)
			}
			break // the per-page endpoints answer instead
		}
		for i := range cs {
			ct := cs[i]
			got[ct.Page.ID] = &ct
			for _, u := range ct.Users {
				if u.AccountID != "" && u.DisplayName != "" {
					l.users.Prime(ctx, u.AccountID, &u)
				}
			}
		}
	}
	for i, id := range ids {
		out[i] = &dataloader.Result[*Content]{Data: got[id]} // nil: not expanded, fall back
	}
	return out
}

// canFallBack reports whether a failed batched (CQL) read may be retried through the per-page
// endpoints: yes when the batched form itself is refused (unsupported, a token without the
// search scope, CQL Confluence rejects, a removed endpoint); no when Confluence is rate limiting,
// failing or slow, where fanning out into per-page calls would only add load.
func canFallBack(err error) bool {
	return errors.Is(err, ErrUnsupported) || errors.Is(err, confluence.ErrInvalidCQL) ||
		errors.Is(err, confluence.ErrUnauthorized) || errors.Is(err, confluence.ErrForbidden) ||
		errors.Is(err, confluence.ErrGone) || errors.Is(err, confluence.ErrNotFound)
}
