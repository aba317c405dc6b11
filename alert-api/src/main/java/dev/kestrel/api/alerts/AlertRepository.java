package dev.kestrel.api.alerts;

import dev.kestrel.api.store.Database;
import dev.kestrel.api.store.JsonColumns;
import dev.kestrel.api.store.Sql;
import dev.kestrel.api.store.Where;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads alerts for the desk: the filtered list, one alert in full, and an alert's row for a workflow change. */
@Singleton
public final class AlertRepository {
    private static final String COLUMNS = """
            a.alert_id, a.seq, a.scope, a.borrower_id, b.name AS borrower_name, a.group_id, a.rule_id, a.rule_version,
            a.category, a.severity, a.title, a.explanation->>'summary' AS summary, a.lifecycle, a.status, a.assignee,
            a.disposition, a.episode_started_at, a.event_time, a.detected_at, a.received_at, a.updated_at,
            a.sla_due_at, a.version""";
    private static final String FROM = " FROM alert a LEFT JOIN borrower b ON b.borrower_id = a.borrower_id";

    private final Database database;
    private final JsonColumns json;
    private final Clock clock;

    AlertRepository(Database database, JsonColumns json, Clock clock) {
        this.database = database;
        this.json = json;
        this.clock = clock;
    }

    public AlertPage list(AlertQuery query) {
        Instant now = clock.instant();
        Where where = new Where().in("a.status", query.statuses().stream().map(Enum::name).toList())
                .in("a.severity", query.severities()).in("a.category", query.categories())
                .equal("a.rule_id", query.ruleId()).equal("a.borrower_id", query.borrowerId())
                .equal("a.group_id", query.groupId()).equal("a.assignee", query.assignee());
        if (query.from() != null) {
            where.and("a.detected_at >= ?", Sql.timestamp(query.from()));
        }
        if (query.to() != null) {
            where.and("a.detected_at < ?", Sql.timestamp(query.to()));
        }
        if (query.borrowerNameContains() != null) {
            where.and("lower(b.name) LIKE ?", Sql.likePattern(query.borrowerNameContains()));
        }
        if (query.slaBreached() != null) {
            where.and(query.slaBreached() ? "a.status <> 'RESOLVED' AND a.sla_due_at < ?"
                    : "NOT (a.status <> 'RESOLVED' AND a.sla_due_at < ?)", Sql.timestamp(now));
        }
        AlertQuery.Order order = query.order();
        String column = order.sort().column;
        if (query.cursor() != null) {
            AlertQuery.Cursor cursor = AlertQuery.Cursor.decode(query.cursor(), order);
            where.and("(" + column + ", a.seq) " + (order.descending() ? "<" : ">") + " (?, ?)", cursor.value(), cursor.seq());
        }
        String direction = order.descending() ? " DESC" : " ASC";
        String sql = "SELECT " + COLUMNS + FROM + where.sql() + " ORDER BY " + column + direction + ", a.seq" + direction + " LIMIT ?";
        where.parameter(query.limit() + 1);
        return database.read(connection -> {
            List<AlertView> items = new ArrayList<>();
            long lastSeq = 0;
            String nextCursor = null;
            try (PreparedStatement select = connection.prepareStatement(sql)) {
                where.bind(connection, select);
                try (ResultSet row = select.executeQuery()) {
                    while (row.next()) {
                        if (items.size() == query.limit()) {
                            // One more row exists: the page ends at the previous one.
                            AlertView last = items.get(items.size() - 1);
                            nextCursor = new AlertQuery.Cursor(order.token(), sortValue(order.sort(), last), lastSeq).encode();
                            break;
                        }
                        items.add(view(row, now));
                        lastSeq = row.getLong("seq");
                    }
                }
            }
            return new AlertPage(items, nextCursor);
        });
    }

    private static String sortValue(AlertQuery.Sort sort, AlertView view) {
        return switch (sort) {
            case RECEIVED_AT -> view.receivedAt().toString();
            case EPISODE_STARTED_AT -> view.episodeStartedAt().toString();
            case SLA_DUE_AT -> view.slaDueAt().toString();
            case SEVERITY -> Integer.toString(dev.kestrel.events.Severity.valueOf(view.severity()).ordinal());
        };
    }

