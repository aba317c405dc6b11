-- What the job reports it did with each rule and scorecard version (RuleVersionStatus on kestrel.rule-versions), and
-- the version of each it runs. The rules and scorecard pages show the version running from these, not from what the
-- API published.
CREATE TABLE version_in_force (
    kind          text NOT NULL,
    id            text NOT NULL,
    version       integer NOT NULL,
    status        text NOT NULL,
    source        text NOT NULL,
    in_force_from timestamptz,
    reason        text,
    reported_at   timestamptz NOT NULL,
    PRIMARY KEY (kind, id, version)
);

-- The job's latest word on what runs, per rule or scorecard: a restart that holds less than before says so. No
-- version: the job runs none of it (a rule only ever published, whose versions its release cannot use).
CREATE TABLE version_running (
    kind          text NOT NULL,
    id            text NOT NULL,
    version       integer,
    source        text,
    in_force_from timestamptz,
    reported_at   timestamptz NOT NULL,
    PRIMARY KEY (kind, id),
    CHECK ((version IS NULL) = (source IS NULL))
);
