-- The engine's scores (kestrel.borrower-scores): every change of a borrower's score, watch-list grade or segment, as
-- the engine wrote it, and the latest per borrower, which is the watch list the desk works from. The engine decides;
-- these tables only keep what it decided (docs/scorecard.md).
CREATE TABLE borrower_score (
    borrower_id        text NOT NULL,
    event_time         timestamptz NOT NULL,
    scorecard_id       text NOT NULL,
    scorecard_version  int NOT NULL,
    score              int NOT NULL,
    pd_basis_points    int NOT NULL,
    grade              text NOT NULL,
    segment            text NOT NULL,
    grade_since        timestamptz NOT NULL,
    suggested_rating   text,
    factors            jsonb NOT NULL,
    detected_at        timestamptz NOT NULL,
    -- A record read twice (the feed rereads after a crash) is one change, not two.
    PRIMARY KEY (borrower_id, event_time, scorecard_id, scorecard_version, score, grade, segment)
);

CREATE TABLE watch_list (
    borrower_id        text PRIMARY KEY,
    group_id           text,
    scorecard_id       text NOT NULL,
    scorecard_version  int NOT NULL,
    score              int NOT NULL,
    previous_score     int,
    pd_basis_points    int NOT NULL,
    grade              text NOT NULL,
    grade_rank         smallint NOT NULL,
    grade_since        timestamptz NOT NULL,
    segment            text NOT NULL,
    internal_rating    text,
    suggested_rating   text,
    top_factors        jsonb NOT NULL,
    event_time         timestamptz NOT NULL
);
-- The desk's order: riskiest first.
CREATE INDEX watch_list_rank ON watch_list (score DESC, borrower_id);
CREATE INDEX watch_list_grade ON watch_list (grade_rank, score DESC);
