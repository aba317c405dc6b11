package dev.kestrel.api.feed;

import dev.kestrel.api.alerts.AlertHistory;
import dev.kestrel.api.alerts.AlertStatus;
import dev.kestrel.api.alerts.Explanation;
import dev.kestrel.api.config.SlaPolicy;
import dev.kestrel.api.groups.EngineGroupMember;
import dev.kestrel.api.store.JsonColumns;
import dev.kestrel.api.store.Sql;
import dev.kestrel.events.Alert;
import dev.kestrel.events.AlertLifecycle;
import dev.kestrel.events.BorrowerProfile;
import dev.kestrel.events.BorrowerRiskSnapshot;
import dev.kestrel.events.BorrowerScore;
import dev.kestrel.api.scores.ScoreStore;
import dev.kestrel.api.rules.RuleChanges;
import dev.kestrel.api.scorecards.ScorecardChanges;
import dev.kestrel.events.Scorecard;
import dev.kestrel.events.AlertScope;
import dev.kestrel.events.GroupLimit;
import dev.kestrel.events.GroupRiskSnapshot;
import dev.kestrel.events.LimitRecommendation;
import dev.kestrel.events.IndicatorReading;
import dev.kestrel.events.IndicatorValue;
import dev.kestrel.events.Rule;
import dev.kestrel.contract.JsonLines;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * Writes one engine record into the store, idempotently: applying a record twice, or an older record after a newer
 * one (a replay after a restart), leaves the store as it was. That is what lets the feed commit offsets after the
 * database and still lose and duplicate nothing.
 */
@Singleton
public final class FeedWriter {
    private final SlaPolicy sla;
    private final JsonColumns json;
    private final ScoreStore scores;
    private final RuleChanges rules;
    private final ScorecardChanges scorecards;

    FeedWriter(SlaPolicy sla, JsonColumns json, ScoreStore scores, RuleChanges rules, ScorecardChanges scorecards) {
        this.rules = rules;
        this.scorecards = scorecards;
        this.sla = sla;
        this.json = json;
        this.scores = scores;
    }

    /** Applies the record; returns the id of an alert that changed, for the live stream, or null. */
    @Nullable
    public String apply(Connection connection, SpecificRecordBase record, Instant receivedAt) throws SQLException {
        if (record instanceof Alert alert) {
            return applyAlert(connection, alert, receivedAt) ? alert.getAlertId() : null;
        } else if (record instanceof BorrowerRiskSnapshot snapshot) {
            applySnapshot(connection, snapshot);
        } else if (record instanceof BorrowerProfile profile) {
            applyProfile(connection, profile);
        } else if (record instanceof GroupLimit limit) {
            applyGroupLimit(connection, limit);
        } else if (record instanceof Rule rule) {
            rules.seenOnTopic(connection, rule);
        } else if (record instanceof GroupRiskSnapshot group) {
            applyGroupSnapshot(connection, group);
        } else if (record instanceof LimitRecommendation recommendation) {
            applyRecommendation(connection, recommendation);
        } else if (record instanceof BorrowerScore score) {
            scores.apply(connection, score);
        } else if (record instanceof Scorecard card) {
            scorecards.seenOnTopic(connection, card);
        } else {
            throw new IllegalArgumentException(record.getSchema().getName() + " does not belong on the API's topics");
        }
        return null;
    }

