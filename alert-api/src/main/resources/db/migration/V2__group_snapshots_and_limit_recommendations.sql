-- The engine's view of each corporate group (topic kestrel.group-snapshots): exposure against the shared limit in
-- the limit's currency, its members' condition. A newer as_of replaces an older one.
CREATE TABLE group_snapshot (
    group_id                text PRIMARY KEY,
    group_name              text,
    as_of                   timestamptz NOT NULL,
    currency                text,
    limit_minor             bigint,
    drawn_minor             bigint NOT NULL,
    utilisation_bp          bigint,
    distressed_members      integer NOT NULL,
    non_performing_members  integer NOT NULL,
    worst_loan_category     text NOT NULL,
    members                 jsonb NOT NULL
);

-- The engine's latest limit recommendation per borrower or group (topic kestrel.limit-recommendations), keyed as the
-- topic is: BORROWER:<id> or GROUP:<id>. A newer one replaces the previous; WITHDRAWN means none stands.
CREATE TABLE limit_recommendation (
    subject             text PRIMARY KEY,
    recommendation_id   text NOT NULL,
    scope               text NOT NULL,
    borrower_id         text,
    group_id            text,
    action              text NOT NULL,
    reduction_bp        integer,
    severity            text NOT NULL,
    reason              text NOT NULL,
    alerts              jsonb NOT NULL,
    event_time          timestamptz NOT NULL,
    detected_at         timestamptz NOT NULL
);
