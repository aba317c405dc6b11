package dev.kestrel.api.limits;

import dev.kestrel.api.store.JsonColumns;
import dev.kestrel.api.store.Sql;
import dev.kestrel.events.AlertScope;
import dev.kestrel.events.LimitDecisionInForce;
import dev.kestrel.events.LimitRecommendation;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/**
 * The {@code limit_recommendation} table: the engine's standing limit recommendation of each borrower and group, one
 * row per subject, written by the feed (a newer recommendation replaces the older, never the reverse) and read here.
 */
@Singleton
public class LimitRecommendations {
    private final JsonColumns json;

    LimitRecommendations(JsonColumns json) {
        this.json = json;
    }

    /** One alert the engine based its recommendation on. */
    @Serdeable
    public record Basis(String alertId, String ruleId, String severity, String title) {
    }

    /** The bank's decision in force on the limit, as the engine read it back. */
    @Serdeable
    public record DecisionInForce(String decisionId, String action, @Nullable Long limitMinor, @Nullable String currency,
                                  @Nullable String recommendationId, String approvedBy, Instant approvedAt) {
    }

    public void apply(Connection connection, LimitRecommendation recommendation) throws SQLException {
        boolean group = recommendation.getScope() == AlertScope.GROUP;
        List<Basis> basis = recommendation.getAlerts().stream()
                .map(a -> new Basis(a.getAlertId(), a.getRuleId(), a.getSeverity().name(), a.getTitle()))
                .toList();
        try (PreparedStatement upsert = connection.prepareStatement("""
                INSERT INTO limit_recommendation (subject, recommendation_id, scope, borrower_id, group_id, action,
                    reduction_bp, severity, reason, alerts, event_time, detected_at, decision_in_force, restore_suggested,
                    keep_decision_in_force)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?::jsonb, ?, ?)
                ON CONFLICT (subject) DO UPDATE SET recommendation_id = EXCLUDED.recommendation_id,
                    scope = EXCLUDED.scope, borrower_id = EXCLUDED.borrower_id, group_id = EXCLUDED.group_id,
                    action = EXCLUDED.action, reduction_bp = EXCLUDED.reduction_bp, severity = EXCLUDED.severity,
                    reason = EXCLUDED.reason, alerts = EXCLUDED.alerts, event_time = EXCLUDED.event_time,
                    detected_at = EXCLUDED.detected_at, decision_in_force = EXCLUDED.decision_in_force,
                    restore_suggested = EXCLUDED.restore_suggested, keep_decision_in_force = EXCLUDED.keep_decision_in_force
                WHERE (limit_recommendation.event_time, limit_recommendation.detected_at)
                    <= (EXCLUDED.event_time, EXCLUDED.detected_at)""")) {
            upsert.setString(1, group ? "GROUP:" + recommendation.getGroupId() : "BORROWER:" + recommendation.getBorrowerId());
            upsert.setString(2, recommendation.getRecommendationId());
            upsert.setString(3, recommendation.getScope().name());
            Sql.setNullableText(upsert, 4, recommendation.getBorrowerId());
            Sql.setNullableText(upsert, 5, recommendation.getGroupId());
            upsert.setString(6, recommendation.getAction().name());
            upsert.setObject(7, recommendation.getReductionBasisPoints());
            upsert.setString(8, recommendation.getSeverity().name());
            upsert.setString(9, recommendation.getReason());
            upsert.setString(10, json.write(basis));
            upsert.setTimestamp(11, Sql.timestamp(recommendation.getEventTime()));
            upsert.setTimestamp(12, Sql.timestamp(recommendation.getDetectedAt()));
            LimitDecisionInForce decided = recommendation.getDecisionInForce();
            Sql.setNullableText(upsert, 13, decided == null ? null : json.write(new DecisionInForce(decided.getDecisionId(),
                    decided.getAction().name(), decided.getLimitMinor(), decided.getCurrency(), decided.getRecommendationId(),
                    decided.getApprovedBy(), decided.getApprovedAt())));
            upsert.setBoolean(14, recommendation.getRestoreSuggested());
            upsert.setBoolean(15, recommendation.getKeepDecisionInForce());
            upsert.executeUpdate();
        }
    }

    /**
     * The recommendation standing for the borrower, or null when none does: never made, or withdrawn with nothing
     * decided to undo. A withdrawal stands while the engine suggests restoring the limit ({@code restoreSuggested}): the
     * engine decides that, not this query.
     */
    public LimitRecommendationView forBorrower(Connection connection, String borrowerId) throws SQLException {
        return standing(connection, "BORROWER:" + borrowerId);
    }

    /** The engine's latest recommendation on a subject, as a decision may answer it. */
    public record Latest(String recommendationId, String action, boolean restoreSuggested) {}

    /** The engine's latest recommendation on the subject (BORROWER:id or GROUP:id), withdrawn or not; null if none. */
    public Latest latest(Connection connection, String subject) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT recommendation_id, action, restore_suggested FROM limit_recommendation WHERE subject = ?")) {
            select.setString(1, subject);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? new Latest(row.getString(1), row.getString(2), row.getBoolean(3)) : null;
            }
        }
    }

    public LimitRecommendationView forGroup(Connection connection, String groupId) throws SQLException {
        return standing(connection, "GROUP:" + groupId);
    }

    private LimitRecommendationView standing(Connection connection, String subject) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("""
                SELECT recommendation_id, action, reduction_bp, severity, reason, alerts::text AS alerts, event_time,
                    detected_at, decision_in_force::text AS decision_in_force, restore_suggested, keep_decision_in_force
                FROM limit_recommendation WHERE subject = ? AND (action <> 'WITHDRAWN' OR restore_suggested)""")) {
            select.setString(1, subject);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    return null;
                }
                return new LimitRecommendationView(row.getString("recommendation_id"), row.getString("action"),
                        (Integer) row.getObject("reduction_bp"), row.getString("severity"), row.getString("reason"),
                        json.tree(row.getString("alerts")), Sql.instant(row, "event_time"), Sql.instant(row, "detected_at"),
                        row.getString("decision_in_force") == null ? null : json.tree(row.getString("decision_in_force")),
                        row.getBoolean("restore_suggested"), row.getBoolean("keep_decision_in_force"));
            }
        }
    }
}