    /** The alerts with these ids, in no particular order. */
    public List<AlertView> views(Collection<String> alertIds) {
        Instant now = clock.instant();
        return database.read(connection -> {
            try (PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS + FROM + " WHERE a.alert_id = ANY (?)")) {
                select.setArray(1, connection.createArrayOf("text", alertIds.toArray()));
                return views(select, now);
            }
        });
    }

    /** A subject's alerts, newest first: open ones before resolved ones. */
    public List<AlertView> forSubject(String column, String id, int limit) {
        return database.read(connection -> forSubject(connection, column, id, limit));
    }

    /** The same on the caller's connection. */
    public List<AlertView> forSubject(Connection connection, String column, String id, int limit) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS + FROM + " WHERE a." + column
                + " = ? ORDER BY (a.status = 'RESOLVED'), a.received_at DESC, a.seq DESC LIMIT ?")) {
            select.setString(1, id);
            select.setInt(2, limit);
            return views(select, clock.instant());
        }
    }

    /** How many alerts the desk has not resolved, per borrower, for those of the given borrowers that have any. */
    public Map<String, Integer> unresolvedCounts(Connection connection, List<String> borrowerIds) throws SQLException {
        Map<String, Integer> counts = new HashMap<>();
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT borrower_id, count(*) FROM alert WHERE borrower_id = ANY (?) AND status <> 'RESOLVED' GROUP BY borrower_id")) {
            select.setArray(1, connection.createArrayOf("text", borrowerIds.toArray()));
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    counts.put(row.getString(1), row.getInt(2));
                }
            }
        }
        return counts;
    }

    public Optional<AlertDetail> detail(String alertId) {
        Instant now = clock.instant();
        return database.read(connection -> {
            AlertView view;
            Explanation explanation;
            String resolutionNote;
            try (PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS
                    + ", a.explanation::text AS explanation_json, a.resolution_note" + FROM + " WHERE a.alert_id = ?")) {
                select.setObject(1, alertId);
                try (ResultSet row = select.executeQuery()) {
                    if (!row.next()) {
                        return Optional.empty();
                    }
                    view = view(row, now);
                    explanation = json.read(row.getString("explanation_json"), Explanation.class);
                    resolutionNote = row.getString("resolution_note");
                }
            }
            return Optional.of(new AlertDetail(view, explanation, resolutionNote, history(connection, alertId),
                    comments(connection, alertId)));
        });
    }

    private static List<AlertDetail.HistoryEntry> history(Connection connection, String alertId) throws SQLException {
        List<AlertDetail.HistoryEntry> entries = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT at, actor, action, from_status, to_status, note FROM alert_history WHERE alert_id = ? ORDER BY id")) {
            select.setObject(1, alertId);
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    entries.add(new AlertDetail.HistoryEntry(Sql.instant(row, "at"), row.getString("actor"),
                            row.getString("action"), row.getString("from_status"), row.getString("to_status"),
                            row.getString("note")));
                }
            }
        }
        return entries;
    }

    private static List<AlertDetail.Comment> comments(Connection connection, String alertId) throws SQLException {
        List<AlertDetail.Comment> comments = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT id, at, author, body FROM alert_comment WHERE alert_id = ? ORDER BY id")) {
            select.setObject(1, alertId);
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    comments.add(new AlertDetail.Comment(row.getLong("id"), Sql.instant(row, "at"), row.getString("author"),
                            row.getString("body")));
                }
            }
        }
        return comments;
    }

    /** Locks the alert's row for a workflow change in the caller's transaction. */
    Optional<AlertView> lock(Connection connection, String alertId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT " + COLUMNS + FROM + " WHERE a.alert_id = ? FOR UPDATE OF a")) {
            select.setObject(1, alertId);
            return views(select, clock.instant()).stream().findFirst();
        }
    }

    private List<AlertView> views(PreparedStatement select, Instant now) throws SQLException {
        List<AlertView> views = new ArrayList<>();
        try (ResultSet row = select.executeQuery()) {
            while (row.next()) {
                views.add(view(row, now));
            }
        }
        return views;
    }

    private static AlertView view(ResultSet row, Instant now) throws SQLException {
        AlertStatus status = AlertStatus.valueOf(row.getString("status"));
        Instant slaDueAt = Sql.instant(row, "sla_due_at");
        String disposition = row.getString("disposition");
        return new AlertView(row.getString("alert_id"), row.getString("scope"), row.getString("borrower_id"),
                row.getString("borrower_name"), row.getString("group_id"), row.getString("rule_id"), row.getInt("rule_version"),
                row.getString("category"), row.getString("severity"), row.getString("title"), row.getString("summary"),
                row.getString("lifecycle"), status, row.getString("assignee"),
                disposition == null ? null : Disposition.valueOf(disposition), Sql.instant(row, "episode_started_at"),
                Sql.instant(row, "event_time"), Sql.instant(row, "detected_at"), Sql.instant(row, "received_at"),
                Sql.instant(row, "updated_at"), slaDueAt, status.isOpen() && slaDueAt.isBefore(now), row.getInt("version"));
    }
}
