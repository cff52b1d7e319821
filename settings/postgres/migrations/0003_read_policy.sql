-- The tenant's read policy (readpolicy.Policy) as JSON:
-- {"allowedSpaces": [...], "excludedLabels": [...]}; '{}' allows every
-- space the connected account can see. It lives in the integration's row,
-- so it changes under the same compare-and-set revision and is deleted
-- with the credentials.

ALTER TABLE integrations ADD COLUMN read_policy TEXT NOT NULL DEFAULT '{}';
