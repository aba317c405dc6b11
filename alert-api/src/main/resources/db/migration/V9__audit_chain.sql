-- Each audit row carries a SHA-256 hash of its content chained to the row before it, so a rewrite, a removal or an
-- insertion anywhere breaks the chain from there on (GET /api/audit/verify, ./kestrel audit-verify). The chain is
-- built by a trigger, whoever inserts: chain_no counts rows 1, 2, 3... in the order they were chained, serialised by
-- an advisory lock held to the end of the inserting transaction; id keeps its meaning (the paging key).
--
-- What is hashed: prev_hash (none for the first) followed by the UTF-8 text
--   chain_no US epoch-microseconds(at) US actor US action US target_type US target_id US before::text US after::text
-- with US the unit separator (U+001F) and 'null' for a missing before or after. AuditChain recomputes it in Java.
ALTER TABLE audit_log
    ADD COLUMN chain_no  bigint,
    ADD COLUMN prev_hash bytea,
    ADD COLUMN hash      bytea;

CREATE FUNCTION audit_row_hash(prev bytea, chain_no bigint, at timestamptz, actor text, action text, target_type text,
                               target_id text, before jsonb, after jsonb) RETURNS bytea
LANGUAGE sql IMMUTABLE AS $$
    SELECT sha256(coalesce(prev, ''::bytea) || convert_to(
        chain_no::text || chr(31) || (extract(epoch FROM at) * 1000000)::bigint::text || chr(31) || actor || chr(31)
        || action || chr(31) || target_type || chr(31) || target_id || chr(31) || coalesce(before::text, 'null')
        || chr(31) || coalesce(after::text, 'null'), 'UTF8'))
$$;

-- The rows written before the chain, sealed in id order.
ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only;
DO $$
DECLARE
    row record;
    previous bytea := NULL;
    n bigint := 0;
BEGIN
    FOR row IN SELECT * FROM audit_log ORDER BY id LOOP
        n := n + 1;
        UPDATE audit_log SET chain_no = n, prev_hash = previous,
            hash = audit_row_hash(previous, n, row.at, row.actor, row.action, row.target_type, row.target_id, row.before, row.after)
        WHERE id = row.id
        RETURNING hash INTO previous;
    END LOOP;
END;
$$;
ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only;

ALTER TABLE audit_log ALTER COLUMN chain_no SET NOT NULL, ALTER COLUMN hash SET NOT NULL;
CREATE UNIQUE INDEX audit_log_chain_no ON audit_log (chain_no);

CREATE FUNCTION audit_log_chain() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    last record;
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('audit_log_chain'));
    SELECT chain_no, hash INTO last FROM audit_log ORDER BY chain_no DESC LIMIT 1;
    NEW.chain_no := coalesce(last.chain_no, 0) + 1;
    NEW.prev_hash := last.hash;
    NEW.hash := audit_row_hash(NEW.prev_hash, NEW.chain_no, NEW.at, NEW.actor, NEW.action, NEW.target_type,
                               NEW.target_id, NEW.before, NEW.after);
    RETURN NEW;
END;
$$;
CREATE TRIGGER audit_log_chain
    BEFORE INSERT ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_chain();
