package dev.kestrel.api;

import dev.kestrel.api.store.StoreMigration;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * A fresh, empty PostgreSQL database on the real server (127.0.0.1:5432 with trust auth unless
 * KESTREL_TEST_PG_URL / KESTREL_TEST_PG_USER say otherwise), dropped again when the test JVM ends. It is owned by
 * {@link #OWNER}, which runs the migrations; the API connects as {@link #API}, which owns nothing, as in production.
 * {@code ./kestrel test} starts or installs the server when it is missing.
 */
public final class TestDatabase {
    private static final String SERVER = System.getenv().getOrDefault("KESTREL_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/");
    /** The server's administrator: creates the roles and databases. */
    static final String USER = System.getenv().getOrDefault("KESTREL_TEST_PG_USER", "postgres");
    /** Owns the tables and runs the migrations. */
    public static final String OWNER = "kestrel_test_owner";
    /** The API's role. */
    public static final String API = "kestrel_test_api";

    private TestDatabase() {}

    private static String migratedTemplate;

    /** Creates an empty database owned by {@link #OWNER} and returns its JDBC URL. */
    public static String create() {
        return create(null);
    }

    /**
     * Creates a database with the store's schema already migrated, as the API leaves it at its first start, and
     * returns its JDBC URL: a copy of one template migrated once per test JVM, which saves each test class its half
     * second of migrations. The API still runs Flyway at start, and finds nothing to apply.
     */
    public static synchronized String createMigrated() {
        if (migratedTemplate == null) {
            String url = create(null);
            StoreMigration.migrate(url, OWNER, "", API);
            migratedTemplate = url.substring(SERVER.length());
        }
        return create(migratedTemplate);
    }

    private static String create(String template) {
        String name = "kestrel_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        ensureRole(OWNER);
        ensureRole(API);
        execute("CREATE DATABASE " + name + " OWNER " + OWNER + (template == null ? "" : " TEMPLATE " + template));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")));
        return SERVER + name;
    }

    /** Roles are the server's, shared by every test database; another test JVM may create them at the same moment. */
    private static void ensureRole(String role) {
        try {
            execute("DO $$ BEGIN CREATE ROLE " + role + " LOGIN; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$");
        } catch (IllegalStateException raced) {
            if (!String.valueOf(raced.getMessage()).contains("already exists")) {
                throw raced;
            }
        }
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
