-- Tenant integrations, API keys and the audit log.

CREATE TABLE integrations (
    tenant_id          text        NOT NULL PRIMARY KEY CHECK (tenant_id <> ''),
    domain             text        NOT NULL CHECK (domain <> ''),
    email              text        NOT NULL CHECK (email <> ''),
    token_type         text        NOT NULL CHECK (token_type IN ('CLASSIC', 'SCOPED')),
    cloud_id           text        NOT NULL,
    encrypted_token    bytea       NOT NULL CHECK (length(encrypted_token) > 0),
    token_hint         text        NOT NULL,
    account_id         text        NOT NULL,
    account_name       text        NOT NULL,
    capabilities       jsonb       NOT NULL, -- array of {name, ok, requiredScope, detail}
    status             text        NOT NULL CHECK (status <> ''),
    last_validated_at  timestamptz,
    last_error         text        NOT NULL,
    credential_version bigint      NOT NULL CHECK (credential_version > 0),
    created_at         timestamptz NOT NULL,
    updated_at         timestamptz NOT NULL
);

-- The last credential version handed out per tenant. Rows are never deleted,
-- so versions keep growing across disconnect and reconnect.
CREATE TABLE credential_versions (
    tenant_id text   NOT NULL PRIMARY KEY,
    version   bigint NOT NULL
);

CREATE TABLE api_keys (
    id           text        NOT NULL PRIMARY KEY CHECK (id <> ''),
    tenant_id    text        NOT NULL CHECK (tenant_id <> ''),
    role         text        NOT NULL CHECK (role IN ('reader', 'admin')),
    secret_hash  bytea       NOT NULL CHECK (length(secret_hash) = 32),
    created_at   timestamptz NOT NULL,
    last_used_at timestamptz,
    revoked_at   timestamptz
);

CREATE INDEX api_keys_tenant ON api_keys (tenant_id, created_at, id);

CREATE TABLE audit_events (
    id           bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id    text        NOT NULL CHECK (tenant_id <> ''),
    actor_key_id text        NOT NULL,
    action       text        NOT NULL CHECK (action <> ''),
    outcome      text        NOT NULL CHECK (outcome <> ''),
    detail       text        NOT NULL,
    at           timestamptz NOT NULL
);

CREATE INDEX audit_events_tenant ON audit_events (tenant_id, id);

-- The audit log is append-only, also for anyone with a SQL shell.
CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_events is append-only';
END;
$$;

CREATE TRIGGER audit_events_no_update_delete BEFORE UPDATE OR DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();

CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();
