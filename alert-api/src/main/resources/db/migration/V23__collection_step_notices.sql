-- When the owner of a collection case was told that a step comes due (docs/api.md, Collections): each step is told once.
ALTER TABLE collection_step ADD COLUMN due_notified_at timestamptz;
