package dev.kestrel.api.notifications;

import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends what the outbox holds, a batch at a time. Each batch is claimed first (SKIP LOCKED, and a lease), so API
 * replicas share the work and never send the same notification at once; the sends happen outside any transaction, and
 * each outcome is recorded on its own. Delivery is at least once: a crash after sending and before recording it sends
 * it again when the lease ends, with the same id, which receivers use to drop the repeat.
 */
@Singleton
class NotificationSender {
    private static final Logger LOG = LoggerFactory.getLogger(NotificationSender.class);
    private static final int BATCH = 20;
    /** Long enough for a batch's sends at their 10-second timeouts; a claim older than this is sent again. */
    private static final Duration LEASE = Duration.ofMinutes(5);

    private final Notifications notifications;
    private final Mailer mailer;
    private final Webhook webhook;
    private final Clock clock;

    NotificationSender(Notifications notifications, Mailer mailer, Webhook webhook, Clock clock) {
        this.notifications = notifications;
        this.mailer = mailer;
        this.webhook = webhook;
        this.clock = clock;
    }

    @Scheduled(fixedDelay = "${kestrel.notifications.send-every:5s}", initialDelay = "${kestrel.notifications.send-every:5s}")
    void sendDue() {
        if (!notifications.enabled()) {
            return;
        }
        try {
            List<Notification> due;
            do {
                Instant now = clock.instant();
                due = notifications.claimDue(now, now.plus(LEASE), BATCH);
                // Sent outside any transaction: a slow receiver holds no database connection and no row lock.
                for (Notification notification : due) {
                    try {
                        deliver(notification);
                        notifications.sent(notification.notificationId(), clock.instant());
                    } catch (Exception e) {
                        String error = e.getClass().getSimpleName() + ": " + e.getMessage();
                        LOG.warn("Notification {} ({} to {}) not delivered: {}", notification.notificationId(),
                                notification.channel(), notification.address(), error);
                        notifications.failed(notification, error, clock.instant());
                    }
                }
            } while (due.size() == BATCH);
        } catch (RuntimeException e) {
            LOG.warn("Sending notifications failed; the next round tries again", e);
        }
    }

    private void deliver(Notification notification) throws Exception {
        switch (notification.channel()) {
            case EMAIL -> mailer.send(notification);
            case WEBHOOK -> webhook.send(notification);
        }
    }
}
