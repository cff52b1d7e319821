package sqlstore

import (
	"context"
	"time"

	lru "github.com/hashicorp/golang-lru/v2"

	"github.com/confluence-graph/confluence-graph/settings"
)

// The read path reads the tenant's integration on every GraphQL request, so that a change made
// through any replica (a read policy, a new credential, a disconnect) applies from the next
// request on. Reading and decoding the whole row each time was the largest part of the cached
// path's CPU, yet the row rarely changes. So GetIntegration reads only the row's revision and
// update time, and reuses the record it last read for that tenant while both are the same. The
// revision names one stored state (every put and delete takes the tenant's next revision, never
// reused, not even across DeleteIntegration: settings.Integration.Revision); the update time,
// stamped by every put, also tells a row written after the database was restored from a backup
// under a running replica, whose revisions repeat. Another replica's change bumps both in the
// shared database, so the next read of every replica sees it; a deleted row reads as not found
// at once. Nothing else writes the integrations table (a migration that rewrites its rows must
// bump their revisions too).

// recordCacheSize bounds the records kept (one per tenant read recently); a tenant evicted is
// read in full again on its next request.
const recordCacheSize = 4096

// recordCache holds the last record read per tenant. Its records are never handed out: callers
// get clones.
type recordCache struct {
	c *lru.Cache[string, *settings.Integration]
}

func newRecordCache() recordCache {
	c, _ := lru.New[string, *settings.Integration](recordCacheSize) // size > 0: never fails
	return recordCache{c: c}
}

// get returns a copy of the kept record of tenantID if it is at revision rev, updated at upd.
func (r recordCache) get(tenantID string, rev int64, upd time.Time) (*settings.Integration, bool) {
	in, ok := r.c.Get(tenantID)
	if !ok || in.Revision != rev || !in.UpdatedAt.Equal(upd) {
		return nil, false
	}
	return in.Clone(), true
}

// keep remembers a copy of in as the tenant's record.
func (r recordCache) keep(in *settings.Integration) { r.c.Add(in.TenantID, in.Clone()) }

// forget drops the tenant's record (its row is gone).
func (r recordCache) forget(tenantID string) { r.c.Remove(tenantID) }

// GetIntegration implements settings.Store: the stored revision and update time, then the record
// kept for them or, when there is none (first read, or the row changed since), the whole row.
func (s *Store) GetIntegration(ctx context.Context, tenantID string) (*settings.Integration, error) {
	var (
		rev int64
		upd nullTime
	)
	err := s.queryRow(ctx, &s.hot.getRevision, tenantID).Scan(&rev, &upd)
	if isNoRows(err) {
		s.records.forget(tenantID)
		return nil, s.notFound("get integration")
	}
	if err != nil {
		return nil, s.wrapErr(ctx, "get integration", err)
	}
	if in, ok := s.records.get(tenantID, rev, upd.t); ok {
		return in, nil
	}
	in, err := scanIntegration(s.queryRow(ctx, &s.hot.getIntegration, tenantID))
	if isNoRows(err) { // deleted between the two reads
		s.records.forget(tenantID)
		return nil, s.notFound("get integration")
	}
	if err != nil {
		return nil, s.wrapErr(ctx, "get integration", err)
	}
	s.records.keep(in)
	return in, nil
}
