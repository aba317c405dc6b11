package dev.kestrel.api.rules;

import dev.kestrel.api.audit.AuditLog;
import dev.kestrel.api.config.FeedSettings;
import dev.kestrel.api.publication.ApprovedVersions;
import dev.kestrel.api.publication.VersionTable;
import dev.kestrel.contract.JsonLines;
import dev.kestrel.contract.WireCodec;
import dev.kestrel.events.Rule;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/**
 * Owns {@code rule_change}: the versions proposed through the API, approved (signed) by a checker, and published once
 * the rules topic took them. The controller proposes and approves through it, the outbox sends what is approved, and
 * the feed confirms what the topic carries.
 */
@Singleton
public class RuleChanges implements ApprovedVersions {
    private static final VersionTable TABLE = new VersionTable("rule_change", "rule_id", "rule_json");
    private final FeedSettings settings;
    private final AuditLog audit;

    RuleChanges(FeedSettings settings, AuditLog audit) {
        this.settings = settings;
        this.audit = audit;
    }

    /** One stored version; the rule is kept without its signature, which only the signed payload carries. */
    record Change(VersionTable.Row row) {
        String ruleId() {
            return row.id();
        }

        int version() {
            return row.version();
        }

        String status() {
            return row.status();
        }

        Rule rule() {
            return (Rule) JsonLines.read(row.json()).record();
        }
    }

    /** Every version of one rule, or of every rule when {@code ruleId} is null. */
    List<Change> all(Connection connection, String ruleId) throws SQLException {
        return TABLE.all(connection, ruleId).stream().map(Change::new).toList();
    }

    /** Stores a proposal; false when that version exists already. */
    boolean propose(Connection connection, Rule rule, String by, Instant at) throws SQLException {
        return TABLE.propose(connection, rule.getRuleId(), rule.getVersion(), JsonLines.write(rule), by, at);
    }

    /** Records a checker's approval of a proposal with the signed rule; false when it is no longer a proposal (a race). */
    boolean approve(Connection connection, Rule signed) throws SQLException {
        return TABLE.approve(connection, signed.getRuleId(), signed.getVersion(),
                JsonLines.write(Rule.newBuilder(signed).setSignature(null).build()), signed.getPublishedBy(), signed.getPublishedAt(),
                new WireCodec().encode(signed), signed.getSignature().getKeyId());
    }

    /**
     * The rules topic carries this version: it is PUBLISHED if it is, byte for byte, the one the API signed and stored
     * (the API stopped after the broker took it and before marking it). Anything else, unsigned, signed by another key
     * or changed, confirms nothing: the engine dead-letters it as UNSIGNED_RULE. A version it marks is audited as the
     * outbox would have ({@code _SENT} by {@code system}, confirmed from the topic).
     */
    public void seenOnTopic(Connection connection, Rule rule, Instant receivedAt) throws SQLException {
        if (rule.getSignature() != null) {
            confirmFromTopic(connection, audit, rule.getRuleId(), rule.getVersion(), new WireCodec().encode(rule), receivedAt);
        }
    }

    @Override
    public String auditTarget() {
        return "rule";
    }

    /** As its proposal and publication name it: id@version. */
    @Override
    public String auditId(Pending pending) {
        return pending.id() + "@" + pending.version();
    }

    @Override
    public String kind() {
        return "rule";
    }

    @Override
    public String topic() {
        return settings.rulesTopic();
    }

    @Override
    public VersionTable table() {
        return TABLE;
    }
}
