package dev.kestrel.api.groups;

import dev.kestrel.api.borrowers.BorrowerStore;
import dev.kestrel.api.store.JsonColumns;
import dev.kestrel.api.store.Sql;
import dev.kestrel.events.GroupLimit;
import dev.kestrel.events.GroupRiskSnapshot;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The groups' tables: {@code group_limit} (the limit master data states) and {@code group_snapshot} (the engine's
 * latest verdict on each group: exposure against the limit, distress, grade, each member as the engine heard it). The
 * feed writes them here, idempotently: an older record after a newer one changes nothing.
 */
@Singleton
public final class GroupStore {
    private final JsonColumns json;

    GroupStore(JsonColumns json) {
        this.json = json;
    }

    /** The limit master data gives the group. */
    record Limit(String name, long limitMinor, String currency) {
    }

    /** The engine's latest group snapshot. */
    record EngineView(Instant asOf, @Nullable String currency, @Nullable Long limitMinor, long drawnMinor,
                      @Nullable Long utilisationBasisPoints, int distressed, int nonPerforming, String worstLoanCategory,
                      @Nullable String watchGrade, @Nullable String watchGradeMember, @Nullable Integer weightedScore,
                      int scoredMembers, int unscoredMaterialMembers, Map<String, EngineGroupMember> members) {
    }

    public void applyLimit(Connection connection, GroupLimit limit) throws SQLException {
        try (PreparedStatement upsert = connection.prepareStatement("""
                INSERT INTO group_limit (group_id, group_name, limit_minor, currency, effective_date, event_time)
                VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (group_id) DO UPDATE SET group_name = EXCLUDED.group_name,
                    limit_minor = EXCLUDED.limit_minor, currency = EXCLUDED.currency,
                    effective_date = EXCLUDED.effective_date, event_time = EXCLUDED.event_time
                WHERE group_limit.event_time <= EXCLUDED.event_time""")) {
            upsert.setString(1, limit.getGroupId());
            upsert.setString(2, limit.getGroupName());
            upsert.setLong(3, limit.getLimitMinor());
            upsert.setString(4, limit.getCurrency());
            upsert.setDate(5, Date.valueOf(limit.getEffectiveDate()));
            upsert.setTimestamp(6, Sql.timestamp(limit.getEventTime()));
            upsert.executeUpdate();
        }
    }

    public void applySnapshot(Connection connection, GroupRiskSnapshot group) throws SQLException {
        List<EngineGroupMember> members = group.getMembers().stream()
                .map(m -> new EngineGroupMember(m.getBorrowerId(), m.getDrawnMinor(), m.getLimitMinor(), m.getCurrency(),
                        m.getLoanCategory().name(), m.getDaysPastDue(), m.getInDefault(), m.getNonPerforming(),
                        m.getCriticalAlertRules(), m.getScore(), m.getWatchGrade() == null ? null : m.getWatchGrade().name(),
                        m.getMaterial()))
                .toList();
        try (PreparedStatement upsert = connection.prepareStatement("""
                INSERT INTO group_snapshot (group_id, group_name, as_of, currency, limit_minor, drawn_minor, utilisation_bp,
                    distressed_members, non_performing_members, worst_loan_category, members, watch_grade,
                    watch_grade_member, weighted_score, scored_members, unscored_material_members)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?)
                ON CONFLICT (group_id) DO UPDATE SET group_name = EXCLUDED.group_name, as_of = EXCLUDED.as_of,
                    currency = EXCLUDED.currency, limit_minor = EXCLUDED.limit_minor, drawn_minor = EXCLUDED.drawn_minor,
                    utilisation_bp = EXCLUDED.utilisation_bp, distressed_members = EXCLUDED.distressed_members,
                    non_performing_members = EXCLUDED.non_performing_members,
                    worst_loan_category = EXCLUDED.worst_loan_category, members = EXCLUDED.members,
                    watch_grade = EXCLUDED.watch_grade, watch_grade_member = EXCLUDED.watch_grade_member,
                    weighted_score = EXCLUDED.weighted_score, scored_members = EXCLUDED.scored_members,
                    unscored_material_members = EXCLUDED.unscored_material_members
                WHERE group_snapshot.as_of <= EXCLUDED.as_of""")) {
            upsert.setString(1, group.getGroupId());
            Sql.setNullableText(upsert, 2, group.getGroupName());
            upsert.setTimestamp(3, Sql.timestamp(group.getAsOf()));
            Sql.setNullableText(upsert, 4, group.getCurrency());
            upsert.setObject(5, group.getLimitMinor());
            upsert.setLong(6, group.getDrawnMinor());
            upsert.setObject(7, group.getUtilisationBasisPoints());
            upsert.setInt(8, group.getDistressedMembers());
            upsert.setInt(9, group.getNonPerformingMembers());
            upsert.setString(10, group.getWorstLoanCategory().name());
            upsert.setString(11, json.write(members));
            Sql.setNullableText(upsert, 12, group.getWatchGrade() == null ? null : group.getWatchGrade().name());
            Sql.setNullableText(upsert, 13, group.getWatchGradeMemberId());
            upsert.setObject(14, group.getExposureWeightedScore());
            upsert.setInt(15, group.getScoredMembers());
            upsert.setInt(16, group.getUnscoredMaterialMembers());
            upsert.executeUpdate();
        }
    }

