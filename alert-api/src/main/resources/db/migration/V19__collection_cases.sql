-- Collections (催收, docs/api.md, Collections). The engine says when a borrower's arrears turned material and when
-- nothing is past due any more; the desk keeps the case that follows: its ladder of steps, each with a due date and
-- the outcome the officer recorded.
ALTER TABLE borrower_snapshot ADD COLUMN material_arrears_since date;

CREATE TABLE collection_case (
    case_id              text PRIMARY KEY,
    borrower_id          text NOT NULL,
    -- Why it opened: MATERIAL_ARREARS (the engine's materialArrearsSince) or NON_PERFORMING (classified so with
    -- arrears under the materiality floor, which CN allows); the ladder counts its days from arrears_since.
    opened_on            text NOT NULL,
    arrears_since        date NOT NULL,
    opened_at            timestamptz NOT NULL,   -- the asOf of the engine's snapshot that opened it
    opened_days_past_due int NOT NULL,
    opened_overdue_minor bigint NOT NULL,
    currency             text,
    non_performing_since timestamptz,            -- the asOf of the first snapshot classifying it non-performing
    status               text NOT NULL CHECK (status IN ('OPEN', 'CLOSED')),
    closed_at            timestamptz,            -- the asOf of the snapshot with nothing past due
    -- ARREARS_CLEARED: the engine reports nothing past due. Not a cure of a default: that is the engine's, after probation.
    close_reason         text CHECK (close_reason IN ('ARREARS_CLEARED')),
    CHECK ((status = 'OPEN') = (closed_at IS NULL))
);
-- A borrower has at most one open case: arrears that fall below materiality and rise again stay in it.
CREATE UNIQUE INDEX collection_case_one_open ON collection_case (borrower_id) WHERE status = 'OPEN';
CREATE INDEX collection_case_borrower ON collection_case (borrower_id, arrears_since DESC);

-- The case's ladder as configured when it opened (kestrel.collections.ladder); a later change of the ladder applies
-- to cases opened after it.
CREATE TABLE collection_step (
    case_id               text NOT NULL REFERENCES collection_case (case_id),
    position              int NOT NULL,
    kind                  text NOT NULL,
    day_of_arrears        int NOT NULL,
    due_date              date NOT NULL,
    status                text NOT NULL CHECK (status IN ('PENDING', 'DONE', 'WAIVED', 'CANCELLED')),
    outcome               text,
    done_on               date,
    notes                 text,
    reference             text,                  -- proof of delivery of a demand, or the court's filing reference
    promised_amount_minor bigint,
    promised_date         date,
    recorded_by           text,
    recorded_at           timestamptz,
    PRIMARY KEY (case_id, position)
);
CREATE INDEX collection_step_pending ON collection_step (due_date) WHERE status = 'PENDING';
