package dev.kestrel.api.publication;

import dev.kestrel.api.store.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The SQL of one table of published versions ({@code rule_change}, {@code scorecard_change}): the same life, PROPOSED,
 * APPROVED with its signed payload, PUBLISHED, over differently named columns. The store that owns the table calls it.
 */
public final class VersionTable {
    private final String table;
    private final String idColumn;
    private final String jsonColumn;

    /** One stored version; {@code json} is the record without its signature. */
    public record Row(String id, int version, String status, String json, String proposedBy, Instant proposedAt,
                      String publishedBy, Instant publishedAt, String signedWith) {
        /**
         * The SHA-256 (hex) of the version as stored and shown: a checker publishes with the one of the version they
         * reviewed, so what is signed is what was read, even if the stored row changed in between.
         */
        public String contentSha256() {
            try {
                return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                        .digest(json.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException("the JDK has no SHA-256", e);
            }
        }
    }

    /** Names are the store's constants, never input. */
    public VersionTable(String table, String idColumn, String jsonColumn) {
        this.table = table;
        this.idColumn = idColumn;
        this.jsonColumn = jsonColumn;
    }

    /** The columns {@link #row} reads, first in a SELECT of this table; a store may select more after them. */
    public String columns() {
        return idColumn + ", version, status, " + jsonColumn
                + "::text, proposed_by, proposed_at, published_by, published_at, signed_with";
    }

    /** The version in the current row of a SELECT that begins with {@link #columns}. */
    public static Row row(ResultSet row) throws SQLException {
        return new Row(row.getString(1), row.getInt(2), row.getString(3), row.getString(4), row.getString(5),
                Sql.instant(row, "proposed_at"), row.getString(7), Sql.instant(row, "published_at"), row.getString(9));
    }

    /** Every version of one id, or of every id when {@code id} is null, by id and version. */
    public List<Row> all(Connection connection, String id) throws SQLException {
        List<Row> rows = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT " + columns() + " FROM " + table
                + " WHERE ? IS NULL OR " + idColumn + " = ? ORDER BY " + idColumn + ", version")) {
            select.setString(1, id);
            select.setString(2, id);
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    rows.add(row(row));
                }
            }
        }
        return rows;
    }

    /** Stores a proposal; false when that version exists already. */
    public boolean propose(Connection connection, String id, int version, String json, String by, Instant at) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + table + " (" + idColumn + ", version, status, "
                + jsonColumn + ", proposed_by, proposed_at) VALUES (?, ?, 'PROPOSED', ?::jsonb, ?, ?) ON CONFLICT DO NOTHING")) {
            insert.setString(1, id);
            insert.setInt(2, version);
            insert.setString(3, json);
            insert.setString(4, by);
            insert.setTimestamp(5, Sql.timestamp(at));
            return insert.executeUpdate() == 1;
        }
    }

    /** Records a checker's approval with the signed payload; false when the version is no longer a proposal (a race). */
    public boolean approve(Connection connection, String id, int version, String json, String publishedBy, Instant publishedAt,
                           byte[] signedPayload, String keyId) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE " + table + " SET status = 'APPROVED', " + jsonColumn
                + " = ?::jsonb, published_by = ?, published_at = ?, signed_payload = ?, signed_with = ? WHERE " + idColumn
                + " = ? AND version = ? AND status = 'PROPOSED'")) {
            update.setString(1, json);
            update.setString(2, publishedBy);
            update.setTimestamp(3, Sql.timestamp(publishedAt));
            update.setBytes(4, signedPayload);
            update.setString(5, keyId);
            update.setString(6, id);
            update.setInt(7, version);
            return update.executeUpdate() == 1;
        }
    }

    /** Every APPROVED version, oldest approval first. */
    List<ApprovedVersions.Pending> approved(Connection connection) throws SQLException {
        List<ApprovedVersions.Pending> pending = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT " + idColumn + ", version FROM " + table
                + " WHERE status = 'APPROVED' ORDER BY published_at, " + idColumn + ", version")) {
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    pending.add(new ApprovedVersions.Pending(row.getString(1), row.getInt(2)));
                }
            }
        }
        return pending;
    }

    /** See {@link ApprovedVersions#lockApproved}. */
    byte[] lockApproved(Connection connection, ApprovedVersions.Pending pending) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT signed_payload FROM " + table + " WHERE " + idColumn
                + " = ? AND version = ? AND status = 'APPROVED' FOR UPDATE SKIP LOCKED")) {
            select.setString(1, pending.id());
            select.setInt(2, pending.version());
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? row.getBytes(1) : null;
            }
        }
    }

    /**
     * Marks an APPROVED version PUBLISHED because the topic carries exactly the bytes the API signed and stored; a
     * record that differs in any byte (another signature, another content) confirms nothing. False otherwise.
     */
    public boolean confirmPublished(Connection connection, String id, int version, byte[] payload) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE " + table + " SET status = 'PUBLISHED' WHERE "
                + idColumn + " = ? AND version = ? AND status = 'APPROVED' AND signed_payload = ?")) {
            update.setString(1, id);
            update.setInt(2, version);
            update.setBytes(3, payload);
            return update.executeUpdate() == 1;
        }
    }

    /** Marks an APPROVED version PUBLISHED; false when it was not APPROVED. */
    boolean markPublished(Connection connection, String id, int version) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE " + table + " SET status = 'PUBLISHED' WHERE "
                + idColumn + " = ? AND version = ? AND status = 'APPROVED'")) {
            update.setString(1, id);
            update.setInt(2, version);
            return update.executeUpdate() == 1;
        }
    }
}
