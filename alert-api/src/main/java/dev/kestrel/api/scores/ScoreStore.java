package dev.kestrel.api.scores;

import io.micronaut.json.tree.JsonNode;
import dev.kestrel.api.errors.ApiException;
import dev.kestrel.api.store.JsonColumns;
import dev.kestrel.api.store.Sql;
import dev.kestrel.api.store.Where;
import dev.kestrel.events.BorrowerScore;
import dev.kestrel.events.ScoreContribution;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The engine's scores as the desk reads them: owns {@code borrower_score} (every change) and {@code watch_list} (the
 * latest per borrower), takes the feed's writes and serves the watch-list reads. It stores what the engine decided
 * and derives nothing: grade, segment, PD and the order of the factors are the engine's.
 */
@Singleton
public class ScoreStore {
    /** How many factors the watch list shows per borrower: the score's top three. */
    static final int TOP_FACTORS = 3;

    private final JsonColumns json;

    ScoreStore(JsonColumns json) {
        this.json = json;
    }

    /** Keeps one score change; a change read again, or older than the latest kept, leaves the watch list as it is. */
    public void apply(Connection connection, BorrowerScore score) throws SQLException {
        String factors = json.write(factors(score.getFactors()));
        try (PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO borrower_score (borrower_id, event_time, scorecard_id, scorecard_version, score, pd_basis_points,
                    grade, segment, grade_since, suggested_rating, factors, detected_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?)
                ON CONFLICT DO NOTHING""")) {
            insert.setString(1, score.getBorrowerId());
            insert.setTimestamp(2, Sql.timestamp(score.getEventTime()));
            insert.setString(3, score.getScorecardId());
            insert.setInt(4, score.getScorecardVersion());
            insert.setInt(5, score.getScore());
            insert.setInt(6, score.getPdBasisPoints());
            insert.setString(7, score.getGrade().name());
            insert.setString(8, score.getSegment().name());
            insert.setTimestamp(9, Sql.timestamp(score.getGradeSince()));
            Sql.setNullableText(insert, 10, score.getSuggestedRating());
            insert.setString(11, factors);
            insert.setTimestamp(12, Sql.timestamp(score.getDetectedAt()));
            insert.executeUpdate();
        }
        // The engine writes a borrower's changes in event-time order; one at the same time replaces, an older one not.
        try (PreparedStatement upsert = connection.prepareStatement("""
                INSERT INTO watch_list (borrower_id, group_id, scorecard_id, scorecard_version, score, previous_score,
                    pd_basis_points, grade, grade_rank, grade_since, segment, internal_rating, suggested_rating, top_factors,
                    event_time)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?)
                ON CONFLICT (borrower_id) DO UPDATE SET group_id = excluded.group_id, scorecard_id = excluded.scorecard_id,
                    scorecard_version = excluded.scorecard_version, score = excluded.score,
                    previous_score = excluded.previous_score, pd_basis_points = excluded.pd_basis_points,
                    grade = excluded.grade, grade_rank = excluded.grade_rank, grade_since = excluded.grade_since,
                    segment = excluded.segment, internal_rating = excluded.internal_rating,
                    suggested_rating = excluded.suggested_rating, top_factors = excluded.top_factors,
                    event_time = excluded.event_time
                WHERE watch_list.event_time <= excluded.event_time""")) {
            upsert.setString(1, score.getBorrowerId());
            Sql.setNullableText(upsert, 2, score.getGroupId());
            upsert.setString(3, score.getScorecardId());
            upsert.setInt(4, score.getScorecardVersion());
            upsert.setInt(5, score.getScore());
            upsert.setObject(6, score.getPreviousScore());
            upsert.setInt(7, score.getPdBasisPoints());
            upsert.setString(8, score.getGrade().name());
            upsert.setInt(9, score.getGrade().ordinal());
            upsert.setTimestamp(10, Sql.timestamp(score.getGradeSince()));
            upsert.setString(11, score.getSegment().name());
            Sql.setNullableText(upsert, 12, score.getInternalRating());
            Sql.setNullableText(upsert, 13, score.getSuggestedRating());
            upsert.setString(14, json.write(factors(score.getFactors().subList(0, Math.min(TOP_FACTORS, score.getFactors().size())))));
            upsert.setTimestamp(15, Sql.timestamp(score.getEventTime()));
            upsert.executeUpdate();
        }
    }

    /** The factors as the desk reads them, in the engine's order (most points first). */
    private static List<Map<String, Object>> factors(List<ScoreContribution> contributions) {
        List<Map<String, Object>> factors = new ArrayList<>();
        for (ScoreContribution c : contributions) {
            Map<String, Object> factor = new LinkedHashMap<>();
            factor.put("factorId", c.getFactorId());
            factor.put("title", c.getTitle());
            factor.put("indicator", c.getIndicator());
            factor.put("ruleId", c.getRuleId());
            factor.put("value", c.getValue());
            factor.put("unit", c.getUnit().name());
            factor.put("currency", c.getCurrency());
            factor.put("bin", c.getBin());
            factor.put("points", c.getPoints());
            factor.put("observedAt", c.getObservedAt().toString());
            factor.put("evidence", c.getEvidence().stream().map(e -> Map.of("eventId", e.getEventId(), "eventType",
                    e.getEventType(), "eventTime", e.getEventTime().toString())).toList());
            factors.add(factor);
        }
        return factors;
    }

    /** One page of the watch list, riskiest first, with each borrower's name, place and open alerts. */
    WatchListView.Page page(Connection connection, WatchListView.Query query) throws SQLException {
        StringBuilder sql = new StringBuilder("""
                SELECT w.borrower_id, b.name, b.industry, b.region, w.group_id, w.score, w.previous_score, w.pd_basis_points,
                    w.grade, w.grade_since, w.segment, w.internal_rating, w.suggested_rating, w.top_factors::text AS top_factors,
                    w.scorecard_id, w.scorecard_version, w.event_time, o.officer, o.team,
                    (SELECT count(*) FROM alert a WHERE a.borrower_id = w.borrower_id AND a.status <> 'RESOLVED') AS open_alerts
                FROM watch_list w LEFT JOIN borrower b ON b.borrower_id = w.borrower_id
                    LEFT JOIN borrower_owner o ON o.borrower_id = w.borrower_id""");
        Where where = new Where().in("w.grade", query.grades()).in("w.segment", query.segments())
                .equal("b.industry", query.industry()).equal("b.region", query.region()).equal("w.group_id", query.groupId())
                .equal("o.officer", query.owner()).equal("o.team", query.team());
        Cursor after = query.cursor() == null ? null : Cursor.decode(query.cursor());
        if (after != null) {
            where.and("w.score < ? OR (w.score = ? AND w.borrower_id > ?)", after.score(), after.score(), after.borrowerId());
        }
        sql.append(where.sql()).append(" ORDER BY w.score DESC, w.borrower_id LIMIT ?");
        where.parameter(query.limit() + 1);
        List<WatchListView.Entry> entries = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(sql.toString())) {
            where.bind(connection, select);
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    entries.add(new WatchListView.Entry(row.getString("borrower_id"), row.getString("name"),
                            row.getString("industry"), row.getString("region"), row.getString("group_id"), row.getInt("score"),
                            (Integer) row.getObject("previous_score"), row.getInt("pd_basis_points"), row.getString("grade"),
                            Sql.instant(row, "grade_since"), row.getString("segment"), row.getString("internal_rating"),
                            row.getString("suggested_rating"), json.tree(row.getString("top_factors")),
                            row.getInt("open_alerts"), row.getString("officer"), row.getString("team"),
                            row.getString("scorecard_id") + " v" + row.getInt("scorecard_version"),
                            Sql.instant(row, "event_time")));
                }
            }
        }
        String next = null;
        if (entries.size() > query.limit()) {
            entries = entries.subList(0, query.limit());
            WatchListView.Entry last = entries.get(entries.size() - 1);
            next = new Cursor(last.score(), last.borrowerId()).encode();
        }
        return new WatchListView.Page(List.copyOf(entries), next);
    }

    /** The borrower's score changes, oldest first (the newest {@code limit} when there are more). */
    List<WatchListView.ScorePoint> history(Connection connection, String borrowerId, int limit) throws SQLException {
        List<WatchListView.ScorePoint> points = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement("""
                SELECT * FROM (SELECT event_time, scorecard_id, scorecard_version, score, pd_basis_points, grade, segment,
                        grade_since, suggested_rating, factors::text AS factors, detected_at
                    FROM borrower_score WHERE borrower_id = ? ORDER BY event_time DESC, detected_at DESC LIMIT ?) newest
                ORDER BY event_time, detected_at""")) {
            select.setString(1, borrowerId);
            select.setInt(2, limit);
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    JsonNode factors = json.tree(row.getString("factors"));
                    points.add(new WatchListView.ScorePoint(Sql.instant(row, "event_time"), row.getInt("score"),
                            row.getInt("pd_basis_points"), row.getString("grade"), row.getString("segment"),
                            Sql.instant(row, "grade_since"), row.getString("suggested_rating"),
                            row.getString("scorecard_id") + " v" + row.getInt("scorecard_version"), factors));
                }
            }
        }
        return points;
    }

    /** Where a page ended: the last row's score and borrower, in a token the client passes back untouched. */
    record Cursor(int score, String borrowerId) {
        String encode() {
            return Base64.getUrlEncoder().withoutPadding().encodeToString((score + "|" + borrowerId).getBytes(StandardCharsets.UTF_8));
        }

        static Cursor decode(String text) {
            try {
                String raw = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8);
                int bar = raw.indexOf('|');
                if (bar < 1 || bar == raw.length() - 1) {
                    throw new IllegalArgumentException("a score and a borrower expected");
                }
                return new Cursor(Integer.parseInt(raw.substring(0, bar)), raw.substring(bar + 1));
            } catch (IllegalArgumentException e) { // NumberFormatException and bad Base64 included
                throw ApiException.badRequest("cursor is not one this API issued: " + e.getMessage());
            }
        }
    }
}
