-- Run once, when the database is first created: the alert API's role. It owns nothing; the migrations (run as kestrel,
-- which owns the tables) grant it what it may do (db/migration/afterMigrate.sql).
CREATE ROLE kestrel_api LOGIN PASSWORD 'kestrel-api-local';
