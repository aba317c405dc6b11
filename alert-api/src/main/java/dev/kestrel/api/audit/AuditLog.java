package dev.kestrel.api.audit;

import dev.kestrel.api.store.Sql;
import dev.kestrel.api.store.JsonColumns;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;

/**
 * Writes audit rows in the caller's transaction, so an action and its audit row commit together or not at all.
 * Rows are never changed: the table refuses UPDATE, DELETE and TRUNCATE, and no code here issues them.
 */
@Singleton
public final class AuditLog {
    private final JsonColumns json;

    AuditLog(JsonColumns json) {
        this.json = json;
    }

    public void record(Connection connection, Instant at, String actor, String action, String targetType, String targetId,
                       Object before, Object after) throws SQLException {
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
}
