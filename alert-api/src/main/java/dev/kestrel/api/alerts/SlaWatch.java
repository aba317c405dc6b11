package dev.kestrel.api.alerts;

import dev.kestrel.api.notifications.AlertNotice;
import dev.kestrel.api.notifications.Notifications;
import dev.kestrel.api.store.Database;
import dev.kestrel.api.store.Sql;
import dev.kestrel.events.Severity;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds unresolved alerts past their SLA deadline and queues one notification per deadline missed (none while no
 * channel is configured). The alert row
 * remembers the deadline it notified, so a later escalation, which moves the deadline, notifies its own breach.
 * Replicas share the work: each locks its batch with SKIP LOCKED.
 */
@Singleton
class SlaWatch {
    private static final Logger LOG = LoggerFactory.getLogger(SlaWatch.class);
    private static final int BATCH = 200;

    private final Database database;
    private final Notifications notifications;
    private final Clock clock;

    SlaWatch(Database database, Notifications notifications, Clock clock) {
        this.database = database;
        this.notifications = notifications;
        this.clock = clock;
    }

    @Scheduled(fixedDelay = "${kestrel.notifications.sla-check-every:1m}",
            initialDelay = "${kestrel.notifications.sla-check-every:1m}")
    void check() {
        // It runs with no channel configured too, marking each breach as it passes: a channel configured later then
        // notifies the breaches that come after, not every old one at once.
        try {
            int found;
            do {
                found = notifyBreaches(clock.instant());
            } while (found == BATCH);
        } catch (RuntimeException e) {
            LOG.warn("Checking SLA breaches failed; the next round tries again", e);
        }
    }

    /** Queues the breaches of one batch; returns how many alerts it found. */
    int notifyBreaches(Instant now) {
        return database.inTransaction(connection -> {
            int found = 0;
            try (PreparedStatement select = connection.prepareStatement("""
                    SELECT alert_id, borrower_id, group_id, severity, category, title, explanation->>'summary' AS summary,
                        assignee, sla_due_at
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
