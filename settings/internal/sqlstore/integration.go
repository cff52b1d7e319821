package sqlstore

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/confluence-graph/confluence-graph/settings"
)

const integrationColumns = `tenant_id, domain, email, token_type, cloud_id, encrypted_token, token_hint,
	account_id, account_name, capabilities, status, last_validated_at, last_error,
credential_version, revision, created_at, updated_at, read_policy, read_path,
	deployment, base_url, server_version`

// ListIntegrations implements settings.Store.
func (s *Store) ListIntegrations(ctx context.Context, afterTenantID string, limit int) ([]settings.Integration, error) {
	query := `SELECT ` + integrationColumns + ` FROM integrations WHERE tenant_id > ? ORDER BY tenant_id`
	args := []any{afterTenantID}
	if limit > 0 {
		query += ` LIMIT ?`
		args = append(args, int64(limit))
	}
	return queryAll(ctx, s, "list integrations", query, args, func(r scanner) (settings.Integration, error) {
		in, err := scanIntegration(r)
		if err != nil {
			return settings.Integration{}, err
		}
		return *in, nil
	})
}

// counters are a tenant's revision and credential version counters, read
// and locked at the start of each change.
type counters struct {
	credentialVersion int64
	revision          int64
}

// lockTenant locks the tenant's counter row (creating it if needed) in
// tx and returns its values, so that concurrent changes of one tenant run
// one after another. (SQLite's IMMEDIATE transactions serialize all
// writers; PostgreSQL's row lock lets changes of different tenants run
// side by side.) A change's audit event is inserted after this lock, so
// audit ids of one tenant's changes follow their commit order.
func (s *Store) lockTenant(ctx context.Context, tx *sql.Tx, tenantID string) (counters, error) {
	var c counters
	err := tx.QueryRowContext(ctx, s.q(`INSERT INTO credential_versions (tenant_id, version, revision) VALUES (?, 0, 0)
		ON CONFLICT (tenant_id) DO UPDATE SET version = credential_versions.version
		RETURNING version, revision`), tenantID).Scan(&c.credentialVersion, &c.revision)
	return c, err
}

// saveCounters stores c as the tenant's counters in tx.
func (s *Store) saveCounters(ctx context.Context, tx *sql.Tx, tenantID string, c counters) error {
	_, err := tx.ExecContext(ctx, s.q(`UPDATE credential_versions SET version = ?, revision = ? WHERE tenant_id = ?`),
		c.credentialVersion, c.revision, tenantID)
	return err
}

// checkAudit validates the audit event of a change of tenantID's
// integration (nil is allowed).
func checkAudit(audit *settings.AuditEvent, tenantID string) error {
	if audit == nil {
		return nil
	}
	if err := audit.Validate(); err != nil {
		return err
	}
	if audit.TenantID != tenantID {
		return fmt.Errorf("%w: audit event names another tenant than the change", settings.ErrInvalid)
	}
	return nil
}

// PutIntegration implements settings.Store: in one transaction it locks
// the tenant's counters, checks the stored revision against in.Revision,
// writes the record with the next revision and appends the audit event.
func (s *Store) PutIntegration(ctx context.Context, in *settings.Integration, audit *settings.AuditEvent) error {
	const op = "put integration"
	if err := in.Validate(); err != nil {
		return fmt.Errorf("%s: %s: %w", s.d.Name, op, err)
	}
	if err := checkAudit(audit, in.TenantID); err != nil {
		return fmt.Errorf("%s: %s: %w", s.d.Name, op, err)
	}
	caps, err := encodeCapabilities(in.Capabilities)
	if err != nil {
		return fmt.Errorf("%s: %s: %w", s.d.Name, op, err)
	}
	policy, err := encodeReadPolicy(in.ReadPolicy)
	if err != nil {
		return fmt.Errorf("%s: %s: %w", s.d.Name, op, err)
	}
	now := s.now()
	createdAt := now
	var c counters
	err = s.inTx(ctx, op, func(tx *sql.Tx) error {
		var err error
		if c, err = s.lockTenant(ctx, tx, in.TenantID); err != nil {
			return err
		}
		var (
			oldToken   []byte
			oldCreated nullTime
			oldRev     int64
		)
		err = tx.QueryRowContext(ctx, s.q(`SELECT encrypted_token, created_at, revision FROM integrations WHERE tenant_id = ?`),
			in.TenantID).Scan(&oldToken, &oldCreated, &oldRev)
		exists := err == nil
		if err != nil && !isNoRows(err) {
			return err
		}
		if in.Revision != 0 && (!exists || oldRev != in.Revision) {
			return fmt.Errorf("%w: based on revision %d, stored %d", settings.ErrStale, in.Revision, oldRev)
		}
		if exists {
			createdAt = oldCreated.t
		}
		if !exists || !bytes.Equal(oldToken, in.EncryptedToken) || c.credentialVersion == 0 {
			c.credentialVersion++
		}
		c.revision = max(c.revision, oldRev) + 1
		if err := s.saveCounters(ctx, tx, in.TenantID, c); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, s.q(`INSERT INTO integrations (`+integrationColumns+`)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (tenant_id) DO UPDATE SET
				domain = excluded.domain, email = excluded.email, token_type = excluded.token_type,
				cloud_id = excluded.cloud_id, encrypted_token = excluded.encrypted_token,
				token_hint = excluded.token_hint, account_id = excluded.account_id,
				account_name = excluded.account_name, capabilities = excluded.capabilities,
				status = excluded.status, last_validated_at = excluded.last_validated_at,
				last_error = excluded.last_error, credential_version = excluded.credential_version,
				revision = excluded.revision, created_at = excluded.created_at, updated_at = excluded.updated_at,
				read_policy = excluded.read_policy, read_path = excluded.read_path,
				deployment = excluded.deployment, base_url = excluded.base_url, server_version = excluded.server_version`),
			in.TenantID, in.Domain, in.Email, string(in.TokenType), in.CloudID, in.EncryptedToken, in.TokenHint,
			in.AccountID, in.AccountName, string(caps), string(in.Status), s.d.Time(in.LastValidatedAt), in.LastError,
			c.credentialVersion, c.revision, s.d.Time(createdAt), s.d.Time(now), string(policy), string(in.ReadPath),
			string(in.Deployment), in.BaseURL, in.ServerVersion)
		if err != nil {
			return err
		}
		return s.insertChangeAudit(ctx, tx, audit, c, now)
	})
	if err != nil {
		return err
	}
	in.CredentialVersion = c.credentialVersion
	in.Revision = c.revision
	in.CreatedAt = createdAt
	in.UpdatedAt = now
	return nil
}

