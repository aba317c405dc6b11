-- After every migration, as the tables' owner: the API's role (${api_role}) may read and write the store but owns
-- nothing, so it cannot alter a table or switch the audit log's triggers off; on the audit log it may only SELECT and
-- INSERT; it may read, not write, Flyway's history. Idempotent, and it covers tables a later migration adds.
GRANT USAGE ON SCHEMA ${flyway:defaultSchema} TO ${api_role};
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${flyway:defaultSchema} TO ${api_role};
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA ${flyway:defaultSchema} TO ${api_role};
REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON audit_log FROM ${api_role};
REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON ${flyway:table} FROM ${api_role};
