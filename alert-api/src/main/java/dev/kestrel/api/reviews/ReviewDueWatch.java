package dev.kestrel.api.reviews;

import dev.kestrel.api.config.ReviewSettings;
import dev.kestrel.api.notifications.Notifications;
import dev.kestrel.api.notifications.ReviewNotice;
import dev.kestrel.api.store.BatchRounds;
import dev.kestrel.api.store.Database;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells owners of reviews coming due: each borrower whose next review the engine has due within
 * {@code kestrel.reviews.due-notice-days} (today included) gets one notice per due date. A review already overdue is
 * not announced as coming: the engine's REVIEW-OVERDUE alert tells it. The watch's own table ({@code review_due_notice})
 * remembers the due date it told of per borrower, so a new date (a review recorded, a move of grade) is told again,
 * and replicas that find the same borrower tell it once: the first to mark it.
 */
@Singleton
class ReviewDueWatch {
    private static final Logger LOG = LoggerFactory.getLogger(ReviewDueWatch.class);
    private static final int BATCH = 200;

    private final Database database;
    private final Notifications notifications;
    private final ReviewSettings settings;
    private final Clock clock;

    ReviewDueWatch(@Named(Database.BACKGROUND) Database database, Notifications notifications, ReviewSettings settings, Clock clock) {
        this.database = database;
        this.notifications = notifications;
        this.settings = settings;
        this.clock = clock;
    }

    @Scheduled(fixedDelay = "${kestrel.reviews.check-every:1h}", initialDelay = "${kestrel.reviews.check-every:1h}")
    void check() {
        BatchRounds.run(BATCH, () -> notifyComingDue(LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC)), LOG,
                "Checking reviews coming due");
    }

    /** Queues the notices of one batch of reviews due from {@code today} to the notice horizon; returns how many it found. */
    int notifyComingDue(LocalDate today) {
        return database.inTransaction(connection -> {
            int found = 0;
            try (PreparedStatement select = connection.prepareStatement("""
                    SELECT s.borrower_id, s.review_due_date, s.last_review_date, b.name, o.officer
                    FROM borrower_snapshot s
                    LEFT JOIN borrower b ON b.borrower_id = s.borrower_id
                    LEFT JOIN borrower_owner o ON o.borrower_id = s.borrower_id
                    LEFT JOIN review_due_notice n ON n.borrower_id = s.borrower_id
                    WHERE s.review_due_date BETWEEN ? AND ?
                      AND n.notified_for IS DISTINCT FROM s.review_due_date
                    ORDER BY s.review_due_date, s.borrower_id LIMIT ?""");
                 // The notice's own row decides who tells: a replica that finds it already marked for that date
                 // (another replica told it meanwhile; the row lock makes it wait for that one to commit) says nothing.
                 PreparedStatement mark = connection.prepareStatement("""
                         INSERT INTO review_due_notice (borrower_id, notified_for) VALUES (?, ?)
                         ON CONFLICT (borrower_id) DO UPDATE SET notified_for = EXCLUDED.notified_for
                         WHERE review_due_notice.notified_for IS DISTINCT FROM EXCLUDED.notified_for""")) {
                select.setDate(1, Date.valueOf(today));
                select.setDate(2, Date.valueOf(today.plusDays(settings.dueNoticeDays())));
                select.setInt(3, BATCH);
                try (ResultSet row = select.executeQuery()) {
                    while (row.next()) {
                        found++;
                        mark.setString(1, row.getString("borrower_id"));
                        mark.setDate(2, row.getDate("review_due_date"));
                        if (mark.executeUpdate() == 0) {
                            continue;
                        }
                        Date last = row.getDate("last_review_date");
                        notifications.reviewDue(connection, new ReviewNotice(row.getString("borrower_id"), row.getString("name"),
                                row.getDate("review_due_date").toLocalDate(), last == null ? null : last.toLocalDate(),
                                row.getString("officer")), clock.instant());
                    }
                }
            }
            return found;
        });
    }
}
