package loaders

import "context"

// Cache hits without the batch window: a by-id read that the cross-request cache answers needs
// no batching, so it is answered in the resolver's goroutine at once instead of waiting the
// loader's Wait for other keys and running in the loader's batch goroutine. A miss goes through
// the loader as before (and is counted there once).

// cachedFirst returns the value of k from the cross-request cache, binding the request first
// (the Source's check precedes any cache read, and the cache is keyed by the credential it
// binds to). ok is false when the cache is off, the request cannot be bound (the loader then
// reports why) or k is not held.
func cachedFirst[V any](ctx context.Context, l *Loaders, k entryKey) (_ *V, ok bool) {
	if l == nil || l.cfg.Cache == nil || l.tenant == "" {
		return nil, false
	}
	if _, err := l.upstream(ctx); err != nil {
		return nil, false
	}
	if !l.cacheOn() {
		return nil, false
	}
	v, ok := l.cfg.Cache.peek(l.cacheKey(k))
	if !ok {
		return nil, false
	}
	x, ok := v.(V)
	return &x, ok
}

// peek is get for a lookup that falls back to get when it misses: a hit counts, a miss does
// not (get counts it).
func (c *Cache) peek(key cacheKey) (any, bool) {
	e, ok := c.lru.Get(key)
	if !ok || (!e.expires.IsZero() && !c.now().Before(e.expires)) {
		return nil, false
	}
	c.hits.Add(1)
	return e.value, true
}
