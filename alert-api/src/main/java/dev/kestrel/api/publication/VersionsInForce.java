package dev.kestrel.api.publication;

import dev.kestrel.events.RuleVersionStatus;
import dev.kestrel.events.VersionRunning;
import dev.kestrel.events.VersionSource;
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
 * Owns {@code version_in_force} and {@code version_running}: what the job reports it did with each rule and scorecard
 * version (RuleVersionStatus), and the version of each it runs. The rules and scorecard pages take the version running
 * from here, never from what the API published: a published version may be refused, not yet taken, or dropped by a
 * release rolled back.
 */
@Singleton
public class VersionsInForce {
    /** The {@code activeSource} shown while the job has not reported what runs of a rule or scorecard. */
    public static final String NOT_REPORTED = "NOT_REPORTED";
    /** The {@code activeSource} shown when the job reports it runs no version of a rule. */
    public static final String NONE = "NONE";

    /** The job's word on one version: IN_FORCE from {@code inForceFrom} (null for its pack's), or REFUSED for {@code reason}. */
    @Serdeable
    public record Report(String status, String source, @Nullable Instant inForceFrom, @Nullable String reason) {}

    /**
     * The version the job runs, and from when it judges events (null: the pack's, from the start of time); no version
     * when it runs none.
     */
    public record Running(@Nullable Integer version, @Nullable String source, @Nullable Instant inForceFrom) {}

    /**
     * What the job reported of one rule or scorecard: each version, and the version it runs (empty until it says). The
     * rules and scorecard pages show the last three as {@code activeVersion}, {@code activeSource} and {@code activeFrom}.
     */
    public record Reported(Map<Integer, Report> byVersion, Optional<Running> running) {
        public static final Reported NOTHING = new Reported(Map.of(), Optional.empty());

        @Nullable
        public Report of(int version) {
            return byVersion.get(version);
        }

        /** The version running: 0 until the job says, or when it runs none. */
        public int activeVersion() {
            return running.map(Running::version).orElse(0);
        }

        /** SHIPPED for the pack's version, PUBLISHED for one from the topic, NONE, or NOT_REPORTED until the job says. */
        public String activeSource() {
            return running.map(r -> r.source() == null ? NONE : r.source().equals(VersionSource.PACK.name()) ? "SHIPPED" : "PUBLISHED")
                    .orElse(NOT_REPORTED);
        }

        /** From when the job judges events with the version running; null for the pack's, or while none is reported. */
        @Nullable
        public Instant activeFrom() {
            return running.map(Running::inForceFrom).orElse(null);
        }
    }

    /**
     * Stores the job's report: its word on the version, replacing an earlier one, and what runs of the rule. One task
     * of the job writes them all and the topic is keyed by rule, so a rule's reports come in the order the job decided,
     * and the last one stands.
     */
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
            upsert.setTimestamp(6, timestamp(status.getInForceFrom()));
            upsert.setString(7, status.getReason());
            upsert.setTimestamp(8, Timestamp.from(receivedAt));
            upsert.executeUpdate();
        }
        VersionRunning running = status.getRunning(); // null: the job runs none of it
        try (PreparedStatement upsert = connection.prepareStatement("""
                INSERT INTO version_running (kind, id, version, source, in_force_from, reported_at) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (kind, id) DO UPDATE SET version = EXCLUDED.version, source = EXCLUDED.source,
                    in_force_from = EXCLUDED.in_force_from, reported_at = EXCLUDED.reported_at""")) {
            upsert.setString(1, status.getKind().name());
            upsert.setString(2, status.getId());
            upsert.setObject(3, running == null ? null : running.getVersion(), java.sql.Types.INTEGER);
            upsert.setString(4, running == null ? null : running.getSource().name());
            upsert.setTimestamp(5, running == null ? null : timestamp(running.getInForceFrom()));
            upsert.setTimestamp(6, Timestamp.from(receivedAt));
            upsert.executeUpdate();
        }
    }

    /** Every rule (or the scorecards) the job reported on, by id. */
    public Map<String, Reported> all(Connection connection, VersionedKind kind) throws SQLException {
        return read(connection, kind, null);
    }

    /** What the job reported of one rule or scorecard (nothing: {@link Reported#NOTHING}). */
    public Reported of(Connection connection, VersionedKind kind, String id) throws SQLException {
        return read(connection, kind, id).getOrDefault(id, Reported.NOTHING);
    }

    private static Map<String, Reported> read(Connection connection, VersionedKind kind, @Nullable String id) throws SQLException {
        Map<String, Map<Integer, Report>> versions = new TreeMap<>();
        Map<String, Running> running = new TreeMap<>();
        try (PreparedStatement select = connection.prepareStatement("""
                SELECT id, version, status, source, in_force_from, reason FROM version_in_force
                WHERE kind = ? AND (?::text IS NULL OR id = ?) ORDER BY id, version""")) {
            bind(select, kind, id);
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    versions.computeIfAbsent(row.getString(1), each -> new TreeMap<>()).put(row.getInt(2), new Report(row.getString(3),
                            row.getString(4), instant(row.getTimestamp(5)), row.getString(6)));
                }
            }
        }
        try (PreparedStatement select = connection.prepareStatement("""
                SELECT id, version, source, in_force_from FROM version_running WHERE kind = ? AND (?::text IS NULL OR id = ?)""")) {
            bind(select, kind, id);
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    running.put(row.getString(1), new Running((Integer) row.getObject(2), row.getString(3), instant(row.getTimestamp(4))));
                }
            }
        }
        Map<String, Reported> reported = new TreeMap<>();
        versions.forEach((each, byVersion) -> reported.put(each, new Reported(byVersion, Optional.ofNullable(running.get(each)))));
        return reported;
    }

    private static void bind(PreparedStatement select, VersionedKind kind, @Nullable String id) throws SQLException {
        select.setString(1, kind.name());
        select.setString(2, id);
        select.setString(3, id);
    }

    @Nullable
    private static Timestamp timestamp(@Nullable Instant at) {
        return at == null ? null : Timestamp.from(at);
    }

    @Nullable
    private static Instant instant(@Nullable Timestamp at) {
        return at == null ? null : at.toInstant();
    }
}
