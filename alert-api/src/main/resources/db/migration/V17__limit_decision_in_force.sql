-- The engine reads the desk's limit decisions back: each recommendation carries the decision in force on its limit
-- (LimitRecommendation v2, decisionInForce), kept here as the engine wrote it. Rows from before have none.
ALTER TABLE limit_recommendation ADD COLUMN decision_in_force jsonb;
