package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/confluence-graph/confluence-graph/settings"
)

// AppendAudit implements settings.Store.
func (s *Store) AppendAudit(ctx context.Context, e *settings.AuditEvent) error {
	if err := e.Validate(); err != nil {
		return fmt.Errorf("%s: append audit: %w", s.d.Name, err)
	}
	ev := *e
	ev.Revision, ev.CredentialVersion = 0, 0
	if err := s.insertAudit(ctx, s.db, &ev, s.now()); err != nil {
		return s.wrapErr(ctx, "append audit", err)
	}
	*e = ev
	return nil
}

// rowQuerier is the QueryRowContext shared by *sql.DB and *sql.Tx.
type rowQuerier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// insertAudit inserts the validated event e at now through q and sets e.ID
// and e.At. Errors are the driver's, unwrapped.
func (s *Store) insertAudit(ctx context.Context, q rowQuerier, e *settings.AuditEvent, now time.Time) error {
	var id int64
	err := q.QueryRowContext(ctx, s.q(`INSERT INTO audit_events
		(tenant_id, actor_key_id, action, outcome, detail, revision, credential_version, at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`),
		e.TenantID, e.ActorKeyID, e.Action, e.Outcome, e.Detail, e.Revision, e.CredentialVersion, s.d.Time(now)).Scan(&id)
	if err != nil {
		return err
	}
	e.ID = id
	e.At = now
	return nil
}

// ListAudit implements settings.Store.
func (s *Store) ListAudit(ctx context.Context, tenantID string, opts settings.AuditListOptions) ([]settings.AuditEvent, error) {
	if tenantID == "" {
		return nil, fmt.Errorf("%s: list audit: %w: empty tenant id", s.d.Name, settings.ErrInvalid)
	}
	query := `SELECT id, tenant_id, actor_key_id, action, outcome, detail, revision, credential_version, at
		FROM audit_events WHERE tenant_id = ? AND id > ? ORDER BY id`
	args := []any{tenantID, opts.AfterID}
	if opts.Limit > 0 {
		query += ` LIMIT ?`
		args = append(args, int64(opts.Limit))
	}
	return queryAll(ctx, s, "list audit", query, args, func(r scanner) (settings.AuditEvent, error) {
		var (
			e  settings.AuditEvent
			at nullTime
		)
		err := r.Scan(&e.ID, &e.TenantID, &e.ActorKeyID, &e.Action, &e.Outcome, &e.Detail, &e.Revision, &e.CredentialVersion, &at)
		e.At = at.t
		return e, err
	})
}

// queryAll runs query and returns every row scanned by scan, in order; op
// names the operation in errors.
func queryAll[T any](ctx context.Context, s *Store, op, query string, args []any, scan func(scanner) (T, error)) ([]T, error) {
	rows, err := s.db.QueryContext(ctx, s.q(query), args...)
	if err != nil {
		return nil, s.wrapErr(ctx, op, err)
	}
	defer func() { _ = rows.Close() }()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, s.wrapErr(ctx, op, err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, s.wrapErr(ctx, op, err)
	}
	return out, nil
}
