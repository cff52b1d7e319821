package sqlite

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/confluence-graph/confluence-graph/settings"
	"github.com/confluence-graph/confluence-graph/settings/internal/column"
)

const integrationColumns = `tenant_id, domain, email, token_type, cloud_id, encrypted_token, token_hint,
	account_id, account_name, capabilities, status, last_validated_at, last_error,
	credential_version, created_at, updated_at`

// GetIntegration implements settings.Store.
func (d *DB) GetIntegration(ctx context.Context, tenantID string) (*settings.Integration, error) {
	row := d.db.QueryRowContext(ctx, `SELECT `+integrationColumns+` FROM integrations WHERE tenant_id = ?`, tenantID)
	in, err := scanIntegration(row)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("settings/sqlite: get integration: %w", settings.ErrNotFound)
	}
	if err != nil {
		return nil, wrapErr(ctx, "get integration", err)
	}
	return in, nil
}

// PutIntegration implements settings.Store. The read of the previous
// record and the write happen in one IMMEDIATE transaction, so concurrent
// puts are serialized and each replaces the record whole.
func (d *DB) PutIntegration(ctx context.Context, in *settings.Integration) error {
	if err := in.Validate(); err != nil {
		return fmt.Errorf("settings/sqlite: put integration: %w", err)
	}
	caps, err := column.EncodeCapabilities(in.Capabilities)
	if err != nil {
		return fmt.Errorf("settings/sqlite: put integration: %w", err)
	}

	tx, err := d.db.BeginTx(ctx, nil)
	if err != nil {
		return wrapErr(ctx, "put integration", err)
	}
	defer func() { _ = tx.Rollback() }()

	now := d.now()
	createdAt := now
	var (
		oldToken   []byte
		oldCreated sql.NullInt64
	)
	err = tx.QueryRowContext(ctx, `SELECT encrypted_token, created_at FROM integrations WHERE tenant_id = ?`, in.TenantID).
		Scan(&oldToken, &oldCreated)
	exists := err == nil
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return wrapErr(ctx, "put integration", err)
	}
	if exists {
		createdAt = fromMicros(oldCreated)
	}

	var version int64
	err = tx.QueryRowContext(ctx, `SELECT version FROM credential_versions WHERE tenant_id = ?`, in.TenantID).Scan(&version)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return wrapErr(ctx, "put integration", err)
	}
	if !exists || !bytes.Equal(oldToken, in.EncryptedToken) || version == 0 {
		version++
		if _, err := tx.ExecContext(ctx, `INSERT INTO credential_versions (tenant_id, version) VALUES (?, ?)
			ON CONFLICT (tenant_id) DO UPDATE SET version = excluded.version`, in.TenantID, version); err != nil {
			return wrapErr(ctx, "put integration", err)
		}
	}

	_, err = tx.ExecContext(ctx, `INSERT INTO integrations (`+integrationColumns+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (tenant_id) DO UPDATE SET
			domain = excluded.domain, email = excluded.email, token_type = excluded.token_type,
			cloud_id = excluded.cloud_id, encrypted_token = excluded.encrypted_token,
			token_hint = excluded.token_hint, account_id = excluded.account_id,
			account_name = excluded.account_name, capabilities = excluded.capabilities,
			status = excluded.status, last_validated_at = excluded.last_validated_at,
			last_error = excluded.last_error, credential_version = excluded.credential_version,
			created_at = excluded.created_at, updated_at = excluded.updated_at`,
		in.TenantID, in.Domain, in.Email, string(in.TokenType), in.CloudID, in.EncryptedToken, in.TokenHint,
		in.AccountID, in.AccountName, string(caps), string(in.Status), micros(in.LastValidatedAt), in.LastError,
		version, createdAt.UnixMicro(), now.UnixMicro())
	if err != nil {
		return wrapErr(ctx, "put integration", err)
	}
	if err := tx.Commit(); err != nil {
		return wrapErr(ctx, "put integration", err)
	}
	in.CredentialVersion = version
	in.CreatedAt = createdAt
	in.UpdatedAt = now
	return nil
}

// DeleteIntegration implements settings.Store.
func (d *DB) DeleteIntegration(ctx context.Context, tenantID string) error {
	res, err := d.db.ExecContext(ctx, `DELETE FROM integrations WHERE tenant_id = ?`, tenantID)
	if err != nil {
		return wrapErr(ctx, "delete integration", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return wrapErr(ctx, "delete integration", err)
	}
	if n == 0 {
		return fmt.Errorf("settings/sqlite: delete integration: %w", settings.ErrNotFound)
	}
	return nil
}

func scanIntegration(row scanner) (*settings.Integration, error) {
	var (
		in                          settings.Integration
		tokenType, status, caps     string
		lastValidated, created, upd sql.NullInt64
	)
	err := row.Scan(&in.TenantID, &in.Domain, &in.Email, &tokenType, &in.CloudID, &in.EncryptedToken, &in.TokenHint,
		&in.AccountID, &in.AccountName, &caps, &status, &lastValidated, &in.LastError,
		&in.CredentialVersion, &created, &upd)
	if err != nil {
		return nil, err
	}
	in.TokenType = settings.TokenType(tokenType)
	in.Status = settings.Status(status)
	in.LastValidatedAt = fromMicros(lastValidated)
	in.CreatedAt = fromMicros(created)
	in.UpdatedAt = fromMicros(upd)
	if in.Capabilities, err = column.DecodeCapabilities([]byte(caps)); err != nil {
		return nil, err
	}
	return &in, nil
}