    private boolean applyAlert(Connection connection, Alert alert, Instant receivedAt) throws SQLException {
        String alertId = alert.getAlertId();
        String explanationJson = json.write(explanation(alert));
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT status, lifecycle, severity_rank, event_time, received_at FROM alert WHERE alert_id = ? FOR UPDATE")) {
            select.setObject(1, alertId);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    insertAlert(connection, alert, alertId, explanationJson, receivedAt);
                    return true;
                }
                AlertStatus status = AlertStatus.valueOf(row.getString("status"));
                AlertLifecycle storedLifecycle = AlertLifecycle.valueOf(row.getString("lifecycle"));
                if (!isNewer(alert, Sql.instant(row, "event_time"), storedLifecycle, row.getInt("severity_rank"))) {
                    return false; // a duplicate or an older change replayed: already applied
                }
                // A resolved alert whose risk got worse goes back to the desk.
                AlertStatus next = status == AlertStatus.RESOLVED && alert.getLifecycle() == AlertLifecycle.ESCALATED
                        ? AlertStatus.NEW : status;
                updateAlert(connection, alert, alertId, explanationJson, next, Sql.instant(row, "received_at"), receivedAt);
                history(connection, alertId, receivedAt, alert, status, next);
                return true;
            }
        }
    }

    private static boolean isNewer(Alert alert, Instant storedEventTime, AlertLifecycle storedLifecycle, int storedSeverityRank) {
        int byTime = Long.compare(alert.getEventTime().toEpochMilli(), storedEventTime.toEpochMilli());
        if (byTime != 0) {
            return byTime > 0;
        }
        int byLifecycle = Integer.compare(alert.getLifecycle().ordinal(), storedLifecycle.ordinal());
        if (byLifecycle != 0) {
            return byLifecycle > 0;
        }
        return alert.getSeverity().ordinal() > storedSeverityRank;
    }

    private void insertAlert(Connection connection, Alert alert, String alertId, String explanationJson, Instant receivedAt)
            throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO alert (alert_id, scope, borrower_id, group_id, rule_id, rule_version, category, severity,
                    severity_rank, title, explanation, lifecycle, episode_started_at, event_time, detected_at, status,
                    sla_due_at, received_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
            insert.setObject(1, alertId);
            insert.setString(2, alert.getScope().name());
            Sql.setNullableText(insert, 3, alert.getBorrowerId());
            Sql.setNullableText(insert, 4, alert.getGroupId());
            insert.setString(5, alert.getRuleId());
            insert.setInt(6, alert.getRuleVersion());
            insert.setString(7, alert.getCategory().name());
            insert.setString(8, alert.getSeverity().name());
            insert.setInt(9, alert.getSeverity().ordinal());
            insert.setString(10, alert.getTitle());
            insert.setString(11, explanationJson);
            insert.setString(12, alert.getLifecycle().name());
            insert.setTimestamp(13, Sql.timestamp(alert.getEpisodeStartedAt()));
            insert.setTimestamp(14, Sql.timestamp(alert.getEventTime()));
            insert.setTimestamp(15, Sql.timestamp(alert.getDetectedAt()));
            insert.setString(16, AlertStatus.NEW.name());
            insert.setTimestamp(17, Sql.timestamp(sla.dueAt(receivedAt, alert.getSeverity())));
            insert.setTimestamp(18, Sql.timestamp(receivedAt));
            insert.setTimestamp(19, Sql.timestamp(receivedAt));
            insert.executeUpdate();
        }
        history(connection, alertId, receivedAt, alert, null, AlertStatus.NEW);
    }

    private void updateAlert(Connection connection, Alert alert, String alertId, String explanationJson, AlertStatus status,
                             Instant firstReceived, Instant receivedAt) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("""
                UPDATE alert SET rule_version = ?, severity = ?, severity_rank = ?, title = ?, explanation = ?::jsonb,
                    lifecycle = ?, event_time = ?, detected_at = ?, status = ?, sla_due_at = ?, updated_at = ?,
                    disposition = CASE WHEN ? = 'RESOLVED' THEN disposition END,
                    version = version + 1
                WHERE alert_id = ?""")) {
            update.setInt(1, alert.getRuleVersion());
            update.setString(2, alert.getSeverity().name());
            update.setInt(3, alert.getSeverity().ordinal());
            update.setString(4, alert.getTitle());
            update.setString(5, explanationJson);
            update.setString(6, alert.getLifecycle().name());
            update.setTimestamp(7, Sql.timestamp(alert.getEventTime()));
            update.setTimestamp(8, Sql.timestamp(alert.getDetectedAt()));
            update.setString(9, status.name());
            // The SLA clock runs from when the desk first saw the alert; a higher severity shortens it.
            update.setTimestamp(10, Sql.timestamp(sla.dueAt(firstReceived, alert.getSeverity())));
            update.setTimestamp(11, Sql.timestamp(receivedAt));
            update.setString(12, status.name());
            update.setObject(13, alertId);
            update.executeUpdate();
        }
    }

    private static void history(Connection connection, String alertId, Instant at, Alert alert, AlertStatus from, AlertStatus to)
            throws SQLException {
        AlertHistory.append(connection, alertId, at, "engine", alert.getLifecycle().name(), from, to,
                alert.getSeverity() + ": " + alert.getExplanation().getSummary());
    }

    private static Explanation explanation(Alert alert) {
        var source = alert.getExplanation();
        List<Explanation.Reading> readings = source.getInputs().stream().map(FeedWriter::reading).toList();
        List<Explanation.TriggeringEvent> events = source.getTriggeringEvents().stream()
                .map(e -> new Explanation.TriggeringEvent(e.getEventId(), e.getEventType(), e.getEventTime()))
                .toList();
        return new Explanation(source.getSummary(), readings, events);
    }

    private static Explanation.Reading reading(IndicatorReading r) {
        return new Explanation.Reading(r.getIndicator(), r.getUnit().name(), r.getValue(), r.getPreviousValue(),
                r.getComparison(), r.getThreshold(), r.getCurrency(), r.getObservedAt());
    }

    private void applyGroupSnapshot(Connection connection, GroupRiskSnapshot group) throws SQLException {
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

    private void applyRecommendation(Connection connection, LimitRecommendation recommendation) throws SQLException {
        boolean group = recommendation.getScope() == AlertScope.GROUP;
        List<RecommendationBasis> basis = recommendation.getAlerts().stream()
                .map(a -> new RecommendationBasis(a.getAlertId(), a.getRuleId(), a.getSeverity().name(), a.getTitle()))
                .toList();
        try (PreparedStatement upsert = connection.prepareStatement("""
                INSERT INTO limit_recommendation (subject, recommendation_id, scope, borrower_id, group_id, action,
                    reduction_bp, severity, reason, alerts, event_time, detected_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?)
                ON CONFLICT (subject) DO UPDATE SET recommendation_id = EXCLUDED.recommendation_id,
                    scope = EXCLUDED.scope, borrower_id = EXCLUDED.borrower_id, group_id = EXCLUDED.group_id,
                    action = EXCLUDED.action, reduction_bp = EXCLUDED.reduction_bp, severity = EXCLUDED.severity,
                    reason = EXCLUDED.reason, alerts = EXCLUDED.alerts, event_time = EXCLUDED.event_time,
                    detected_at = EXCLUDED.detected_at
                WHERE (limit_recommendation.event_time, limit_recommendation.detected_at)
                    <= (EXCLUDED.event_time, EXCLUDED.detected_at)""")) {
            upsert.setString(1, (group ? "GROUP:" + recommendation.getGroupId() : "BORROWER:" + recommendation.getBorrowerId()));
            upsert.setString(2, recommendation.getRecommendationId());
            upsert.setString(3, recommendation.getScope().name());
            Sql.setNullableText(upsert, 4, recommendation.getBorrowerId());
            Sql.setNullableText(upsert, 5, recommendation.getGroupId());
            upsert.setString(6, recommendation.getAction().name());
            upsert.setObject(7, recommendation.getReductionBasisPoints());
            upsert.setString(8, recommendation.getSeverity().name());
            upsert.setString(9, recommendation.getReason());
            upsert.setString(10, json.write(basis));
            upsert.setTimestamp(11, Sql.timestamp(recommendation.getEventTime()));
            upsert.setTimestamp(12, Sql.timestamp(recommendation.getDetectedAt()));
            upsert.executeUpdate();
        }
    }

    private void applySnapshot(Connection connection, BorrowerRiskSnapshot snapshot) throws SQLException {
        Map<String, Long> indicators = new LinkedHashMap<>();
        for (IndicatorValue value : snapshot.getIndicators()) {
            indicators.put(value.getIndicator(), value.getValue());
        }
        String indicatorsJson = json.write(indicators);
        List<FacilityExposure> facilities = snapshot.getFacilities().stream()
                .map(f -> new FacilityExposure(f.getFacilityId(), f.getLimitMinor(), f.getDrawnMinor(), f.getDaysPastDue(),
                        f.getOverdueMinor()))
                .toList();
        List<OpenAlertRef> openAlerts = snapshot.getOpenAlerts().stream()
                .map(a -> new OpenAlertRef(a.getAlertId(), a.getRuleId(), a.getSeverity().name()))
                .toList();
        try (PreparedStatement upsert = connection.prepareStatement("""
                INSERT INTO borrower_snapshot (borrower_id, group_id, as_of, internal_rating, rating_tier, segment,
                    ifrs9_stage, loan_category, sma_class, in_default, days_past_due, drawn_minor, limit_minor, currency,
                    facilities, indicators, open_alerts)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?::jsonb)
                ON CONFLICT (borrower_id) DO UPDATE SET group_id = EXCLUDED.group_id, as_of = EXCLUDED.as_of,
                    internal_rating = EXCLUDED.internal_rating, rating_tier = EXCLUDED.rating_tier,
                    segment = EXCLUDED.segment, ifrs9_stage = EXCLUDED.ifrs9_stage,
                    loan_category = EXCLUDED.loan_category, sma_class = EXCLUDED.sma_class,
                    in_default = EXCLUDED.in_default, days_past_due = EXCLUDED.days_past_due,
                    drawn_minor = EXCLUDED.drawn_minor, limit_minor = EXCLUDED.limit_minor,
                    currency = EXCLUDED.currency, facilities = EXCLUDED.facilities,
                    indicators = EXCLUDED.indicators, open_alerts = EXCLUDED.open_alerts
                WHERE borrower_snapshot.as_of <= EXCLUDED.as_of""")) {
            upsert.setString(1, snapshot.getBorrowerId());
            Sql.setNullableText(upsert, 2, snapshot.getGroupId());
            upsert.setTimestamp(3, Sql.timestamp(snapshot.getAsOf()));
            Sql.setNullableText(upsert, 4, snapshot.getInternalRating());
            upsert.setString(5, snapshot.getRatingTier().name());
            upsert.setString(6, snapshot.getSegment().name());
            upsert.setInt(7, snapshot.getIfrs9Stage());
            upsert.setString(8, snapshot.getLoanCategory().name());
            upsert.setString(9, snapshot.getSmaClass().name());
            upsert.setBoolean(10, snapshot.getInDefault());
            upsert.setInt(11, snapshot.getDaysPastDue());
            upsert.setLong(12, snapshot.getDrawnMinor());
            upsert.setLong(13, snapshot.getLimitMinor());
            Sql.setNullableText(upsert, 14, snapshot.getCurrency());
            upsert.setString(15, json.write(facilities));
            upsert.setString(16, indicatorsJson);
            upsert.setString(17, json.write(openAlerts));
            upsert.executeUpdate();
        }
        try (PreparedStatement history = connection.prepareStatement("""
                INSERT INTO indicator_history (borrower_id, as_of, days_past_due, drawn_minor, limit_minor, indicators)
                VALUES (?, ?, ?, ?, ?, ?::jsonb) ON CONFLICT DO NOTHING""")) {
            history.setString(1, snapshot.getBorrowerId());
            history.setTimestamp(2, Sql.timestamp(snapshot.getAsOf()));
            history.setInt(3, snapshot.getDaysPastDue());
            history.setLong(4, snapshot.getDrawnMinor());
            history.setLong(5, snapshot.getLimitMinor());
            history.setString(6, indicatorsJson);
            history.executeUpdate();
        }
    }

    private void applyProfile(Connection connection, BorrowerProfile profile) throws SQLException {
        List<FacilityTerms> facilities = profile.getFacilities().stream()
                .map(f -> new FacilityTerms(f.getFacilityId(), f.getType().name(), f.getCurrency(), f.getLimitMinor(),
                        f.getDrawnMinor(), f.getStartDate(), f.getMaturityDate()))
                .toList();
        try (PreparedStatement upsert = connection.prepareStatement("""
                INSERT INTO borrower (borrower_id, name, unified_social_credit_code, legal_representative_name,
                    legal_representative_id_number, legal_representative_phone, industry, region, group_id,
                    internal_rating, customer_segment, facilities, profile_time)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?)
                ON CONFLICT (borrower_id) DO UPDATE SET name = EXCLUDED.name,
                    unified_social_credit_code = EXCLUDED.unified_social_credit_code,
                    legal_representative_name = EXCLUDED.legal_representative_name,
                    legal_representative_id_number = EXCLUDED.legal_representative_id_number,
                    legal_representative_phone = EXCLUDED.legal_representative_phone,
                    industry = EXCLUDED.industry, region = EXCLUDED.region, group_id = EXCLUDED.group_id,
                    internal_rating = EXCLUDED.internal_rating, customer_segment = EXCLUDED.customer_segment,
                    facilities = EXCLUDED.facilities, profile_time = EXCLUDED.profile_time
                WHERE borrower.profile_time <= EXCLUDED.profile_time""")) {
            upsert.setString(1, profile.getBorrowerId());
            upsert.setString(2, profile.getName());
            Sql.setNullableText(upsert, 3, profile.getUnifiedSocialCreditCode());
            Sql.setNullableText(upsert, 4, profile.getLegalRepresentativeName());
            Sql.setNullableText(upsert, 5, profile.getLegalRepresentativeIdNumber());
            Sql.setNullableText(upsert, 6, profile.getLegalRepresentativePhone());
            upsert.setString(7, profile.getIndustry());
            upsert.setString(8, profile.getRegion());
            Sql.setNullableText(upsert, 9, profile.getGroupId());
            upsert.setString(10, profile.getInternalRating());
            upsert.setString(11, profile.getSegment().name());
            upsert.setString(12, json.write(facilities));
            upsert.setTimestamp(13, Sql.timestamp(profile.getEventTime()));
            upsert.executeUpdate();
        }
    }

    private static void applyGroupLimit(Connection connection, GroupLimit limit) throws SQLException {
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

    /** A facility's exposure and arrears as the engine last saw them. */
    @Serdeable
    public record FacilityExposure(String facilityId, long limitMinor, long drawnMinor, int daysPastDue, long overdueMinor) {
    }

    /** A facility's terms as master data states them. */
    @Serdeable
    public record FacilityTerms(String facilityId, String type, String currency, long limitMinor, long drawnMinor,
                                LocalDate startDate, LocalDate maturityDate) {
    }

    @Serdeable
    public record RecommendationBasis(String alertId, String ruleId, String severity, String title) {
    }

    @Serdeable
    public record OpenAlertRef(String alertId, String ruleId, String severity) {
    }
}
