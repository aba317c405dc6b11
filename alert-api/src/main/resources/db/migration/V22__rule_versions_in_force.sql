-- What the job reports it did with each rule and scorecard version (RuleVersionStatus on kestrel.rule-versions): in
-- force from a time, or refused and why. The rules and scorecard pages show the version in force from these, not from
-- what the API published.
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
