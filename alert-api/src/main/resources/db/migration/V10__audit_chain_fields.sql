-- The chained hash of V9 made unambiguous, and tied to the row's id. V9 joined the fields with a separator a caller
-- could type (a username tried at sign-in is audited as it was sent), so text could move from one field to the next
-- without changing the hash, and the id was not hashed, so a row slipped into a gap of ids read as in place. Each
-- field is now prefixed by its length in UTF-8 bytes, the id is hashed, and every row is sealed again.
--
-- What is hashed: prev_hash (none for the first) followed by the UTF-8 text of, for each of id, chain_no,
-- epoch-microseconds(at), actor, action, target_type, target_id, before::text and after::text ('null' when missing),
-- its length in bytes, a colon and the field. AuditChain recomputes it in Java and checks that ids rise along the chain.
CREATE FUNCTION audit_field(value text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT octet_length(value)::text || ':' || value
$$;

DROP FUNCTION audit_row_hash(bytea, bigint, timestamptz, text, text, text, text, jsonb, jsonb) CASCADE;

CREATE FUNCTION audit_row_hash(prev bytea, id bigint, chain_no bigint, at timestamptz, actor text, action text,
                               target_type text, target_id text, before jsonb, after jsonb) RETURNS bytea
LANGUAGE sql IMMUTABLE AS $$
    SELECT sha256(coalesce(prev, ''::bytea) || convert_to(
        audit_field(id::text) || audit_field(chain_no::text)
        || audit_field(((extract(epoch FROM at) * 1000000)::bigint)::text) || audit_field(actor) || audit_field(action)
        || audit_field(target_type) || audit_field(target_id) || audit_field(coalesce(before::text, 'null'))
        || audit_field(coalesce(after::text, 'null')), 'UTF8'))
$$;

CREATE OR REPLACE FUNCTION audit_log_chain() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    last record;
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('audit_log_chain'));
    SELECT chain_no, hash INTO last FROM audit_log ORDER BY chain_no DESC LIMIT 1;
    NEW.chain_no := coalesce(last.chain_no, 0) + 1;
    NEW.prev_hash := last.hash;
    NEW.hash := audit_row_hash(NEW.prev_hash, NEW.id, NEW.chain_no, NEW.at, NEW.actor, NEW.action, NEW.target_type,
                               NEW.target_id, NEW.before, NEW.after);
    RETURN NEW;
END;
$$;

ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only;
DO $$
DECLARE
    row record;
    previous bytea := NULL;
BEGIN
    FOR row IN SELECT * FROM audit_log ORDER BY chain_no LOOP
        UPDATE audit_log SET prev_hash = previous,
            hash = audit_row_hash(previous, row.id, row.chain_no, row.at, row.actor, row.action, row.target_type,
                                  row.target_id, row.before, row.after)
        WHERE id = row.id
        RETURNING hash INTO previous;
    END LOOP;
END;
$$;
ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only;
