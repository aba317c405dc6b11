-- Whether the engine's freeze or cut is already the bank's decision in force, taken on the engine's word
-- (LimitRecommendation v4, keepDecisionInForce): the desk then says "keep the cut in force", not "cut by 20%" again.
-- Rows written before carry the engine's rule of then, as their records said: the same restriction, decided on one of
-- the engine's recommendations.
ALTER TABLE limit_recommendation ADD COLUMN keep_decision_in_force boolean NOT NULL DEFAULT false;
UPDATE limit_recommendation SET keep_decision_in_force = true
    WHERE action IN ('FREEZE_UNDRAWN', 'REDUCE_LIMIT') AND decision_in_force->>'action' = action
        AND decision_in_force->>'recommendationId' IS NOT NULL;
