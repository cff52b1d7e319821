package postgres

import (
	"bytes"
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/confluence-graph/confluence-graph/settings"
	"github.com/confluence-graph/confluence-graph/settings/internal/column"
)

const integrationColumns = `tenant_id, domain, email, token_type, cloud_id, encrypted_token, token_hint,
	account_id, account_name, capabilities, status, last_validated_at, last_error,
	credential_version, created_at, updated_at`

// GetIntegration implements settings.Store.
func (d *DB) GetIntegration(ctx context.Context, tenantID string) (*settings.Integration, error) {
	row := d.pool.QueryRow(ctx, `SELECT `+integrationColumns+` FROM integrations WHERE tenant_id = $1`, tenantID)
	in, err := scanIntegration(row)
	if isNoRows(err) {
		return nil, fmt.Errorf("settings/postgres: get integration: %w", settings.ErrNotFound)
	}
	if err != nil {
		return nil, wrapErr(ctx, "get integration", err)
	}
	return in, nil
}

// PutIntegration implements settings.Store. One transaction first locks
// the tenant's credential version row (creating it if needed), so
// concurrent puts for a tenant run one after another and each replaces the
// record whole; puts for different tenants do not wait for each other.
func (d *DB) PutIntegration(ctx context.Context, in *settings.Integration) error {
	if err := in.Validate(); err != nil {
		return fmt.Errorf("settings/postgres: put integration: %w", err)
	}
	caps, err := column.EncodeCapabilities(in.Capabilities)
	if err != nil {
		return fmt.Errorf("settings/postgres: put integration: %w", err)
	}

	tx, err := d.pool.Begin(ctx)
	if err != nil {
		return wrapErr(ctx, "put integration", err)
	}
	defer func() { _ = tx.Rollback(ctx) }()

	var version int64
	if err := tx.QueryRow(ctx, `INSERT INTO credential_versions (tenant_id, version) VALUES ($1, 0)
		ON CONFLICT (tenant_id) DO UPDATE SET version = credential_versions.version
		RETURNING version`, in.TenantID).Scan(&version); err != nil {
		return wrapErr(ctx, "put integration", err)
	}

	now := d.now()
	createdAt := now
	var (
		oldToken   []byte
		oldCreated pgtype.Timestamptz
	)
	err = tx.QueryRow(ctx, `SELECT encrypted_token, created_at FROM integrations WHERE tenant_id = $1`, in.TenantID).
		Scan(&oldToken, &oldCreated)
	exists := err == nil
	if err != nil && !isNoRows(err) {
		return wrapErr(ctx, "put integration", err)
	}
	if exists {
		createdAt = fromTimestamptz(oldCreated)
	}
	if !exists || !bytes.Equal(oldToken, in.EncryptedToken) || version == 0 {
		version++
		if _, err := tx.Exec(ctx, `UPDATE credential_versions SET version = $2 WHERE tenant_id = $1`,
			in.TenantID, version); err != nil {
			return wrapErr(ctx, "put integration", err)
		}
	}

	_, err = tx.Exec(ctx, `INSERT INTO integrations (`+integrationColumns+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
		ON CONFLICT (tenant_id) DO UPDATE SET
			domain = excluded.domain, email = excluded.email, token_type = excluded.token_type,
			cloud_id = excluded.cloud_id, encrypted_token = excluded.encrypted_token,
			token_hint = excluded.token_hint, account_id = excluded.account_id,
			account_name = excluded.account_name, capabilities = excluded.capabilities,
			status = excluded.status, last_validated_at = excluded.last_validated_at,
			last_error = excluded.last_error, credential_version = excluded.credential_version,
			created_at = excluded.created_at, updated_at = excluded.updated_at`,
		in.TenantID, in.Domain, in.Email, string(in.TokenType), in.CloudID, in.EncryptedToken, in.TokenHint,
		in.AccountID, in.AccountName, caps, string(in.Status), timestamptz(in.LastValidatedAt), in.LastError,
		version, createdAt, now)
	if err != nil {
		return wrapErr(ctx, "put integration", err)
	}
	if err := tx.Commit(ctx); err != nil {
		return wrapErr(ctx, "put integration", err)
	}
	in.CredentialVersion = version
	in.CreatedAt = createdAt
	in.UpdatedAt = now
	return nil
}

// DeleteIntegration implements settings.Store.
func (d *DB) DeleteIntegration(ctx context.Context, tenantID string) error {
	tag, err := d.pool.Exec(ctx, `DELETE FROM integrations WHERE tenant_id = $1`, tenantID)
	if err != nil {
		return wrapErr(ctx, "delete integration", err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("settings/postgres: delete integration: %w", settings.ErrNotFound)
	}
	return nil
}

func scanIntegration(row pgx.Row) (*settings.Integration, error) {
	var (
		in                          settings.Integration
		tokenType, status           string
		caps                        []byte
		lastValidated, created, upd pgtype.Timestamptz
	)
	err := row.Scan(&in.TenantID, &in.Domain, &in.Email, &tokenType, &in.CloudID, &in.EncryptedToken, &in.TokenHint,
		&in.AccountID, &in.AccountName, &caps, &status, &lastValidated, &in.LastError,
		&in.CredentialVersion, &created, &upd)
	if err != nil {
		return nil, err
	}
	in.TokenType = settings.TokenType(tokenType)
	in.Status = settings.Status(status)
	in.LastValidatedAt = fromTimestamptz(lastValidated)
	in.CreatedAt = fromTimestamptz(created)
	in.UpdatedAt = fromTimestamptz(upd)
	if in.Capabilities, err = column.DecodeCapabilities(caps); err != nil {
		return nil, err
	}
	return &in, nil
}
