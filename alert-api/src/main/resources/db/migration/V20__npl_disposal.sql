-- NPL disposal (不良资产处置, docs/api.md, Disposal): on a collection case the engine has classified non-performing,
-- the desk decides how to dispose of the claim (four eyes) and records the progress and what it recovered.
CREATE TABLE disposal_decision (
    decision_id             text PRIMARY KEY,
    case_id                 text NOT NULL REFERENCES collection_case (case_id),
    option                  text NOT NULL CHECK (option IN ('RESTRUCTURE', 'TRANSFER', 'LITIGATION', 'WRITE_OFF')),
    rationale               text NOT NULL,
    expected_recovery_minor bigint NOT NULL CHECK (expected_recovery_minor >= 0),
    -- The figures the proposer and the approver saw: the engine's snapshot and the case's own, as of the proposal.
    figures                 jsonb NOT NULL,
    status                  text NOT NULL CHECK (status IN ('PROPOSED', 'APPROVED', 'REJECTED')),
    proposed_by             text NOT NULL,
    proposed_at             timestamptz NOT NULL,
    decided_by              text,
    decided_at              timestamptz,
    decision_note           text,
    CHECK ((status = 'PROPOSED') = (decided_by IS NULL)),
    CHECK (decided_by IS NULL OR decided_by <> proposed_by)
);
-- One proposal at a time waits for its second person.
CREATE UNIQUE INDEX disposal_decision_one_proposed ON disposal_decision (case_id) WHERE status = 'PROPOSED';
CREATE INDEX disposal_decision_case ON disposal_decision (case_id, proposed_at);

CREATE TABLE disposal_progress (
    progress_id     bigserial PRIMARY KEY,
    case_id         text NOT NULL REFERENCES collection_case (case_id),
    decision_id     text NOT NULL REFERENCES disposal_decision (decision_id),
    on_date         date NOT NULL,
    note            text NOT NULL,
    recovered_minor bigint CHECK (recovered_minor IS NULL OR recovered_minor >= 0),
    recorded_by     text NOT NULL,
    recorded_at     timestamptz NOT NULL
);
CREATE INDEX disposal_progress_case ON disposal_progress (case_id, on_date, progress_id);
-- The same day, note and amount recorded twice is a retry or a double click: a recovery is counted once.
CREATE UNIQUE INDEX disposal_progress_once ON disposal_progress (decision_id, on_date, md5(note), coalesce(recovered_minor, -1));
