package dev.kestrel.api.borrowers;

import dev.kestrel.api.routing.BorrowerFacts;
import dev.kestrel.api.store.JsonColumns;
import dev.kestrel.api.store.Sql;
import dev.kestrel.api.store.Where;
import dev.kestrel.events.BorrowerProfile;
import dev.kestrel.events.BorrowerRiskSnapshot;
import dev.kestrel.events.IndicatorValue;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The borrowers' tables: {@code borrower} (master data, as the profile states it), {@code borrower_snapshot} (the
 * engine's latest verdict on each borrower) and {@code indicator_history} (every snapshot's figures, for charts). The
 * feed writes them here, idempotently: an older record after a newer one changes nothing.
 */
@Singleton
public final class BorrowerStore implements BorrowerFacts {
    private final JsonColumns json;

    BorrowerStore(JsonColumns json) {
        this.json = json;
    }

    /** A facility's terms as master data states them. */
    @Serdeable
    public record FacilityTerms(String facilityId, String type, String currency, long limitMinor, long drawnMinor,
                                LocalDate startDate, LocalDate maturityDate) {
    }

    /**
     * A facility's exposure, arrears, the engine's non-performing verdict, its currency, whether collateral is pledged
     * to it and that collateral's lending value, its utilisation and loan-to-value, as the engine last saw them (the
     * last five null in snapshots from before they were sent).
     */
    @Serdeable
    public record FacilityExposure(String facilityId, long limitMinor, long drawnMinor, int daysPastDue, long overdueMinor,
                                   boolean nonPerforming, @Nullable String currency, @Nullable Boolean secured,
                                   @Nullable Long collateralLendingValueMinor, @Nullable Long utilisationBasisPoints,
                                   @Nullable Long loanToValueBasisPoints) {
    }

    /** One indicator as the engine's snapshot states it: the value in its unit, and when it was observed. */
    @Serdeable
    public record Indicator(long value, @Nullable String unit, @Nullable Instant observedAt) {
    }

    @Serdeable
    public record OpenAlertRef(String alertId, String ruleId, String severity) {
    }

    /** A member of a group as master data and the engine's snapshots have it. */
    public record GroupMember(String borrowerId, @Nullable String name, @Nullable String loanCategory, @Nullable String smaClass,
                              @Nullable Integer daysPastDue, @Nullable Long drawnMinor, @Nullable Long limitMinor,
                              @Nullable String ratingTier) {
    }

