-- Scorecard versions proposed and published through the API (maker and checker), and those seen on the scorecards
-- topic however they got there. The shipped scorecard is not stored: the API reads it from its classpath.
CREATE TABLE scorecard_change (
    scorecard_id    text NOT NULL,
    version         int NOT NULL,
    status          text NOT NULL,
    scorecard_json  jsonb NOT NULL,
    proposed_by     text NOT NULL,
    proposed_at     timestamptz NOT NULL,
    published_by    text,
    published_at    timestamptz,
    PRIMARY KEY (scorecard_id, version)
);
