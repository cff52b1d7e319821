package envelope

import (
	"container/list"
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"
)

// Defaults for the zero fields of [CacheOptions].
const (
	DefaultCacheEntries = 1024
	DefaultCacheTTL     = 5 * time.Minute
)

// CacheKey identifies one decrypted credential: a tenant and the version of
// its stored credential. A new version is a different key, so a credential
// change never serves the old secret.
type CacheKey struct {
	TenantID string
	Version  int64
}

// CacheOptions configures [NewCache].
type CacheOptions struct {
	// MaxEntries bounds the number of entries; the least recently used one
	// is evicted first. Zero means DefaultCacheEntries.
	MaxEntries int
	// TTL is how long an entry is served after it was loaded.
	// Zero means DefaultCacheTTL.
	TTL time.Duration
	// Now is the clock. Nil means time.Now.
	Now func() time.Time
}

// Cache keeps decrypted secrets (Confluence tokens) in process memory only,
// so that reads do not cost a key service Decrypt each. Entries are bounded
// in number, expire a fixed TTL after loading, and concurrent misses for one
// key share a single load (singleflight). Values are copied in and out, and
// the cache zeroes its copy when an entry is evicted, expires or is dropped
// (best effort: the Go runtime may have made other copies).
//
// A Cache is safe for concurrent use. The zero value is not usable; use
// [NewCache].
type Cache struct {
	maxEntries int
	ttl        time.Duration
	now        func() time.Time
	group      singleflight.Group

	mu    sync.Mutex
	ll    *list.List // of *cacheEntry, most recently used at the front
	items map[CacheKey]*list.Element
	epoch uint64 // incremented by Drop; loads begun before a Drop are not stored
}

type cacheEntry struct {
	key     CacheKey
	value   []byte
	expires time.Time
}

// NewCache returns an empty Cache.
func NewCache(o CacheOptions) *Cache {
	c := &Cache{
		maxEntries: o.MaxEntries,
		ttl:        o.TTL,
		now:        o.Now,
		ll:         list.New(),
		items:      make(map[CacheKey]*list.Element),
	}
	if c.maxEntries <= 0 {
		c.maxEntries = DefaultCacheEntries
	}
	if c.ttl <= 0 {
		c.ttl = DefaultCacheTTL
	}
	if c.now == nil {
		c.now = time.Now
	}
	return c
}

// Get returns a copy of the value cached for key, or calls load to produce
// it. Concurrent Gets for the same key that miss share one load call. load
// runs with ctx's values but without its cancellation, so one caller giving
// up does not fail the others; a caller whose ctx ends stops waiting and gets
// ctx.Err(). Errors from load are returned as they are and not cached.
// The cache keeps its own copy of the loaded value.
func (c *Cache) Get(ctx context.Context, key CacheKey, load func(context.Context) ([]byte, error)) ([]byte, error) {
	c.mu.Lock()
	if el, ok := c.items[key]; ok {
		e := el.Value.(*cacheEntry)
		if c.now().Before(e.expires) {
			c.ll.MoveToFront(el)
			v := slices.Clone(e.value)
			c.mu.Unlock()
			return v, nil
		}
		c.removeLocked(el)
	}
	epoch := c.epoch
	c.mu.Unlock()

	flight := fmt.Sprintf("%d/%d/%s", epoch, key.Version, key.TenantID)
	ch := c.group.DoChan(flight, func() (any, error) {
		v, err := load(context.WithoutCancel(ctx))
		if err != nil {
			return nil, err
		}
		c.store(key, v, epoch)
		return v, nil
	})
	select {
	case r := <-ch:
		if r.Err != nil {
			return nil, r.Err
		}
		return slices.Clone(r.Val.([]byte)), nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// Drop removes every entry of tenantID. Loads still running when Drop is
// called (for any tenant) return their result to their callers but do not
// store it, and later Gets do not join them. Call Drop whenever the tenant's
// credential changes or is deleted.
func (c *Cache) Drop(tenantID string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.epoch++
	for el := c.ll.Front(); el != nil; {
		next := el.Next()
		if el.Value.(*cacheEntry).key.TenantID == tenantID {
			c.removeLocked(el)
		}
		el = next
	}
}

// Len returns the number of entries held, expired ones included until they
// are looked up or evicted.
func (c *Cache) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.ll.Len()
}

func (c *Cache) store(key CacheKey, v []byte, epoch uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if epoch != c.epoch {
		return
	}
	if el, ok := c.items[key]; ok {
		c.removeLocked(el)
	}
	e := &cacheEntry{key: key, value: slices.Clone(v), expires: c.now().Add(c.ttl)}
	c.items[key] = c.ll.PushFront(e)
	for c.ll.Len() > c.maxEntries {
		c.removeLocked(c.ll.Back())
	}
}

func (c *Cache) removeLocked(el *list.Element) {
	e := c.ll.Remove(el).(*cacheEntry)
	delete(c.items, e.key)
	clear(e.value)
}
