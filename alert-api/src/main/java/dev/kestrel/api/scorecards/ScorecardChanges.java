package dev.kestrel.api.scorecards;

import dev.kestrel.api.store.Sql;
import dev.kestrel.contract.JsonLines;
import dev.kestrel.events.Scorecard;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Owns {@code scorecard_change}: the versions proposed through the API and those published, on the API or seen on the
 * scorecards topic. The controller proposes and publishes through it; the feed marks what the topic carries.
 */
@Singleton
public class ScorecardChanges {

    /** One stored version. */
    record Change(String scorecardId, int version, String status, String json, String proposedBy, Instant proposedAt,
                  String publishedBy, Instant publishedAt) {
        Scorecard scorecard() {
            return (Scorecard) JsonLines.read(json).record();
        }
    }

    List<Change> all(Connection connection) throws SQLException {
        List<Change> changes = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement("""
                SELECT scorecard_id, version, status, scorecard_json::text AS scorecard_json, proposed_by, proposed_at,
                    published_by, published_at FROM scorecard_change ORDER BY scorecard_id, version""")) {
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    changes.add(new Change(row.getString("scorecard_id"), row.getInt("version"), row.getString("status"),
                            row.getString("scorecard_json"), row.getString("proposed_by"), Sql.instant(row, "proposed_at"),
                            row.getString("published_by"), Sql.instant(row, "published_at")));
                }
            }
        }
        return changes;
    }

    /** Stores a proposal; false when that version exists already. */
    boolean propose(Connection connection, Scorecard card, String by, Instant at) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO scorecard_change (scorecard_id, version, status, scorecard_json, proposed_by, proposed_at)
                VALUES (?, ?, 'PROPOSED', ?::jsonb, ?, ?) ON CONFLICT DO NOTHING""")) {
            insert.setString(1, card.getScorecardId());
            insert.setInt(2, card.getVersion());
            insert.setString(3, JsonLines.write(card));
            insert.setString(4, by);
            insert.setTimestamp(5, Sql.timestamp(at));
            return insert.executeUpdate() == 1;
        }
    }

    /** Marks a proposal published, with the card as published; false when it is no longer a proposal (a race). */
    boolean published(Connection connection, Scorecard card) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("""
                UPDATE scorecard_change SET status = 'PUBLISHED', scorecard_json = ?::jsonb, published_by = ?, published_at = ?
                WHERE scorecard_id = ? AND version = ? AND status = 'PROPOSED'""")) {
            update.setString(1, JsonLines.write(card));
            update.setString(2, card.getPublishedBy());
            update.setTimestamp(3, Sql.timestamp(card.getPublishedAt()));
            update.setString(4, card.getScorecardId());
            update.setInt(5, card.getVersion());
            return update.executeUpdate() == 1;
        }
    }

    /**
     * A version the scorecards topic carries: published, whoever wrote it there. One written to the topic without
     * the API (no proposal) shows as published by what the record says, so the desk sees it too.
     */
    public void seenOnTopic(Connection connection, Scorecard card) throws SQLException {
        try (PreparedStatement upsert = connection.prepareStatement("""
                INSERT INTO scorecard_change (scorecard_id, version, status, scorecard_json, proposed_by, proposed_at,
                    published_by, published_at)
                VALUES (?, ?, 'PUBLISHED', ?::jsonb, ?, ?, ?, ?)
                ON CONFLICT (scorecard_id, version) DO UPDATE SET status = 'PUBLISHED',
                    published_by = COALESCE(scorecard_change.published_by, EXCLUDED.published_by),
                    published_at = COALESCE(scorecard_change.published_at, EXCLUDED.published_at)""")) {
            String publisher = card.getPublishedBy() == null ? "unknown (not through the API)" : card.getPublishedBy();
            upsert.setString(1, card.getScorecardId());
            upsert.setInt(2, card.getVersion());
            upsert.setString(3, JsonLines.write(card));
            upsert.setString(4, publisher);
            upsert.setTimestamp(5, Sql.timestamp(card.getPublishedAt()));
            upsert.setString(6, publisher);
            upsert.setTimestamp(7, Sql.timestamp(card.getPublishedAt()));
            upsert.executeUpdate();
        }
    }
}
