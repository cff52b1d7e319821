package loaders

import (
	"context"

	"github.com/graph-gophers/dataloader/v7"
)

// Users: POST /users-bulk, 250 accounts a call, with the cross-request cache in front. Comment
// authors that come with the batched comment read (details.go) prime the loader.

// User returns an account by id.
func (l *Loaders) User(ctx context.Context, accountID string) (*User, error) {
	return load(ctx, l, func(l *Loaders) *dataloader.Loader[string, *User] { return l.batchers().users }, accountID)
}

// Users returns accounts in the order of ids, with a per-id error (nil where found).
func (l *Loaders) Users(ctx context.Context, ids []string) ([]*User, []error) {
	return loadMany(ctx, l, func(l *Loaders) *dataloader.Loader[string, *User] { return l.batchers().users }, ids)
}

func (l *Loaders) loadUsers(ctx context.Context, ids []string) []*dataloader.Result[*User] {
	return loadBulk(ctx, l, ids, bulkLookup[User]{
		kind: "user", cacheKind: entryUser,
		fetch: func(ctx context.Context, up Upstream, ids []string) ([]User, error) {
			return up.Users(ctx, ids)
		},
		keyOf: func(u User) string { return u.AccountID },
		keep:  func(_ context.Context, u User) { l.putMeta(entryKey{Kind: entryUser, ID: u.AccountID}, u) },
	})
}
