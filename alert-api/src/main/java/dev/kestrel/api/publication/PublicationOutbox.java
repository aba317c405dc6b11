package dev.kestrel.api.publication;

import dev.kestrel.api.audit.AuditLog;
import dev.kestrel.api.store.Database;
import io.micronaut.context.annotation.Requires;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Audit first, publish second, and neither step lost. A checker's approval commits the signed version, its status
 * APPROVED and the audit row together; this outbox then sends every APPROVED version to its topic and marks it
 * PUBLISHED. Right after each approval, and every {@code kestrel.publication.retry-every} after that, so a version
 * the broker did not take (down, or the API stopped between the two steps) goes out when it can. Sending a rule or
 * scorecard twice is harmless: the engine ignores a version not above the one in force. A limit decision is sent once:
 * before sending one again, the outbox looks for it on its topic. Marking it PUBLISHED writes its audit row
 * ({@code <TARGET>_SENT} by {@code system}, with the topic and, where it looked, whether the topic already held it) in
 * the same transaction.
 */
@Singleton
@Requires(property = "kestrel.kafka.enabled", notEquals = "false")
public class PublicationOutbox {
    private static final Logger LOG = LoggerFactory.getLogger(PublicationOutbox.class);

    private final Database database;
    private final TopicPublisher publisher;
    private final List<ApprovedVersions> stores;
    private final AuditLog audit;
    private final Clock clock;

    PublicationOutbox(@Named(Database.BACKGROUND) Database database, TopicPublisher publisher, List<ApprovedVersions> stores,
                      AuditLog audit, Clock clock) {
        this.database = database;
        this.publisher = publisher;
        this.stores = stores;
        this.audit = audit;
        this.clock = clock;
    }

    @Scheduled(fixedDelay = "${kestrel.publication.retry-every:10s}", initialDelay = "${kestrel.publication.retry-every:10s}")
    void retry() {
        sendApproved();
    }

    /**
     * Sends every APPROVED version; false when a topic refused one. A store whose topic refuses waits for the next round
     * with the rest of its versions; the other stores go on. One run at a time on this instance: an approval that comes
     * while the retry sends waits for it without taking a connection, so the outbox holds at most one of the background
     * pool's (replicas are kept apart by the row lock).
     */
    public synchronized boolean sendApproved() {
        boolean all = true;
        for (ApprovedVersions store : stores) {
            for (ApprovedVersions.Pending pending : database.read(store::approved)) {
                try {
                    database.inTransaction(connection -> {
                        byte[] record = store.lockApproved(connection, pending);
                        if (record != null) {
                            String key = store.key(pending, record);
                            // Sent before the API stopped, and not marked: the topic has it, so it must not go twice.
                            boolean held = !store.resendHarmless() && publisher.holds(store.topic(), key, record);
                            if (!held) {
                                publisher.publish(store.topic(), key, record, store.kind() + " " + pending.id() + " v" + pending.version());
                            }
                            store.markPublished(connection, pending.id(), pending.version());
                            audit.record(connection, clock.instant(), AuditLog.SYSTEM, store.sentAction(), store.auditTarget(),
                                    store.auditId(pending), null, Map.of("topic", store.topic(), "key", key, "version", pending.version(),
                                            "topicChecked", !store.resendHarmless(), "alreadyOnTopic", held));
                        }
                        return null;
                    });
                } catch (RuntimeException e) {
                    LOG.warn("{} {} v{} is approved but not yet on {}; retrying every kestrel.publication.retry-every: {}",
                            store.kind(), pending.id(), pending.version(), store.topic(), e.getMessage());
                    all = false;
                    break; // in order: this store's later versions wait behind it
                }
            }
        }
        return all;
    }
}
