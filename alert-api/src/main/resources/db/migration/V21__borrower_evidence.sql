-- The evidence behind the engine's verdicts on a borrower (docs/api.md, Evidence): its statements, bureau and court
-- records, repayment events and collateral valuations, kept as they came on the input topics (the contract's JSON
-- form) for the borrower page. The engine reads the same records; the desk shows them and derives nothing from them.
CREATE TABLE evidence_statement (
    statement_id text PRIMARY KEY,
    borrower_id  text NOT NULL,
    period_end   date NOT NULL,
    event_time   timestamptz NOT NULL,
    record       jsonb NOT NULL
);
CREATE INDEX evidence_statement_borrower ON evidence_statement (borrower_id, period_end DESC);

CREATE TABLE evidence_credit_event (
    event_id    text PRIMARY KEY,
    borrower_id text NOT NULL,
    event_time  timestamptz NOT NULL,
    record      jsonb NOT NULL
);
CREATE INDEX evidence_credit_event_borrower ON evidence_credit_event (borrower_id, event_time DESC);

CREATE TABLE evidence_repayment (
    event_id      text PRIMARY KEY,
    borrower_id   text NOT NULL,
    facility_id   text NOT NULL,
    instalment_id text NOT NULL,
    due_date      date NOT NULL,
    event_time    timestamptz NOT NULL,
    record        jsonb NOT NULL
);
CREATE INDEX evidence_repayment_borrower ON evidence_repayment (borrower_id, due_date DESC, facility_id, instalment_id, event_time);

CREATE TABLE evidence_collateral (
    valuation_id   text PRIMARY KEY,
    borrower_id    text NOT NULL,
    collateral_id  text NOT NULL,
    valuation_date date NOT NULL,
    event_time     timestamptz NOT NULL,
    record         jsonb NOT NULL
);
CREATE INDEX evidence_collateral_borrower ON evidence_collateral (borrower_id, collateral_id, valuation_date DESC);
