package dev.kestrel.api.publication;

import dev.kestrel.api.audit.AuditLog;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A store of versions risk staff publish (rules, scorecards, limit decisions), as the outbox sees it. A version goes PROPOSED, then
 * APPROVED (signed and audited by the checker, in one transaction), then PUBLISHED once its topic has taken it.
 */
public interface ApprovedVersions {

    /** One approved version waiting for its topic. */
    record Pending(String id, int version) {}

    /** What is published, for logs: "rule", "scorecard". */
    String kind();

    /** The audit log's target type of this store's versions, as their approval names it: "rule", "limit-decision". */
    String auditTarget();

    /** The audit action of a version reaching its topic: RULE_SENT, LIMIT_DECISION_SENT. */
    default String sentAction() {
        return auditTarget().toUpperCase(java.util.Locale.ROOT).replace('-', '_') + "_SENT";
    }

    /**
     * Marks a version PUBLISHED because its topic carries exactly the bytes the API signed (the API stopped after the
     * broker took it and before marking it), and audits it as the outbox would have, confirmed from the topic.
     */
    default void confirmFromTopic(Connection connection, AuditLog audit, String id, int version, byte[] payload, Instant at)
            throws SQLException {
        if (table().confirmPublished(connection, id, version, payload)) {
            audit.record(connection, at, AuditLog.SYSTEM, sentAction(), auditTarget(), auditId(new Pending(id, version)), null,
                    Map.of("topic", topic(), "version", version, "confirmedFromTopic", true));
        }
    }

    /** The audit log's target id of a version, as its approval names it: its id by default. */
    default String auditId(Pending pending) {
        return pending.id();
    }

    /** The topic the versions go to. */
    String topic();

    /** The table the versions are kept in. */
    VersionTable table();

    /** Every APPROVED version, oldest approval first. */
    default List<Pending> approved(Connection connection) throws SQLException {
        return table().approved(connection);
    }

    /**
     * The signed record of an APPROVED version as it goes on the topic (single-object encoded), locked for this
     * transaction so that two API replicas do not both send it; null when it is no longer APPROVED or another replica
     * holds it.
     */
    default byte[] lockApproved(Connection connection, Pending pending) throws SQLException {
        return table().lockApproved(connection, pending);
    }

    /** The Kafka key of a signed record of this store: its id by default. */
    default String key(Pending pending, byte[] record) {
        return pending.id();
    }

    /**
     * Whether sending a version again is harmless: the engine ignores a rule or scorecard version not above the one in
     * force. When it is not, the outbox first checks the topic for a version it may have sent before it stopped.
     */
    default boolean resendHarmless() {
        return true;
    }

    /** Marks an APPROVED version PUBLISHED; false when it was not APPROVED. */
    default boolean markPublished(Connection connection, String id, int version) throws SQLException {
        return table().markPublished(connection, id, version);
    }
}
