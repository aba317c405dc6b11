package dev.kestrel.api.decisions;

import dev.kestrel.api.config.FeedSettings;
import dev.kestrel.api.publication.ApprovedVersions;
import dev.kestrel.api.publication.VersionTable;
import dev.kestrel.api.store.Sql;
import dev.kestrel.contract.JsonLines;
import dev.kestrel.contract.WireCodec;
import dev.kestrel.events.AlertScope;
import dev.kestrel.events.LimitDecision;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Owns {@code limit_decision}: decisions on a borrower's or group's limit, proposed by one person, approved (signed) or
 * rejected by another, and published once the limit-decisions topic took them. Unlike a rule, a decision must reach
 * the limit system once: the outbox checks the topic before it sends one again ({@link #resendHarmless}).
 */
@Singleton
public class LimitDecisions implements ApprovedVersions {
    static final int VERSION = 1; // a decision is never edited: a new one is proposed
    private static final VersionTable TABLE = new VersionTable("limit_decision", "decision_id", "decision_json");
    private final FeedSettings settings;

    LimitDecisions(FeedSettings settings) {
        this.settings = settings;
    }

    /** One stored decision; the record is kept without its signature, which only the signed payload carries. */
    record Case(VersionTable.Row row, String subject, String rejectionReason) {
        LimitDecision decision() {
            return (LimitDecision) JsonLines.read(row.json()).record();
        }
    }

    /** The key of a decision on its topic, and of its subject here: {@code BORROWER:<id>} or {@code GROUP:<id>}. */
    public static String subjectOf(LimitDecision decision) {
        return decision.getScope() == AlertScope.GROUP ? "GROUP:" + decision.getGroupId() : "BORROWER:" + decision.getBorrowerId();
    }

    /** Stores a proposal (its approver fields are placeholders until it is approved); false when the id exists. */
    boolean propose(Connection connection, LimitDecision decision, Instant at) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO limit_decision (decision_id, version, status, decision_json, subject, proposed_by, proposed_at)
                VALUES (?, ?, 'PROPOSED', ?::jsonb, ?, ?, ?) ON CONFLICT DO NOTHING""")) {
            insert.setString(1, decision.getDecisionId());
            insert.setInt(2, VERSION);
            insert.setString(3, JsonLines.write(decision));
            insert.setString(4, subjectOf(decision));
            insert.setString(5, decision.getProposedBy());
            insert.setTimestamp(6, Sql.timestamp(at));
            return insert.executeUpdate() == 1;
        }
    }

    /** Records the approval with the signed decision; false when it is no longer a proposal (a race). */
    boolean approve(Connection connection, LimitDecision signed) throws SQLException {
        return TABLE.approve(connection, signed.getDecisionId(), VERSION,
                JsonLines.write(LimitDecision.newBuilder(signed).setSignature(null).build()), signed.getApprovedBy(),
                signed.getApprovedAt(), new WireCodec().encode(signed), signed.getSignature().getKeyId());
    }

    /** Records a rejection; false when it is no longer a proposal (a race). */
    boolean reject(Connection connection, String decisionId, String by, Instant at, String reason) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("""
                UPDATE limit_decision SET status = 'REJECTED', published_by = ?, published_at = ?, rejection_reason = ?
                WHERE decision_id = ? AND version = ? AND status = 'PROPOSED'""")) {
            update.setString(1, by);
            update.setTimestamp(2, Sql.timestamp(at));
            update.setString(3, reason);
            update.setString(4, decisionId);
            update.setInt(5, VERSION);
            return update.executeUpdate() == 1;
        }
    }

    /** One decision, or null. */
    Case find(Connection connection, String decisionId) throws SQLException {
        List<Case> found = select(connection, "decision_id = ?", Arrays.asList(decisionId), 1);
        return found.isEmpty() ? null : found.get(0);
    }

    /**
     * Decisions of a subject ({@code BORROWER:<id>} or {@code GROUP:<id>}) and in a status (PROPOSED, APPROVED,
     * PUBLISHED, REJECTED), each null for any; newest proposal first, at most {@code limit}.
     */
    List<Case> matching(Connection connection, String subject, String status, int limit) throws SQLException {
        return select(connection, "(?::text IS NULL OR subject = ?::text) AND (?::text IS NULL OR status = ?::text)",
                Arrays.asList(subject, subject, status, status), limit);
    }

    /** Proposals still to be decided, of one proposer or of everyone, the longest waiting first. */
    List<Case> proposed(Connection connection, String proposedBy, int limit) throws SQLException {
        return select(connection, "status = 'PROPOSED' AND (?::text IS NULL OR proposed_by = ?::text)",
                Arrays.asList(proposedBy, proposedBy), "proposed_at, decision_id", limit);
    }

    private List<Case> select(Connection connection, String where, List<String> parameters, int limit) throws SQLException {
        return select(connection, where, parameters, "proposed_at DESC, decision_id", limit);
    }

    private List<Case> select(Connection connection, String where, List<String> parameters, String order, int limit)
            throws SQLException {
        List<Case> cases = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT " + TABLE.columns()
                + ", subject, rejection_reason FROM limit_decision WHERE " + where + " ORDER BY " + order + " LIMIT ?")) {
            for (int i = 0; i < parameters.size(); i++) {
                select.setString(i + 1, parameters.get(i));
            }
            select.setInt(parameters.size() + 1, limit);
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    cases.add(new Case(VersionTable.row(row), row.getString("subject"), row.getString("rejection_reason")));
                }
            }
        }
        return cases;
    }

    @Override
    public String auditTarget() {
        return "limit-decision";
    }

    @Override
    public String kind() {
        return "limit decision";
    }

    @Override
    public String topic() {
        return settings.limitDecisionsTopic();
    }

    @Override
    public VersionTable table() {
        return TABLE;
    }

    @Override
    public String key(Pending pending, byte[] record) {
        return subjectOf((LimitDecision) new WireCodec().decode(record).record());
    }

    /** The limit system applies what it reads: a decision sent twice would be applied twice. */
    @Override
    public boolean resendHarmless() {
        return false;
    }
}
