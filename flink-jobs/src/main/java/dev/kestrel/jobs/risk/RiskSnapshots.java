package dev.kestrel.jobs.risk;

import dev.kestrel.contract.Indicator;
import dev.kestrel.contract.RatingScale;
import dev.kestrel.events.BorrowerRiskSnapshot;
import dev.kestrel.events.FacilityStatus;
import dev.kestrel.events.IndicatorValue;
import dev.kestrel.events.LoanCategory;
import dev.kestrel.events.OpenAlert;
import dev.kestrel.events.ProjectPeriodRevenue;
import dev.kestrel.events.RiskSegment;
import dev.kestrel.events.Severity;
import dev.kestrel.events.SmaClass;
import dev.kestrel.jobs.indicator.IndicatorValues;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The borrower risk snapshot the desk reads: indicators, classification, rating tier and monitoring segment.
 * A snapshot is written when what the desk sees of the borrower changes (classification, segment, rating tier, group,
 * open alerts and their severities, the latest review and the next one's due date, arrears turning material or all
 * paid), and otherwise at most once per period of event time ({@code snapshot.period},
 * a day by default) while indicators or a facility's figures move: the desk's figures are those of the borrower's
 * first evaluation in the period. What moved after it is written at the borrower's first evaluation of a later period, which
 * comes at the latest with its silence check ({@code cash-flow.silence-check}), so that the compacted topic stays
 * current without one record per event.
 */
public final class RiskSnapshots {
    private RiskSnapshots() {}

    /**
     * Whether to write a borrower's snapshot now; remembers the decision in the state, and that one is owed when
     * indicators moved within a period that already has its snapshot.
     *
     * @param periodMillis the period of event time with at most one snapshot while nothing the desk sees changes;
     *                     periods are aligned on the epoch (a day runs from midnight UTC)
     * @param internalScale the bank's rating scale, which gives the rating tier and, with it, the segment
     */
    public static boolean due(BorrowerState state, IndicatorValues before, IndicatorValues after, long periodMillis,
            RatingScale internalScale) {
        long key = classificationKey(state, after, internalScale);
        // The facilities' own figures are the desk's too, though a change to one that is not the worst moves no indicator.
        boolean figuresMoved = state.takeFacilityFiguresMoved();
        boolean valuesMoved = figuresMoved || before == null || !before.sameValues(after);
        boolean first = state.snapshotAt == Long.MIN_VALUE;
        boolean laterPeriod = first || Math.floorDiv(state.clock, periodMillis) > Math.floorDiv(state.snapshotAt, periodMillis);
        if (first || key != state.snapshotKey || ((valuesMoved || state.snapshotOwed) && laterPeriod)) {
            state.snapshotKey = key;
            state.snapshotAt = state.clock;
            state.snapshotOwed = false;
            return true;
        }
        state.snapshotOwed |= valuesMoved;
        return false;
    }

    /**
     * The snapshot policy of the group and portfolio subjects: due when what the desk sees changed (the key), or when values moved and
     * the minimum interval of event time passed since the last one; always due the first time.
     */
    public static boolean due(long key, long lastKey, long lastAt, long clock, boolean valuesMoved, long minIntervalMillis) {
        boolean first = lastAt == Long.MIN_VALUE;
        return first || key != lastKey || (valuesMoved && clock - lastAt >= minIntervalMillis);
    }

    /** Adds the open episodes (rule and severity) to a snapshot key: an episode opening or escalating is a change. */
    public static long withEpisodes(long key, List<Episode> episodes) {
        for (Episode episode : episodes) {
            key = 31 * key + Objects.hash(episode.ruleId, episode.severity.ordinal());
        }
        return key;
    }

    /** An enum in a key kept in state: its ordinal, as its hash code differs from one JVM to the next. */
    private static int ordinal(Enum<?> value) {
        return value == null ? -1 : value.ordinal();
    }

    private static long classificationKey(BorrowerState state, IndicatorValues values, RatingScale internalScale) {
        long key = Objects.hash(stage(values), category(values), sma(values), inDefault(values),
                ordinal(internalScale.tier(state.internalRating)), ordinal(segment(state, values, internalScale)), state.groupId);
        key = 31 * key + Objects.hash(state.watch.alertId, ordinal(state.watch.alertSeverity), state.lastReviewDay, state.reviewDueDay);
        // Arrears turning material, and all arrears paid, open and close the desk's collection case: written at once.
        key = 31 * key + Objects.hash(positive(values, Indicator.MATERIAL_DAYS_PAST_DUE), positive(values, Indicator.DAYS_PAST_DUE));
        return withEpisodes(key, state.episodes);
    }

