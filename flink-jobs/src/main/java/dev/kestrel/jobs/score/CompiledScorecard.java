package dev.kestrel.jobs.score;

import dev.kestrel.contract.Indicator;
import dev.kestrel.contract.InvalidScorecardException;
import dev.kestrel.contract.ScorecardCheck;
import dev.kestrel.events.GradeThreshold;
import dev.kestrel.events.IndicatorUnit;
import dev.kestrel.events.RatingBand;
import dev.kestrel.events.RiskSegment;
import dev.kestrel.events.ScoreBin;
import dev.kestrel.events.ScoreFactor;
import dev.kestrel.events.Scorecard;
import dev.kestrel.events.WatchGrade;
import dev.kestrel.jobs.indicator.IndicatorValues;
import java.util.ArrayList;
import java.util.List;

/**
 * A checked scorecard, ready to score borrowers: each factor's bins as sorted lower bounds, so a value finds its bin
 * by binary search; the grade thresholds; the PD scaling and rating bands. Scoring reads only indicator values and
 * the severities of open alerts, so the same inputs give the same score wherever it runs.
 */
public final class CompiledScorecard {
    private static final WatchGrade[] GRADES = WatchGrade.values();
    private static final double LN2 = StrictMath.log(2);

    private final String scorecardId;
    private final int version;
    private final int basePoints;
    private final int anchorScore;
    private final double anchorOdds;
    private final int pointsToDoubleOdds;
    private final Factor[] factors;
    /** Per grade ordinal (GREEN unused): the score that enters it and the score below which it may be left. */
    private final int[] enterAt = new int[GRADES.length];
    private final int[] exitBelow = new int[GRADES.length];
    private final int minimumStayDays;
    private final int coreMaxPdBasisPoints;
    private final String[] ratings;
    private final int[] ratingMaxPd;
    private final long indicatorMask;

    private CompiledScorecard(Scorecard card) {
        scorecardId = card.getScorecardId();
        version = card.getVersion();
        basePoints = card.getBasePoints();
        anchorScore = card.getScaling().getAnchorScore();
        double anchorPd = card.getScaling().getAnchorPdBasisPoints() / 10_000.0;
        anchorOdds = anchorPd / (1 - anchorPd);
        pointsToDoubleOdds = card.getScaling().getPointsToDoubleOdds();
        factors = new Factor[card.getFactors().size()];
        long mask = 0;
        for (int i = 0; i < factors.length; i++) {
            factors[i] = new Factor(card.getFactors().get(i));
            if (factors[i].indicator != null) {
                mask |= 1L << factors[i].indicator.ordinal();
            }
        }
        indicatorMask = mask;
        for (GradeThreshold threshold : card.getGrades()) {
            enterAt[threshold.getGrade().ordinal()] = threshold.getEnterAt();
            exitBelow[threshold.getGrade().ordinal()] = threshold.getExitBelow();
        }
        minimumStayDays = card.getMinimumStayDays();
        coreMaxPdBasisPoints = card.getCoreMaxPdBasisPoints();
        List<RatingBand> bands = card.getRatingBands();
        ratings = new String[bands.size()];
        ratingMaxPd = new int[bands.size()];
        for (int i = 0; i < ratings.length; i++) {
            ratings[i] = bands.get(i).getRating();
            ratingMaxPd[i] = bands.get(i).getMaxPdBasisPoints();
        }
    }

    /** The scorecard, checked ({@link ScorecardCheck}): a scorecard that fails the check is never used. */
    public static CompiledScorecard compile(Scorecard card) throws InvalidScorecardException {
        ScorecardCheck.check(card);
        return new CompiledScorecard(card);
    }

    public String scorecardId() {
        return scorecardId;
    }

    public int version() {
        return version;
    }

    public int minimumStayDays() {
        return minimumStayDays;
    }

    /** The indicators the factors bin, as bits by ordinal: when none of them moved, no indicator factor did. */
    public long indicatorMask() {
        return indicatorMask;
    }

    /** Whether a factor bins this rule's alert: a change of that alert can change the score. */
    public boolean reads(String ruleId) {
        for (Factor factor : factors) {
            if (ruleId.equals(factor.ruleId)) {
                return true;
            }
        }
        return false;
    }

    /** The score of these values: the base points plus each factor's, the factors read in {@code into} when not null. */
    public int score(IndicatorValues values, RuleStates rules, List<FactorReading> into) {
        int score = basePoints;
        for (Factor factor : factors) {
            FactorReading reading = factor.read(values, rules);
            score += reading.points();
            if (into != null) {
                into.add(reading);
            }
        }
        return score;
    }

    /** {@link #binsOf}: the value is unknown. */
    public static final int UNKNOWN_BIN = -1;
    /** {@link #binsOf}: the indicator does not apply. */
    public static final int NOT_APPLICABLE_BIN = -2;

    /**
     * Which bin each factor's value falls in, in the scorecard's order of factors: the bin's index, or
     * {@link #UNKNOWN_BIN} or {@link #NOT_APPLICABLE_BIN}. What a calibration fits points to.
     */
    public int[] binsOf(IndicatorValues values, RuleStates rules) {
        int[] bins = new int[factors.length];
        for (int i = 0; i < factors.length; i++) {
            FactorReading reading = factors[i].read(values, rules);
            bins[i] = switch (reading.state()) {
                case UNKNOWN -> UNKNOWN_BIN;
                case NOT_APPLICABLE -> NOT_APPLICABLE_BIN;
                case BINNED -> factors[i].bin(reading.value());
            };
        }
        return bins;
    }

