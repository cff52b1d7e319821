package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5/pgtype"

	"github.com/confluence-graph/confluence-graph/settings"
)

// AppendAudit implements settings.Store.
func (d *DB) AppendAudit(ctx context.Context, e *settings.AuditEvent) error {
	if err := e.Validate(); err != nil {
		return fmt.Errorf("settings/postgres: append audit: %w", err)
	}
	now := d.now()
	var id int64
	err := d.pool.QueryRow(ctx, `INSERT INTO audit_events (tenant_id, actor_key_id, action, outcome, detail, at)
		VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
		e.TenantID, e.ActorKeyID, e.Action, e.Outcome, e.Detail, now).Scan(&id)
	if err != nil {
		return wrapErr(ctx, "append audit", err)
	}
	e.ID = id
	e.At = now
	return nil
}

// ListAudit implements settings.Store.
func (d *DB) ListAudit(ctx context.Context, tenantID string, opts settings.AuditListOptions) ([]settings.AuditEvent, error) {
	if tenantID == "" {
		return nil, fmt.Errorf("settings/postgres: list audit: %w: empty tenant id", settings.ErrInvalid)
	}
	var limit *int64 // NULL: no limit
	if opts.Limit > 0 {
		l := int64(opts.Limit)
		limit = &l
	}
	rows, err := d.pool.Query(ctx, `SELECT id, tenant_id, actor_key_id, action, outcome, detail, at
		FROM audit_events WHERE tenant_id = $1 AND id > $2 ORDER BY id LIMIT $3`, tenantID, opts.AfterID, limit)
	if err != nil {
		return nil, wrapErr(ctx, "list audit", err)
	}
	defer rows.Close()
	var events []settings.AuditEvent
	for rows.Next() {
		var (
			e  settings.AuditEvent
			at pgtype.Timestamptz
		)
		if err := rows.Scan(&e.ID, &e.TenantID, &e.ActorKeyID, &e.Action, &e.Outcome, &e.Detail, &at); err != nil {
			return nil, wrapErr(ctx, "list audit", err)
		}
		e.At = fromTimestamptz(at)
		events = append(events, e)
	}
	if err := rows.Err(); err != nil {
		return nil, wrapErr(ctx, "list audit", err)
	}
	return events, nil
}
