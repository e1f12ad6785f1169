-- Investors (issue 17): a sale's estimated rent per month, in the listing's
-- currency (agent_mira's Property.estimated_rent). NULL is unknown: the
-- engine then has no rent for the listing (or its rent model's, when the
-- app is given one). NUMERIC keeps the amount as written; the CHECK mirrors
-- the engine's rule (a finite amount > 0): NUMERIC also holds 'NaN' and
-- 'Infinity', which sort above every number, so `< 'Infinity'` refuses both.
ALTER TABLE properties
    ADD COLUMN IF NOT EXISTS estimated_rent numeric
        CONSTRAINT properties_estimated_rent_check
        CHECK (estimated_rent > 0 AND estimated_rent < 'Infinity'::numeric);
