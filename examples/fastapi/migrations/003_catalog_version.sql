-- The catalog version: one counter bumped by every statement that changes
-- `properties` (INSERT, UPDATE, DELETE, TRUNCATE, COPY), in the same
-- transaction, so a snapshot that reads the counter and the rows sees them
-- agree. The new version is sent with NOTIFY properties_changed, which
-- PostgreSQL delivers only after the transaction commits.
CREATE TABLE IF NOT EXISTS catalog_state (
    id          integer PRIMARY KEY DEFAULT 1 CHECK (id = 1),
    version     bigint NOT NULL,
    changed_at  timestamptz NOT NULL DEFAULT now()
);
INSERT INTO catalog_state (id, version) VALUES (1, 1) ON CONFLICT (id) DO NOTHING;

CREATE OR REPLACE FUNCTION properties_touch() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END
$$;

CREATE OR REPLACE FUNCTION properties_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    v bigint;
BEGIN
    UPDATE catalog_state SET version = version + 1, changed_at = now()
        WHERE id = 1 RETURNING version INTO v;
    PERFORM pg_notify('properties_changed', v::text);
    RETURN NULL;
END
$$;

DROP TRIGGER IF EXISTS properties_touch ON properties;
CREATE TRIGGER properties_touch BEFORE UPDATE ON properties
    FOR EACH ROW EXECUTE FUNCTION properties_touch();

DROP TRIGGER IF EXISTS properties_changed ON properties;
CREATE TRIGGER properties_changed
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON properties
    FOR EACH STATEMENT EXECUTE FUNCTION properties_changed();
