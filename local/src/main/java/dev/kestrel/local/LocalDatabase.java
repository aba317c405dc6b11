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
    final String url;
    final String user;
    final String description;
    private final EmbeddedPostgres embedded;

    private LocalDatabase(String url, String user, String description, EmbeddedPostgres embedded) {
        this.url = url;
        this.user = user;
        this.description = description;
        this.embedded = embedded;
    }

    static LocalDatabase open(Path home, String database) {
        String server = System.getenv().getOrDefault("KESTREL_LOCAL_PG_URL", "jdbc:postgresql://127.0.0.1:5432/");
        String user = System.getenv().getOrDefault("KESTREL_LOCAL_PG_USER", "postgres");
        try {
            createIfMissing(server, user, database);
            return new LocalDatabase(server + database, user, "the local PostgreSQL at " + server.replace("jdbc:postgresql://", "")
                    + database, null);
        } catch (SQLException unreachable) {
            return embedded(home, database, unreachable);
        }
    }

    private static void createIfMissing(String server, String user, String database) throws SQLException {
        DriverManager.setLoginTimeout(3);
        try (Connection connection = DriverManager.getConnection(server + "postgres", user, "");
             Statement statement = connection.createStatement()) {
            try (ResultSet exists = statement.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + database + "'")) {
                if (!exists.next()) {
                    statement.execute("CREATE DATABASE " + database);
                }
            }
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
            return new LocalDatabase(server + database, "postgres",
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
