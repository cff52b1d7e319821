package sqlstore

import (
	"context"
	"database/sql"
	"sync/atomic"
)

// The read path looks up an API key and the tenant's integration (its revision and update time,
// and the whole row when they changed: records.go) on every GraphQL request. Those queries run as
// statements prepared once per Store (database/sql prepares them again on each pooled connection
// as needed), so a request does not pay the database's SQL parser each time: with SQLite that
// was a fifth of the cached path's CPU.

// prepared is one lazily prepared statement of a Store.
type prepared struct {
	query string // in the dialect's placeholders
	stmt  atomic.Pointer[sql.Stmt]
}

// hotStatements are the Store's per-request lookups.
type hotStatements struct {
	getAPIKey      prepared
	getIntegration prepared
	getRevision    prepared
}

// init sets the queries, rewritten by q for the dialect's placeholders.
func (h *hotStatements) init(q func(string) string) {
	h.getAPIKey.query = q(`SELECT ` + apiKeyColumns + ` FROM api_keys WHERE id = ?`)
	h.getIntegration.query = q(`SELECT ` + integrationColumns + ` FROM integrations WHERE tenant_id = ?`)
	h.getRevision.query = q(`SELECT revision, updated_at FROM integrations WHERE tenant_id = ?`)
}

// close closes the prepared statements (before the database is closed).
func (h *hotStatements) close() {
	for _, p := range []*prepared{&h.getAPIKey, &h.getIntegration, &h.getRevision} {
		if st := p.stmt.Swap(nil); st != nil {
			_ = st.Close()
		}
	}
}

// queryRow runs p with args, on its prepared statement when it could be prepared (a failed
// prepare is retried on the next call; this one runs the query text as it is), or as a plain
// query when the driver keeps prepared statements itself (Dialect.DriverCachesStatements).
func (s *Store) queryRow(ctx context.Context, p *prepared, args ...any) *sql.Row {
	if s.d.DriverCachesStatements {
		return s.db.QueryRowContext(ctx, p.query, args...)
	}
	st := p.stmt.Load()
	if st == nil {
		fresh, err := s.db.PrepareContext(context.WithoutCancel(ctx), p.query)
		if err != nil {
			return s.db.QueryRowContext(ctx, p.query, args...)
		}
		if p.stmt.CompareAndSwap(nil, fresh) {
			st = fresh
		} else {
			_ = fresh.Close()
			st = p.stmt.Load()
		}
	}
	return st.QueryRowContext(ctx, args...)
}

// DBStats returns the statistics of the store's connection pool (database/sql).
func (s *Store) DBStats() sql.DBStats { return s.db.Stats() }
