-- Where the desk reaches a user by e-mail; null when they have none (they then get no e-mail).
ALTER TABLE desk_user ADD COLUMN email text;

-- What an analyst may act on beyond the borrowers they own: a supervisor's grant, audited, optionally until a time.
-- scope: BORROWER (one borrower), GROUP (the group's alerts and its members'), OFFICER (every borrower that officer
-- owns, e.g. covering a colleague on leave), TEAM (every borrower owned in that team), ALL (the whole book).
CREATE TABLE portfolio_grant (
    grant_id     bigserial PRIMARY KEY,
    grantee      text NOT NULL REFERENCES desk_user (username),
    scope        text NOT NULL CHECK (scope IN ('BORROWER', 'GROUP', 'OFFICER', 'TEAM', 'ALL')),
    scope_value  text,
    reason       text NOT NULL,
    granted_by   text NOT NULL,
    granted_at   timestamptz NOT NULL,
    expires_at   timestamptz,
    revoked_by   text,
    revoked_at   timestamptz,
    CHECK ((scope = 'ALL') = (scope_value IS NULL))
);
CREATE INDEX portfolio_grant_grantee ON portfolio_grant (grantee) WHERE revoked_at IS NULL;

-- Routing rules: which desk user a new alert goes to. The first enabled rule (by position, then id) that matches the
-- alert and names an enabled analyst or supervisor assigns it; an alert no rule matches stays NEW and unassigned.
CREATE TABLE routing_rule (
    rule_id       text PRIMARY KEY,
    position      int NOT NULL,
    description   text NOT NULL,
    enabled       boolean NOT NULL,
    min_severity  text,
    categories    text[] NOT NULL,
    segments      text[] NOT NULL,
    teams         text[] NOT NULL,
    officers      text[] NOT NULL,
    assign_to     text NOT NULL,
    updated_by    text NOT NULL,
    updated_at    timestamptz NOT NULL
);

-- The SLA deadline whose breach was last notified, so each breach is notified once (a new deadline, once more).
-- Deadlines already missed when this migration runs count as notified: the desk knew of them before notifications.
ALTER TABLE alert ADD COLUMN sla_breach_notified_for timestamptz;
UPDATE alert SET sla_breach_notified_for = sla_due_at WHERE sla_due_at <= now();
CREATE INDEX alert_sla_unresolved ON alert (sla_due_at) WHERE status <> 'RESOLVED';

-- Notifications to send, sent, or given up: an outbox, so a notification is written with what caused it and sent
-- after the commit, at least once, whichever API replica picks it up. The key makes a cause notify once per
-- recipient and channel.
CREATE TABLE notification (
    notification_id  bigserial PRIMARY KEY,
    dedup_key        text NOT NULL UNIQUE,
    kind             text NOT NULL,
    channel          text NOT NULL,
    recipient        text,
    address          text,
    alert_id         text,
    subject          text NOT NULL,
    body             text NOT NULL,
    payload          jsonb NOT NULL,
    status           text NOT NULL CHECK (status IN ('PENDING', 'SENT', 'FAILED', 'SKIPPED')),
    attempts         int NOT NULL DEFAULT 0,
    last_error       text,
    created_at       timestamptz NOT NULL,
    next_attempt_at  timestamptz,
    sent_at          timestamptz
);
CREATE INDEX notification_due ON notification (next_attempt_at) WHERE status = 'PENDING';
CREATE INDEX notification_alert ON notification (alert_id);
