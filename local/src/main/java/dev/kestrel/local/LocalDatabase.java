package dev.kestrel.local;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The alert store of the local run: the machine's PostgreSQL when one answers on 127.0.0.1:5432, otherwise an
 * embedded PostgreSQL that needs no install, with its data under the run's folder so a second run finds it.
 */
final class LocalDatabase implements AutoCloseable {
    /** Owns the tables and runs the migrations. */
    static final String OWNER = "kestrel_owner";
    /** The API's role, which owns nothing (docs/operations.md, "Database roles"). */
    static final String API = "kestrel_api";
    final String url;
    /** The owner, for loading data directly (the API benchmark). */
    final String user;
    final String description;
    private final EmbeddedPostgres embedded;

    private LocalDatabase(String url, String description, EmbeddedPostgres embedded) {
        this.url = url;
        this.user = OWNER;
        this.description = description;
        this.embedded = embedded;
    }

    static LocalDatabase open(Path home, String database) {
        String server = System.getenv().getOrDefault("KESTREL_LOCAL_PG_URL", "jdbc:postgresql://127.0.0.1:5432/");
        String user = System.getenv().getOrDefault("KESTREL_LOCAL_PG_USER", "postgres");
        try {
            createIfMissing(server, user, database);
            return new LocalDatabase(server + database, "the local PostgreSQL at " + server.replace("jdbc:postgresql://", "")
                    + database, null);
        } catch (SQLException unreachable) {
            return embedded(home, database, unreachable);
        }
    }

    /**
     * Creates the two roles and the database, owned by {@link #OWNER}. A store an earlier version made as the
     * administrator is handed to the owner, so the API's role can be one that owns nothing.
     */
    private static void createIfMissing(String server, String user, String database) throws SQLException {
        DriverManager.setLoginTimeout(3);
        try (Connection connection = DriverManager.getConnection(server + "postgres", user, "");
             Statement statement = connection.createStatement()) {
            for (String role : new String[] {OWNER, API}) {
                statement.execute("DO $$ BEGIN CREATE ROLE " + role + " LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$");
            }
            try (ResultSet exists = statement.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + database + "'")) {
                if (!exists.next()) {
                    statement.execute("CREATE DATABASE " + database + " OWNER " + OWNER);
                    return;
                }
            }
            statement.execute("ALTER DATABASE " + database + " OWNER TO " + OWNER);
        }
        try (Connection connection = DriverManager.getConnection(server + database, user, "");
             Statement statement = connection.createStatement()) {
            statement.execute("""
                    DO $$
                    DECLARE object record;
                    BEGIN
                        FOR object IN SELECT c.oid::regclass AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                                WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm') AND c.relowner <> '%1$s'::regrole LOOP
                            EXECUTE format('ALTER TABLE %%s OWNER TO %1$s', object.name);
                        END LOOP;
                        FOR object IN SELECT p.oid::regprocedure AS name FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                                WHERE n.nspname = 'public' AND p.proowner <> '%1$s'::regrole LOOP
                            EXECUTE format('ALTER FUNCTION %%s OWNER TO %1$s', object.name);
                        END LOOP;
                    END $$""".formatted(OWNER));
        }
    }

    private static LocalDatabase embedded(Path home, String database, SQLException whyNotLocal) {
        if ("root".equals(System.getProperty("user.name"))) {
            throw new IllegalStateException("No PostgreSQL answers on 127.0.0.1:5432 (" + whyNotLocal.getMessage() + "), and "
                    + "the embedded one cannot run as root (PostgreSQL refuses to). Install and start PostgreSQL "
                    + "(Debian: apt-get install postgresql, then trust local connections), or run as a normal user.");
        }
        try {
            Path data = home.resolve("postgres");
            Files.createDirectories(data);
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(data)
                    .setCleanDataDirectory(false)
                    .setPort(54329)
                    .start();
            String server = "jdbc:postgresql://localhost:" + postgres.getPort() + "/";
            createIfMissing(server, "postgres", database);
            return new LocalDatabase(server + database,
                    "an embedded PostgreSQL (no install needed) with its data in " + data, postgres);
        } catch (IOException | SQLException e) {
            throw new IllegalStateException("the embedded PostgreSQL did not start: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() throws IOException {
        if (embedded != null) {
            embedded.close();
        }
    }
}
