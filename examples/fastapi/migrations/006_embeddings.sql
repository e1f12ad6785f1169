-- Vector similarity (issue 18): a listing's embedding, agent_mira's
-- Property.embedding, as float4 (`real[]`): the engine keeps f32 vectors,
-- so real[] stores them bit for bit. pgvector is not packaged for this
-- machine's PostgreSQL and is not needed: the engine does the search
-- (exact cosine, GET /api/properties/{id}/similar and `similar_to`).
-- NULL: the listing has no vector (it is left out of "homes like this").
-- The CHECK mirrors the engine's rules for one vector where SQL can say
-- them: a one-dimensional array of 1 to 4,096 finite numbers without NULLs.
-- (real's NaN equals NaN in PostgreSQL, so `= ANY` finds it.) One dimension
-- per catalog and "not all zero" are the engine's to judge: a row breaking
-- them makes the rebuild fail and the old engine keep serving.
ALTER TABLE properties
    ADD COLUMN IF NOT EXISTS embedding real[]
        CONSTRAINT properties_embedding_check
        CHECK (array_ndims(embedding) = 1
               AND cardinality(embedding) BETWEEN 1 AND 4096
               AND array_position(embedding, NULL) IS NULL
               AND NOT ('NaN'::real = ANY (embedding))
               AND NOT ('Infinity'::real = ANY (embedding))
               AND NOT ('-Infinity'::real = ANY (embedding)));
