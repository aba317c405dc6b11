package dev.kestrel.api.reviews;

import dev.kestrel.api.config.FeedSettings;
import dev.kestrel.api.publication.ApprovedVersions;
import dev.kestrel.api.publication.VersionTable;
import dev.kestrel.api.store.Sql;
import dev.kestrel.contract.JsonLines;
import dev.kestrel.contract.WireCodec;
import dev.kestrel.events.BorrowerReview;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * Owns {@code borrower_review}, and reads the engine's review dates from {@code borrower_snapshot}: reviews recorded on
 * the desk, signed when recorded (an officer's review needs no second person: it records what was done, it decides
 * nothing), and published once the reviews topic took them. Sending one twice is harmless: the engine takes a review
 * it already holds (the same id) as nothing new.
 */
@Singleton
public class BorrowerReviews implements ApprovedVersions {
    static final int VERSION = 1; // a review is never edited: a correction is a new review
    private static final VersionTable TABLE = new VersionTable("borrower_review", "review_id", "review_json");
    private final FeedSettings settings;

    BorrowerReviews(FeedSettings settings) {
        this.settings = settings;
    }

    /** One stored review with where it stands on its way to the topic; the record without its signature. */
    record Stored(VersionTable.Row row) {
        BorrowerReview review() {
            return (BorrowerReview) JsonLines.read(row.json()).record();
        }
    }

    /** A borrower whose next review is due, as the engine's latest snapshot dates it. */
    record Due(String borrowerId, String name, String officer, String team, String grade, LocalDate dueDate,
               LocalDate lastReviewDate, Long overdueDays, Instant asOf, String alertId, String alertSeverity) {
    }

    /** Stores a signed review, APPROVED for the outbox; false when its id exists. */
    boolean record(Connection connection, BorrowerReview signed, Instant at) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO borrower_review (review_id, version, status, review_json, borrower_id, review_date, proposed_by,
                    proposed_at, published_by, published_at, signed_payload, signed_with)
                VALUES (?, ?, 'APPROVED', ?::jsonb, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""")) {
            insert.setString(1, signed.getEventId());
            insert.setInt(2, VERSION);
            insert.setString(3, JsonLines.write(BorrowerReview.newBuilder(signed).setSignature(null).build()));
            insert.setString(4, signed.getBorrowerId());
            insert.setDate(5, Date.valueOf(signed.getReviewDate()));
            insert.setString(6, signed.getReviewedBy());
            insert.setTimestamp(7, Sql.timestamp(at));
            insert.setString(8, signed.getReviewedBy());
            insert.setTimestamp(9, Sql.timestamp(at));
            insert.setBytes(10, new WireCodec().encode(signed));
            insert.setString(11, signed.getSignature().getKeyId());
            return insert.executeUpdate() == 1;
        }
    }

    /** One review, or null. */
    Stored find(Connection connection, String reviewId) throws SQLException {
        List<Stored> found = select(connection, "review_id = ?", reviewId, 1);
        return found.isEmpty() ? null : found.get(0);
    }

    /** A borrower's reviews, the latest done first, at most {@code limit}. */
    List<Stored> of(Connection connection, String borrowerId, int limit) throws SQLException {
        return select(connection, "borrower_id = ?", borrowerId, limit);
    }

    private List<Stored> select(Connection connection, String where, String value, int limit) throws SQLException {
        List<Stored> reviews = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT " + TABLE.columns() + " FROM borrower_review WHERE "
                + where + " ORDER BY review_date DESC, proposed_at DESC, review_id LIMIT ?")) {
            select.setString(1, value);
            select.setInt(2, limit);
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    reviews.add(new Stored(VersionTable.row(row)));
                }
            }
        }
        return reviews;
    }

    /**
     * Borrowers whose review is due by {@code by} (overdue ones included), soonest due first: of one officer, or of
     * everyone when {@code officer} is null. The dates and the days overdue are the engine's, as of each snapshot.
     */
    List<Due> dueBy(Connection connection, LocalDate by, String officer, int limit) throws SQLException {
        List<Due> due = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement("""
                SELECT s.borrower_id, b.name, o.officer, o.team, w.grade, s.review_due_date, s.last_review_date, s.as_of,
                    (s.indicators->'reviewOverdueDays'->>'value')::bigint AS overdue_days,
                    (SELECT a->>'alertId' FROM jsonb_array_elements(s.open_alerts) a WHERE a->>'ruleId' = 'REVIEW-OVERDUE') AS alert_id,
                    (SELECT a->>'severity' FROM jsonb_array_elements(s.open_alerts) a WHERE a->>'ruleId' = 'REVIEW-OVERDUE') AS alert_severity
                FROM borrower_snapshot s
                LEFT JOIN borrower b ON b.borrower_id = s.borrower_id
                LEFT JOIN borrower_owner o ON o.borrower_id = s.borrower_id
                LEFT JOIN watch_list w ON w.borrower_id = s.borrower_id
                WHERE s.review_due_date IS NOT NULL AND s.review_due_date <= ? AND (?::text IS NULL OR o.officer = ?::text)
                ORDER BY s.review_due_date, s.borrower_id LIMIT ?""")) {
            select.setDate(1, Date.valueOf(by));
            select.setString(2, officer);
            select.setString(3, officer);
            select.setInt(4, limit);
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    Long overdue = row.getLong("overdue_days");
                    if (row.wasNull()) {
                        overdue = null; // the engine has not measured it yet
                    }
                    due.add(new Due(row.getString("borrower_id"), row.getString("name"), row.getString("officer"),
                            row.getString("team"), row.getString("grade"), row.getDate("review_due_date").toLocalDate(),
                            row.getDate("last_review_date") == null ? null : row.getDate("last_review_date").toLocalDate(),
                            overdue, Sql.instant(row, "as_of"), row.getString("alert_id"),
                            row.getString("alert_severity")));
                }
            }
        }
        return due;
    }

    @Override
    public String auditTarget() {
        return "borrower-review";
    }

    @Override
    public String kind() {
        return "borrower review";
    }

    @Override
    public String topic() {
        return settings.reviewsTopic();
    }

    @Override
    public VersionTable table() {
        return TABLE;
    }

    /** Keyed by borrower on its topic, as the engine's other borrower inputs are. */
    @Override
    public String key(Pending pending, byte[] record) {
        return ((BorrowerReview) new WireCodec().decode(record).record()).getBorrowerId();
    }
}
