-- Periodic reviews and visits (docs/api.md, Reviews): recorded by the borrower's officer, signed and kept exactly as
-- they go on the reviews topic, APPROVED until the topic has them, then PUBLISHED. A review is never edited: a
-- correction is a new review. The engine keeps the schedule; the snapshot's two dates below are its verdict.
CREATE TABLE borrower_review (
    review_id        text NOT NULL,
    version          int NOT NULL DEFAULT 1,
    status           text NOT NULL,
    review_json      jsonb NOT NULL,
    borrower_id      text NOT NULL,
    review_date      date NOT NULL,
    proposed_by      text NOT NULL,
    proposed_at      timestamptz NOT NULL,
    published_by     text,
    published_at     timestamptz,
    signed_payload   bytea,
    signed_with      text,
    PRIMARY KEY (review_id, version)
);
CREATE INDEX borrower_review_borrower ON borrower_review (borrower_id, review_date DESC, proposed_at DESC);
CREATE INDEX borrower_review_approved ON borrower_review (published_at) WHERE status = 'APPROVED';

ALTER TABLE borrower_snapshot ADD COLUMN last_review_date date, ADD COLUMN review_due_date date;
CREATE INDEX borrower_snapshot_review_due ON borrower_snapshot (review_due_date) WHERE review_due_date IS NOT NULL;

-- Which due date of a borrower its owner was told of ahead of time (ReviewDueWatch): told once per due date.
ALTER TABLE borrower_snapshot ADD COLUMN review_due_notified_for date;
