package sqlstore

import (
	"context"
	"fmt"

	"github.com/confluence-graph/confluence-graph/settings"
)

const apiKeyColumns = `id, tenant_id, role, secret_hash, created_at, last_used_at, revoked_at`

// CreateAPIKey implements settings.Store.
func (s *Store) CreateAPIKey(ctx context.Context, k *settings.APIKey) error {
	if err := k.Validate(); err != nil {
		return fmt.Errorf("%s: create api key: %w", s.d.Name, err)
	}
	now := s.now()
	_, err := s.db.ExecContext(ctx, s.q(`INSERT INTO api_keys (`+apiKeyColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?)`),
		k.ID, k.TenantID, string(k.Role), k.SecretHash[:], s.d.Time(now), s.d.Time(k.LastUsedAt), s.d.Time(k.RevokedAt))
	if err != nil {
		return s.wrapErr(ctx, "create api key", err)
	}
	k.CreatedAt = now
	k.LastUsedAt = stored(k.LastUsedAt)
	k.RevokedAt = stored(k.RevokedAt)
	return nil
}

// GetAPIKey implements settings.Store.
func (s *Store) GetAPIKey(ctx context.Context, id string) (*settings.APIKey, error) {
	k, err := scanAPIKey(s.queryRow(ctx, &s.hot.getAPIKey, id))
	if isNoRows(err) {
		return nil, s.notFound("get api key")
	}
	if err != nil {
		return nil, s.wrapErr(ctx, "get api key", err)
	}
	return k, nil
}

// ListAPIKeys implements settings.Store.
func (s *Store) ListAPIKeys(ctx context.Context, tenantID string) ([]settings.APIKey, error) {
	if tenantID == "" {
		return nil, fmt.Errorf("%s: list api keys: %w: empty tenant id", s.d.Name, settings.ErrInvalid)
	}
	return s.listAPIKeys(ctx, `SELECT `+apiKeyColumns+` FROM api_keys WHERE tenant_id = ? ORDER BY created_at, id`, tenantID)
}

// ListAllAPIKeys implements settings.Store.
func (s *Store) ListAllAPIKeys(ctx context.Context) ([]settings.APIKey, error) {
	return s.listAPIKeys(ctx, `SELECT `+apiKeyColumns+` FROM api_keys ORDER BY tenant_id, created_at, id`)
}

func (s *Store) listAPIKeys(ctx context.Context, query string, args ...any) ([]settings.APIKey, error) {
	return queryAll(ctx, s, "list api keys", query, args, func(r scanner) (settings.APIKey, error) {
		k, err := scanAPIKey(r)
		if err != nil {
			return settings.APIKey{}, err
		}
		return *k, nil
	})
}

// RevokeAPIKey implements settings.Store.
func (s *Store) RevokeAPIKey(ctx context.Context, tenantID, id string) error {
	return s.execOne(ctx, "revoke api key", `UPDATE api_keys SET revoked_at = coalesce(revoked_at, ?) WHERE tenant_id = ? AND id = ?`,
		s.d.Time(s.now()), tenantID, id)
}

// TouchAPIKey implements settings.Store.
func (s *Store) TouchAPIKey(ctx context.Context, id string) error {
	return s.execOne(ctx, "touch api key", `UPDATE api_keys SET last_used_at = ? WHERE id = ?`, s.d.Time(s.now()), id)
}

func scanAPIKey(row scanner) (*settings.APIKey, error) {
	var (
		k                      settings.APIKey
		role                   string
		hash                   []byte
		created, used, revoked nullTime
	)
	if err := row.Scan(&k.ID, &k.TenantID, &role, &hash, &created, &used, &revoked); err != nil {
		return nil, err
	}
	var err error
	if k.SecretHash, err = secretHash(k.ID, hash); err != nil {
		return nil, err
	}
	k.Role = settings.Role(role)
	k.CreatedAt = created.t
	k.LastUsedAt = used.t
	k.RevokedAt = revoked.t
	return &k, nil
}
