-- A rule or scorecard version a checker approved is signed (docs/events.md, "Signed rules and scorecards") and kept
-- here exactly as it goes on the topic, so the outbox sends the bytes that were audited; status APPROVED until the
-- topic has taken it, then PUBLISHED. jsonb cannot hold the signature's bytes (it refuses \u0000), hence bytea.
ALTER TABLE rule_change ADD COLUMN signed_payload bytea, ADD COLUMN signed_with text;
ALTER TABLE scorecard_change ADD COLUMN signed_payload bytea, ADD COLUMN signed_with text;
CREATE INDEX rule_change_approved ON rule_change (published_at) WHERE status = 'APPROVED';
CREATE INDEX scorecard_change_approved ON scorecard_change (published_at) WHERE status = 'APPROVED';
