-- Whether the engine suggests restoring a limit (LimitRecommendation v3, restoreSuggested): the engine decides, and the
-- desk shows a withdrawal only while it does. Rows written before carry the engine's rule of then, as its records said:
-- a withdrawal under a freeze or cut that answered one of its recommendations.
ALTER TABLE limit_recommendation ADD COLUMN restore_suggested boolean NOT NULL DEFAULT false;
UPDATE limit_recommendation SET restore_suggested = true
    WHERE action = 'WITHDRAWN' AND decision_in_force->>'action' IN ('FREEZE_UNDRAWN', 'REDUCE_LIMIT')
        AND decision_in_force->>'recommendationId' IS NOT NULL;
