package loaders

import (
	"strings"
	"sync"
	"sync/atomic"
	"time"

	lru "github.com/hashicorp/golang-lru/v2"
)

// Cache is the cross-request cache: a size-bounded LRU shared by every request and tenant, whose
// keys all start with the tenant id. Immutable items (a page body at a version) stay until
// evicted; metadata (pages, spaces, users) expires after the TTL. It is safe for concurrent use.
// A nil *Cache caches nothing.
type Cache struct {
	lru *lru.Cache[string, cacheEntry]
	ttl time.Duration
	now func() time.Time
	mu  sync.Mutex // serialises DropTenant against itself

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
	l, _ := lru.New[string, cacheEntry](size) // only errors on size <= 0
	return &Cache{lru: l, ttl: ttl, now: time.Now}
}

// SetClock replaces the clock used for TTLs (tests). It must be called before the cache is used.
func (c *Cache) SetClock(now func() time.Time) { c.now = now }

func cacheKey(tenant, kind string, parts ...string) string {
	return tenant + "\x00" + kind + "\x00" + strings.Join(parts, "\x00")
}

func (c *Cache) get(key string) (any, bool) {
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

// putImmutable stores an item that never changes (a body at a version).
func (c *Cache) putImmutable(key string, v any) {
	if c == nil {
		return
	}
	c.lru.Add(key, cacheEntry{value: v})
}

// putMeta stores mutable metadata for the TTL; nothing when the TTL is 0.
func (c *Cache) putMeta(key string, v any) {
	if c == nil || c.ttl <= 0 {
		return
	}
	c.lru.Add(key, cacheEntry{value: v, expires: c.now().Add(c.ttl)})
}

// DropTenant forgets every entry of tenant (on disconnect or a credential change).
func (c *Cache) DropTenant(tenant string) {
	if c == nil || tenant == "" {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	prefix := tenant + "\x00"
	for _, k := range c.lru.Keys() {
		if strings.HasPrefix(k, prefix) {
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
