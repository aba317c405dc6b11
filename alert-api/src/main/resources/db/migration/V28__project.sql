-- Project finance's master data as the project register sent it, for the project page: the project (one per project
-- company, as in the engine), each milestone's latest progress report, the latest base case of the financial model
-- and each facility's covenants. The engine's verdicts on them are in borrower_snapshot and indicator_history.
CREATE TABLE project (
    borrower_id  text PRIMARY KEY,
    project_id   text NOT NULL,
    name         text NOT NULL,
    sector       text NOT NULL,
    stage        text NOT NULL,
    event_time   timestamptz NOT NULL,
    record       jsonb NOT NULL
);
CREATE INDEX project_sector_stage ON project (sector, stage);
-- Not unique: the engine keeps one project per project company, and two companies naming one id is the register's error.
CREATE INDEX project_id ON project (project_id);

CREATE TABLE project_milestone (
    borrower_id   text NOT NULL,
    milestone_id  text NOT NULL,
    project_id    text NOT NULL,
    planned_date  date NOT NULL,
    event_time    timestamptz NOT NULL,
    record        jsonb NOT NULL,
    PRIMARY KEY (borrower_id, milestone_id)
);

CREATE TABLE project_forecast (
    borrower_id  text PRIMARY KEY,
    project_id   text NOT NULL,
    forecast_id  text NOT NULL,
    event_time   timestamptz NOT NULL,
    record       jsonb NOT NULL
);

CREATE TABLE project_covenants (
    borrower_id  text NOT NULL,
    facility_id  text NOT NULL,
    project_id   text NOT NULL,
    event_time   timestamptz NOT NULL,
    record       jsonb NOT NULL,
    PRIMARY KEY (borrower_id, facility_id)
);
