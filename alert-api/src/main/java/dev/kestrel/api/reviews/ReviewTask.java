package dev.kestrel.api.reviews;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;
import java.time.LocalDate;

/**
 * A borrower whose periodic review is due, as the engine dates it in its latest snapshot ({@code asOf}): the due date,
 * the latest review, the days overdue the engine counted then, and its open REVIEW-OVERDUE alert, if any; and the
 * watch grade of its latest score, which sets how often it is reviewed. The desk
 * shows these; it does not work out a schedule of its own.
 */
@Serdeable
public record ReviewTask(String borrowerId, @Nullable String name, @Nullable String officer, @Nullable String team,
                         @Nullable String grade, LocalDate dueDate, @Nullable LocalDate lastReviewDate, @Nullable Long overdueDays, Instant asOf,
                         @Nullable String alertId, @Nullable String alertSeverity) {

    static ReviewTask of(BorrowerReviews.Due due) {
        return new ReviewTask(due.borrowerId(), due.name(), due.officer(), due.team(), due.grade(), due.dueDate(), due.lastReviewDate(),
                due.overdueDays(), due.asOf(), due.alertId(), due.alertSeverity());
    }
}
