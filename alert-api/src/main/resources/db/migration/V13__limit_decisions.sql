-- Limit decisions (docs/api.md, Limit decisions): proposed by one person, approved or rejected by another, and once
-- approved signed and kept exactly as it goes on the limit-decisions topic, APPROVED until the topic has it, then
-- PUBLISHED. One version per decision: a decision is not edited, a new one is proposed.
CREATE TABLE limit_decision (
    decision_id      text NOT NULL,
    version          int NOT NULL DEFAULT 1,
    status           text NOT NULL,
    decision_json    jsonb NOT NULL,
    subject          text NOT NULL,
    proposed_by      text NOT NULL,
    proposed_at      timestamptz NOT NULL,
    published_by     text,
    published_at     timestamptz,
    signed_payload   bytea,
    signed_with      text,
    rejection_reason text,
    PRIMARY KEY (decision_id, version)
);
CREATE INDEX limit_decision_subject ON limit_decision (subject, proposed_at DESC);
CREATE INDEX limit_decision_approved ON limit_decision (published_at) WHERE status = 'APPROVED';
