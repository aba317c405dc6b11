-- The monitoring desk's store. The engine's topics are the source of truth for alerts and snapshots;
-- this database adds what only the desk knows: workflow, comments, users and the audit trail.

-- Borrower master data from the master-data topic (profiles carry personal data; the API masks it by role).
CREATE TABLE borrower (
    borrower_id                     text PRIMARY KEY,
    name                            text NOT NULL,
    unified_social_credit_code      text,
    legal_representative_name       text,
    legal_representative_id_number  text,
    legal_representative_phone      text,
    industry                        text NOT NULL,
    region                          text NOT NULL,
    group_id                        text,
    internal_rating                 text NOT NULL,
    customer_segment                text NOT NULL,
    facilities                      jsonb NOT NULL,
    profile_time                    timestamptz NOT NULL
);
CREATE INDEX borrower_group ON borrower (group_id);
CREATE INDEX borrower_name_search ON borrower (lower(name) text_pattern_ops);

-- The engine's latest risk snapshot per borrower (the snapshot topic is compacted by borrower).
CREATE TABLE borrower_snapshot (
    borrower_id      text PRIMARY KEY,
    group_id         text,
    as_of            timestamptz NOT NULL,
    internal_rating  text,
    rating_tier      text NOT NULL,
    segment          text NOT NULL,
    ifrs9_stage      int NOT NULL,
    loan_category    text NOT NULL,
    sma_class        text NOT NULL,
    in_default       boolean NOT NULL,
    days_past_due    int NOT NULL,
    drawn_minor      bigint NOT NULL,
    limit_minor      bigint NOT NULL,
    currency         text,
    facilities       jsonb NOT NULL,
    indicators       jsonb NOT NULL,
    open_alerts      jsonb NOT NULL
);
CREATE INDEX borrower_snapshot_group ON borrower_snapshot (group_id);

-- Every snapshot's indicators, for the charts of the customer 360 view.
CREATE TABLE indicator_history (
    borrower_id    text NOT NULL,
    as_of          timestamptz NOT NULL,
    days_past_due  int NOT NULL,
    drawn_minor    bigint NOT NULL,
    limit_minor    bigint NOT NULL,
    indicators     jsonb NOT NULL,
    PRIMARY KEY (borrower_id, as_of)
);

CREATE TABLE group_limit (
    group_id        text PRIMARY KEY,
    group_name      text NOT NULL,
    limit_minor     bigint NOT NULL,
    currency        text NOT NULL,
    effective_date  date NOT NULL,
    event_time      timestamptz NOT NULL
);

CREATE TABLE alert (
    alert_id            text PRIMARY KEY,
    -- Monotonic insertion order: the tie-breaker that keeps cursor pages stable under inserts.
    seq                 bigserial UNIQUE,
    scope               text NOT NULL,
    borrower_id         text,
    group_id            text,
    rule_id             text NOT NULL,
    rule_version        int NOT NULL,
    category            text NOT NULL,
    severity            text NOT NULL,
    severity_rank       smallint NOT NULL,
    title               text NOT NULL,
    explanation         jsonb NOT NULL,
    -- The engine's view of the episode: OPENED, ESCALATED or CLOSED (condition no longer holds).
    lifecycle           text NOT NULL,
    episode_started_at  timestamptz NOT NULL,
    event_time          timestamptz NOT NULL,
    detected_at         timestamptz NOT NULL,
    -- The desk's workflow.
    status              text NOT NULL,
    assignee            text,
    disposition         text,
    resolution_note     text,
    sla_due_at          timestamptz NOT NULL,
    received_at         timestamptz NOT NULL,
    updated_at          timestamptz NOT NULL,
    -- Optimistic concurrency: every change bumps it; clients send it back in If-Match.
    version             int NOT NULL DEFAULT 1
);
CREATE INDEX alert_detected ON alert (detected_at DESC, seq DESC);
CREATE INDEX alert_status ON alert (status, severity_rank);
CREATE INDEX alert_borrower ON alert (borrower_id, detected_at DESC);
CREATE INDEX alert_group ON alert (group_id, detected_at DESC);
CREATE INDEX alert_rule ON alert (rule_id);
CREATE INDEX alert_assignee ON alert (assignee);

-- Every change of an alert, by the engine or by a person, in order.
CREATE TABLE alert_history (
    id           bigserial PRIMARY KEY,
    alert_id     text NOT NULL REFERENCES alert (alert_id),
    at           timestamptz NOT NULL,
    actor        text NOT NULL,
    action       text NOT NULL,
    from_status  text,
    to_status    text,
    note         text,
    detail       jsonb
);
CREATE INDEX alert_history_alert ON alert_history (alert_id, id);

CREATE TABLE alert_comment (
    id         bigserial PRIMARY KEY,
    alert_id   text NOT NULL REFERENCES alert (alert_id),
    at         timestamptz NOT NULL,
    author     text NOT NULL,
    body       text NOT NULL
);
CREATE INDEX alert_comment_alert ON alert_comment (alert_id, id);

CREATE TABLE desk_user (
    username       text PRIMARY KEY,
    display_name   text NOT NULL,
    password_hash  text NOT NULL,
    roles          text[] NOT NULL,
    enabled        boolean NOT NULL DEFAULT true,
    created_at     timestamptz NOT NULL,
    updated_at     timestamptz NOT NULL
);

-- Rule changes proposed and published through the API. The job's shipped pack is not here: it lives in the job.
CREATE TABLE rule_change (
    rule_id       text NOT NULL,
    version       int NOT NULL,
    status        text NOT NULL,
    rule_json     jsonb NOT NULL,
    proposed_by   text NOT NULL,
    proposed_at   timestamptz NOT NULL,
    published_by  text,
    published_at  timestamptz,
    PRIMARY KEY (rule_id, version)
);

-- Append-only: who did what, when, with the values before and after.
CREATE TABLE audit_log (
    id           bigserial PRIMARY KEY,
    at           timestamptz NOT NULL,
    actor        text NOT NULL,
    action       text NOT NULL,
    target_type  text NOT NULL,
    target_id    text NOT NULL,
    before       jsonb,
    after        jsonb
);
CREATE INDEX audit_log_target ON audit_log (target_type, target_id, id);

CREATE FUNCTION audit_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP;
END;
$$;
CREATE TRIGGER audit_log_append_only
    BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_is_append_only();
CREATE TRIGGER audit_log_no_truncate
    BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_is_append_only();
