package dev.kestrel.api.collections;

import dev.kestrel.api.config.CollectionSettings;
import dev.kestrel.api.notifications.CollectionStepsNotice;
import dev.kestrel.api.notifications.Notifications;
import dev.kestrel.api.store.BatchRounds;
import dev.kestrel.api.store.Database;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the owners of open collection cases which steps come due: every pending step due within
 * {@code kestrel.collections.due-notice-days} (today included), or already due, is told once. A case's steps found in
 * one round go in one notice, so a case that opens with three steps already late (a borrower long in arrears when
 * Kestrel was installed) makes one notice, not three. Replicas share the work: each locks its batch with SKIP LOCKED.
 */
@Singleton
class CollectionStepWatch {
    private static final Logger LOG = LoggerFactory.getLogger(CollectionStepWatch.class);
    private static final int BATCH = 500;

    private final Database database;
    private final Notifications notifications;
    private final CollectionSettings settings;
    private final Clock clock;

    CollectionStepWatch(@Named(Database.BACKGROUND) Database database, Notifications notifications, CollectionSettings settings, Clock clock) {
        this.database = database;
        this.notifications = notifications;
        this.settings = settings;
        this.clock = clock;
    }

    @Scheduled(fixedDelay = "${kestrel.collections.check-every:1h}", initialDelay = "${kestrel.collections.check-every:1h}")
    void check() {
        BatchRounds.run(BATCH, () -> notifyComingDue(LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC)), LOG,
                "Checking collection steps coming due");
    }

    /** Queues the notices of one batch of steps due by {@code today} plus the notice days; returns how many steps it found. */
    int notifyComingDue(LocalDate today) {
        return database.inTransaction(connection -> {
            Map<String, CollectionStepsNotice> byCase = new LinkedHashMap<>();
            int found = 0;
            try (PreparedStatement select = connection.prepareStatement("""
                    SELECT st.case_id, st.position, st.kind, st.due_date, c.borrower_id, b.name, o.officer
                    FROM collection_step st
                    JOIN collection_case c ON c.case_id = st.case_id AND c.status = 'OPEN'
                    LEFT JOIN borrower b ON b.borrower_id = c.borrower_id
                    LEFT JOIN borrower_owner o ON o.borrower_id = c.borrower_id
                    WHERE st.status = 'PENDING' AND st.due_notified_at IS NULL AND st.due_date <= ?
                    ORDER BY st.case_id, st.position LIMIT ? FOR UPDATE OF st SKIP LOCKED""")) {
                select.setDate(1, Date.valueOf(today.plusDays(settings.dueNoticeDays())));
                select.setInt(2, BATCH);
                try (ResultSet row = select.executeQuery()) {
                    while (row.next()) {
                        found++;
                        String caseId = row.getString("case_id");
                        CollectionStepsNotice notice = byCase.get(caseId);
                        if (notice == null) {
                            notice = new CollectionStepsNotice(caseId, row.getString("borrower_id"), row.getString("name"),
                                    row.getString("officer"), new ArrayList<>());
                            byCase.put(caseId, notice);
                        }
                        notice.steps().add(new CollectionStepsNotice.Step(row.getInt("position"), row.getString("kind"),
                                row.getDate("due_date").toLocalDate()));
                    }
                }
            }
            for (CollectionStepsNotice notice : byCase.values()) {
                notifications.collectionStepsDue(connection, notice, today, clock.instant());
                markTold(connection, notice);
            }
            return found;
        });
    }

    private void markTold(Connection connection, CollectionStepsNotice notice) throws SQLException {
        try (PreparedStatement mark = connection.prepareStatement(
                "UPDATE collection_step SET due_notified_at = ? WHERE case_id = ? AND position = ANY (?)")) {
            mark.setTimestamp(1, Timestamp.from(clock.instant()));
            mark.setString(2, notice.caseId());
            mark.setArray(3, connection.createArrayOf("integer", notice.steps().stream().map(CollectionStepsNotice.Step::position).toArray()));
            mark.executeUpdate();
        }
    }
}
