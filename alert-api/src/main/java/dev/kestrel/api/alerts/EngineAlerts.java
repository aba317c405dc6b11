package dev.kestrel.api.alerts;

import dev.kestrel.api.audit.AuditLog;
import dev.kestrel.api.config.SlaPolicy;
import dev.kestrel.api.notifications.AlertNotice;
import dev.kestrel.api.notifications.Notifications;
import dev.kestrel.api.routing.Route;
import dev.kestrel.api.routing.RoutingRules;
import dev.kestrel.api.store.JsonColumns;
import dev.kestrel.api.store.Sql;
import dev.kestrel.events.Alert;
import dev.kestrel.events.AlertLifecycle;
import dev.kestrel.events.IndicatorReading;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The engine's alert changes, applied to the {@code alert} table and its history: a new alert reaches the desk as NEW
 * with its SLA, and the routing rules may assign it at once; a later change updates what the engine says and keeps what
 * the desk did, except that a resolved alert whose risk got worse goes back to the desk. A new or escalated alert at the
 * notifying severity queues its notifications in the same transaction. Idempotent: a change applied twice, or an
 * older one after a newer, changes nothing, and notifies nobody again.
 */
@Singleton
public final class EngineAlerts {
    private final SlaPolicy sla;
    private final JsonColumns json;
    private final RoutingRules routing;
    private final Notifications notifications;
    private final AuditLog audit;

    EngineAlerts(SlaPolicy sla, JsonColumns json, RoutingRules routing, Notifications notifications, AuditLog audit) {
        this.sla = sla;
        this.json = json;
        this.routing = routing;
        this.notifications = notifications;
        this.audit = audit;
    }

