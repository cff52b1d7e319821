-- Tenant integrations, API keys and the audit log.
-- Times are INTEGER microseconds since the Unix epoch (UTC); NULL means unset.

CREATE TABLE integrations (
    tenant_id          TEXT    NOT NULL PRIMARY KEY CHECK (tenant_id <> ''),
    domain             TEXT    NOT NULL CHECK (domain <> ''),
    email              TEXT    NOT NULL CHECK (email <> ''),
    token_type         TEXT    NOT NULL CHECK (token_type IN ('CLASSIC', 'SCOPED')),
    cloud_id           TEXT    NOT NULL,
    encrypted_token    BLOB    NOT NULL CHECK (length(encrypted_token) > 0),
    token_hint         TEXT    NOT NULL,
    account_id         TEXT    NOT NULL,
    account_name       TEXT    NOT NULL,
    capabilities       TEXT    NOT NULL, -- JSON array of {name, ok, requiredScope, detail}
    status             TEXT    NOT NULL CHECK (status <> ''),
    last_validated_at  INTEGER,
    last_error         TEXT    NOT NULL,
    credential_version INTEGER NOT NULL CHECK (credential_version > 0),
    created_at         INTEGER NOT NULL,
    updated_at         INTEGER NOT NULL
) STRICT;

-- The last credential version handed out per tenant. Rows are never deleted,
-- so versions keep growing across disconnect and reconnect.
CREATE TABLE credential_versions (
    tenant_id TEXT    NOT NULL PRIMARY KEY,
    version   INTEGER NOT NULL
) STRICT;

CREATE TABLE api_keys (
    id           TEXT    NOT NULL PRIMARY KEY CHECK (id <> ''),
    tenant_id    TEXT    NOT NULL CHECK (tenant_id <> ''),
    role         TEXT    NOT NULL CHECK (role IN ('reader', 'admin')),
    secret_hash  BLOB    NOT NULL CHECK (length(secret_hash) = 32),
    created_at   INTEGER NOT NULL,
    last_used_at INTEGER,
    revoked_at   INTEGER
) STRICT;

CREATE INDEX api_keys_tenant ON api_keys (tenant_id, created_at, id);

CREATE TABLE audit_events (
    id           INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    tenant_id    TEXT    NOT NULL CHECK (tenant_id <> ''),
    actor_key_id TEXT    NOT NULL,
    action       TEXT    NOT NULL CHECK (action <> ''),
    outcome      TEXT    NOT NULL CHECK (outcome <> ''),
    detail       TEXT    NOT NULL,
    at           INTEGER NOT NULL
) STRICT;

CREATE INDEX audit_events_tenant ON audit_events (tenant_id, id);

-- The audit log is append-only, also for anyone with a SQL shell.
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'audit_events is append-only');
END;

CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'audit_events is append-only');
END;
