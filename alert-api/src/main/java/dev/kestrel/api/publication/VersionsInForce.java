package dev.kestrel.api.publication;

import dev.kestrel.events.RuleVersionStatus;
import dev.kestrel.events.VersionSource;
import dev.kestrel.events.VersionStatus;
import dev.kestrel.events.VersionedKind;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Owns {@code version_in_force}: what the job reports it did with each rule and scorecard version (RuleVersionStatus).
 * The rules and scorecard pages take the version the job runs from here, never from what the API published: a
 * published version may be refused, or not yet taken.
 */
@Singleton
public class VersionsInForce {

    /** The job's word on one version: IN_FORCE from {@code inForceFrom} (null for its pack's), or REFUSED for {@code reason}. */
    @Serdeable
    public record Report(String status, String source, @Nullable Instant inForceFrom, @Nullable String reason) {
        boolean inForce() {
            return status.equals(VersionStatus.IN_FORCE.name());
        }
    }

    /** The versions of one rule or scorecard the job reported, and the one it runs. */
    public record Reported(Map<Integer, Report> byVersion) {
        /** The version the job runs: the highest it reported in force, as its book does; empty until it reports one. */
        public Optional<Map.Entry<Integer, Report>> running() {
            return byVersion.entrySet().stream().filter(e -> e.getValue().inForce()).reduce((lower, higher) -> higher);
        }

        @Nullable
        public Report of(int version) {
            return byVersion.get(version);
        }
    }

    /** The {@code activeSource} shown while the job has reported no version of a rule or scorecard in force. */
    public static final String NOT_REPORTED = "NOT_REPORTED";

    /** The {@code activeSource} of a version the job runs: SHIPPED for its pack's, PUBLISHED for one from the topic. */
    public static String sourceName(Report report) {
        return report.source().equals(VersionSource.PACK.name()) ? "SHIPPED" : "PUBLISHED";
    }

    /** Stores the job's report; a later one on the same version replaces it (a restart reports the same again). */
    public void apply(Connection connection, RuleVersionStatus status, Instant receivedAt) throws SQLException {
        try (PreparedStatement upsert = connection.prepareStatement("""
                INSERT INTO version_in_force (kind, id, version, status, source, in_force_from, reason, reported_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (kind, id, version) DO UPDATE SET status = EXCLUDED.status, source = EXCLUDED.source,
                    in_force_from = EXCLUDED.in_force_from, reason = EXCLUDED.reason, reported_at = EXCLUDED.reported_at""")) {
            upsert.setString(1, status.getKind().name());
            upsert.setString(2, status.getId());
            upsert.setInt(3, status.getVersion());
            upsert.setString(4, status.getStatus().name());
            upsert.setString(5, status.getSource().name());
            upsert.setTimestamp(6, status.getInForceFrom() == null ? null : Timestamp.from(status.getInForceFrom()));
            upsert.setString(7, status.getReason());
            upsert.setTimestamp(8, Timestamp.from(receivedAt));
            upsert.executeUpdate();
        }
    }

    /** Every version of every rule (or of the scorecards) the job reported, by id. */
    public Map<String, Reported> all(Connection connection, VersionedKind kind) throws SQLException {
        return read(connection, kind, null);
    }

    /** The versions of one rule or scorecard the job reported (none: an empty map). */
    public Reported of(Connection connection, VersionedKind kind, String id) throws SQLException {
        return read(connection, kind, id).getOrDefault(id, new Reported(Map.of()));
    }

    private static Map<String, Reported> read(Connection connection, VersionedKind kind, @Nullable String id) throws SQLException {
        Map<String, Map<Integer, Report>> byId = new TreeMap<>();
        try (PreparedStatement select = connection.prepareStatement("""
                SELECT id, version, status, source, in_force_from, reason FROM version_in_force
                WHERE kind = ? AND (?::text IS NULL OR id = ?) ORDER BY id, version""")) {
            select.setString(1, kind.name());
            select.setString(2, id);
            select.setString(3, id);
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    Timestamp from = row.getTimestamp(5);
                    byId.computeIfAbsent(row.getString(1), each -> new TreeMap<>()).put(row.getInt(2), new Report(row.getString(3),
                            row.getString(4), from == null ? null : from.toInstant(), row.getString(6)));
                }
            }
        }
        Map<String, Reported> reported = new TreeMap<>();
        byId.forEach((each, versions) -> reported.put(each, new Reported(versions)));
        return reported;
    }
}
