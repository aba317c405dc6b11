-- The engine's word on each instalment (InstalmentStatus on kestrel.instalments): due, past due, settled or superseded,
-- with the day it was settled and the days late. The ledger shows it beside the repayment events as they came; only the
-- engine knows which instalment a payment naming none settled. One row per instalment, the latest word.
CREATE TABLE evidence_instalment (
    borrower_id   text NOT NULL,
    facility_id   text NOT NULL,
    instalment_id text NOT NULL,
    due_date      date NOT NULL,
    status        text NOT NULL,
    as_of         date NOT NULL,
    record        jsonb NOT NULL,
    PRIMARY KEY (borrower_id, facility_id, instalment_id)
);
CREATE INDEX evidence_instalment_borrower ON evidence_instalment (borrower_id, due_date DESC);
