-- One row per sign-in: the token carries the session id (claim sid), and a session that has ended no longer
-- authenticates, whatever the token's expiry says. A session ends on logout, or for all of a user's sessions when the
-- user is disabled, their roles change or their password does. Rows older than a token's life are pruned.
CREATE TABLE desk_session (
    session_id  uuid PRIMARY KEY,
    username    text NOT NULL REFERENCES desk_user (username),
    started_at  timestamptz NOT NULL,
    ended_at    timestamptz,
    end_reason  text
);

CREATE INDEX desk_session_user ON desk_session (username) WHERE ended_at IS NULL;
CREATE INDEX desk_session_ended ON desk_session (ended_at) WHERE ended_at IS NOT NULL;
