package dev.kestrel.api.ownership;

import dev.kestrel.api.errors.ApiException;
import dev.kestrel.api.security.Roles;
import io.micronaut.http.HttpStatus;
import io.micronaut.security.authentication.Authentication;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

/**
 * An analyst's portfolio: the borrowers they own (borrower_owner), and the groups in which they own a member, widened by
 * supervisors' active grants. It answers one question for the desk's actions: is this alert's subject in the user's
 * portfolio?
 */
@Singleton
public final class Portfolio {

    /**
     * Whether the subject (a borrower, with its group if any; a group alone; or, with neither, the whole portfolio) is
     * in the user's portfolio at {@code at}: they own the borrower, or a member of the group whose own alert it is; or an
     * active grant covers the borrower, its group, its owner, its owner's team, or the whole book.
     */
    /**
     * Lets through a supervisor, or an analyst whose portfolio holds the borrower at {@code at}; anyone else gets a 403
     * saying who may {@code act} on it (for example "records its reviews").
     */
    public void requireForBorrower(Connection connection, Authentication user, String borrowerId, Instant at, String act)
            throws SQLException {
        if (!Roles.has(user, Roles.SUPERVISOR) && !coversBorrower(connection, user.getName(), borrowerId, at)) {
            throw new ApiException(HttpStatus.FORBIDDEN, borrowerId + " is not in " + user.getName()
                    + "'s portfolio: its owner, an analyst a grant covers it for, or a supervisor " + act);
        }
    }

    /** Whether the borrower, in the group its profile names, is in the user's portfolio at {@code at}. */
    public boolean coversBorrower(Connection connection, String username, String borrowerId, Instant at) throws SQLException {
        String groupId = null;
        try (PreparedStatement select = connection.prepareStatement("SELECT group_id FROM borrower WHERE borrower_id = ?")) {
            select.setString(1, borrowerId);
            try (ResultSet row = select.executeQuery()) {
                if (row.next()) {
                    groupId = row.getString(1);
                }
            }
        }
        return covers(connection, username, borrowerId, groupId, at);
    }

    public boolean covers(Connection connection, String username, String borrowerId, String groupId, Instant at)
            throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("""
                SELECT EXISTS (SELECT 1 FROM borrower_owner o WHERE o.borrower_id = ? AND o.officer = ?)
                    OR (?::text IS NULL AND EXISTS (SELECT 1 FROM borrower_owner o JOIN borrower b ON b.borrower_id = o.borrower_id
                                                    WHERE b.group_id = ? AND o.officer = ?))
                    OR EXISTS (SELECT 1 FROM portfolio_grant g
                               LEFT JOIN borrower_owner o ON o.borrower_id = ?
                               WHERE g.grantee = ? AND g.revoked_at IS NULL AND (g.expires_at IS NULL OR g.expires_at > ?)
                                 AND (g.scope = 'ALL'
                                      OR (g.scope = 'BORROWER' AND g.scope_value = ?)
                                      OR (g.scope = 'GROUP' AND g.scope_value = ?)
                                      OR (g.scope = 'OFFICER' AND g.scope_value = o.officer)
                                      OR (g.scope = 'TEAM' AND g.scope_value = o.team)))""")) {
            int i = 0;
            select.setString(++i, borrowerId);
            select.setString(++i, username);
            select.setString(++i, borrowerId);
            select.setString(++i, groupId);
            select.setString(++i, username);
            select.setString(++i, borrowerId);
            select.setString(++i, username);
            select.setTimestamp(++i, dev.kestrel.api.store.Sql.timestamp(at));
            select.setString(++i, borrowerId);
            select.setString(++i, groupId);
            try (ResultSet row = select.executeQuery()) {
                row.next();
                return row.getBoolean(1);
            }
        }
    }
}
