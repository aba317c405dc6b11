package dev.kestrel.api.scorecards;

import dev.kestrel.api.audit.AuditLog;
import dev.kestrel.api.config.FeedSettings;
import dev.kestrel.api.publication.ApprovedVersions;
import dev.kestrel.api.publication.VersionTable;
import dev.kestrel.contract.JsonLines;
import dev.kestrel.contract.WireCodec;
import dev.kestrel.events.Scorecard;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/**
 * Owns {@code scorecard_change}: the versions proposed through the API, approved (signed) by a checker, and published
 * once the scorecards topic took them. The controller proposes and approves through it, the outbox sends what is
 * approved, and the feed confirms what the topic carries.
 */
@Singleton
public class ScorecardChanges implements ApprovedVersions {
    private static final VersionTable TABLE = new VersionTable("scorecard_change", "scorecard_id", "scorecard_json");
    private final FeedSettings settings;
    private final AuditLog audit;

    ScorecardChanges(FeedSettings settings, AuditLog audit) {
        this.settings = settings;
        this.audit = audit;
    }

    /** One stored version; the card is kept without its signature, which only the signed payload carries. */
    record Change(VersionTable.Row row) {
        Scorecard scorecard() {
            return (Scorecard) JsonLines.read(row.json()).record();
        }
    }

    List<Change> all(Connection connection) throws SQLException {
        return TABLE.all(connection, null).stream().map(Change::new).toList();
    }

    /** Stores a proposal; false when that version exists already. */
    boolean propose(Connection connection, Scorecard card, String by, Instant at) throws SQLException {
        return TABLE.propose(connection, card.getScorecardId(), card.getVersion(), JsonLines.write(card), by, at);
    }

    /** Records a checker's approval of a proposal with the signed card; false when it is no longer a proposal (a race). */
    boolean approve(Connection connection, Scorecard signed) throws SQLException {
        return TABLE.approve(connection, signed.getScorecardId(), signed.getVersion(),
                JsonLines.write(Scorecard.newBuilder(signed).setSignature(null).build()), signed.getPublishedBy(),
                signed.getPublishedAt(), new WireCodec().encode(signed), signed.getSignature().getKeyId());
    }

    /**
     * The scorecards topic carries this version: it is PUBLISHED if it is, byte for byte, the one the API signed and stored
     * (the API stopped after the broker took it and before marking it). Anything else, unsigned, signed by another key
     * or changed, confirms nothing: the engine dead-letters it as UNSIGNED_RULE. A version it marks is audited as the
     * outbox would have ({@code _SENT} by {@code system}, confirmed from the topic).
     */
    public void seenOnTopic(Connection connection, Scorecard card, Instant receivedAt) throws SQLException {
        if (card.getSignature() != null) {
            confirmFromTopic(connection, audit, card.getScorecardId(), card.getVersion(), new WireCodec().encode(card), receivedAt);
        }
    }

    @Override
    public String auditTarget() {
        return "scorecard";
    }

    /** As its proposal and publication name it: id@version. */
    @Override
    public String auditId(Pending pending) {
        return pending.id() + "@" + pending.version();
    }

    @Override
    public String kind() {
        return "scorecard";
    }

    @Override
    public String topic() {
        return settings.scorecardsTopic();
    }

    @Override
    public VersionTable table() {
        return TABLE;
    }
}
