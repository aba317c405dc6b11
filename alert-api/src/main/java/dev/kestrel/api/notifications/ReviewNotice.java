package dev.kestrel.api.notifications;

import java.time.LocalDate;

/** A borrower whose periodic review comes due, as the engine dates it; {@code name} and {@code officer} may be unknown. */
public record ReviewNotice(String borrowerId, String name, LocalDate dueDate, LocalDate lastReviewDate, String officer) {
}
