package sqlstore

import (
	"context"
	"database/sql"
	"sync/atomic"
)

// The read path looks up an API key and the tenant's integration (its revision, and the whole
// row when that changed: records.go) on every GraphQL request. Those queries run as statements
// prepared once per Store (database/sql prepares them again on each pooled connection as
// needed), so a request does not pay the database's SQL parser each time: with SQLite that was
// a fifth of the cached path's CPU.

// prepared is one lazily prepared statement of a Store.
type prepared struct {
	query string // with ? placeholders
	stmt  atomic.Pointer[sql.Stmt]
}

// hotStatements are the Store's per-request lookups.
type hotStatements struct {
	getAPIKey      prepared
	getIntegration prepared
	getRevision    prepared
}

func (h *hotStatements) init() {
	h.getAPIKey.query = `SELECT ` + apiKeyColumns + ` FROM api_keys WHERE id = ?`
	h.getIntegration.query = `SELECT ` + integrationColumns + ` FROM integrations WHERE tenant_id = ?`
	h.getRevision.query = `SELECT revision FROM integrations WHERE tenant_id = ?`
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
// prepare is retried on the next call; this one runs the query text as it is).
func (s *Store) queryRow(ctx context.Context, p *prepared, args ...any) *sql.Row {
	st := p.stmt.Load()
	if st == nil {
		fresh, err := s.db.PrepareContext(context.WithoutCancel(ctx), s.q(p.query))
		if err != nil {
			return s.db.QueryRowContext(ctx, s.q(p.query), args...)
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
