package dev.kestrel.jobs.score;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kestrel.contract.Indicator;
import dev.kestrel.events.GradeThreshold;
import dev.kestrel.events.RatingBand;
import dev.kestrel.events.RiskSegment;
import dev.kestrel.events.ScoreBin;
import dev.kestrel.events.ScoreFactor;
import dev.kestrel.events.ScoreScaling;
import dev.kestrel.events.Scorecard;
import dev.kestrel.events.WatchGrade;
import dev.kestrel.jobs.indicator.IndicatorValues;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Scoring as a credit officer checks it by hand: bins at their edges, missing data, the PD scale, the grades. */
class CompiledScorecardTest {
    private static final long T = Instant.parse("2026-03-02T00:00:00Z").toEpochMilli();
    private static final RuleStates NO_ALERTS = ruleId -> 0;

    static Scorecard card() {
        return Scorecard.newBuilder()
                .setScorecardId("TEST").setVersion(1).setTitle("test").setRationale("for tests")
                .setBasePoints(200)
                .setScaling(new ScoreScaling(200, 50, 20))
                .setFactors(List.of(
                        ScoreFactor.newBuilder().setFactorId("ARREARS").setTitle("Days past due").setRationale("r")
                                .setIndicator("daysPastDue").setRuleId(null)
                                .setBins(List.of(new ScoreBin(null, 1L, 0, "none"), new ScoreBin(1L, 31L, 50, "1 to 30 days"),
                                        new ScoreBin(31L, 91L, 95, "31 to 90 days"), new ScoreBin(91L, null, 135, "over 90 days")))
                                .setUnknownPoints(10).setNotApplicablePoints(0).build(),
                        ScoreFactor.newBuilder().setFactorId("LIMIT_USE").setTitle("Utilisation").setRationale("r")
                                .setIndicator("limitUtilisation").setRuleId(null)
                                .setBins(List.of(new ScoreBin(null, 9_000L, 0, "under 90%"), new ScoreBin(9_000L, null, 20, "90% or more")))
                                .setUnknownPoints(7).setNotApplicablePoints(-3).build(),
                        ScoreFactor.newBuilder().setFactorId("CASH_STRESS").setTitle("Cash stress").setRationale("r")
                                .setIndicator(null).setRuleId("CF-STRESS")
                                .setBins(List.of(new ScoreBin(null, 1L, 0, "no alert"), new ScoreBin(1L, null, 20, "alert open")))
                                .setUnknownPoints(5).setNotApplicablePoints(0).build()))
                .setGrades(List.of(new GradeThreshold(WatchGrade.AMBER, 270, 255), new GradeThreshold(WatchGrade.RED, 320, 300),
                        new GradeThreshold(WatchGrade.BLACK, 370, 350)))
                .setMinimumStayDays(90).setCoreMaxPdBasisPoints(56)
                .setRatingBands(List.of(new RatingBand("BBB", 56), new RatingBand("BB", 208), new RatingBand("B", 776),
                        new RatingBand("CCC", 4000), new RatingBand("D", 10_000)))
                .setPublishedBy(null).setPublishedAt(Instant.ofEpochMilli(T))
                .build();
    }

    private static CompiledScorecard compiled() throws Exception {
        return CompiledScorecard.compile(card());
    }

    private static IndicatorValues values(long daysPastDue) {
        IndicatorValues values = new IndicatorValues();
        values.set(Indicator.DAYS_PAST_DUE, daysPastDue, T);
        values.set(Indicator.LIMIT_UTILISATION, 5_000, T);
        return values;
    }

    @Test
    void aValueFallsInTheBinFromItsLowerBoundUpToButExcludingItsUpperBound() throws Exception {
        CompiledScorecard card = compiled();

        assertThat(card.score(values(0), NO_ALERTS, null)).isEqualTo(200);
        assertThat(card.score(values(1), NO_ALERTS, null)).isEqualTo(250);
        assertThat(card.score(values(30), NO_ALERTS, null)).isEqualTo(250);
        assertThat(card.score(values(31), NO_ALERTS, null)).isEqualTo(295);
        assertThat(card.score(values(90), NO_ALERTS, null)).isEqualTo(295);
        assertThat(card.score(values(91), NO_ALERTS, null)).isEqualTo(335);
        assertThat(card.score(values(-5), NO_ALERTS, null)).as("below every bound: the first bin").isEqualTo(200);
    }

    @Test
    void eachFactorSaysItsValueBinAndPoints() throws Exception {
        List<FactorReading> factors = new ArrayList<>();
        compiled().score(values(45), ruleId -> 4, factors);

        assertThat(factors).extracting(FactorReading::factorId, FactorReading::value, FactorReading::bin, FactorReading::points,
                FactorReading::binFrom, FactorReading::binTo).containsExactly(
                org.assertj.core.groups.Tuple.tuple("ARREARS", 45L, "31 to 90 days", 95, 31L, 91L),
                org.assertj.core.groups.Tuple.tuple("LIMIT_USE", 5_000L, "under 90%", 0, null, 9_000L),
                org.assertj.core.groups.Tuple.tuple("CASH_STRESS", 4L, "alert open", 20, 1L, null));
    }

