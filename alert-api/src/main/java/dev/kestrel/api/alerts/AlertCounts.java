package dev.kestrel.api.alerts;

import dev.kestrel.api.store.Sql;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;

/** Counts over the {@code alert} table for the desk's overview; "open" is the desk's status: not yet resolved. */
@Singleton
public final class AlertCounts {
    /** Open alerts by severity, the most severe first. */
    public Map<String, Long> openBySeverity(Connection connection) throws SQLException {
        return counts(connection, "SELECT severity, count(*) FROM alert WHERE status <> 'RESOLVED' GROUP BY severity, severity_rank "
                + "ORDER BY severity_rank DESC", null);
    }

    /** All alerts by desk status. */
    public Map<String, Long> byStatus(Connection connection) throws SQLException {
        return counts(connection, "SELECT status, count(*) FROM alert GROUP BY status ORDER BY 1", null);
    }

    /** Open alerts past their SLA at {@code now}, by severity, the most severe first. */
    public Map<String, Long> slaBreachesBySeverity(Connection connection, Instant now) throws SQLException {
        return counts(connection, "SELECT severity, count(*) FROM alert WHERE status <> 'RESOLVED' AND sla_due_at < ? "
                + "GROUP BY severity, severity_rank ORDER BY severity_rank DESC", now);
    }

    /** The ten rules that raised most alerts received since {@code since}, most first, ties by rule id. */
    public Map<String, Long> topRules(Connection connection, Instant since) throws SQLException {
        return counts(connection, "SELECT rule_id, count(*) FROM alert WHERE received_at >= ? GROUP BY rule_id "
                + "ORDER BY 2 DESC, 1 LIMIT 10", since);
    }

    /** Alerts received per UTC day since {@code since}; days without alerts are absent. */
    public Map<LocalDate, Long> receivedPerDay(Connection connection, Instant since) throws SQLException {
        Map<LocalDate, Long> perDay = new LinkedHashMap<>();
        counts(connection, "SELECT to_char(received_at AT TIME ZONE 'UTC', 'YYYY-MM-DD'), count(*) FROM alert "
                + "WHERE received_at >= ? GROUP BY 1 ORDER BY 1", since).forEach((day, n) -> perDay.put(LocalDate.parse(day), n));
        return perDay;
    }

    private static Map<String, Long> counts(Connection connection, String sql, Instant parameter) throws SQLException {
        Map<String, Long> counts = new LinkedHashMap<>();
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            if (parameter != null) {
                select.setTimestamp(1, Sql.timestamp(parameter));
            }
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    counts.put(row.getString(1), row.getLong(2));
                }
            }
        }
        return counts;
    }
}
