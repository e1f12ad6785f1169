-- Listings, one row per property. Columns are named like agent_mira's
-- Property fields, so a row is a record for agent_mira.Catalog.from_records.
-- Ids are text: integer ids are stored as their decimal digits and read back
-- as integers (see mira_api/db.py), ids with a leading zero stay strings.
CREATE TABLE IF NOT EXISTS properties (
    id             text PRIMARY KEY CHECK (id <> '' AND length(id) <= 200),
    title          text,
    price          double precision NOT NULL CHECK (price > 0),
    location       text,
    latitude       double precision,
    longitude      double precision,
    bedrooms       integer CHECK (bedrooms >= 0),
    bathrooms      double precision CHECK (bathrooms >= 0),
    size_sqft      double precision,
    lot_sqft       double precision,
    year_built     integer,
    property_type  text,
    listing_type   text,
    amenities      text[],            -- NULL: unknown; '{}': none
    school_rating  double precision,
    commute_time   double precision,
    image_urls     text[] NOT NULL DEFAULT '{}',
    attributes     jsonb NOT NULL DEFAULT '{}'::jsonb,
    updated_at     timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX IF NOT EXISTS properties_city_idx
    ON properties (lower(split_part(location, ',', 1)));
CREATE INDEX IF NOT EXISTS properties_price_idx ON properties (price);
