package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/confluence-graph/confluence-graph/settings"
	"github.com/confluence-graph/confluence-graph/settings/internal/column"
)

const apiKeyColumns = `id, tenant_id, role, secret_hash, created_at, last_used_at, revoked_at`

// CreateAPIKey implements settings.Store.
func (d *DB) CreateAPIKey(ctx context.Context, k *settings.APIKey) error {
	if err := k.Validate(); err != nil {
		return fmt.Errorf("settings/sqlite: create api key: %w", err)
	}
	now := d.now()
	_, err := d.db.ExecContext(ctx, `INSERT INTO api_keys (`+apiKeyColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		k.ID, k.TenantID, string(k.Role), k.SecretHash[:], now.UnixMicro(), micros(k.LastUsedAt), micros(k.RevokedAt))
	if err != nil {
		return wrapErr(ctx, "create api key", err)
	}
	k.CreatedAt = now
	k.LastUsedAt = fromMicros(micros(k.LastUsedAt))
	k.RevokedAt = fromMicros(micros(k.RevokedAt))
	return nil
}

// GetAPIKey implements settings.Store.
func (d *DB) GetAPIKey(ctx context.Context, id string) (*settings.APIKey, error) {
	k, err := scanAPIKey(d.db.QueryRowContext(ctx, `SELECT `+apiKeyColumns+` FROM api_keys WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("settings/sqlite: get api key: %w", settings.ErrNotFound)
	}
	if err != nil {
		return nil, wrapErr(ctx, "get api key", err)
	}
	return k, nil
}

// ListAPIKeys implements settings.Store.
func (d *DB) ListAPIKeys(ctx context.Context, tenantID string) ([]settings.APIKey, error) {
	if tenantID == "" {
		return nil, fmt.Errorf("settings/sqlite: list api keys: %w: empty tenant id", settings.ErrInvalid)
	}
	return d.listAPIKeys(ctx, `SELECT `+apiKeyColumns+` FROM api_keys WHERE tenant_id = ? ORDER BY created_at, id`, tenantID)
}

// ListAllAPIKeys implements settings.Store.
func (d *DB) ListAllAPIKeys(ctx context.Context) ([]settings.APIKey, error) {
	return d.listAPIKeys(ctx, `SELECT `+apiKeyColumns+` FROM api_keys ORDER BY tenant_id, created_at, id`)
}

func (d *DB) listAPIKeys(ctx context.Context, query string, args ...any) ([]settings.APIKey, error) {
	rows, err := d.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, wrapErr(ctx, "list api keys", err)
	}
	defer func() { _ = rows.Close() }()
	var keys []settings.APIKey
	for rows.Next() {
		k, err := scanAPIKey(rows)
		if err != nil {
			return nil, wrapErr(ctx, "list api keys", err)
		}
		keys = append(keys, *k)
	}
	if err := rows.Err(); err != nil {
		return nil, wrapErr(ctx, "list api keys", err)
	}
	return keys, nil
}

// RevokeAPIKey implements settings.Store.
func (d *DB) RevokeAPIKey(ctx context.Context, tenantID, id string) error {
	res, err := d.db.ExecContext(ctx, `UPDATE api_keys SET revoked_at = coalesce(revoked_at, ?) WHERE tenant_id = ? AND id = ?`,
		d.now().UnixMicro(), tenantID, id)
	return affectedOne(ctx, "revoke api key", res, err)
}

// TouchAPIKey implements settings.Store.
func (d *DB) TouchAPIKey(ctx context.Context, id string) error {
	res, err := d.db.ExecContext(ctx, `UPDATE api_keys SET last_used_at = ? WHERE id = ?`, d.now().UnixMicro(), id)
	return affectedOne(ctx, "touch api key", res, err)
}

// affectedOne turns an UPDATE's outcome into nil, ErrNotFound (no row
// matched) or a wrapped error.
func affectedOne(ctx context.Context, op string, res sql.Result, err error) error {
	if err != nil {
		return wrapErr(ctx, op, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return wrapErr(ctx, op, err)
	}
	if n == 0 {
		return fmt.Errorf("settings/sqlite: %s: %w", op, settings.ErrNotFound)
	}
	return nil
}

func scanAPIKey(row scanner) (*settings.APIKey, error) {
	var (
		k                      settings.APIKey
		role                   string
		hash                   []byte
		created, used, revoked sql.NullInt64
	)
	if err := row.Scan(&k.ID, &k.TenantID, &role, &hash, &created, &used, &revoked); err != nil {
		return nil, err
	}
	var err error
	if k.SecretHash, err = column.SecretHash(k.ID, hash); err != nil {
		return nil, err
	}
	k.Role = settings.Role(role)
	k.CreatedAt = fromMicros(created)
	k.LastUsedAt = fromMicros(used)
	k.RevokedAt = fromMicros(revoked)
	return &k, nil
}
