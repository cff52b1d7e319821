package loaders

import (
	"context"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/graph-gophers/dataloader/v7"
	lru "github.com/hashicorp/golang-lru/v2"
)

// Cache is the cross-request cache: a size-bounded LRU shared by every request and tenant, whose
// keys all start with the tenant id, the tenant's generation and the credential version the
// request's Source bound it to. Immutable items (a page body at a version) stay until evicted;
// metadata (pages, spaces, users) expires after the TTL. It is safe for concurrent use. A nil
// *Cache caches nothing.
//
// A request reads the cache only after its Source has bound it to the tenant's current
// credential (the Source reads the stored integration on every request), so a tenant without an
// integration gets ErrNotConnected even for cached items, and entries read with an older
// credential (a token rotated or a site re-pointed on another replica, whose DropTenant never
// reaches this process) are never served: their credential version is no longer the one
// requests are bound to. See Credentialed.
//
// DropTenant starts a new generation for the tenant. Loaders capture the generation when they
// are built (before they ask for the tenant's Confluence client), read and write only entries of
// that generation, and a write under an older generation is discarded. So data read with a
// credential that has since changed (a request still running across Disconnect or a token
// update) is never served after the drop.
type Cache struct {
	lru *lru.Cache[cacheKey, cacheEntry]
	ttl time.Duration
	now func() time.Time
	// mu guards gens. Writes hold it shared so that a write checked against the current
	// generation cannot land after DropTenant has bumped it and swept the tenant's entries.
	mu   sync.RWMutex
	gens map[string]uint64 // tenant -> generation; absent means 0

	hits, misses atomic.Uint64
}

type cacheEntry struct {
	value   any
	expires time.Time // zero: immutable
}

// NewCache returns a cache holding at most size entries (size <= 0 means 10000) and keeping
// metadata for ttl (0 disables metadata caching; immutable items are still kept).
func NewCache(size int, ttl time.Duration) *Cache {
	if size <= 0 {
		size = 10000
	}
	l, _ := lru.New[cacheKey, cacheEntry](size) // only errors on size <= 0
	return &Cache{lru: l, ttl: ttl, now: time.Now, gens: map[string]uint64{}}
}

// SetClock replaces the clock used for TTLs (tests). It must be called before the cache is used.
func (c *Cache) SetClock(now func() time.Time) { c.now = now }

// generation returns tenant's current generation (0 for a nil cache).
func (c *Cache) generation(tenant string) uint64 {
	if c == nil {
		return 0
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.gens[tenant]
}

// entryKind is the kind of item a cache entry holds.
type entryKind uint8

const (
	entryPage     entryKind = iota + 1 // page metadata by id (no body)
	entryBody                          // a page at a version with its body in one format
	entrySpace                         // a space by id
	entrySpaceKey                      // a space by upper-cased key
	entryUser                          // an account by id
	entryLink                          // a resolved link target (links.go): its URL, "" when missing
	entryText                          // an attachment's extracted text (files.go) by id and version
	// Lists, for the TTL. Each is keyed by its loader's key (Query), which names the parent, the
	// filter and how many items from the list's start were read.
	entrySpacePages  // a space's page list (spacePagesKey)
	entryVersions    // a page's version list (versionsKey, which carries the page's current version)
	entryChildren    // a page's child pages (childrenKey)
	entryComments    // a page's top-level comments (commentsKey)
	entryAttachments // a page's attachments (attachmentsKey)
	// The batched CQL reads, by page id, for the TTL.
	entryLabels  // a page's labels
	entryDetails // a page's expanded details search row (details.go); nil: not expanded
	// Blog post metadata by id (no body), apart from entryPage so that a page read never
	// answers a blog post id (Confluence answers 404 there).
	entryBlogPost
)

// entryKey names an item of one tenant: ID is the page, space or account id (the upper-cased
// key for entrySpaceKey); Version and Format are set for bodies only; Query holds the loader key
// of a list (comparable; nil for the other kinds).
type entryKey struct {
	Kind    entryKind
	ID      string
	Version int
	Format  string
	Query   any
}

// cacheKey is an entry's key in the shared cache: the item under its tenant, generation and
// credential version.
type cacheKey struct {
	Tenant string
	Gen    uint64
	Cred   int64
	entryKey
}

func (c *Cache) get(key cacheKey) (any, bool) {
	if c == nil {
		return nil, false
	}
	e, ok := c.lru.Get(key)
	if !ok {
		c.misses.Add(1)
		return nil, false
	}
	if !e.expires.IsZero() && !c.now().Before(e.expires) {
		c.lru.Remove(key)
		c.misses.Add(1)
		return nil, false
	}
	c.hits.Add(1)
	return e.value, true
}

// Stats returns how many lookups the cache answered (hits) and how many it could not (misses:
// absent, evicted or expired entries) since it was made, over every tenant. Each item a request
// looks up before asking Confluence counts once. It is safe for concurrent use; a nil *Cache
// returns zeros. The server exports them as loaders_cache_hits_total and
// loaders_cache_misses_total.
func (c *Cache) Stats() (hits, misses uint64) {
	if c == nil {
		return 0, 0
	}
	return c.hits.Load(), c.misses.Load()
}

// putImmutable stores an item that never changes (a body at a version), read by a request of
// the key's tenant and generation; nothing when that generation is no longer current.
func (c *Cache) putImmutable(key cacheKey, v any) {
	if c == nil {
		return
	}
	c.put(key, cacheEntry{value: v})
}

// putMeta stores mutable metadata for the TTL, like putImmutable; nothing when the TTL is 0.
func (c *Cache) putMeta(key cacheKey, v any) {
	if c == nil || c.ttl <= 0 {
		return
	}
	c.put(key, cacheEntry{value: v, expires: c.now().Add(c.ttl)})
}

func (c *Cache) put(key cacheKey, e cacheEntry) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if c.gens[key.Tenant] != key.Gen {
		return // read under a credential that has been dropped since
	}
	c.lru.Add(key, e)
}

