package dev.kestrel.api.alerts;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;

/** One alert as the list and the live stream show it. */
@Serdeable
public record AlertView(
        String alertId,
        String scope,
        @Nullable String borrowerId,
        @Nullable String borrowerName,
        @Nullable String groupId,
        String ruleId,
        int ruleVersion,
        String category,
        String severity,
        String title,
        String summary,
        /* The engine's view: OPENED, ESCALATED, or CLOSED when the condition no longer holds. */
        String lifecycle,
        AlertStatus status,
        @Nullable String assignee,
        @Nullable Disposition disposition,
        Instant episodeStartedAt,
        Instant eventTime,
        Instant detectedAt,
        Instant receivedAt,
        Instant updatedAt,
        Instant slaDueAt,
        boolean slaBreached,
        /* Send it back as If-Match to change the alert. */
        int version) {
}
