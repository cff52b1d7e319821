package loaders

import (
	"context"
	"sync"
	"time"

	"github.com/graph-gophers/dataloader/v7"

	"github.com/confluence-graph/confluence-graph/tracing"
)

// Batch scheduling: how a batch of keys becomes upstream calls and key-aligned results. The
// entity files (pages.go, spaces.go, ...) describe what to fetch; the helpers here decide how.

// newLoader builds the loader called name (in its batches' spans) over fn.
func newLoader[K comparable, V any](l *Loaders, name string, fn dataloader.BatchFunc[K, V]) *dataloader.Loader[K, V] {
	return dataloader.NewBatchedLoader(fn,
		dataloader.WithBatchCapacity[K, V](maxBatch),
		dataloader.WithWait[K, V](l.cfg.Wait),
		dataloader.WithInputCapacity[K, V](4*maxBatch),
		dataloader.WithTracer[K, V](batchTracer[K, V]{name: name}),
	)
}

// batchTracer gives every batch of a loader a span, "loader pages" with the batch's size
// (tracing.StartBatch), under the span of the first load of the batch; the upstream calls of
// the batch are its children. Single loads are not traced: a span per field would drown the
// trace.
type batchTracer[K comparable, V any] struct {
	dataloader.NoopTracer[K, V]
	name string
}

// TraceBatch implements dataloader.Tracer.
func (t batchTracer[K, V]) TraceBatch(ctx context.Context, keys []K) (context.Context, dataloader.TraceBatchFinishFunc[V]) {
	ctx, span := tracing.StartBatch(ctx, t.name, len(keys))
	return ctx, func([]*dataloader.Result[V]) { span.End() }
}

// fail gives every key the same error.
func fail[V any](n int, err error) []*dataloader.Result[V] {
	return fill(make([]*dataloader.Result[V], n), err)
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

// fillRest answers the keys out leaves unset with one concurrent per-key call each (each).
func fillRest[K comparable, V any](ctx context.Context, l *Loaders, keys []K, out []*dataloader.Result[V], fn func(context.Context, Upstream, K) (V, error)) []*dataloader.Result[V] {
	var rest []K
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

// collect reads a cursor-paged list from its start until it holds need items or ends.
func collect[T any](ctx context.Context, need int, fetch func(ListOptions) ([]T, string, error)) (List[T], error) {
	return collectFrom(ctx, "", need, fetch)
}

// collectFrom reads a cursor-paged list from cursor ("" : its start) until it holds need items
// or ends; when it stops at exactly need items, List.Next is the cursor after them.
func collectFrom[T any](ctx context.Context, cursor string, need int, fetch func(ListOptions) ([]T, string, error)) (List[T], error) {
	var items []T
	opt := ListOptions{Cursor: cursor, Limit: min(max(need, 1), maxBatch)}
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
			list := List[T]{Items: items[:need], More: true}
			if len(items) == need {
				list.Next = next
			}
			return list, nil
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

// collectAll reads a cursor-paged list to its end, maxBatch items a call.
func collectAll[T any](ctx context.Context, fetch func(ListOptions) ([]T, string, error)) ([]T, error) {
	list, err := collect(ctx, 0, func(opt ListOptions) ([]T, string, error) {
		opt.Limit = maxBatch
		return fetch(opt)
	})
	return list.Items, err
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

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// bulkLookup describes one keyed lookup through a bulk endpoint with the cross-request cache
// in front of it; loadBulk runs it.
type bulkLookup[V any] struct {
	kind      string                                                 // kind a missing key's NotFoundError names
	cacheKind entryKind                                              // kind of the cross-request cache entries
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
	// Bind first: the Source checks the tenant's integration, and the cache is keyed by the
	// credential it binds to.
	up, err := l.upstream(ctx)
	if err != nil {
		return fill(out, err)
	}
	var missing []string
	for i, k := range keys {
		if v, ok := l.cached(entryKey{Kind: b.cacheKind, ID: norm(k)}); ok {
			x := v.(V)
			out[i] = &dataloader.Result[*V]{Data: &x}
			continue
		}
		missing = append(missing, k)
	}
	if len(missing) == 0 {
		return out
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

// load is Load for the typed entry points: ld picks the loader; nil loaders give ErrNoLoaders.
// A resolver that waited for the answer gets a span (tracing.RecordResolverWait).
func load[K comparable, V any](ctx context.Context, l *Loaders, ld func(*Loaders) *dataloader.Loader[K, V], key K) (V, error) {
	if l == nil {
		var zero V
		return zero, ErrNoLoaders
	}
	start := time.Now()
	defer tracing.RecordResolverWait(ctx, start)
	return ld(l).Load(ctx, key)()
}

// loadMany is LoadMany with a per-key error slice that is never nil, for the exported bulk
// helpers; on nil loaders every key gets ErrNoLoaders. A resolver that waited gets a span, as in load.
func loadMany[K comparable, V any](ctx context.Context, l *Loaders, ld func(*Loaders) *dataloader.Loader[K, *V], keys []K) ([]*V, []error) {
	if l == nil {
		errs := make([]error, len(keys))
		for i := range errs {
			errs[i] = ErrNoLoaders
		}
		return make([]*V, len(keys)), errs
	}
	start := time.Now()
	vs, errs := ld(l).LoadMany(ctx, keys)()
	tracing.RecordResolverWait(ctx, start)
	if errs == nil {
		errs = make([]error, len(keys))
	}
	return vs, errs
}
