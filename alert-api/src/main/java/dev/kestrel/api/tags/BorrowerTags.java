package dev.kestrel.api.tags;

import dev.kestrel.api.audit.AuditLog;
import dev.kestrel.api.errors.ApiException;
import dev.kestrel.api.ownership.OwnerStore;
import dev.kestrel.api.ownership.Portfolio;
import dev.kestrel.api.security.Roles;
import dev.kestrel.api.store.Database;
import dev.kestrel.api.store.Sql;
import io.micronaut.http.HttpStatus;
import io.micronaut.security.authentication.Authentication;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Owns the borrowers' tags. People set them on the borrowers of their portfolio (supervisors on any), and remove the
 * ones they set themselves (supervisors: any), each change audited; a routing rule sets its tag on the borrower of a
 * new alert it matches, in the feed's transaction.
 */
@Singleton
public final class BorrowerTags {
    private final Database database;
    private final Portfolio portfolio;
    private final AuditLog audit;
    private final Clock clock;

    BorrowerTags(Database database, Portfolio portfolio, AuditLog audit, Clock clock) {
        this.database = database;
        this.portfolio = portfolio;
        this.audit = audit;
        this.clock = clock;
    }

    /** The borrower's tags, by name. */
    public List<BorrowerTag> of(Connection connection, String borrowerId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT tag, set_by, set_at FROM borrower_tag WHERE borrower_id = ? ORDER BY tag")) {
            select.setString(1, borrowerId);
            List<BorrowerTag> tags = new ArrayList<>();
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    tags.add(new BorrowerTag(row.getString("tag"), row.getString("set_by"), Sql.instant(row, "set_at")));
                }
            }
            return tags;
        }
    }

    /** Every tag in use, with how many borrowers carry it. */
    List<BorrowerTag.Count> inUse() {
        return database.read(connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT tag, count(*) AS borrowers FROM borrower_tag GROUP BY tag ORDER BY tag");
                 ResultSet row = select.executeQuery()) {
                List<BorrowerTag.Count> counts = new ArrayList<>();
                while (row.next()) {
                    counts.add(new BorrowerTag.Count(row.getString("tag"), row.getInt("borrowers")));
                }
                return counts;
            }
        });
    }

    /** A routing rule's tag on the borrower of a new alert: set once, by {@code routing:<rule>}, and audited. */
    public void setByRule(Connection connection, String borrowerId, String tag, String ruleId, Instant at) throws SQLException {
        String actor = "routing:" + ruleId;
        Stored stored = upsert(connection, borrowerId, tag, actor, at);
        if (stored.inserted()) {
            audit.record(connection, at, actor, "TAG_SET", "borrower", borrowerId, null, Map.of("tag", tag));
        }
    }

    /** Sets the tag; a tag already there stays as it was, with who set it first. */
    BorrowerTag set(String borrowerId, String tag, Authentication user) {
        Instant now = clock.instant();
        return database.inTransaction(connection -> {
            mayTag(connection, borrowerId, user, now);
            Stored stored = upsert(connection, borrowerId, tag, user.getName(), now);
            if (stored.inserted()) {
                audit.record(connection, now, user.getName(), "TAG_SET", "borrower", borrowerId, null, Map.of("tag", tag));
            }
            return stored.tag();
        });
    }

    /** Removes the tag: an analyst only one they set, so the flag a supervisor or a rule put on stays until they decide. */
    void remove(String borrowerId, String tag, Authentication user) {
        Instant now = clock.instant();
        database.inTransaction(connection -> {
            mayTag(connection, borrowerId, user, now);
            BorrowerTag before = of(connection, borrowerId).stream().filter(t -> t.tag().equals(tag)).findFirst()
                    .orElseThrow(() -> ApiException.notFound("tag '" + tag + "' on borrower " + borrowerId));
            if (!Roles.has(user, Roles.SUPERVISOR) && !before.setBy().equals(user.getName())) {
                throw new ApiException(HttpStatus.FORBIDDEN, "tag '" + tag + "' was set by " + before.setBy()
                        + "; only they or a supervisor can remove it");
            }
            try (PreparedStatement delete = connection.prepareStatement(
                    "DELETE FROM borrower_tag WHERE borrower_id = ? AND tag = ? RETURNING tag")) {
                delete.setString(1, borrowerId);
                delete.setString(2, tag);
                try (ResultSet deleted = delete.executeQuery()) {
                    if (!deleted.next()) { // removed at the same moment by someone else, who audited it
                        throw ApiException.notFound("tag '" + tag + "' on borrower " + borrowerId);
                    }
                }
            }
            audit.record(connection, now, user.getName(), "TAG_REMOVE", "borrower", borrowerId, before, null);
            return null;
        });
    }

    private void mayTag(Connection connection, String borrowerId, Authentication user, Instant now) throws SQLException {
        if (!OwnerStore.isKnown(connection, borrowerId)) {
            throw ApiException.notFound("borrower " + borrowerId);
        }
        if (!Roles.has(user, Roles.SUPERVISOR) && !portfolio.coversBorrower(connection, user.getName(), borrowerId, now)) {
            throw new ApiException(HttpStatus.FORBIDDEN, "borrower " + borrowerId + " is not in your portfolio, so you "
                    + "cannot tag it; a supervisor can grant it to you");
        }
    }

    /** The tag as stored, and whether this call put it there. */
    private record Stored(BorrowerTag tag, boolean inserted) {
    }

    /**
     * Inserts the tag, or finds the one there, in one statement: a removal at the same moment cannot come between the
     * two. The no-op update locks the row and returns it; {@code xmax = 0} only on a row this statement inserted.
     */
    private static Stored upsert(Connection connection, String borrowerId, String tag, String actor, Instant at) throws SQLException {
        try (PreparedStatement upsert = connection.prepareStatement("""
                INSERT INTO borrower_tag (borrower_id, tag, set_by, set_at) VALUES (?, ?, ?, ?)
                ON CONFLICT (borrower_id, tag) DO UPDATE SET tag = EXCLUDED.tag
                RETURNING tag, set_by, set_at, (xmax = 0) AS inserted""")) {
            upsert.setString(1, borrowerId);
            upsert.setString(2, tag);
            upsert.setString(3, actor);
            upsert.setTimestamp(4, Sql.timestamp(at));
            try (ResultSet row = upsert.executeQuery()) {
                row.next();
                return new Stored(new BorrowerTag(row.getString("tag"), row.getString("set_by"), Sql.instant(row, "set_at")),
                        row.getBoolean("inserted"));
            }
        }
    }
}