    public void applyProfile(Connection connection, BorrowerProfile profile) throws SQLException {
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

    /** Stores the snapshot; true when it is the borrower's newest (an older one read again leaves the row as it was). */
    public boolean applySnapshot(Connection connection, BorrowerRiskSnapshot snapshot) throws SQLException {
        Map<String, Indicator> indicators = new LinkedHashMap<>();
        Map<String, Long> values = new LinkedHashMap<>();
        for (IndicatorValue value : snapshot.getIndicators()) {
            indicators.put(value.getIndicator(), new Indicator(value.getValue(), value.getUnit().name(), value.getObservedAt()));
            values.put(value.getIndicator(), value.getValue());
        }
        List<FacilityExposure> facilities = snapshot.getFacilities().stream()
                .map(f -> new FacilityExposure(f.getFacilityId(), f.getLimitMinor(), f.getDrawnMinor(), f.getDaysPastDue(),
                        f.getOverdueMinor(), f.getNonPerforming(), f.getCurrency(), f.getSecured(),
                        f.getCollateralLendingValueMinor(), f.getUtilisationBasisPoints(), f.getLoanToValueBasisPoints()))
                .toList();
        List<OpenAlertRef> openAlerts = snapshot.getOpenAlerts().stream()
                .map(a -> new OpenAlertRef(a.getAlertId(), a.getRuleId(), a.getSeverity().name()))
                .toList();
        boolean newest;
        try (PreparedStatement upsert = connection.prepareStatement("""
                INSERT INTO borrower_snapshot (borrower_id, group_id, as_of, internal_rating, rating_tier, segment,
                    ifrs9_stage, loan_category, sma_class, in_default, days_past_due, drawn_minor, limit_minor, currency,
                    facilities, indicators, open_alerts, last_review_date, review_due_date, material_arrears_since,
                    project_periods, project_currency, project_forecast_id)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?::jsonb, ?, ?, ?, ?::jsonb, ?, ?)
                ON CONFLICT (borrower_id) DO UPDATE SET group_id = EXCLUDED.group_id, as_of = EXCLUDED.as_of,
                    internal_rating = EXCLUDED.internal_rating, rating_tier = EXCLUDED.rating_tier,
                    segment = EXCLUDED.segment, ifrs9_stage = EXCLUDED.ifrs9_stage,
                    loan_category = EXCLUDED.loan_category, sma_class = EXCLUDED.sma_class,
                    in_default = EXCLUDED.in_default, days_past_due = EXCLUDED.days_past_due,
                    drawn_minor = EXCLUDED.drawn_minor, limit_minor = EXCLUDED.limit_minor,
                    currency = EXCLUDED.currency, facilities = EXCLUDED.facilities,
                    indicators = EXCLUDED.indicators, open_alerts = EXCLUDED.open_alerts,
                    last_review_date = EXCLUDED.last_review_date, review_due_date = EXCLUDED.review_due_date,
                    material_arrears_since = EXCLUDED.material_arrears_since, project_periods = EXCLUDED.project_periods,
                    project_currency = EXCLUDED.project_currency, project_forecast_id = EXCLUDED.project_forecast_id
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
            upsert.setString(16, json.write(indicators));
            upsert.setString(17, json.write(openAlerts));
            upsert.setDate(18, snapshot.getLastReviewDate() == null ? null : java.sql.Date.valueOf(snapshot.getLastReviewDate()));
            upsert.setDate(19, snapshot.getReviewDueDate() == null ? null : java.sql.Date.valueOf(snapshot.getReviewDueDate()));
            upsert.setDate(20, snapshot.getMaterialArrearsSince() == null ? null : java.sql.Date.valueOf(snapshot.getMaterialArrearsSince()));
            List<Map<String, Object>> periods = new ArrayList<>();
            for (var period : snapshot.getProjectPeriods()) { // the contract's field names, for the project page
                Map<String, Object> shown = new LinkedHashMap<>();
                shown.put("periodStart", period.getPeriodStart().toString());
                shown.put("periodEnd", period.getPeriodEnd().toString());
                shown.put("forecastRevenueMinor", period.getForecastRevenueMinor());
                shown.put("receiptsMinor", period.getReceiptsMinor());
                shown.put("running", period.getRunning());
                periods.add(shown);
            }
            upsert.setString(21, json.write(periods));
            Sql.setNullableText(upsert, 22, snapshot.getProjectCurrency());
            Sql.setNullableText(upsert, 23, snapshot.getProjectForecastId());
            newest = upsert.executeUpdate() == 1;
        }
        // Charts need the values only; the units are the latest snapshot's. Of two snapshots at one moment the later
        // read wins, as in borrower_snapshot.
        try (PreparedStatement history = connection.prepareStatement("""
                INSERT INTO indicator_history (borrower_id, as_of, days_past_due, drawn_minor, limit_minor, indicators, loan_category)
                VALUES (?, ?, ?, ?, ?, ?::jsonb, ?)
                ON CONFLICT (borrower_id, as_of) DO UPDATE SET days_past_due = EXCLUDED.days_past_due,
                    drawn_minor = EXCLUDED.drawn_minor, limit_minor = EXCLUDED.limit_minor, indicators = EXCLUDED.indicators,
                    loan_category = EXCLUDED.loan_category""")) {
            history.setString(1, snapshot.getBorrowerId());
            history.setTimestamp(2, Sql.timestamp(snapshot.getAsOf()));
            history.setInt(3, snapshot.getDaysPastDue());
            history.setLong(4, snapshot.getDrawnMinor());
            history.setLong(5, snapshot.getLimitMinor());
            history.setString(6, json.write(values));
            history.setString(7, snapshot.getLoanCategory().name());
            history.executeUpdate();
        }
        return newest;
    }

    /** The borrower's master data, personal fields masked when {@code mask}; null before its profile arrived. */
    @Nullable
    BorrowerView.Profile profile(Connection connection, String borrowerId, boolean mask) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("""
                SELECT name, unified_social_credit_code, legal_representative_name, legal_representative_id_number,
                    legal_representative_phone, industry, region, group_id, internal_rating, customer_segment,
                    facilities::text AS facilities, profile_time
                FROM borrower WHERE borrower_id = ?""")) {
            select.setString(1, borrowerId);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    return null;
                }
                String code = row.getString("unified_social_credit_code");
                String person = row.getString("legal_representative_name");
                String id = row.getString("legal_representative_id_number");
                String phone = row.getString("legal_representative_phone");
                return new BorrowerView.Profile(row.getString("name"),
                        mask ? Masking.creditCode(code) : code,
                        mask ? Masking.personName(person) : person,
                        mask ? Masking.idNumber(id) : id,
                        mask ? Masking.phone(phone) : phone,
                        row.getString("industry"), row.getString("region"), row.getString("group_id"),
                        row.getString("internal_rating"), row.getString("customer_segment"),
                        json.tree(row.getString("facilities")), Sql.instant(row, "profile_time"), mask);
            }
        }
    }

    /** The engine's latest snapshot of the borrower; null before its first. */
    @Nullable
    public BorrowerView.Risk risk(Connection connection, String borrowerId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("""
                SELECT as_of, group_id, internal_rating, rating_tier, segment, ifrs9_stage, loan_category, sma_class,
                    in_default, days_past_due, drawn_minor, limit_minor, currency, facilities::text AS facilities,
                    indicators::text AS indicators, last_review_date, review_due_date
                FROM borrower_snapshot WHERE borrower_id = ?""")) {
            select.setString(1, borrowerId);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    return null;
                }
                return new BorrowerView.Risk(Sql.instant(row, "as_of"), row.getString("group_id"),
                        row.getString("internal_rating"), row.getString("rating_tier"), row.getString("segment"),
                        row.getInt("ifrs9_stage"), row.getString("loan_category"), row.getString("sma_class"),
                        row.getBoolean("in_default"), row.getInt("days_past_due"), row.getLong("drawn_minor"),
                        row.getLong("limit_minor"), row.getString("currency"), json.tree(row.getString("facilities")),
                        json.tree(row.getString("indicators")), date(row, "last_review_date"), date(row, "review_due_date"));
            }
        }
    }

    /** The snapshots' figures since {@code since}, oldest first; the newest {@code limit} when there are more. */
    public List<BorrowerView.HistoryPoint> history(Connection connection, String borrowerId, Instant since, int limit) throws SQLException {
        List<BorrowerView.HistoryPoint> points = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement("""
                SELECT * FROM (SELECT as_of, days_past_due, drawn_minor, limit_minor, indicators::text AS indicators
                    FROM indicator_history WHERE borrower_id = ? AND as_of >= ? ORDER BY as_of DESC LIMIT ?) newest
                ORDER BY as_of""")) {
            select.setString(1, borrowerId);
            select.setTimestamp(2, Sql.timestamp(since));
            select.setInt(3, limit);
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    points.add(new BorrowerView.HistoryPoint(Sql.instant(row, "as_of"), row.getInt("days_past_due"),
                            row.getLong("drawn_minor"), row.getLong("limit_minor"), json.tree(row.getString("indicators"))));
                }
            }
        }
        return points;
    }

    /**
     * The members of a group, by the latest word on membership: the profile's group, or the snapshot's when no profile
     * says otherwise; the largest drawn first.
     */
    public List<GroupMember> membersOf(Connection connection, String groupId) throws SQLException {
        List<GroupMember> found = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement("""
                SELECT COALESCE(b.borrower_id, s.borrower_id) AS borrower_id, b.name, s.loan_category, s.sma_class,
                    s.days_past_due, s.drawn_minor, s.limit_minor, s.rating_tier
                FROM borrower b FULL JOIN borrower_snapshot s ON s.borrower_id = b.borrower_id
                WHERE COALESCE(b.group_id, s.group_id) = ?
                ORDER BY s.drawn_minor DESC NULLS LAST, 1""")) {
            select.setString(1, groupId);
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    found.add(new GroupMember(row.getString("borrower_id"), row.getString("name"), row.getString("loan_category"),
                            row.getString("sma_class"), (Integer) row.getObject("days_past_due"), (Long) row.getObject("drawn_minor"),
                            (Long) row.getObject("limit_minor"), row.getString("rating_tier")));
                }
            }
        }
        return found;
    }

    /** A limit as the engine last stated it, in its currency. */
    public record CurrentLimit(long limitMinor, @Nullable String currency) {
    }

    /**
     * A page of the borrowers the desk has a profile of, by name then id. {@code text} matches a name containing it
     * (any case) or an id starting with it.
     */
    public BorrowerList.Page search(Connection connection, BorrowerList.Query query) throws SQLException {
        Where where = new Where().in("b.customer_segment", query.segments()).in("b.internal_rating", query.ratings())
                .in("w.grade", query.grades()).in("s.loan_category", query.classifications())
                .equal("b.industry", query.industry()).equal("b.region", query.region()).equal("b.group_id", query.groupId())
                .equal("o.officer", query.owner()).equal("o.team", query.team());
        if (!query.tags().isEmpty()) {
            where.and("EXISTS (SELECT 1 FROM borrower_tag t WHERE t.borrower_id = b.borrower_id AND t.tag = ANY (?))",
                    (Object) query.tags().toArray(String[]::new));
        }
        if (query.text() != null) {
            where.and("lower(b.name) LIKE ? OR b.borrower_id LIKE ?", Sql.likePattern(query.text()),
                    Sql.escapeLike(query.text()) + "%");
        }
        BorrowerList.Cursor after = query.cursor() == null ? null : BorrowerList.Cursor.decode(query.cursor());
        if (after != null) {
            where.and("(lower(b.name), b.borrower_id) > (lower(?), ?)", after.name(), after.borrowerId());
        }
        String sql = """
                SELECT b.borrower_id, b.name, b.customer_segment, b.internal_rating, b.industry, b.region, b.group_id,
                    s.loan_category, s.days_past_due, w.grade, w.score, o.officer, o.team,
                    (SELECT count(*) FROM alert a WHERE a.borrower_id = b.borrower_id AND a.status <> 'RESOLVED') AS open_alerts
                FROM borrower b LEFT JOIN borrower_snapshot s ON s.borrower_id = b.borrower_id
                    LEFT JOIN watch_list w ON w.borrower_id = b.borrower_id
                    LEFT JOIN borrower_owner o ON o.borrower_id = b.borrower_id""" + where.sql()
                + " ORDER BY lower(b.name), b.borrower_id LIMIT ?";
        where.parameter(query.limit() + 1);
        List<BorrowerList.Entry> entries = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            where.bind(connection, select);
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    entries.add(new BorrowerList.Entry(row.getString("borrower_id"), row.getString("name"),
                            row.getString("customer_segment"), row.getString("internal_rating"), row.getString("industry"),
                            row.getString("region"), row.getString("group_id"), row.getString("loan_category"),
                            (Integer) row.getObject("days_past_due"), row.getString("grade"), (Integer) row.getObject("score"),
                            row.getString("officer"), row.getString("team"), row.getInt("open_alerts")));
                }
            }
        }
        String next = null;
        if (entries.size() > query.limit()) {
            entries = entries.subList(0, query.limit());
            BorrowerList.Entry last = entries.get(entries.size() - 1);
            next = new BorrowerList.Cursor(last.name(), last.borrowerId()).encode();
        }
        return new BorrowerList.Page(List.copyOf(entries), next);
    }

    @Override
    public java.util.Optional<String> segment(Connection connection, String borrowerId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT customer_segment FROM borrower WHERE borrower_id = ?")) {
            select.setString(1, borrowerId);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? java.util.Optional.of(row.getString(1)) : java.util.Optional.empty();
            }
        }
    }

    /** Whether the desk knows the borrower: its profile or an engine snapshot has named it. */
    private static java.time.LocalDate date(ResultSet row, String column) throws SQLException {
        java.sql.Date date = row.getDate(column);
        return date == null ? null : date.toLocalDate();
    }

    /** The internal rating the engine's latest snapshot gives the borrower (its profile's); empty before one, or unrated. */
    public java.util.Optional<String> internalRating(Connection connection, String borrowerId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT internal_rating FROM borrower_snapshot WHERE borrower_id = ?")) {
            select.setString(1, borrowerId);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? java.util.Optional.ofNullable(row.getString(1)) : java.util.Optional.empty();
            }
        }
    }

    public boolean known(Connection connection, String borrowerId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("""
                SELECT EXISTS (SELECT 1 FROM borrower WHERE borrower_id = ?)
                    OR EXISTS (SELECT 1 FROM borrower_snapshot WHERE borrower_id = ?)""")) {
            select.setString(1, borrowerId);
            select.setString(2, borrowerId);
            try (ResultSet row = select.executeQuery()) {
                row.next();
                return row.getBoolean(1);
            }
        }
    }

    /** The borrower's limits (all its facilities) in the engine's latest snapshot, or null before the first. */
    @Nullable
    public CurrentLimit currentLimit(Connection connection, String borrowerId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT limit_minor, currency FROM borrower_snapshot WHERE borrower_id = ?")) {
            select.setString(1, borrowerId);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? new CurrentLimit(row.getLong(1), row.getString(2)) : null;
            }
        }
    }
}