    /** The group's limit, or null before master data sent one. */
    @Nullable
    Limit limit(Connection connection, String groupId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT group_name, limit_minor, currency FROM group_limit WHERE group_id = ?")) {
            select.setString(1, groupId);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? new Limit(row.getString(1), row.getLong(2), row.getString(3)) : null;
            }
        }
    }

    /** The engine's latest snapshot of the group, or null before its first. */
    @Nullable
    EngineView engine(Connection connection, String groupId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("""
                SELECT as_of, currency, limit_minor, drawn_minor, utilisation_bp, distressed_members,
                    non_performing_members, worst_loan_category, watch_grade, watch_grade_member, weighted_score,
                    scored_members, unscored_material_members, members
                FROM group_snapshot WHERE group_id = ?""")) {
            select.setString(1, groupId);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    return null;
                }
                Map<String, EngineGroupMember> byId = new HashMap<>();
                for (EngineGroupMember member : json.read(row.getString("members"), EngineGroupMember[].class)) {
                    byId.put(member.borrowerId(), member);
                }
                return new EngineView(Sql.instant(row, "as_of"), row.getString("currency"),
                        Sql.nullableLong(row, "limit_minor"), row.getLong("drawn_minor"), Sql.nullableLong(row, "utilisation_bp"),
                        row.getInt("distressed_members"), row.getInt("non_performing_members"),
                        row.getString("worst_loan_category"), row.getString("watch_grade"), row.getString("watch_grade_member"),
                        (Integer) row.getObject("weighted_score"), row.getInt("scored_members"),
                        row.getInt("unscored_material_members"), byId);
            }
        }
    }

    /** Whether the desk knows the group: its limit or an engine snapshot has named it. */
    public boolean known(Connection connection, String groupId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT EXISTS (SELECT 1 FROM group_limit WHERE group_id = ?) OR EXISTS (SELECT 1 FROM group_snapshot WHERE group_id = ?)")) {
            select.setString(1, groupId);
            select.setString(2, groupId);
            try (ResultSet row = select.executeQuery()) {
                row.next();
                return row.getBoolean(1);
            }
        }
    }

    /**
     * The group's limit as the engine last stated it, or as master data states it before the engine's first group
     * snapshot; null when neither has.
     */
    @Nullable
    public BorrowerStore.CurrentLimit currentLimit(Connection connection, String groupId) throws SQLException {
        EngineView engine = engine(connection, groupId);
        if (engine != null && engine.limitMinor() != null) {
            return new BorrowerStore.CurrentLimit(engine.limitMinor(), engine.currency());
        }
        Limit limit = limit(connection, groupId);
        return limit == null ? null : new BorrowerStore.CurrentLimit(limit.limitMinor(), limit.currency());
    }
}
