-- Confluence Data Center: the deployment ('' or 'cloud': Confluence Cloud;
-- 'datacenter': a self-hosted Data Center), its base URL with the context
-- path (Data Center only; domain then holds its host) and the version the
-- last validation reported.

ALTER TABLE integrations ADD COLUMN deployment TEXT NOT NULL DEFAULT '';
ALTER TABLE integrations ADD COLUMN base_url TEXT NOT NULL DEFAULT '';
ALTER TABLE integrations ADD COLUMN server_version TEXT NOT NULL DEFAULT '';
