package dev.kestrel.api.alerts;

import dev.kestrel.api.audit.AuditLog;
import dev.kestrel.api.notifications.AlertNotice;
import dev.kestrel.api.notifications.Notifications;
import dev.kestrel.api.store.BatchRounds;
import dev.kestrel.api.store.Database;
import dev.kestrel.api.store.Sql;
import dev.kestrel.events.Severity;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds unresolved alerts past their SLA deadline: each missed deadline gets a history entry and an audit row (actor
 * {@code system}), and queues its notifications (none while no channel is configured). The alert row remembers the
 * deadline it recorded, so a later escalation, which moves the deadline, records its own breach. Replicas share the
 * work: each locks its batch with SKIP LOCKED.
 */
@Singleton
class SlaWatch {
    private static final Logger LOG = LoggerFactory.getLogger(SlaWatch.class);
    private static final int BATCH = 200;

    private final Database database;
    private final Notifications notifications;
    private final AuditLog audit;
    private final Clock clock;

    SlaWatch(@Named(Database.BACKGROUND) Database database, Notifications notifications, AuditLog audit, Clock clock) {
        this.audit = audit;
        this.database = database;
        this.notifications = notifications;
        this.clock = clock;
    }

    @Scheduled(fixedDelay = "${kestrel.notifications.sla-check-every:1m}",
            initialDelay = "${kestrel.notifications.sla-check-every:1m}")
    void check() {
        // It runs with no channel configured too, marking each breach as it passes: a channel configured later then
        // notifies the breaches that come after, not every old one at once.
        BatchRounds.run(BATCH, () -> notifyBreaches(clock.instant()), LOG, "Checking SLA breaches");
    }

    /** Queues the breaches of one batch; returns how many alerts it found. */
    int notifyBreaches(Instant now) {
        return database.inTransaction(connection -> {
            int found = 0;
            try (PreparedStatement select = connection.prepareStatement("""
                    SELECT alert_id, borrower_id, group_id, severity, category, title, explanation->>'summary' AS summary,
                        assignee, sla_due_at, status
                    FROM alert
                    WHERE status <> 'RESOLVED' AND sla_due_at <= ?
                      AND sla_breach_notified_for IS DISTINCT FROM sla_due_at
                    ORDER BY sla_due_at, seq LIMIT ? FOR UPDATE SKIP LOCKED""");
                 PreparedStatement mark = connection.prepareStatement(
                         "UPDATE alert SET sla_breach_notified_for = sla_due_at WHERE alert_id = ?")) {
                select.setTimestamp(1, Sql.timestamp(now));
                select.setInt(2, BATCH);
                try (ResultSet row = select.executeQuery()) {
                    while (row.next()) {
                        found++;
                        String alertId = row.getString("alert_id");
                        Instant due = Sql.instant(row, "sla_due_at");
                        AlertStatus status = AlertStatus.valueOf(row.getString("status"));
                        AlertHistory.append(connection, alertId, now, AuditLog.SYSTEM, "SLA_BREACHED", status, status,
                                "not resolved by " + due);
                        Map<String, Object> breach = new LinkedHashMap<>();
                        breach.put("slaDueAt", due);
                        breach.put("status", status);
                        breach.put("assignee", row.getString("assignee"));
                        audit.record(connection, now, AuditLog.SYSTEM, "ALERT_SLA_BREACHED", "alert", alertId, null, breach);
                        notifications.slaBreached(connection, new AlertNotice(row.getString("alert_id"),
                                row.getString("borrower_id"), row.getString("group_id"), Severity.valueOf(row.getString("severity")),
                                row.getString("category"), row.getString("title"), row.getString("summary"),
                                row.getString("assignee"), Sql.instant(row, "sla_due_at")), now);
                        mark.setString(1, row.getString("alert_id"));
                        mark.addBatch();
                    }
                }
                mark.executeBatch();
            }
            return found;
        });
    }
}
