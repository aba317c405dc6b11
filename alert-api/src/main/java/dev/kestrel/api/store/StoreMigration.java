package dev.kestrel.api.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.flywaydb.core.Flyway;

/**
 * The store's schema and who may do what to it. Migrations run as the role that owns the tables; the API connects as
 * a role that owns none and may only SELECT and INSERT on the audit log, so it can neither switch the log's triggers
 * off nor rewrite it. {@code db/migration/afterMigrate.sql} grants the API role what it needs after every migration.
 */
public final class StoreMigration {
    private static final String PLAIN_ROLE = "[a-z_][a-z0-9_]{0,62}";

    private StoreMigration() {}

    /** Migrates the store at {@code url} as {@code owner}, granting {@code apiRole} its rights. */
    public static void migrate(String url, String owner, String ownerPassword, String apiRole) {
        if (apiRole == null || !apiRole.matches(PLAIN_ROLE)) {
            throw new IllegalArgumentException("the API's database role must be a plain lower-case name (" + PLAIN_ROLE
                    + "), got '" + apiRole + "'");
        }
        if (apiRole.equals(owner)) {
            throw new IllegalArgumentException("the API's database role " + apiRole + " is the role that owns the tables; "
                    + "give the API a role of its own (docs/operations.md, \"Database roles\")");
        }
        Flyway.configure()
                .dataSource(url, owner, ownerPassword)
                .locations("classpath:db/migration")
                .placeholders(Map.of("api_role", apiRole))
                .load()
                .migrate();
    }

    /**
     * Why the connection's role may not serve the API, or null when it may: a superuser, a role that may create roles,
     * one that owns a table or function of the store or is a member of the role that does, or one that may update,
     * delete or truncate the audit log.
     */
    public static String roleProblem(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery("""
                SELECT current_user AS role, r.rolsuper, r.rolcreaterole,
                    (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                     WHERE c.relowner = r.oid AND n.nspname = current_schema())
                    + (SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                       WHERE p.proowner = r.oid AND n.nspname = current_schema()) AS owned,
                    (SELECT pg_has_role(c.relowner, 'MEMBER') FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                     WHERE c.relname = 'audit_log' AND n.nspname = current_schema()) AS owner_member,
                    (SELECT has_table_privilege(c.oid, 'UPDATE') OR has_table_privilege(c.oid, 'DELETE')
                         OR has_table_privilege(c.oid, 'TRUNCATE')
                     FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                     WHERE c.relname = 'audit_log' AND n.nspname = current_schema()) AS rewrites_audit
                FROM pg_roles r WHERE r.rolname = current_user""")) {
            row.next();
            String role = row.getString("role");
            if (row.getBoolean("rolsuper")) {
                return "its database role " + role + " is a superuser, which can rewrite the audit log";
            }
            if (row.getBoolean("rolcreaterole")) {
                return "its database role " + role + " may create roles, and so grant itself the role that owns the store";
            }
            if (row.getLong("owned") > 0) {
                return "its database role " + role + " owns " + row.getLong("owned") + " tables or other objects of the store, "
                        + "so it could switch the audit log's triggers off";
            }
            if (row.getObject("owner_member") == null) {
                return "the store has no audit_log: it is not migrated (run MigrateStore as the owner, or set kestrel.database.owner.user)";
            }
            if (row.getBoolean("owner_member")) {
                return "its database role " + role + " is a member of the role that owns the store, so it could act as the owner";
            }
            if (row.getBoolean("rewrites_audit")) {
                return "its database role " + role + " may update, delete or truncate the audit log";
            }
            return null;
        }
    }
}
