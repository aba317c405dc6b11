-- Who is responsible for each borrower on the desk (客户经理, the relationship manager) and in which team. Set by a
-- supervisor, every change audited; a borrower with no row has no owner yet.
CREATE TABLE borrower_owner (
    borrower_id     text PRIMARY KEY,
    officer         text NOT NULL REFERENCES desk_user (username),
    team            text,
    assigned_by     text NOT NULL,
    assigned_at     timestamptz NOT NULL
);

CREATE INDEX borrower_owner_officer ON borrower_owner (officer);
CREATE INDEX borrower_owner_team ON borrower_owner (team);
