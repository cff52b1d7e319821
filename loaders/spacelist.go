package loaders

import (
	"context"
	"slices"
)

// Growing reads for the page tree: a space's page list and its other tree content, kept for
// the cache's TTL as far as they were read, so that the continuation of a truncated pageTree
// reads only what no earlier call read (resuming the list from the upstream cursor where the
// last read stopped) instead of the list again from its start.

// spaceListKey names the growing read of a space's page list (every level) in the cache (under
// entrySpacePages; its own key type keeps it apart from the loader's lists).
type spaceListKey struct{ SpaceID string }

// spaceNodesKey names the cached SpaceTreeNodes answer of a space key.
type spaceNodesKey struct{ SpaceKey string }

// spaceListRead is a space's page list as far as it was read: the items from the list's start,
// the upstream cursor of what follows ("" : the list ended).
type spaceListRead struct {
	Items []Page
	Next  string
}

// SpacePageList returns the first need current pages of a space, every level (need <= 0: all),
// as SpacePages does, reading through a snapshot kept for the cache's TTL (and for the request
// when the cache is off): the pages an earlier read of the list (by this or an earlier request
// of the tenant) already has cost no call, and
// the rest is read from the upstream cursor where that read stopped, 250 a call, at most
// maxCalls calls (<= 0: no bound; List.More tells whether the list goes on).
func (l *Loaders) SpacePageList(ctx context.Context, spaceID string, need, maxCalls int) (List[Page], error) {
	if _, err := l.SpaceByID(ctx, spaceID); err != nil && isNotFound(err) {
		if p, perr := l.policy(ctx); perr == nil && len(p.AllowedSpaces) > 0 {
			return List[Page]{}, err // a hidden space lists nothing
		}
	}
	up, err := l.upstream(ctx)
	if err != nil {
		return List[Page]{}, err
	}
	key := entryKey{Kind: entrySpacePages, Query: spaceListKey{SpaceID: spaceID}}
	var read spaceListRead
	started := false
	if v, ok := l.cached(key); ok {
		read, started = v.(spaceListRead), true
	} else if v, ok := l.spaceLists.Load(spaceID); ok {
		read, started = v.(spaceListRead), true
	}
	enough := func() bool { return need > 0 && len(read.Items) >= need }
	if !started || (read.Next != "" && !enough()) {
		if err := l.acquire(ctx); err != nil {
			return List[Page]{}, err
		}
		items := slices.Clip(read.Items)
		cursor := read.Next
		for calls := 1; ; calls++ {
			batch, next, err := up.SpacePages(ctx, SpacePagesQuery{SpaceID: spaceID}, ListOptions{Cursor: cursor, Limit: maxBatch})
			if err != nil {
				l.release()
				return List[Page]{}, err
			}
			l.primePages(ctx, batch)
			items, cursor = append(items, batch...), next
			read = spaceListRead{Items: items, Next: cursor}
			if cursor == "" || enough() || (maxCalls > 0 && calls >= maxCalls) {
				break
			}
		}
		l.release()
		l.putMeta(key, read)
		l.spaceLists.Store(spaceID, read)
	}
	list := List[Page]{Items: slices.Clone(read.Items), More: read.Next != ""}
	if need > 0 && len(list.Items) > need {
		list = List[Page]{Items: list.Items[:need], More: true}
	}
	return l.filterList(ctx, list, nil)
}

// SpaceTreeNodesCached is SpaceTreeNodes kept for the cache's TTL (a nil answer, the search
// refused, is kept too).
func (l *Loaders) SpaceTreeNodesCached(ctx context.Context, spaceKey string) ([]Page, error) {
	if _, err := l.upstream(ctx); err != nil {
		return nil, err
	}
	key := entryKey{Kind: entrySpacePages, Query: spaceNodesKey{SpaceKey: spaceKey}}
	if v, ok := l.cached(key); ok {
		return slices.Clone(v.([]Page)), nil
	}
	nodes, err := l.SpaceTreeNodes(ctx, spaceKey)
	if err != nil {
		return nil, err
	}
	l.putMeta(key, slices.Clone(nodes))
	return nodes, nil
}
