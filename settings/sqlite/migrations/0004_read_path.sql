-- The read path the last validation chose for the integration's token:
-- 'v2' (the v2 routes, granular scopes or a classic token) or 'v1' (the v1
-- routes and CQL, for a scoped token whose classic scopes the v2 routes
-- refuse). '' (records validated before this column) reads as v2.

ALTER TABLE integrations ADD COLUMN read_path TEXT NOT NULL DEFAULT '';
