-- Renting: the rental terms of agent_mira's Property, one column each, named
-- like the fields so a row stays a record for agent_mira.Catalog.from_records.
-- Every column is NULL when unknown (missing is never zero). The CHECKs
-- mirror the engine's own validation where SQL can say it, so a bad row is
-- refused by the database before the engine would refuse the whole catalog.
ALTER TABLE properties
    ADD COLUMN IF NOT EXISTS rent_period text
        CONSTRAINT properties_rent_period_check
        CHECK (rent_period IN ('month', 'week', 'night')),
    ADD COLUMN IF NOT EXISTS available_from date,
    ADD COLUMN IF NOT EXISTS available_until date,
    ADD COLUMN IF NOT EXISTS min_lease_months integer
        CONSTRAINT properties_min_lease_months_check
        CHECK (min_lease_months BETWEEN 1 AND 1200),
    ADD COLUMN IF NOT EXISTS max_lease_months integer
        CONSTRAINT properties_max_lease_months_check
        CHECK (max_lease_months BETWEEN 1 AND 1200),
    ADD COLUMN IF NOT EXISTS deposit double precision
        CONSTRAINT properties_deposit_check
        CHECK (deposit >= 0 AND deposit < 'Infinity'::double precision),
    ADD COLUMN IF NOT EXISTS furnishing text
        CONSTRAINT properties_furnishing_check
        CHECK (furnishing IN ('furnished', 'semi_furnished', 'unfurnished')),
    ADD COLUMN IF NOT EXISTS pets_allowed boolean,
    ADD COLUMN IF NOT EXISTS floor integer
        CONSTRAINT properties_floor_check
        CHECK (floor BETWEEN -20 AND 300),
    ADD COLUMN IF NOT EXISTS total_floors integer
        CONSTRAINT properties_total_floors_check
        CHECK (total_floors BETWEEN 1 AND 300),
    -- ISO 4217: three capital letters (which codes exist is the engine's to judge).
    ADD COLUMN IF NOT EXISTS currency char(3)
        CONSTRAINT properties_currency_check
        CHECK (currency ~ '^[A-Z]{3}$');

-- Rules across columns (NULL on either side: nothing to compare, as in the engine).
ALTER TABLE properties
    DROP CONSTRAINT IF EXISTS properties_rent_period_rental_check,
    ADD CONSTRAINT properties_rent_period_rental_check
        CHECK (rent_period IS NULL OR listing_type IS NULL
               OR listing_type IN ('long_term_rent', 'short_term_rent')),
    DROP CONSTRAINT IF EXISTS properties_available_window_check,
    ADD CONSTRAINT properties_available_window_check
        CHECK (available_until >= available_from),
    DROP CONSTRAINT IF EXISTS properties_lease_limits_check,
    ADD CONSTRAINT properties_lease_limits_check
        CHECK (max_lease_months >= min_lease_months),
    DROP CONSTRAINT IF EXISTS properties_floor_in_building_check,
    ADD CONSTRAINT properties_floor_in_building_check
        CHECK (floor <= total_floors);

-- GET /api/properties?listing_type=…&available_on=…
CREATE INDEX IF NOT EXISTS properties_listing_type_idx ON properties (listing_type);
CREATE INDEX IF NOT EXISTS properties_available_idx
    ON properties (available_from, available_until) WHERE available_from IS NOT NULL;