    /**
     * The probability of default over 12 months a score reads as, in basis points (1 to 9999): the odds double every
     * {@code pointsToDoubleOdds} points above the anchor score, whose PD the scorecard states.
     */
    public int pdBasisPoints(int score) {
        double odds = anchorOdds * StrictMath.exp((score - (double) anchorScore) / pointsToDoubleOdds * LN2);
        double pd = Double.isInfinite(odds) ? 1 : odds / (1 + odds);
        return (int) Math.max(1, Math.min(9_999, Math.round(pd * 10_000)));
    }

    /**
     * The grade a borrower in grade {@code current} takes at this score. A worse grade applies at once, at its entry
     * threshold; the borrower keeps its grade (or a worse one it may hold) until the score falls below that grade's
     * exit threshold, and it improves only once {@code mayImprove}: it has stayed the minimum time.
     */
    public WatchGrade grade(WatchGrade current, int score, boolean mayImprove) {
        int entered = 0;
        for (int g = 1; g < GRADES.length; g++) {
            if (score >= enterAt[g]) {
                entered = g;
            }
        }
        if (entered >= current.ordinal()) {
            return GRADES[entered];
        }
        int kept = 0;
        for (int g = 1; g <= current.ordinal(); g++) {
            if (score >= exitBelow[g]) {
                kept = g;
            }
        }
        int candidate = Math.max(entered, kept);
        return candidate < current.ordinal() && !mayImprove ? current : GRADES[candidate];
    }

    /**
     * The segment: RISK_WATCH on the watch list (AMBER or worse); CORE when GREEN, with a PD up to the scorecard's bound
     * and an investment-grade internal rating (the bank's own judgement of the customer stays a condition: a score
     * sees deterioration, not standing); QUALITY for the rest.
     */
    public RiskSegment segment(WatchGrade grade, int pdBasisPoints, boolean investmentGrade) {
        if (grade != WatchGrade.GREEN) {
            return RiskSegment.RISK_WATCH;
        }
        return pdBasisPoints <= coreMaxPdBasisPoints && investmentGrade ? RiskSegment.CORE : RiskSegment.QUALITY;
    }

    /** The internal rating the PD maps to: the first band whose PD bound it does not exceed; null without bands. */
    public String suggestedRating(int pdBasisPoints) {
        for (int i = 0; i < ratings.length; i++) {
            if (pdBasisPoints <= ratingMaxPd[i]) {
                return ratings[i];
            }
        }
        return null;
    }

    /** One factor: its source and bins. */
    private static final class Factor {
        final String factorId;
        final String title;
        final Indicator indicator;
        final String ruleId;
        /** The bins' lower bounds, the first Long.MIN_VALUE. */
        final long[] from;
        final int[] points;
        final String[] labels;
        final int unknownPoints;
        final int notApplicablePoints;

        Factor(ScoreFactor factor) {
            factorId = factor.getFactorId();
            title = factor.getTitle();
            indicator = factor.getIndicator() == null ? null : Indicator.named(factor.getIndicator());
            ruleId = factor.getRuleId();
            List<ScoreBin> bins = factor.getBins();
            from = new long[bins.size()];
            points = new int[bins.size()];
            labels = new String[bins.size()];
            for (int i = 0; i < from.length; i++) {
                ScoreBin bin = bins.get(i);
                from[i] = bin.getFrom() == null ? Long.MIN_VALUE : bin.getFrom();
                points[i] = bin.getPoints();
                labels[i] = bin.getLabel();
            }
            unknownPoints = factor.getUnknownPoints();
            notApplicablePoints = factor.getNotApplicablePoints();
        }

        FactorReading read(IndicatorValues values, RuleStates rules) {
            IndicatorUnit unit = indicator == null ? IndicatorUnit.COUNT : indicator.unit();
            if (indicator == null) {
                int severity = rules.severityRank(ruleId);
                return severity < 0 ? reading(FactorReading.State.UNKNOWN, null, unit, FactorReading.UNKNOWN, unknownPoints, null)
                        : binned(severity, unit, null);
            }
            if (values.has(indicator)) {
                return binned(values.get(indicator), unit, values.observedAt(indicator));
            }
            return values.isNotApplicable(indicator)
                    ? reading(FactorReading.State.NOT_APPLICABLE, null, unit, FactorReading.NOT_APPLICABLE, notApplicablePoints, null)
                    : reading(FactorReading.State.UNKNOWN, null, unit, FactorReading.UNKNOWN, unknownPoints, null);
        }

        private FactorReading binned(long value, IndicatorUnit unit, Long observedAt) {
            int bin = bin(value);
            return new FactorReading(factorId, title, indicator, ruleId, FactorReading.State.BINNED, value, unit, labels[bin],
                    bin == 0 ? null : from[bin], bin == from.length - 1 ? null : from[bin + 1], points[bin], observedAt);
        }

        /** The last bin whose lower bound is at or below the value (the first has none). */
        int bin(long value) {
            int low = 0;
            int high = from.length - 1;
            while (low < high) {
                int mid = (low + high + 1) >>> 1;
                if (from[mid] <= value) {
                    low = mid;
                } else {
                    high = mid - 1;
                }
            }
            return low;
        }

        private FactorReading reading(FactorReading.State state, Long value, IndicatorUnit unit, String bin, int points, Long observedAt) {
            return new FactorReading(factorId, title, indicator, ruleId, state, value, unit, bin, null, null, points, observedAt);
        }
    }

    /** Every factor's id, in the scorecard's order; for tests and the docs. */
    public List<String> factorIds() {
        List<String> ids = new ArrayList<>();
        for (Factor factor : factors) {
            ids.add(factor.factorId);
        }
        return ids;
    }
}
