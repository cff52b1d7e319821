package loaders

import (
	"context"

	"github.com/graph-gophers/dataloader/v7"
)

// Resumed reads: a list read from an upstream position (ListFrom.Resume) goes through the
// per-parent endpoint, one call for the items asked, whatever reader answers the list's start.

// resumedApart answers the resumed keys of a batch with one per-key read each (one) and hands
// the others to batched, keeping the results aligned to keys.
func resumedApart[K interface {
	comparable
	from() ListFrom
}, V any](l *Loaders, batched func(context.Context, []K) []*dataloader.Result[V],
	one func(context.Context, Upstream, K) (V, error)) func(context.Context, []K) []*dataloader.Result[V] {
	return func(ctx context.Context, keys []K) []*dataloader.Result[V] {
		var resumed, rest []K
		var resumedAt, restAt []int
		for i, k := range keys {
			if k.from().Resume {
				resumed, resumedAt = append(resumed, k), append(resumedAt, i)
			} else {
				rest, restAt = append(rest, k), append(restAt, i)
			}
		}
		if len(resumed) == 0 {
			return batched(ctx, keys)
		}
		out := make([]*dataloader.Result[V], len(keys))
		for j, r := range each(ctx, l, resumed, one) {
			out[resumedAt[j]] = r
		}
		if len(rest) > 0 {
			for j, r := range batched(ctx, rest) {
				out[restAt[j]] = r
			}
		}
		return out
	}
}
