package loaders

import (
	"context"
	"strings"

	"github.com/graph-gophers/dataloader/v7"
)

// Spaces by id or key (GET /spaces?ids=... / ?keys=..., 250 a call), space listings and the
// pages of a space.

// SpaceByID returns a space by id.
func (l *Loaders) SpaceByID(ctx context.Context, id string) (*Space, error) {
	if s, ok := cachedFirst[Space](ctx, l, entryKey{Kind: entrySpace, ID: id}); ok {
		return l.checkSpace(ctx, s, nil, id)
	}
	s, err := load(ctx, l, func(l *Loaders) *dataloader.Loader[string, *Space] { return l.batchers().spacesByID }, id)
	return l.checkSpace(ctx, s, err, id)
}

// SpaceByKey returns a space by key (case-insensitive).
func (l *Loaders) SpaceByKey(ctx context.Context, key string) (*Space, error) {
	if s, ok := cachedFirst[Space](ctx, l, entryKey{Kind: entrySpaceKey, ID: strings.ToUpper(key)}); ok {
		return l.checkSpace(ctx, s, nil, key)
	}
	s, err := load(ctx, l, func(l *Loaders) *dataloader.Loader[string, *Space] { return l.batchers().spacesByKey }, key)
	return l.checkSpace(ctx, s, err, key)
}

// SpacesRequest lists spaces from From: those with Keys and of Type when set, First items.
type SpacesRequest struct {
	Keys  []string
	Type  string
	First int
	From  ListFrom
	// IgnorePolicy lists the spaces the read policy hides too: only for an admin choosing the
	// policy (Query.availableSpaces).
	IgnorePolicy bool
}

// Spaces lists spaces as r asks, priming the space loaders with them.
func (l *Loaders) Spaces(ctx context.Context, r SpacesRequest) (List[Space], error) {
	if l == nil {
		return List[Space]{}, ErrNoLoaders
	}
	up, err := l.upstream(ctx)
	if err != nil {
		return List[Space]{}, err
	}
	list, err := collectFrom(ctx, r.From.Cursor, r.First, func(opt ListOptions) ([]Space, string, error) {
		return up.Spaces(ctx, SpaceFilter{Keys: r.Keys, Type: r.Type}, opt)
	})
	for _, s := range list.Items {
		l.primeSpace(ctx, s)
	}
	if err != nil || r.IgnorePolicy {
		return list, err
	}
	kept := list.Items[:0:0]
	for _, s := range list.Items {
		if hidden, err := l.hiddenSpace(ctx, &s); err != nil {
			return List[Space]{}, err
		} else if !hidden {
			kept = append(kept, s)
		}
	}
	list.Items = kept
	return list, nil
}

// SpacePagesRequest asks for the first First pages of a space from From.
type SpacePagesRequest struct {
	SpacePagesQuery
	First int
	From  ListFrom
}

// SpacePages returns the first r.First current pages of a space (top-level only with RootOnly).
func (l *Loaders) SpacePages(ctx context.Context, r SpacePagesRequest) (List[Page], error) {
	p, err := l.policy(ctx)
	if err != nil {
		return List[Page]{}, err
	}
	if len(p.AllowedSpaces) > 0 {
		// Under an allow-list a hidden space lists nothing (SpaceByID answers NotFound).
		if _, err := l.SpaceByID(ctx, r.SpaceID); err != nil {
			return List[Page]{}, err
		}
	}
	key := spacePagesKey{SpacePagesQuery: r.SpacePagesQuery, N: r.First, From: r.From}
	list, err := load(ctx, l, func(l *Loaders) *dataloader.Loader[spacePagesKey, List[Page]] { return l.batchers().spacePages }, key)
	return l.filterList(ctx, list, err)
}

func (l *Loaders) loadSpacesByID(ctx context.Context, ids []string) []*dataloader.Result[*Space] {
	return loadBulk(ctx, l, ids, bulkLookup[Space]{
		kind: "space", cacheKind: entrySpace,
		fetch: func(ctx context.Context, up Upstream, ids []string) ([]Space, error) {
			return spacesAt(ctx, up, SpaceFilter{IDs: ids})
		},
		keyOf: func(s Space) string { return s.ID },
		keep:  l.primeSpace,
	})
}

func (l *Loaders) loadSpacesByKey(ctx context.Context, keys []string) []*dataloader.Result[*Space] {
	return loadBulk(ctx, l, keys, bulkLookup[Space]{
		kind: "space", cacheKind: entrySpaceKey, norm: strings.ToUpper,
		fetch: func(ctx context.Context, up Upstream, keys []string) ([]Space, error) {
			return spacesAt(ctx, up, SpaceFilter{Keys: keys})
		},
		keyOf: func(s Space) string { return strings.ToUpper(s.Key) },
		keep:  l.primeSpace,
	})
}

// spacesAt reads the spaces f names (at most maxBatch) in one call.
func spacesAt(ctx context.Context, up Upstream, f SpaceFilter) ([]Space, error) {
	ss, _, err := up.Spaces(ctx, f, ListOptions{Limit: maxBatch})
	return ss, err
}

// primeSpace records a space under both its id and its key.
func (l *Loaders) primeSpace(ctx context.Context, s Space) {
	l.batchers().spacesByID.Prime(ctx, s.ID, &s)
	l.batchers().spacesByKey.Prime(ctx, s.Key, &s)
	l.putMeta(entryKey{Kind: entrySpace, ID: s.ID}, s)
	l.putMeta(entryKey{Kind: entrySpaceKey, ID: strings.ToUpper(s.Key)}, s)
}

func (l *Loaders) loadSpacePages(ctx context.Context, keys []spacePagesKey) []*dataloader.Result[List[Page]] {
	return each(ctx, l, keys, func(ctx context.Context, up Upstream, k spacePagesKey) (List[Page], error) {
		list, err := collectFrom(ctx, k.From.Cursor, k.N, func(opt ListOptions) ([]Page, string, error) {
			return up.SpacePages(ctx, k.SpacePagesQuery, opt)
		})
		l.primePages(ctx, list.Items)
		return list, err
	})
}
