package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/confluence-graph/confluence-graph/settings"
	"github.com/confluence-graph/confluence-graph/settings/internal/column"
)

const apiKeyColumns = `id, tenant_id, role, secret_hash, created_at, last_used_at, revoked_at`

// CreateAPIKey implements settings.Store.
func (d *DB) CreateAPIKey(ctx context.Context, k *settings.APIKey) error {
	if err := k.Validate(); err != nil {
		return fmt.Errorf("settings/postgres: create api key: %w", err)
	}
	now := d.now()
	used, revoked := timestamptz(k.LastUsedAt), timestamptz(k.RevokedAt)
	_, err := d.pool.Exec(ctx, `INSERT INTO api_keys (`+apiKeyColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
		k.ID, k.TenantID, string(k.Role), k.SecretHash[:], now, used, revoked)
	if err != nil {
		return wrapErr(ctx, "create api key", err)
	}
	k.CreatedAt = now
	k.LastUsedAt = fromTimestamptz(used)
	k.RevokedAt = fromTimestamptz(revoked)
	return nil
}

// GetAPIKey implements settings.Store.
func (d *DB) GetAPIKey(ctx context.Context, id string) (*settings.APIKey, error) {
	k, err := scanAPIKey(d.pool.QueryRow(ctx, `SELECT `+apiKeyColumns+` FROM api_keys WHERE id = $1`, id))
	if isNoRows(err) {
		return nil, fmt.Errorf("settings/postgres: get api key: %w", settings.ErrNotFound)
	}
	if err != nil {
		return nil, wrapErr(ctx, "get api key", err)
	}
	return k, nil
}

// ListAPIKeys implements settings.Store.
func (d *DB) ListAPIKeys(ctx context.Context, tenantID string) ([]settings.APIKey, error) {
	if tenantID == "" {
		return nil, fmt.Errorf("settings/postgres: list api keys: %w: empty tenant id", settings.ErrInvalid)
	}
	return d.listAPIKeys(ctx, `SELECT `+apiKeyColumns+` FROM api_keys WHERE tenant_id = $1 ORDER BY created_at, id`, tenantID)
}

// ListAllAPIKeys implements settings.Store.
func (d *DB) ListAllAPIKeys(ctx context.Context) ([]settings.APIKey, error) {
	return d.listAPIKeys(ctx, `SELECT `+apiKeyColumns+` FROM api_keys ORDER BY tenant_id, created_at, id`)
}

func (d *DB) listAPIKeys(ctx context.Context, query string, args ...any) ([]settings.APIKey, error) {
	rows, err := d.pool.Query(ctx, query, args...)
	if err != nil {
		return nil, wrapErr(ctx, "list api keys", err)
	}
	defer rows.Close()
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
	tag, err := d.pool.Exec(ctx, `UPDATE api_keys SET revoked_at = coalesce(revoked_at, $1) WHERE tenant_id = $2 AND id = $3`,
		d.now(), tenantID, id)
	return affectedOne(ctx, "revoke api key", tag, err)
}

// TouchAPIKey implements settings.Store.
func (d *DB) TouchAPIKey(ctx context.Context, id string) error {
	tag, err := d.pool.Exec(ctx, `UPDATE api_keys SET last_used_at = $1 WHERE id = $2`, d.now(), id)
	return affectedOne(ctx, "touch api key", tag, err)
}

// affectedOne turns an UPDATE's outcome into nil, ErrNotFound (no row
// matched) or a wrapped error.
func affectedOne(ctx context.Context, op string, tag pgconn.CommandTag, err error) error {
	if err != nil {
		return wrapErr(ctx, op, err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("settings/postgres: %s: %w", op, settings.ErrNotFound)
	}
	return nil
}

func scanAPIKey(row pgx.Row) (*settings.APIKey, error) {
	var (
		k                      settings.APIKey
		role                   string
		hash                   []byte
		created, used, revoked pgtype.Timestamptz
	)
	if err := row.Scan(&k.ID, &k.TenantID, &role, &hash, &created, &used, &revoked); err != nil {
		return nil, err
	}
	var err error
	if k.SecretHash, err = column.SecretHash(k.ID, hash); err != nil {
		return nil, err
	}
	k.Role = settings.Role(role)
	k.CreatedAt = fromTimestamptz(created)
	k.LastUsedAt = fromTimestamptz(used)
	k.RevokedAt = fromTimestamptz(revoked)
	return &k, nil
}
