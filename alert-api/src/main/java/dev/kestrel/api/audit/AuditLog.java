package dev.kestrel.api.audit;

import dev.kestrel.api.store.Sql;
import dev.kestrel.api.store.JsonColumns;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code audit_log} table. Writes audit rows in the caller's transaction, so an action and its audit row commit
 * together or not at all, and reads them back for auditors. Rows are never changed: the table refuses UPDATE, DELETE
 * and TRUNCATE, and no code here issues them.
 */
@Singleton
public final class AuditLog {
    private final JsonColumns json;

    /** The actor of the rows the API writes on its own: SLA breaches, publications, seeded users, cases it opens. */
    public static final String SYSTEM = "system";

    AuditLog(JsonColumns json) {
        this.json = json;
    }

    public void record(Connection connection, Instant at, String actor, String action, String targetType, String targetId,
                       Object before, Object after) throws SQLException {
        // The chain's lock before the row takes its id, not after (the trigger takes it too): else a transaction writing
        // several rows could hand out ids above one that waits for the lock, and the chain would read as tampered with.
        try (PreparedStatement lock = connection.prepareStatement("SELECT pg_advisory_xact_lock(hashtext('audit_log_chain'))")) {
            lock.execute();
        }
        try (PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO audit_log (at, actor, action, target_type, target_id, before, after)
                VALUES (?, ?, ?, ?, ?, ?::jsonb, ?::jsonb)""")) {
            insert.setTimestamp(1, Sql.timestamp(at));
            insert.setString(2, actor);
            insert.setString(3, action);
            insert.setString(4, targetType);
            insert.setString(5, targetId);
            Sql.setNullableText(insert, 6, json.write(before));
            Sql.setNullableText(insert, 7, json.write(after));
            insert.executeUpdate();
        }
    }

    /** Every row about one target, the oldest first: the trail a report prints. */
    public List<Entry> trail(Connection connection, String targetType, String targetId) throws SQLException {
        List<Entry> rows = new ArrayList<>(read(connection, new Filter(targetType, targetId, null, null, Integer.MAX_VALUE)));
        java.util.Collections.reverse(rows);
        return rows;
    }

    /** One audit row as auditors read it. */
    @Serdeable
    public record Entry(long id, Instant at, String actor, String action, String targetType, String targetId,
                        @Nullable JsonNode before, @Nullable JsonNode after) {
    }

    /** Which rows to read: each filter null for any; rows with an id below {@code before}, newest first. */
    record Filter(@Nullable String targetType, @Nullable String targetId, @Nullable String actor, @Nullable Long before, int limit) {
    }

    List<Entry> read(Connection connection, Filter filter) throws SQLException {
        StringBuilder sql = new StringBuilder(
                "SELECT id, at, actor, action, target_type, target_id, before::text, after::text FROM audit_log WHERE true");
        List<Object> parameters = new ArrayList<>();
        if (filter.targetType() != null) {
            sql.append(" AND target_type = ?");
            parameters.add(filter.targetType());
        }
        if (filter.targetId() != null) {
            sql.append(" AND target_id = ?");
            parameters.add(filter.targetId());
        }
        if (filter.actor() != null) {
            sql.append(" AND actor = ?");
            parameters.add(filter.actor());
        }
        if (filter.before() != null) {
            sql.append(" AND id < ?");
            parameters.add(filter.before());
        }
        sql.append(" ORDER BY id DESC LIMIT ?");
        parameters.add(filter.limit());
        List<Entry> entries = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(sql.toString())) {
            for (int i = 0; i < parameters.size(); i++) {
                select.setObject(i + 1, parameters.get(i));
            }
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    entries.add(new Entry(row.getLong("id"), Sql.instant(row, "at"), row.getString("actor"),
                            row.getString("action"), row.getString("target_type"), row.getString("target_id"),
                            json.tree(row.getString("before")), json.tree(row.getString("after"))));
                }
            }
        }
        return entries;
    }
}
