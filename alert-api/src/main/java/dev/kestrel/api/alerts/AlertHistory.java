package dev.kestrel.api.alerts;

import dev.kestrel.api.store.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;

/** Appends to an alert's history, in the caller's transaction: the engine's changes and the desk's alike. */
public final class AlertHistory {
    private AlertHistory() {}

    /** {@code from} is null for the alert's first entry. */
    public static void append(Connection connection, String alertId, Instant at, String actor, String action,
                              AlertStatus from, AlertStatus to, String note) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO alert_history (alert_id, at, actor, action, from_status, to_status, note)
                VALUES (?, ?, ?, ?, ?, ?, ?)""")) {
            insert.setObject(1, alertId);
            insert.setTimestamp(2, Sql.timestamp(at));
            insert.setString(3, actor);
            insert.setString(4, action);
            Sql.setNullableText(insert, 5, from == null ? null : from.name());
            insert.setString(6, to.name());
            Sql.setNullableText(insert, 7, note);
            insert.executeUpdate();
        }
    }
}
