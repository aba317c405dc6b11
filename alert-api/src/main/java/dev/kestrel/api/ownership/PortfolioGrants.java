package dev.kestrel.api.ownership;

import dev.kestrel.api.audit.AuditLog;
import dev.kestrel.api.errors.ApiException;
import dev.kestrel.api.security.UserRepository;
import dev.kestrel.api.store.Database;
import dev.kestrel.api.store.Sql;
import io.micronaut.http.HttpStatus;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Owns the table of portfolio grants; each grant and each revocation commits with its audit row. */
@Singleton
public final class PortfolioGrants {
    private static final String COLUMNS = "grant_id, grantee, scope, scope_value, reason, granted_by, granted_at, expires_at, "
            + "revoked_by, revoked_at";

    /** A grant's longest fixed term; one meant to last is open-ended and revoked when it ends. */
    private static final java.time.Duration MAX_TERM = java.time.Duration.ofDays(5 * 366);

    private final Database database;
    private final UserRepository users;
    private final AuditLog audit;
    private final Clock clock;

    PortfolioGrants(Database database, UserRepository users, AuditLog audit, Clock clock) {
        this.database = database;
        this.users = users;
        this.audit = audit;
        this.clock = clock;
    }

    PortfolioGrant grant(PortfolioGrant.Request request, String supervisor) {
        Instant now = clock.instant();
        String value = request.scopeValue() == null ? null : request.scopeValue().strip();
        if (request.expiresAt() != null && request.expiresAt().isAfter(now.plus(MAX_TERM))) {
            throw ApiException.badRequest("expiresAt: at most 5 years ahead; leave it out for a grant until revoked");
        }
        return database.inTransaction(connection -> {
            if (!users.mayWorkAlerts(connection, request.grantee())) {
                throw ApiException.badRequest("grantee: '" + request.grantee() + "' is not an enabled analyst or supervisor");
            }
            checkScope(connection, request.scope(), value);
            long id;
            try (PreparedStatement insert = connection.prepareStatement("""
                    INSERT INTO portfolio_grant (grantee, scope, scope_value, reason, granted_by, granted_at, expires_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING grant_id""")) {
                insert.setString(1, request.grantee());
                insert.setString(2, request.scope().name());
                Sql.setNullableText(insert, 3, value);
                insert.setString(4, request.reason().strip());
                insert.setString(5, supervisor);
                insert.setTimestamp(6, Sql.timestamp(now));
                insert.setTimestamp(7, request.expiresAt() == null ? null : Sql.timestamp(request.expiresAt()));
                try (ResultSet row = insert.executeQuery()) {
                    row.next();
                    id = row.getLong(1);
                }
            }
            PortfolioGrant granted = find(connection, id).orElseThrow();
            audit.record(connection, now, supervisor, "PORTFOLIO_GRANT", "portfolio-grant", Long.toString(id), null, granted);
            return granted;
        });
    }

    PortfolioGrant revoke(long grantId, String supervisor) {
        Instant now = clock.instant();
        return database.inTransaction(connection -> {
            PortfolioGrant before = find(connection, grantId, true).orElseThrow(() -> ApiException.notFound("grant " + grantId));
            if (before.revokedAt() != null) {
                throw new ApiException(HttpStatus.CONFLICT, "grant " + grantId + " was revoked by " + before.revokedBy()
                        + " at " + before.revokedAt());
            }
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE portfolio_grant SET revoked_by = ?, revoked_at = ? WHERE grant_id = ?")) {
                update.setString(1, supervisor);
                update.setTimestamp(2, Sql.timestamp(now));
                update.setLong(3, grantId);
                update.executeUpdate();
            }
            PortfolioGrant after = find(connection, grantId).orElseThrow();
            audit.record(connection, now, supervisor, "PORTFOLIO_REVOKE", "portfolio-grant", Long.toString(grantId), before, after);
            return after;
        });
    }

    /** Grants, newest first: of one grantee or all; with {@code activeOnly}, those neither expired nor revoked. */
    List<PortfolioGrant> list(String grantee, boolean activeOnly) {
        Instant now = clock.instant();
        return database.read(connection -> {
            try (PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS + " FROM portfolio_grant"
                    + " WHERE (?::text IS NULL OR grantee = ?)"
                    + " AND (NOT ? OR (revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ?)))"
                    + " ORDER BY grant_id DESC LIMIT 500")) {
                select.setString(1, grantee);
                select.setString(2, grantee);
                select.setBoolean(3, activeOnly);
                select.setTimestamp(4, Sql.timestamp(now));
                List<PortfolioGrant> grants = new ArrayList<>();
                try (ResultSet row = select.executeQuery()) {
                    while (row.next()) {
                        grants.add(read(row));
                    }
                }
                return grants;
            }
        });
    }

    /** A grant must name something that exists, or it would silently grant nothing. */
    private void checkScope(Connection connection, PortfolioGrant.Scope scope, String value) throws SQLException {
        if (scope == PortfolioGrant.Scope.ALL) {
            if (value != null) {
                throw ApiException.badRequest("scopeValue: must be absent for ALL, which covers the whole book");
            }
            return;
        }
        if (value == null) {
            throw ApiException.badRequest("scopeValue: names the " + scope.name().toLowerCase() + " that " + scope + " covers");
        }
        boolean exists = switch (scope) {
            case BORROWER -> OwnerStore.isKnown(connection, value);
            case GROUP -> exists(connection, "SELECT EXISTS (SELECT 1 FROM group_limit WHERE group_id = ?)"
                    + " OR EXISTS (SELECT 1 FROM borrower WHERE group_id = ?)", value, 2);
            case OFFICER -> users.mayWorkAlerts(connection, value);
            case TEAM -> OwnerStore.isTeam(connection, value);
            case ALL -> true;
        };
        if (!exists) {
            throw ApiException.badRequest("scopeValue: no " + switch (scope) {
                case BORROWER -> "borrower";
                case GROUP -> "group";
                case OFFICER -> "enabled analyst or supervisor";
                case TEAM -> "owner in a team";
                case ALL -> "";
            } + " '" + value + "' is known to the desk");
        }
    }

    private static boolean exists(Connection connection, String sql, String value, int times) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            for (int i = 1; i <= times; i++) {
                select.setString(i, value);
            }
            try (ResultSet row = select.executeQuery()) {
                row.next();
                return row.getBoolean(1);
            }
        }
    }

    private static Optional<PortfolioGrant> find(Connection connection, long grantId) throws SQLException {
        return find(connection, grantId, false);
    }

    private static Optional<PortfolioGrant> find(Connection connection, long grantId, boolean lock) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT " + COLUMNS + " FROM portfolio_grant WHERE grant_id = ?" + (lock ? " FOR UPDATE" : ""))) {
            select.setLong(1, grantId);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? Optional.of(read(row)) : Optional.empty();
            }
        }
    }

    private static PortfolioGrant read(ResultSet row) throws SQLException {
        return new PortfolioGrant(row.getLong("grant_id"), row.getString("grantee"),
                PortfolioGrant.Scope.valueOf(row.getString("scope")), row.getString("scope_value"), row.getString("reason"),
                row.getString("granted_by"), Sql.instant(row, "granted_at"), Sql.instant(row, "expires_at"),
                row.getString("revoked_by"), Sql.instant(row, "revoked_at"));
    }
}
