package dev.kestrel.api.audit;

import io.micronaut.serde.annotation.Serdeable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Checks the audit log's hash chain (migrations V9, V10): every row, in chain order, must follow the one before
 * without a gap and with a higher id, name its hash as its previous hash, and hash to what it says. The hash is recomputed here, in Java, not by the
 * database's own function, so a database whose function was replaced cannot vouch for itself. An auditor who records
 * the head hash can later tell that no row before it changed.
 */
public final class AuditChain {
    private AuditChain() {}

    /** The outcome: intact, with the rows and the head hash; or where the chain first breaks, and how. */
    @Serdeable
    public record Verdict(boolean intact, long rows, String head, Long brokenAtChainNo, Long brokenAtId, String problem) {
        static Verdict intact(long rows, byte[] head) {
            return new Verdict(true, rows, head == null ? null : HexFormat.of().formatHex(head), null, null, null);
        }

        static Verdict broken(long rows, long chainNo, long id, String problem) {
            return new Verdict(false, rows, null, chainNo, id, problem);
        }
    }

    /** Reads the whole log in chain order, in pages of a thousand rows; needs a connection without autocommit. */
    public static Verdict verify(Connection connection) throws SQLException {
        long expected = 1;
        byte[] previous = null;
        long previousId = Long.MIN_VALUE;
        try (PreparedStatement select = connection.prepareStatement("""
                SELECT id, chain_no, at, actor, action, target_type, target_id, before::text AS before, after::text AS after,
                    prev_hash, hash
                FROM audit_log ORDER BY chain_no""")) {
            select.setFetchSize(1_000);
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    long id = row.getLong("id");
                    long chainNo = row.getLong("chain_no");
                    if (chainNo != expected) {
                        return Verdict.broken(expected - 1, chainNo, id, chainNo > expected
                                ? "rows " + expected + " to " + (chainNo - 1) + " of the chain are missing"
                                : "row " + chainNo + " of the chain appears twice");
                    }
                    if (id <= previousId) {
                        return Verdict.broken(expected - 1, chainNo, id, "its id is not above the id of the row before it");
                    }
                    if (!Arrays.equals(row.getBytes("prev_hash"), previous)) {
                        return Verdict.broken(expected - 1, chainNo, id, "its previous hash is not the hash of the row before it");
                    }
                    byte[] hash = row.getBytes("hash");
                    Instant at = row.getTimestamp("at").toInstant();
                    if (!Arrays.equals(hash(previous, id, chainNo, at, row.getString("actor"), row.getString("action"),
                            row.getString("target_type"), row.getString("target_id"), row.getString("before"), row.getString("after")), hash)) {
                        return Verdict.broken(expected - 1, chainNo, id, "its content does not hash to its hash: it was changed");
                    }
                    previous = hash;
                    previousId = id;
                    expected++;
                }
            }
        }
        return Verdict.intact(expected - 1, previous);
    }

    /**
     * The row's hash as migration V10 defines it: SHA-256 of the previous hash and of each field prefixed by its length
     * in UTF-8 bytes, so no text can pass from one field to the next.
     */
    static byte[] hash(byte[] previous, long id, long chainNo, Instant at, String actor, String action, String targetType,
                       String targetId, String before, String after) {
        long micros = Math.addExact(Math.multiplyExact(at.getEpochSecond(), 1_000_000L), at.getNano() / 1_000);
        StringBuilder text = new StringBuilder();
        for (String field : new String[] {Long.toString(id), Long.toString(chainNo), Long.toString(micros), actor, action,
                targetType, targetId, before == null ? "null" : before, after == null ? "null" : after}) {
            text.append(field.getBytes(StandardCharsets.UTF_8).length).append(':').append(field);
        }
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            if (previous != null) {
                sha.update(previous);
            }
            return sha.digest(text.toString().getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
