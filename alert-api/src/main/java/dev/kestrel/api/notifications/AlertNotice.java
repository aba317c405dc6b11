package dev.kestrel.api.notifications;

import dev.kestrel.events.Severity;
import io.micronaut.core.annotation.Nullable;
import java.time.Instant;

/** What a notification says of an alert, and whom it concerns: its assignee if any, else the borrower's owner. */
public record AlertNotice(String alertId, @Nullable String borrowerId, @Nullable String groupId, Severity severity,
                          String category, String title, String summary, @Nullable String assignee, Instant slaDueAt) {
}
