package dev.kestrel.api.ownership;

import dev.kestrel.api.audit.AuditLog;
import dev.kestrel.api.errors.ApiException;
import dev.kestrel.api.security.UserRepository;
import dev.kestrel.api.store.Database;
import dev.kestrel.api.store.Sql;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Owns the table of borrowers' owners: a desk decision, not the engine's, so the API is where it lives. Each change and
 * its audit row commit together.
 */
@Singleton
public final class OwnerStore {
    private final Database database;
    private final UserRepository users;
    private final AuditLog audit;
    private final Clock clock;

    OwnerStore(Database database, UserRepository users, AuditLog audit, Clock clock) {
        this.database = database;
        this.users = users;
        this.audit = audit;
        this.clock = clock;
    }

    public Optional<Owner> of(Connection connection, String borrowerId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT borrower_id, officer, team, assigned_by, assigned_at FROM borrower_owner WHERE borrower_id = ?")) {
            select.setString(1, borrowerId);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? Optional.of(read(row)) : Optional.empty();
            }
        }
    }

    /** Makes the officer responsible; the same officer and team again change nothing and write no audit row. */
    Owner assign(String borrowerId, Owner.Request request, String actor) {
        String team = request.team() == null || request.team().isBlank() ? null : request.team().strip();
        Instant now = clock.instant();
        return database.inTransaction(connection -> {
            if (!isKnown(connection, borrowerId)) {
                throw ApiException.notFound("borrower " + borrowerId);
            }
            if (!users.mayWorkAlerts(connection, request.officer())) {
                throw ApiException.badRequest("officer: '" + request.officer() + "' is not an enabled analyst or supervisor");
            }
            Optional<Owner> before = lock(connection, borrowerId);
            if (before.isPresent() && before.get().officer().equals(request.officer()) && Objects.equals(before.get().team(), team)) {
                return before.get();
            }
            Owner after = new Owner(borrowerId, request.officer(), team, actor, now);
            try (PreparedStatement upsert = connection.prepareStatement("""
                    INSERT INTO borrower_owner (borrower_id, officer, team, assigned_by, assigned_at) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT (borrower_id) DO UPDATE SET officer = EXCLUDED.officer, team = EXCLUDED.team,
                        assigned_by = EXCLUDED.assigned_by, assigned_at = EXCLUDED.assigned_at""")) {
                upsert.setString(1, borrowerId);
                upsert.setString(2, after.officer());
                Sql.setNullableText(upsert, 3, after.team());
                upsert.setString(4, actor);
                upsert.setTimestamp(5, Sql.timestamp(now));
                upsert.executeUpdate();
            }
            audit.record(connection, now, actor, "OWNER_ASSIGN", "borrower", borrowerId, before.orElse(null), after);
            return after;
        });
    }

    void release(String borrowerId, String actor) {
        Instant now = clock.instant();
        database.inTransaction(connection -> {
            Owner before = lock(connection, borrowerId).orElseThrow(() -> ApiException.notFound("owner of borrower " + borrowerId));
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM borrower_owner WHERE borrower_id = ?")) {
                delete.setString(1, borrowerId);
                delete.executeUpdate();
            }
            audit.record(connection, now, actor, "OWNER_RELEASE", "borrower", borrowerId, before, null);
            return null;
        });
    }

    /** Whether some borrower's owner is in the team. */
    public static boolean isTeam(Connection connection, String team) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT EXISTS (SELECT 1 FROM borrower_owner WHERE team = ?)")) {
            select.setString(1, team);
            try (ResultSet row = select.executeQuery()) {
                row.next();
                return row.getBoolean(1);
            }
        }
    }

    /** A borrower the desk knows: master data or an engine score or snapshot has named it. */
    public static boolean isKnown(Connection connection, String borrowerId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("""
                SELECT EXISTS (SELECT 1 FROM borrower WHERE borrower_id = ?)
                    OR EXISTS (SELECT 1 FROM borrower_snapshot WHERE borrower_id = ?)
                    OR EXISTS (SELECT 1 FROM watch_list WHERE borrower_id = ?)""")) {
            for (int i = 1; i <= 3; i++) {
                select.setString(i, borrowerId);
            }
            try (ResultSet row = select.executeQuery()) {
                row.next();
                return row.getBoolean(1);
            }
        }
    }

    /**
     * The borrower's owner row, locked for the transaction; the borrower's id is locked too, so two first assignments
     * at once are applied one after the other, each auditing what the other left.
     */
    private static Optional<Owner> lock(Connection connection, String borrowerId) throws SQLException {
        try (PreparedStatement advisory = connection.prepareStatement("SELECT pg_advisory_xact_lock(hashtext('borrower_owner:' || ?))")) {
            advisory.setString(1, borrowerId);
            advisory.executeQuery().close();
        }
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT borrower_id, officer, team, assigned_by, assigned_at FROM borrower_owner WHERE borrower_id = ? FOR UPDATE")) {
            select.setString(1, borrowerId);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? Optional.of(read(row)) : Optional.empty();
            }
        }
    }

    private static Owner read(ResultSet row) throws SQLException {
        return new Owner(row.getString("borrower_id"), row.getString("officer"), row.getString("team"),
                row.getString("assigned_by"), Sql.instant(row, "assigned_at"));
    }
}