    @Test
    void missingDataScoresTheUnknownBinNeverZero() throws Exception {
        IndicatorValues nothing = new IndicatorValues();
        List<FactorReading> factors = new ArrayList<>();

        int score = compiled().score(nothing, ruleId -> -1, factors);

        assertThat(score).as("200 + 10 unknown arrears + 7 unknown utilisation + 5 rule not in force").isEqualTo(222);
        assertThat(factors).allMatch(f -> f.state() == FactorReading.State.UNKNOWN && f.value() == null && f.bin().equals("unknown"));
    }

    @Test
    void anIndicatorThatDoesNotApplyScoresTheNotApplicableBin() throws Exception {
        IndicatorValues values = values(0);
        values.notApplicable(Indicator.LIMIT_UTILISATION, T);
        List<FactorReading> factors = new ArrayList<>();

        assertThat(compiled().score(values, NO_ALERTS, factors)).isEqualTo(197);
        assertThat(factors.get(1).state()).isEqualTo(FactorReading.State.NOT_APPLICABLE);
        assertThat(factors.get(1).bin()).isEqualTo("not applicable");
    }

    @Test
    void pdDoublesItsOddsEveryPointsToDoubleOdds() throws Exception {
        CompiledScorecard card = compiled();

        assertThat(card.pdBasisPoints(200)).as("the anchor").isEqualTo(50);
        // odds 50/9950 doubled: 0.010050 -> PD 0.009950, 99.5 bp, rounded half up
        assertThat(card.pdBasisPoints(220)).isEqualTo(100);
        assertThat(card.pdBasisPoints(270)).isEqualTo(538);
        assertThat(card.pdBasisPoints(5_000)).as("never 100%").isEqualTo(9_999);
        assertThat(card.pdBasisPoints(-5_000)).as("never 0%").isEqualTo(1);
    }

    @Test
    void aWorseGradeAppliesAtOnceAtItsEntryThreshold() throws Exception {
        CompiledScorecard card = compiled();

        assertThat(card.grade(WatchGrade.GREEN, 269, false)).isEqualTo(WatchGrade.GREEN);
        assertThat(card.grade(WatchGrade.GREEN, 270, false)).isEqualTo(WatchGrade.AMBER);
        assertThat(card.grade(WatchGrade.GREEN, 370, false)).as("straight to the worst it reaches").isEqualTo(WatchGrade.BLACK);
        assertThat(card.grade(WatchGrade.AMBER, 320, false)).isEqualTo(WatchGrade.RED);
    }

    @Test
    void aGradeIsKeptUntilTheScoreFallsBelowItsExitAndTheStayIsOver() throws Exception {
        CompiledScorecard card = compiled();

        assertThat(card.grade(WatchGrade.AMBER, 260, true)).as("between exit and entry: hysteresis").isEqualTo(WatchGrade.AMBER);
        assertThat(card.grade(WatchGrade.AMBER, 254, false)).as("below exit, stay not over").isEqualTo(WatchGrade.AMBER);
        assertThat(card.grade(WatchGrade.AMBER, 254, true)).isEqualTo(WatchGrade.GREEN);
        assertThat(card.grade(WatchGrade.BLACK, 310, true)).as("below BLACK's and above RED's exit").isEqualTo(WatchGrade.RED);
        assertThat(card.grade(WatchGrade.BLACK, 100, true)).as("takes the grade its score implies").isEqualTo(WatchGrade.GREEN);
        assertThat(card.grade(WatchGrade.RED, 360, false)).as("a BLACK entry is not reached").isEqualTo(WatchGrade.RED);
    }

    @Test
    void segmentAndSuggestedRatingFollowFromGradeAndPd() throws Exception {
        CompiledScorecard card = compiled();

        assertThat(card.segment(WatchGrade.GREEN, 56, true)).isEqualTo(RiskSegment.CORE);
        assertThat(card.segment(WatchGrade.GREEN, 56, false)).as("rated speculative by the bank").isEqualTo(RiskSegment.QUALITY);
        assertThat(card.segment(WatchGrade.GREEN, 57, true)).isEqualTo(RiskSegment.QUALITY);
        assertThat(card.segment(WatchGrade.AMBER, 10, true)).isEqualTo(RiskSegment.RISK_WATCH);
        assertThat(card.suggestedRating(56)).isEqualTo("BBB");
        assertThat(card.suggestedRating(57)).isEqualTo("BB");
        assertThat(card.suggestedRating(9_999)).isEqualTo("D");
    }

    @Test
    void theShippedDefaultScorecardScoresACleanBorrowerAtItsBase() {
        ScorecardBook book = ScorecardBook.load(dev.kestrel.jobs.rules.RuleFiles.DEFAULT_SCORECARD);
        CompiledScorecard card = book.inForce(T);
        IndicatorValues clean = values(0);

        assertThat(card.scorecardId()).isEqualTo("KESTREL-DEFAULT");
        assertThat(card.indicatorMask() & (1L << Indicator.DAYS_PAST_DUE.ordinal())).isNotZero();
        assertThat(card.grade(WatchGrade.GREEN, card.score(clean, NO_ALERTS, null), true)).isEqualTo(WatchGrade.GREEN);
    }
}
