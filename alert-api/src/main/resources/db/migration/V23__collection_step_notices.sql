-- When the owner of a collection case was told that a step comes due (docs/api.md, Collections): each step is told once.
ALTER TABLE collection_step ADD COLUMN due_notified_at timestamptz;
-- Steps already past due when notices begin are on the desk's worklist as late; telling them all at once, months late
-- for some, would bury the notices that matter. Steps due from today on are told as usual.
UPDATE collection_step SET due_notified_at = now() WHERE status = 'PENDING' AND due_date < current_date;