// DropTenant forgets every entry of tenant (on disconnect or a credential change) and starts a
// new generation, so writes of requests built before the call are discarded and their entries
// are never served again.
func (c *Cache) DropTenant(tenant string) {
	if c == nil || tenant == "" {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gens[tenant]++
	for _, k := range c.lru.Keys() {
		if k.Tenant == tenant {
			c.lru.Remove(k)
		}
	}
}

// Len returns the number of entries held (including expired ones not yet evicted).
func (c *Cache) Len() int {
	if c == nil {
		return 0
	}
	return c.lru.Len()
}

// The request's side of the cache: entries of the request's tenant, generation and credential.
// A request without a tenant (Config.Tenant nil or "") neither reads nor writes, and is not
// counted; neither does a request not (or not successfully) bound to its Upstream yet, so no
// cache read can precede the Source's check that the tenant is connected.

// cacheOn reports whether the request may use the cache: it has a tenant and a bound Upstream.
func (l *Loaders) cacheOn() bool {
	return l.tenant != "" && l.bound.Load()
}

func (l *Loaders) cacheKey(k entryKey) cacheKey {
	return cacheKey{Tenant: l.tenant, Gen: l.gen, Cred: l.cred, entryKey: k}
}

// cached looks k up in the cross-request cache.
func (l *Loaders) cached(k entryKey) (any, bool) {
	if !l.cacheOn() {
		return nil, false
	}
	return l.cfg.Cache.get(l.cacheKey(k))
}

// putMeta stores metadata for the TTL.
func (l *Loaders) putMeta(k entryKey, v any) {
	if l.cacheOn() {
		l.cfg.Cache.putMeta(l.cacheKey(k), v)
	}
}

// putImmutable stores an item that never changes.
func (l *Loaders) putImmutable(k entryKey, v any) {
	if l.cacheOn() {
		l.cfg.Cache.putImmutable(l.cacheKey(k), v)
	}
}

// cachedBatch puts the cross-request cache in front of a loader's batch function fn: it binds the
// request (the Source's check comes before any cache read), answers the keys it holds for the
// TTL, passes the others to fn in their order and keeps fn's answers without error (nothing
// when the TTL is 0). keyOf names a key's entry. share returns a copy of a cached value that the
// caller may modify without touching the cache (the cache is read by concurrent requests).
func cachedBatch[K comparable, V any](l *Loaders, keyOf func(K) entryKey, share func(V) V,
	fn func(context.Context, []K) []*dataloader.Result[V]) func(context.Context, []K) []*dataloader.Result[V] {
	return func(ctx context.Context, keys []K) []*dataloader.Result[V] {
		if _, err := l.upstream(ctx); err != nil {
			return fail[V](len(keys), err)
		}
		out := make([]*dataloader.Result[V], len(keys))
		var rest []K
		var idx []int
		for i, k := range keys {
			if v, ok := l.cached(keyOf(k)); ok {
				out[i] = &dataloader.Result[V]{Data: share(v.(V))}
				continue
			}
			rest = append(rest, k)
			idx = append(idx, i)
		}
		if len(rest) == 0 {
			return out
		}
		res := fn(ctx, rest)
		for j, i := range idx {
			out[i] = res[j]
			if r := res[j]; r != nil && r.Error == nil {
				l.putMeta(keyOf(rest[j]), share(r.Data))
			}
		}
		return out
	}
}

// listEntry names the cached list a loader key reads.
func listEntry[K comparable](kind entryKind) func(K) entryKey {
	return func(k K) entryKey { return entryKey{Kind: kind, Query: k} }
}

// pageEntry names the cached item of a page id.
func pageEntry(kind entryKind) func(string) entryKey {
	return func(id string) entryKey { return entryKey{Kind: kind, ID: id} }
}

// shareList copies a list's items, so a caller sorting them leaves the cached list alone.
func shareList[T any](l List[T]) List[T] {
	l.Items = slices.Clone(l.Items)
	return l
}

// shareItems copies a slice for the same reason.
func shareItems[T any](s []T) []T { return slices.Clone(s) }

// shareAsIs returns v: the loaders only read it.
func shareAsIs[V any](v V) V { return v }

// primeLabels records a page's labels read by another batched search for this request and,
// for the TTL, the next ones.
func (l *Loaders) primeLabels(ctx context.Context, pageID string, ls []Label) {
	l.batchers().labels.Prime(ctx, contentKey{ID: pageID}, ls)
	l.putMeta(entryKey{Kind: entryLabels, ID: pageID}, slices.Clone(ls))
}

// primeUser records an account that came with another read, like primeLabels.
func (l *Loaders) primeUser(ctx context.Context, u User) {
	l.batchers().users.Prime(ctx, u.AccountID, &u)
	l.putMeta(entryKey{Kind: entryUser, ID: u.AccountID}, u)
}
