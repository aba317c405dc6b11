-- The review watch's own record of the due date it told each borrower's owner of: it wrote it into the engine's
-- snapshot row before, a table BorrowerStore owns. Only a table's owner writes it (docs/api.md).
CREATE TABLE review_due_notice (
    borrower_id  text PRIMARY KEY,
    notified_for date NOT NULL
);
INSERT INTO review_due_notice (borrower_id, notified_for)
    SELECT borrower_id, review_due_notified_for FROM borrower_snapshot WHERE review_due_notified_for IS NOT NULL;
ALTER TABLE borrower_snapshot DROP COLUMN review_due_notified_for;