// DeleteIntegration implements settings.Store.
func (s *Store) DeleteIntegration(ctx context.Context, tenantID string, audit *settings.AuditEvent) error {
	const op = "delete integration"
	if err := checkAudit(audit, tenantID); err != nil {
		return fmt.Errorf("%s: %s: %w", s.d.Name, op, err)
	}
	now := s.now()
	var c counters
	return s.inTx(ctx, op, func(tx *sql.Tx) error {
		var err error
		if c, err = s.lockTenant(ctx, tx, tenantID); err != nil {
			return err
		}
		var oldRev, oldVersion int64
		err = tx.QueryRowContext(ctx, s.q(`DELETE FROM integrations WHERE tenant_id = ? RETURNING revision, credential_version`),
			tenantID).Scan(&oldRev, &oldVersion)
		if isNoRows(err) {
			return settings.ErrNotFound
		}
		if err != nil {
			return err
		}
		c.revision = max(c.revision, oldRev) + 1
		if err := s.saveCounters(ctx, tx, tenantID, c); err != nil {
			return err
		}
		c.credentialVersion = oldVersion
		return s.insertChangeAudit(ctx, tx, audit, c, now)
	})
}

// insertChangeAudit appends audit (when not nil) in tx as the event of a
// change that produced c, and sets its store-kept fields.
func (s *Store) insertChangeAudit(ctx context.Context, tx *sql.Tx, audit *settings.AuditEvent, c counters, now time.Time) error {
	if audit == nil {
		return nil
	}
	e := *audit
	e.Revision, e.CredentialVersion = c.revision, c.credentialVersion
	if err := s.insertAudit(ctx, tx, &e, now); err != nil {
		return err
	}
	*audit = e
	return nil
}

// inTx runs fn in a transaction and commits it when fn returns nil. Errors
// are wrapped for op; settings sentinels fn returns pass through.
func (s *Store) inTx(ctx context.Context, op string, fn func(tx *sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return s.wrapErr(ctx, op, err)
	}
	defer func() { _ = tx.Rollback() }()
	if err := fn(tx); err != nil {
		return s.wrapErr(ctx, op, err)
	}
	if err := tx.Commit(); err != nil {
		return s.wrapErr(ctx, op, err)
	}
	return nil
}

func scanIntegration(row scanner) (*settings.Integration, error) {
	var (
		in                          settings.Integration
		tokenType, status, readPath string
		deployment                  string
		caps, policy                []byte
		lastValidated, created, upd nullTime
	)
	err := row.Scan(&in.TenantID, &in.Domain, &in.Email, &tokenType, &in.CloudID, &in.EncryptedToken, &in.TokenHint,
		&in.AccountID, &in.AccountName, &caps, &status, &lastValidated, &in.LastError,
		&in.CredentialVersion, &in.Revision, &created, &upd, &policy, &readPath,
		&deployment, &in.BaseURL, &in.ServerVersion)
	if err != nil {
		return nil, err
	}
	in.TokenType = settings.TokenType(tokenType)
	in.Status = settings.Status(status)
	in.ReadPath = settings.ReadPath(readPath)
	in.Deployment = settings.Deployment(deployment)
	in.LastValidatedAt = lastValidated.t
	in.CreatedAt = created.t
	in.UpdatedAt = upd.t
	if in.Capabilities, err = decodeCapabilitiesMemo(caps); err != nil {
		return nil, err
	}
	if in.ReadPolicy, err = decodeReadPolicyMemo(policy); err != nil {
		return nil, err
	}
	return &in, nil
}
