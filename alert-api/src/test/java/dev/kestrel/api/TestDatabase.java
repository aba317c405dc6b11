package dev.kestrel.api;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * A fresh, empty PostgreSQL database on the real server (127.0.0.1:5432 with trust auth unless
 * KESTREL_TEST_PG_URL / KESTREL_TEST_PG_USER say otherwise), dropped again when the test JVM ends.
 * {@code ./kestrel test} starts or installs the server when it is missing.
 */
public final class TestDatabase {
    private static final String SERVER = System.getenv().getOrDefault("KESTREL_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/");
    static final String USER = System.getenv().getOrDefault("KESTREL_TEST_PG_USER", "postgres");

    private TestDatabase() {}

    /** Creates a database and returns its JDBC URL. */
    public static String create() {
        String name = "kestrel_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        execute("CREATE DATABASE " + name);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")));
        return SERVER + name;
    }

    private static void execute(String sql) {
        try (Connection connection = DriverManager.getConnection(SERVER + "postgres", USER, "");
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL at " + SERVER + " refused '" + sql + "': " + e.getMessage()
                    + " (./kestrel test starts it; see README)", e);
        }
    }
}
