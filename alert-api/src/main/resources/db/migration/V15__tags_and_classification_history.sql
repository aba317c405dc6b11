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

-- Each snapshot's classification, for the migration matrix between two dates. Of the snapshots stored before this,
-- each borrower's latest gets it back from borrower_snapshot (the engine's own word); older ones have none.
ALTER TABLE indicator_history ADD COLUMN loan_category text;
UPDATE indicator_history h SET loan_category = s.loan_category
FROM borrower_snapshot s WHERE h.borrower_id = s.borrower_id AND h.as_of = s.as_of;
-- The matrix reads each borrower's latest classified snapshot before a date: one probe of this index.
CREATE INDEX indicator_history_classified ON indicator_history (borrower_id, as_of) WHERE loan_category IS NOT NULL;
-- The borrower list's order, so that a page is an index range, not a sort of the book.
CREATE INDEX borrower_list_order ON borrower (lower(name), borrower_id);
