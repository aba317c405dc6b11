package dev.kestrel.api.security;

import dev.kestrel.api.store.Database;
import dev.kestrel.api.store.Sql;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Desk users and their password hashes. */
@Singleton
public final class UserRepository {
    private static final String COLUMNS = "username, display_name, email, roles, enabled, created_at, updated_at";

    private final Database database;

    UserRepository(Database database) {
        this.database = database;
    }

    /**
     * The user's roles when the password matches an enabled user. The row is read first and the connection given back
     * before the password is hashed (PBKDF2, hundreds of milliseconds), so a sign-in never holds one of the pool's few.
     */
    Optional<DeskUser> authenticate(String username, String password) {
        return checked(username, password).map(StoredUser::user);
    }

    /** The same with the hash the password was checked against, for a sign-in to see that it has not changed since. */
    Optional<StoredUser> checked(String username, String password) {
        Optional<StoredUser> stored = database.read(connection -> stored(connection, username, false));
        return matches(stored, password) ? stored.filter(s -> s.user().enabled()) : Optional.empty();
    }

    /** A user's row with its password hash. */
    record StoredUser(DeskUser user, String hash) {
    }

    /**
     * The user's row; with {@code holdRow}, it stays locked (FOR SHARE) until the caller's transaction ends, so a
     * disabling or a change of roles or password waits for, and then sees, what the caller started.
     */
    Optional<StoredUser> stored(Connection connection, String username, boolean holdRow) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT " + COLUMNS + ", password_hash FROM desk_user WHERE username = ?" + (holdRow ? " FOR SHARE" : ""))) {
            select.setString(1, username);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? Optional.of(new StoredUser(user(row), row.getString("password_hash"))) : Optional.empty();
            }
        }
    }

    /** Whether the password matches the stored hash; hashed even for an unknown user, so timing does not tell which exist. */
    private static boolean matches(Optional<StoredUser> stored, String password) {
        boolean matches = PasswordHasher.matches(password, stored.map(StoredUser::hash).orElse(UNKNOWN_USER_HASH));
        return matches && stored.isPresent();
    }

    private static final String UNKNOWN_USER_HASH = PasswordHasher.hash("no user has this password");

    public boolean mayWorkAlerts(String username) {
        return find(username).filter(DeskUser::enabled).map(u -> Roles.mayWorkAlerts(java.util.Set.copyOf(u.roles())))
                .orElse(false);
    }

    /** The same, read in the caller's transaction, so the answer holds for what the caller writes with it. */
    public boolean mayWorkAlerts(Connection connection, String username) throws SQLException {
        return find(connection, username).filter(DeskUser::enabled).map(u -> Roles.mayWorkAlerts(java.util.Set.copyOf(u.roles())))
                .orElse(false);
    }

    /** The enabled users holding the role, by username. */
    public List<DeskUser> enabledWithRole(Connection connection, String role) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT " + COLUMNS + " FROM desk_user WHERE enabled AND ? = ANY (roles) ORDER BY username")) {
            select.setString(1, role);
            List<DeskUser> found = new ArrayList<>();
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    found.add(user(row));
                }
            }
            return found;
        }
    }

    public Optional<DeskUser> find(String username) {
        return database.read(connection -> find(connection, username));
    }

    public Optional<DeskUser> find(Connection connection, String username) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS + " FROM desk_user WHERE username = ?")) {
            select.setString(1, username);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? Optional.of(user(row)) : Optional.empty();
            }
        }
    }

    public List<DeskUser> all() {
        return database.read(connection -> {
            List<DeskUser> users = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS + " FROM desk_user ORDER BY username");
                 ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    users.add(user(row));
                }
            }
            return users;
        });
    }

    /** Inserts the user unless one of that name exists; true when inserted. */
    boolean insert(Connection connection, String username, String displayName, String email, String passwordHash,
                   List<String> roles, Instant at) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO desk_user (username, display_name, email, password_hash, roles, enabled, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, true, ?, ?) ON CONFLICT (username) DO NOTHING""")) {
            insert.setString(1, username);
            insert.setString(2, displayName);
            Sql.setNullableText(insert, 3, email);
            insert.setString(4, passwordHash);
            insert.setArray(5, connection.createArrayOf("text", roles.toArray()));
            insert.setTimestamp(6, Sql.timestamp(at));
            insert.setTimestamp(7, Sql.timestamp(at));
            return insert.executeUpdate() == 1;
        }
    }

    void update(Connection connection, DeskUser user, String newPasswordHash, Instant at) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("""
                UPDATE desk_user SET display_name = ?, email = ?, roles = ?, enabled = ?, updated_at = ?,
                    password_hash = COALESCE(?, password_hash)
                WHERE username = ?""")) {
            update.setString(1, user.displayName());
            Sql.setNullableText(update, 2, user.email());
            update.setArray(3, connection.createArrayOf("text", user.roles().toArray()));
            update.setBoolean(4, user.enabled());
            update.setTimestamp(5, Sql.timestamp(at));
            Sql.setNullableText(update, 6, newPasswordHash);
            update.setString(7, user.username());
            update.executeUpdate();
        }
    }

    private static DeskUser user(ResultSet row) throws SQLException {
        List<String> roles = Arrays.asList((String[]) row.getArray("roles").getArray());
        return new DeskUser(row.getString("username"), row.getString("display_name"), row.getString("email"), List.copyOf(roles),
                row.getBoolean("enabled"), Sql.instant(row, "created_at"), Sql.instant(row, "updated_at"));
    }
}
