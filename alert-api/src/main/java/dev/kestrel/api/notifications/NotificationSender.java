package dev.kestrel.api.notifications;

import dev.kestrel.api.store.Database;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends what the outbox holds, a batch at a time. Each batch is locked with SKIP LOCKED, so API replicas share the
 * work and never send the same notification at once. Delivery is at least once: a crash after sending and before the
 * commit sends it again, with the same id, which receivers use to drop the repeat.
 */
@Singleton
class NotificationSender {
    private static final Logger LOG = LoggerFactory.getLogger(NotificationSender.class);
    private static final int BATCH = 20;

    private final Notifications notifications;
    private final Database database;
    private final Mailer mailer;
    private final Webhook webhook;
    private final Clock clock;

    NotificationSender(Notifications notifications, Database database, Mailer mailer, Webhook webhook, Clock clock) {
        this.notifications = notifications;
        this.database = database;
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
            int sent;
            do {
                sent = database.inTransaction(connection -> {
                    List<Notification> due = notifications.lockDue(connection, clock.instant(), BATCH);
                    for (Notification notification : due) {
                        Instant now = clock.instant();
                        try {
                            deliver(notification);
                            notifications.sent(connection, notification.notificationId(), now);
                        } catch (Exception e) {
                            String error = e.getClass().getSimpleName() + ": " + e.getMessage();
                            LOG.warn("Notification {} ({} to {}) not delivered: {}", notification.notificationId(),
                                    notification.channel(), notification.address(), error);
                            notifications.failed(connection, notification, error, now);
                        }
                    }
                    return due.size();
                });
            } while (sent == BATCH);
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
