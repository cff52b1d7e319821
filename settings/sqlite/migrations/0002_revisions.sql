-- Record revisions for compare-and-set writes, and audit events that name
-- the change they record. Every change of a tenant's integration (a put or
-- a delete) takes the next value of the tenant's revision counter, which,
-- like the credential version, never decreases; the change's audit event
-- is written in the same transaction with that revision.

ALTER TABLE integrations ADD COLUMN revision INTEGER NOT NULL DEFAULT 1 CHECK (revision > 0);

ALTER TABLE credential_versions ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;

UPDATE credential_versions SET revision = 1 WHERE tenant_id IN (SELECT tenant_id FROM integrations);

ALTER TABLE audit_events ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;

ALTER TABLE audit_events ADD COLUMN credential_version INTEGER NOT NULL DEFAULT 0;
