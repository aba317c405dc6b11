package dev.kestrel.api.limits;

import dev.kestrel.api.store.JsonColumns;
import dev.kestrel.api.store.Sql;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** Reads the standing limit recommendation of a borrower or group, as the feed stored it. */
@Singleton
public class LimitRecommendations {
    private final JsonColumns json;

    LimitRecommendations(JsonColumns json) {
        this.json = json;
    }

    /** The recommendation standing for the borrower, or null when none does (never made, or withdrawn). */
    public LimitRecommendationView forBorrower(Connection connection, String borrowerId) throws SQLException {
        return standing(connection, "BORROWER:" + borrowerId);
    }

    public LimitRecommendationView forGroup(Connection connection, String groupId) throws SQLException {
        return standing(connection, "GROUP:" + groupId);
    }

    private LimitRecommendationView standing(Connection connection, String subject) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("""
                SELECT recommendation_id, action, reduction_bp, severity, reason, alerts::text AS alerts, event_time,
                    detected_at
                FROM limit_recommendation WHERE subject = ? AND action <> 'WITHDRAWN'""")) {
            select.setString(1, subject);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    return null;
                }
                return new LimitRecommendationView(row.getString("recommendation_id"), row.getString("action"),
                        (Integer) row.getObject("reduction_bp"), row.getString("severity"), row.getString("reason"),
                        json.tree(row.getString("alerts")), Sql.instant(row, "event_time"), Sql.instant(row, "detected_at"));
            }
        }
    }
}