    /** The snapshot of the borrower now, its internal rating tiered on the bank's scale. */
    public static BorrowerRiskSnapshot of(String borrowerId, BorrowerState state, IndicatorValues values, RatingScale internalScale) {
        List<IndicatorValue> indicators = new ArrayList<>();
        for (Indicator indicator : Indicator.values()) {
            if (values.has(indicator)) {
                // The all-fields constructor: Avro's builders copy defaults reflectively, a cost per indicator per snapshot.
                indicators.add(new IndicatorValue(indicator.indicatorName(), indicator.unit(), values.get(indicator),
                        Instant.ofEpochMilli(values.observedAt(indicator))));
            }
        }
        List<OpenAlert> openAlerts = new ArrayList<>();
        for (Episode episode : state.episodes) {
            openAlerts.add(new OpenAlert(episode.alertId, episode.ruleId, episode.severity));
        }
        if (state.watch.alertId != null) {
            openAlerts.add(new OpenAlert(state.watch.alertId, BorrowerScoring.WATCH_LIST, state.watch.alertSeverity));
        }
        int today = Days.of(state.clock);
        List<FacilityStatus> facilities = new ArrayList<>();
        // The pull-in of 办法 art. 7 (CN) is classification, not an early warning: fixed here, named in the status alert.
        // Under EU default is the obligor's (CRR art. 178(1)), so every facility of a defaulted borrower is non-performing.
        boolean allClaimsNonPerforming = inDefault(values) || (values.has(Indicator.NON_PERFORMING_CLAIMS_SHARE)
                && values.get(Indicator.NON_PERFORMING_CLAIMS_SHARE) > RegulatoryStatus.PULL_IN_BASIS_POINTS);
        // CN and IN classify a facility over 90 days overdue as non-performing; EU only through the obligor's default.
        boolean facilityByDays = values.has(Indicator.LOAN_CATEGORY) || values.has(Indicator.SMA_CLASS);
        Money money = state.money(today, null);
        for (Exposure.Line line : state.exposure().lines) {
            facilities.add(facility(state, line.facilityId, line, state.exposure().cover(line, money), today,
                    allClaimsNonPerforming, facilityByDays));
        }
        for (String facilityId : state.repayments().facilitiesWithoutLine(state.exposure())) {
            facilities.add(facility(state, facilityId, null, null, today, allClaimsNonPerforming, facilityByDays));
        }
        List<ProjectPeriodRevenue> projectPeriods = state.hasProject() ? state.project().revenueAgainstForecast(today) : List.of();
        return BorrowerRiskSnapshot.newBuilder()
                .setBorrowerId(borrowerId)
                .setGroupId(state.groupId)
                .setAsOf(Instant.ofEpochMilli(state.clock))
                .setInternalRating(state.internalRating)
                .setRatingTier(internalScale.tier(state.internalRating))
                .setSegment(segment(state, values, internalScale))
                .setIfrs9Stage(stage(values))
                .setLoanCategory(LoanCategory.values()[category(values) - 1])
                .setSmaClass(SmaClass.values()[sma(values)])
                .setInDefault(inDefault(values))
                .setDaysPastDue((int) values.get(Indicator.DAYS_PAST_DUE))
                .setDrawnMinor(state.drawnInBorrowerCurrency())
                .setLimitMinor(state.limitInBorrowerCurrency())
                .setCurrency(state.borrowerCurrency())
                .setFacilities(facilities)
                .setIndicators(indicators)
                .setOpenAlerts(openAlerts)
                .setLastReviewDate(date(state.lastReviewDay))
                .setReviewDueDate(date(state.reviewDueDay))
                .setMaterialArrearsSince(date(state.repayments().materialSinceDay))
                .setProjectPeriods(projectPeriods)
                .setProjectCurrency(projectPeriods.isEmpty() ? null : state.project().currency)
                .setProjectForecastId(projectPeriods.isEmpty() ? null : state.project().forecastId)
                .build();
    }

    private static LocalDate date(int day) {
        return day == Days.NONE ? null : LocalDate.ofEpochDay(day);
    }

    /** One facility's status; {@code line} and {@code cover} are null for a facility known only from its repayments. */
    private static FacilityStatus facility(BorrowerState state, String facilityId, Exposure.Line line, Exposure.Cover cover,
            int today, boolean allClaimsNonPerforming, boolean facilityByDays) {
        int daysPastDue = state.repayments().daysPastDue(facilityId, today);
        return new FacilityStatus(facilityId, line == null ? 0 : line.limit, line == null ? 0 : line.drawn, daysPastDue,
                state.repayments().overdue(facilityId, today), allClaimsNonPerforming || (facilityByDays && daysPastDue > 90),
                line == null ? null : line.currency, cover != null && cover.secured(), cover == null ? null : cover.shown(),
                line == null ? null : Exposure.utilisation(line), line == null ? null : Exposure.loanToValue(line, cover));
    }

    /**
     * The segment its score put the borrower in ({@link BorrowerScoring}); before its first scoring (a borrower restored
     * from an engine without scores, until its next evaluation), from its classification, open alerts and rating.
     */
    static RiskSegment segment(BorrowerState state, IndicatorValues values, RatingScale internalScale) {
        if (state.watch.scored()) {
            return state.watch.segment;
        }
        Severity worst = state.worstOpenSeverity();
        boolean distressed = stage(values) >= 2 || category(values) >= 2 || inDefault(values)
                || (worst != null && worst.compareTo(Severity.HIGH) >= 0);
        if (distressed) {
            return RiskSegment.RISK_WATCH;
        }
        boolean quiet = worst == null || worst.compareTo(Severity.LOW) <= 0;
        boolean investmentGrade = internalScale.isInvestmentGrade(state.internalRating);
        return investmentGrade && quiet ? RiskSegment.CORE : RiskSegment.QUALITY;
    }

    private static boolean positive(IndicatorValues values, Indicator indicator) {
        return values.has(indicator) && values.get(indicator) > 0;
    }

    /** In default under the EU regime; false when EU is not active (the indicator is then absent). */
    private static boolean inDefault(IndicatorValues values) {
        return values.has(Indicator.IN_DEFAULT) && values.get(Indicator.IN_DEFAULT) == 1;
    }

    private static int stage(IndicatorValues values) {
        return values.has(Indicator.IFRS9_STAGE) ? (int) values.get(Indicator.IFRS9_STAGE) : 1;
    }

    private static int category(IndicatorValues values) {
        return RegulatoryStatus.category(values);
    }

    private static int sma(IndicatorValues values) {
        return values.has(Indicator.SMA_CLASS) ? (int) values.get(Indicator.SMA_CLASS) : 0;
    }
}
