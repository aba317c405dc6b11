package dev.kestrel.api.notifications;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;

/** One notification on one channel, as the outbox holds it. */
@Serdeable
public record Notification(long notificationId, NotificationKind kind, Channel channel, @Nullable String recipient,
                           @Nullable String address, @Nullable String alertId, String subject, String body, String payload,
                           Status status, int attempts, @Nullable String lastError, Instant createdAt,
                           @Nullable Instant nextAttemptAt, @Nullable Instant sentAt) {

    public enum Channel { EMAIL, WEBHOOK }

    /** PENDING until sent; FAILED after the last attempt; SKIPPED when it could not be addressed (no e-mail address). */
    public enum Status { PENDING, SENT, FAILED, SKIPPED }
}
