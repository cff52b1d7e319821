package sqlstore

import (
	"bytes"
	"context"
	"fmt"

	"github.com/confluence-graph/confluence-graph/settings"
)

const integrationColumns = `tenant_id, domain, email, token_type, cloud_id, encrypted_token, token_hint,
	account_id, account_name, capabilities, status, last_validated_at, last_error,
	credential_version, created_at, updated_at`

// GetIntegration implements settings.Store.
func (s *Store) GetIntegration(ctx context.Context, tenantID string) (*settings.Integration, error) {
	row := s.db.QueryRowContext(ctx, s.q(`SELECT `+integrationColumns+` FROM integrations WHERE tenant_id = ?`), tenantID)
	in, err := scanIntegration(row)
	if isNoRows(err) {
		return nil, s.notFound("get integration")
	}
	if err != nil {
		return nil, s.wrapErr(ctx, "get integration", err)
	}
	return in, nil
}

// PutIntegration implements settings.Store. One transaction first locks
// the tenant's credential version row (creating it if needed), so
// concurrent puts for a tenant run one after another and each replaces the
// record whole. (SQLite's IMMEDIATE transactions serialize all writers;
// PostgreSQL's row lock lets puts for different tenants run side by side.)
func (s *Store) PutIntegration(ctx context.Context, in *settings.Integration) error {
	const op = "put integration"
	if err := in.Validate(); err != nil {
		return fmt.Errorf("%s: %s: %w", s.d.Name, op, err)
	}
	caps, err := encodeCapabilities(in.Capabilities)
	if err != nil {
		return fmt.Errorf("%s: %s: %w", s.d.Name, op, err)
	}

	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return s.wrapErr(ctx, op, err)
	}
	defer func() { _ = tx.Rollback() }()

	var version int64
	if err := tx.QueryRowContext(ctx, s.q(`INSERT INTO credential_versions (tenant_id, version) VALUES (?, 0)
		ON CONFLICT (tenant_id) DO UPDATE SET version = credential_versions.version
		RETURNING version`), in.TenantID).Scan(&version); err != nil {
		return s.wrapErr(ctx, op, err)
	}

	now := s.now()
	createdAt := now
	var (
		oldToken   []byte
		oldCreated nullTime
	)
	err = tx.QueryRowContext(ctx, s.q(`SELECT encrypted_token, created_at FROM integrations WHERE tenant_id = ?`), in.TenantID).
		Scan(&oldToken, &oldCreated)
	exists := err == nil
	if err != nil && !isNoRows(err) {
		return s.wrapErr(ctx, op, err)
	}
	if exists {
		createdAt = oldCreated.t
	}
	if !exists || !bytes.Equal(oldToken, in.EncryptedToken) || version == 0 {
		version++
		if _, err := tx.ExecContext(ctx, s.q(`UPDATE credential_versions SET version = ? WHERE tenant_id = ?`),
			version, in.TenantID); err != nil {
			return s.wrapErr(ctx, op, err)
		}
	}

	_, err = tx.ExecContext(ctx, s.q(`INSERT INTO integrations (`+integrationColumns+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (tenant_id) DO UPDATE SET
			domain = excluded.domain, email = excluded.email, token_type = excluded.token_type,
			cloud_id = excluded.cloud_id, encrypted_token = excluded.encrypted_token,
			token_hint = excluded.token_hint, account_id = excluded.account_id,
			account_name = excluded.account_name, capabilities = excluded.capabilities,
			status = excluded.status, last_validated_at = excluded.last_validated_at,
			last_error = excluded.last_error, credential_version = excluded.credential_version,
			created_at = excluded.created_at, updated_at = excluded.updated_at`),
		in.TenantID, in.Domain, in.Email, string(in.TokenType), in.CloudID, in.EncryptedToken, in.TokenHint,
		in.AccountID, in.AccountName, string(caps), string(in.Status), s.d.Time(in.LastValidatedAt), in.LastError,
		version, s.d.Time(createdAt), s.d.Time(now))
	if err != nil {
		return s.wrapErr(ctx, op, err)
	}
	if err := tx.Commit(); err != nil {
		return s.wrapErr(ctx, op, err)
	}
	in.CredentialVersion = version
	in.CreatedAt = createdAt
	in.UpdatedAt = now
	return nil
}

// DeleteIntegration implements settings.Store.
func (s *Store) DeleteIntegration(ctx context.Context, tenantID string) error {
	return s.execOne(ctx, "delete integration", `DELETE FROM integrations WHERE tenant_id = ?`, tenantID)
}

func scanIntegration(row scanner) (*settings.Integration, error) {
	var (
		in                          settings.Integration
		tokenType, status           string
		caps                        []byte
		lastValidated, created, upd nullTime
	)
	err := row.Scan(&in.TenantID, &in.Domain, &in.Email, &tokenType, &in.CloudID, &in.EncryptedToken, &in.TokenHint,
		&in.AccountID, &in.AccountName, &caps, &status, &lastValidated, &in.LastError,
		&in.CredentialVersion, &created, &upd)
	if err != nil {
		return nil, err
	}
	in.TokenType = settings.TokenType(tokenType)
	in.Status = settings.Status(status)
	in.LastValidatedAt = lastValidated.t
	in.CreatedAt = created.t
	in.UpdatedAt = upd.t
	if in.Capabilities, err = decodeCapabilities(caps); err != nil {
		return nil, err
	}
	return &in, nil
}
