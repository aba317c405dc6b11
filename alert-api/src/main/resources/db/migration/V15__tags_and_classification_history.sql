-- Tags (标签) on borrowers: set by desk users, or by a routing rule when a new alert matches it. One row per borrower
-- and tag: set again, it keeps who set it first.
CREATE TABLE borrower_tag (
    borrower_id  text NOT NULL,
    tag          text NOT NULL,
    set_by       text NOT NULL,
    set_at       timestamptz NOT NULL,
    PRIMARY KEY (borrower_id, tag)
);
CREATE INDEX borrower_tag_tag ON borrower_tag (tag);

-- A routing rule may tag the borrower of an alert it matches; such a rule need not assign.
ALTER TABLE routing_rule ADD COLUMN tag text;
ALTER TABLE routing_rule ALTER COLUMN assign_to DROP NOT NULL;
ALTER TABLE routing_rule ADD CONSTRAINT routing_rule_does_something CHECK (assign_to IS NOT NULL OR tag IS NOT NULL);

-- Each snapshot's classification, for the migration matrix between two dates. Snapshots stored before this have none.
ALTER TABLE indicator_history ADD COLUMN loan_category text;
