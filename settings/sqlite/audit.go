package sqlite

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/confluence-graph/confluence-graph/settings"
)

// AppendAudit implements settings.Store.
func (d *DB) AppendAudit(ctx context.Context, e *settings.AuditEvent) error {
	if err := e.Validate(); err != nil {
		return fmt.Errorf("settings/sqlite: append audit: %w", err)
	}
	now := d.now()
	var id int64
	err := d.db.QueryRowContext(ctx, `INSERT INTO audit_events (tenant_id, actor_key_id, action, outcome, detail, at)
		VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
		e.TenantID, e.ActorKeyID, e.Action, e.Outcome, e.Detail, now.UnixMicro()).Scan(&id)
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
		return nil, fmt.Errorf("settings/sqlite: list audit: %w: empty tenant id", settings.ErrInvalid)
	}
	limit := int64(opts.Limit)
	if limit <= 0 {
		limit = -1 // SQLite: no limit
	}
	rows, err := d.db.QueryContext(ctx, `SELECT id, tenant_id, actor_key_id, action, outcome, detail, at
		FROM audit_events WHERE tenant_id = ? AND id > ? ORDER BY id LIMIT ?`, tenantID, opts.AfterID, limit)
	if err != nil {
		return nil, wrapErr(ctx, "list audit", err)
	}
	defer func() { _ = rows.Close() }()
	var events []settings.AuditEvent
	for rows.Next() {
		var (
			e  settings.AuditEvent
			at sql.NullInt64
		)
		if err := rows.Scan(&e.ID, &e.TenantID, &e.ActorKeyID, &e.Action, &e.Outcome, &e.Detail, &at); err != nil {
			return nil, wrapErr(ctx, "list audit", err)
		}
		e.At = fromMicros(at)
		events = append(events, e)
	}
	if err := rows.Err(); err != nil {
		return nil, wrapErr(ctx, "list audit", err)
	}
	return events, nil
}
