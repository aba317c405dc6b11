-- A borrower snapshot keeps each indicator's unit and observation time beside its value, as the engine sent them
-- (they were dropped before). Rows written before keep their values, with no unit, until the engine's next snapshot
-- of the borrower replaces them.
UPDATE borrower_snapshot SET indicators = (
    SELECT COALESCE(jsonb_object_agg(key, jsonb_build_object('value', value, 'unit', NULL, 'observedAt', NULL)), '{}'::jsonb)
    FROM jsonb_each(indicators))
WHERE jsonb_typeof(indicators) = 'object';