    /**
     * Applies one change of an alert; returns whether it changed the stored alert (false for a duplicate or an older
     * change replayed).
     */
    public boolean apply(Connection connection, Alert alert, Instant receivedAt) throws SQLException {
        String alertId = alert.getAlertId();
        String explanationJson = json.write(explanation(alert));
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT status, lifecycle, severity_rank, event_time, received_at, assignee FROM alert WHERE alert_id = ? FOR UPDATE")) {
            select.setObject(1, alertId);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    insertAlert(connection, alert, alertId, explanationJson, receivedAt);
                    String assignee = route(connection, alert, receivedAt).orElse(null);
                    notifications.alertRaised(connection, notice(alert, assignee, sla.dueAt(receivedAt, alert.getSeverity())),
                            receivedAt);
                    return true;
                }
                AlertStatus status = AlertStatus.valueOf(row.getString("status"));
                AlertLifecycle storedLifecycle = AlertLifecycle.valueOf(row.getString("lifecycle"));
                if (!isNewer(alert, Sql.instant(row, "event_time"), storedLifecycle, row.getInt("severity_rank"))) {
                    return false; // a duplicate or an older change replayed: already applied
                }
                // A resolved alert whose risk got worse goes back to the desk.
                AlertStatus next = status == AlertStatus.RESOLVED && alert.getLifecycle() == AlertLifecycle.ESCALATED
                        ? AlertStatus.NEW : status;
                updateAlert(connection, alert, alertId, explanationJson, next, Sql.instant(row, "received_at"), receivedAt);
                history(connection, alertId, receivedAt, alert, status, next);
                if (alert.getSeverity().ordinal() > row.getInt("severity_rank")) {
                    notifications.alertRaised(connection, notice(alert, row.getString("assignee"),
                            sla.dueAt(Sql.instant(row, "received_at"), alert.getSeverity())), receivedAt);
                }
                return true;
            }
        }
    }

    /** Places a new alert by the routing rules (tags, and an assignment by the first that assigns); returns the assignee. */
    private Optional<String> route(Connection connection, Alert alert, Instant at) throws SQLException {
        Optional<Route> route = routing.place(connection, new Route.NewAlert(alert.getAlertId(), alert.getBorrowerId(),
                alert.getGroupId(), alert.getCategory(), alert.getSeverity()), at);
        if (route.isEmpty()) {
            return Optional.empty();
        }
        String assignee = route.get().assignee();
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE alert SET status = ?, assignee = ?, version = version + 1 WHERE alert_id = ?")) {
            update.setString(1, AlertStatus.ASSIGNED.name());
            update.setString(2, assignee);
            update.setObject(3, alert.getAlertId());
            update.executeUpdate();
        }
        String actor = "routing:" + route.get().ruleId();
        AlertHistory.append(connection, alert.getAlertId(), at, actor, WorkflowAction.ASSIGN.name(), AlertStatus.NEW,
                AlertStatus.ASSIGNED, "to " + assignee + " by routing rule " + route.get().ruleId());
        Map<String, Object> before = new LinkedHashMap<>();
        before.put("status", AlertStatus.NEW);
        before.put("assignee", null);
        Map<String, Object> after = new LinkedHashMap<>();
        after.put("status", AlertStatus.ASSIGNED);
        after.put("assignee", assignee);
        after.put("routingRule", route.get().ruleId());
        audit.record(connection, at, actor, "ALERT_ASSIGN", "alert", alert.getAlertId(), before, after);
        return Optional.of(assignee);
    }

    private static AlertNotice notice(Alert alert, String assignee, Instant slaDueAt) {
        return new AlertNotice(alert.getAlertId(), alert.getBorrowerId(), alert.getGroupId(), alert.getSeverity(),
                alert.getCategory().name(), alert.getTitle(), alert.getExplanation().getSummary(), assignee, slaDueAt);
    }

    private static boolean isNewer(Alert alert, Instant storedEventTime, AlertLifecycle storedLifecycle, int storedSeverityRank) {
        int byTime = Long.compare(alert.getEventTime().toEpochMilli(), storedEventTime.toEpochMilli());
        if (byTime != 0) {
            return byTime > 0;
        }
        int byLifecycle = Integer.compare(alert.getLifecycle().ordinal(), storedLifecycle.ordinal());
        if (byLifecycle != 0) {
            return byLifecycle > 0;
        }
        return alert.getSeverity().ordinal() > storedSeverityRank;
    }

    private void insertAlert(Connection connection, Alert alert, String alertId, String explanationJson, Instant receivedAt)
            throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO alert (alert_id, scope, borrower_id, group_id, rule_id, rule_version, category, severity,
                    severity_rank, title, explanation, lifecycle, episode_started_at, event_time, detected_at, status,
                    sla_due_at, received_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
            insert.setObject(1, alertId);
            insert.setString(2, alert.getScope().name());
            Sql.setNullableText(insert, 3, alert.getBorrowerId());
            Sql.setNullableText(insert, 4, alert.getGroupId());
            insert.setString(5, alert.getRuleId());
            insert.setInt(6, alert.getRuleVersion());
            insert.setString(7, alert.getCategory().name());
            insert.setString(8, alert.getSeverity().name());
            insert.setInt(9, alert.getSeverity().ordinal());
            insert.setString(10, alert.getTitle());
            insert.setString(11, explanationJson);
            insert.setString(12, alert.getLifecycle().name());
            insert.setTimestamp(13, Sql.timestamp(alert.getEpisodeStartedAt()));
            insert.setTimestamp(14, Sql.timestamp(alert.getEventTime()));
            insert.setTimestamp(15, Sql.timestamp(alert.getDetectedAt()));
            insert.setString(16, AlertStatus.NEW.name());
            insert.setTimestamp(17, Sql.timestamp(sla.dueAt(receivedAt, alert.getSeverity())));
            insert.setTimestamp(18, Sql.timestamp(receivedAt));
            insert.setTimestamp(19, Sql.timestamp(receivedAt));
            insert.executeUpdate();
        }
        history(connection, alertId, receivedAt, alert, null, AlertStatus.NEW);
    }

    private void updateAlert(Connection connection, Alert alert, String alertId, String explanationJson, AlertStatus status,
                             Instant firstReceived, Instant receivedAt) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("""
                UPDATE alert SET rule_version = ?, severity = ?, severity_rank = ?, title = ?, explanation = ?::jsonb,
                    lifecycle = ?, event_time = ?, detected_at = ?, status = ?, sla_due_at = ?, updated_at = ?,
                    disposition = CASE WHEN ? = 'RESOLVED' THEN disposition END,
                    version = version + 1
                WHERE alert_id = ?""")) {
            update.setInt(1, alert.getRuleVersion());
            update.setString(2, alert.getSeverity().name());
            update.setInt(3, alert.getSeverity().ordinal());
            update.setString(4, alert.getTitle());
            update.setString(5, explanationJson);
            update.setString(6, alert.getLifecycle().name());
            update.setTimestamp(7, Sql.timestamp(alert.getEventTime()));
            update.setTimestamp(8, Sql.timestamp(alert.getDetectedAt()));
            update.setString(9, status.name());
            // The SLA clock runs from when the desk first saw the alert; a higher severity shortens it.
            update.setTimestamp(10, Sql.timestamp(sla.dueAt(firstReceived, alert.getSeverity())));
            update.setTimestamp(11, Sql.timestamp(receivedAt));
            update.setString(12, status.name());
            update.setObject(13, alertId);
            update.executeUpdate();
        }
    }

    private static void history(Connection connection, String alertId, Instant at, Alert alert, AlertStatus from, AlertStatus to)
            throws SQLException {
        AlertHistory.append(connection, alertId, at, "engine", alert.getLifecycle().name(), from, to,
                alert.getSeverity() + ": " + alert.getExplanation().getSummary());
    }

    private static Explanation explanation(Alert alert) {
        var source = alert.getExplanation();
        List<Explanation.Reading> readings = source.getInputs().stream().map(EngineAlerts::reading).toList();
        List<Explanation.TriggeringEvent> events = source.getTriggeringEvents().stream()
                .map(e -> new Explanation.TriggeringEvent(e.getEventId(), e.getEventType(), e.getEventTime()))
                .toList();
        return new Explanation(source.getSummary(), readings, events);
    }

    private static Explanation.Reading reading(IndicatorReading r) {
        return new Explanation.Reading(r.getIndicator(), r.getUnit().name(), r.getValue(), r.getPreviousValue(),
                r.getComparison(), r.getThreshold(), r.getCurrency(), r.getObservedAt());
    }
}
