package dev.kestrel.contract;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kestrel.events.GradeThreshold;
import dev.kestrel.events.RatingBand;
import dev.kestrel.events.ScoreBin;
import dev.kestrel.events.ScoreFactor;
import dev.kestrel.events.ScoreScaling;
import dev.kestrel.events.Scorecard;
import dev.kestrel.events.WatchGrade;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;

/**
 * Proves the scorecard check refuses what would score borrowers wrongly or not at all, and says where: each reason
 * starts with the scorecard's id and the field's path, and quotes the value found.
 */
class ScorecardCheckTest {

    /** Two factors, one binning an indicator, one binning a rule's alert state; grades and rating bands in order. */
    private static Scorecard valid() {
        ScoreFactor arrears = new ScoreFactor("ARREARS", "Days past due", "Arrears are the strongest sign of default.",
                "daysPastDue", null, new ArrayList<>(List.of(
                        new ScoreBin(null, 1L, 0, "current"),
                        new ScoreBin(1L, 31L, 60, "1 to 30 days"),
                        new ScoreBin(31L, 91L, 150, "31 to 90 days"),
                        new ScoreBin(91L, null, 400, "over 90 days"))),
                40, 0);
        ScoreFactor inflow = new ScoreFactor("INFLOW-DROP", "Receipts fell", "A shrinking business misses instalments later.",
                null, "CF-INFLOW-DROP", new ArrayList<>(List.of(
                        new ScoreBin(null, 1L, 0, "no alert"),
                        new ScoreBin(1L, 4L, 50, "INFO to MEDIUM"),
                        new ScoreBin(4L, null, 120, "HIGH or CRITICAL"))),
                20, 0);
        return Scorecard.newBuilder()
                .setScorecardId("KESTREL-TEST")
                .setVersion(1)
                .setTitle("Test scorecard")
                .setRationale("Expert judgement, for tests.")
                .setBasePoints(100)
                .setScaling(new ScoreScaling(500, 200, 50))
                .setFactors(new ArrayList<>(List.of(arrears, inflow)))
                .setGrades(new ArrayList<>(List.of(
                        new GradeThreshold(WatchGrade.AMBER, 400, 350),
                        new GradeThreshold(WatchGrade.RED, 600, 550),
                        new GradeThreshold(WatchGrade.BLACK, 800, 750))))
                .setMinimumStayDays(30)
                .setCoreMaxPdBasisPoints(100)
                .setRatingBands(new ArrayList<>(List.of(
                        new RatingBand("A", 50),
                        new RatingBand("BBB", 200),
                        new RatingBand("BB", 800),
                        new RatingBand("B", 3000),
                        new RatingBand("CCC", 10000))))
                .setPublishedBy("risk-office")
                .setPublishedAt(Instant.parse("2026-03-02T09:15:00Z"))
                .build();
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> refusal(Scorecard card) {
        return assertThatThrownBy(() -> ScorecardCheck.check(card)).isInstanceOf(InvalidScorecardException.class);
    }

    private static ScoreFactor arrears(Scorecard card) {
        return card.getFactors().get(0);
    }

    private static ScoreBin arrearsBin(Scorecard card, int index) {
        return arrears(card).getBins().get(index);
    }

    private static GradeThreshold grade(Scorecard card, int index) {
        return card.getGrades().get(index);
    }

    @Test
    void acceptsAValidScorecard() {
        assertThatCode(() -> ScorecardCheck.check(valid())).doesNotThrowAnyException();
    }

    @Test
    void acceptsTheEdgesOfEveryRange() {
        Scorecard card = valid();
        card.setBasePoints(-100_000);
        arrearsBin(card, 3).setPoints(100_000);
        card.getScaling().setAnchorPdBasisPoints(9999);
        card.getScaling().setPointsToDoubleOdds(1);
        grade(card, 0).setExitBelow(400); // leaving at the entry score itself: no hysteresis, but no flap either
        card.setMinimumStayDays(3650);
        card.setCoreMaxPdBasisPoints(10000);

        assertThatCode(() -> ScorecardCheck.check(card)).doesNotThrowAnyException();
    }

    @Test
    void acceptsAFactorWithOneUnboundedBin() {
        Scorecard card = valid();
        arrears(card).setBins(new ArrayList<>(List.of(new ScoreBin(null, null, 10, "any"))));

        assertThatCode(() -> ScorecardCheck.check(card)).doesNotThrowAnyException();
    }

    @Test
    void acceptsNoRatingBandsAsNoReGrade() {
        Scorecard card = valid();
        card.setRatingBands(new ArrayList<>());

        assertThatCode(() -> ScorecardCheck.check(card)).doesNotThrowAnyException();
    }

    @Test
    void refusesBlankScorecardId() {
        Scorecard card = valid();
        card.setScorecardId(" ");

        refusal(card).hasMessage("scorecardId is blank");
    }

    @Test
    void refusesVersionBelowOne() {
        Scorecard card = valid();
        card.setVersion(0);

        refusal(card).hasMessage("KESTREL-TEST: version: 0; versions start at 1");
    }

    @Test
    void refusesBlankTitleAndRationale() {
        Scorecard untitled = valid();
        untitled.setTitle("");
        Scorecard unexplained = valid();
        unexplained.setRationale("  ");

        refusal(untitled).hasMessage("KESTREL-TEST: title: blank; the desk reads it");
        refusal(unexplained).hasMessageStartingWith("KESTREL-TEST: rationale: blank");
    }

    @Test
    void refusesAnAnchorPdOfZeroOrAllBasisPoints() {
        Scorecard zero = valid();
        zero.getScaling().setAnchorPdBasisPoints(0);
        Scorecard certain = valid();
        certain.getScaling().setAnchorPdBasisPoints(10000);

        refusal(zero).hasMessage("KESTREL-TEST: scaling.anchorPdBasisPoints: 0 is outside 1..9999; a PD of 0 or 100% has no odds");
        refusal(certain).hasMessageStartingWith("KESTREL-TEST: scaling.anchorPdBasisPoints: 10000 is outside 1..9999");
    }

    @Test
    void refusesPointsToDoubleOddsNotAboveZero() {
        Scorecard card = valid();
        card.getScaling().setPointsToDoubleOdds(0);

        refusal(card).hasMessageStartingWith("KESTREL-TEST: scaling.pointsToDoubleOdds: 0 is not above 0");
    }

    @Test
    void refusesAScorecardWithoutFactors() {
        Scorecard card = valid();
        card.setFactors(new ArrayList<>());

        refusal(card).hasMessage("KESTREL-TEST: factors: none; a scorecard needs at least one");
    }

    @Test
    void refusesMoreThan200Factors() {
        Scorecard card = valid();
        List<ScoreFactor> many = new ArrayList<>();
        for (int i = 0; i < 201; i++) {
            ScoreFactor factor = ScoreFactor.newBuilder(arrears(card)).setFactorId("F" + i).build();
            many.add(factor);
        }
        card.setFactors(many);

        refusal(card).hasMessage("KESTREL-TEST: factors: 201 of them; at most 200");
        card.setFactors(new ArrayList<>(many.subList(0, 200)));
        assertThatCode(() -> ScorecardCheck.check(card)).doesNotThrowAnyException();
    }

    @Test
    void refusesBlankFactorId() {
        Scorecard card = valid();
        card.getFactors().get(1).setFactorId("");

        refusal(card).hasMessage("KESTREL-TEST: factors[1].factorId: blank");
    }

    @Test
    void refusesDuplicateFactorId() {
        Scorecard card = valid();
        card.getFactors().get(1).setFactorId("ARREARS");

        refusal(card).hasMessage("KESTREL-TEST: factors[1].factorId: 'ARREARS' repeats factors[0]");
    }

    @Test
    void refusesBlankFactorTitleAndRationale() {
        Scorecard untitled = valid();
        arrears(untitled).setTitle(" ");
        Scorecard unexplained = valid();
        unexplained.getFactors().get(1).setRationale("");

        refusal(untitled).hasMessage("KESTREL-TEST: factors[0].title: blank; the desk reads it");
        refusal(unexplained).hasMessageStartingWith("KESTREL-TEST: factors[1].rationale: blank");
    }

    @Test
    void refusesAFactorWithBothIndicatorAndRule() {
        Scorecard card = valid();
        arrears(card).setRuleId("REPAY-DPD-30");

        refusal(card).hasMessage("KESTREL-TEST: factors[0]: sets both indicator 'daysPastDue' and ruleId 'REPAY-DPD-30';"
                + " a factor bins exactly one of them");
    }

    @Test
    void refusesAFactorWithNeitherIndicatorNorRule() {
        Scorecard card = valid();
        card.getFactors().get(1).setRuleId(null);

        refusal(card).hasMessage("KESTREL-TEST: factors[1]: sets neither indicator nor ruleId; a factor bins exactly one of them");
    }

    @Test
    void refusesUnknownIndicator() {
        Scorecard card = valid();
        arrears(card).setIndicator("daysPastDew");

        refusal(card).hasMessage("KESTREL-TEST: factors[0].indicator: unknown indicator 'daysPastDew'; docs/rules.md lists the indicators");
    }

    @Test
    void refusesGroupIndicator() {
        Scorecard card = valid();
        arrears(card).setIndicator("groupLimitUtilisation");

        refusal(card).hasMessage("KESTREL-TEST: factors[0].indicator: 'groupLimitUtilisation' is a GROUP indicator;"
                + " a scorecard scores borrowers, so it bins BORROWER indicators only");
    }

    @Test
    void refusesPortfolioIndicator() {
        Scorecard card = valid();
        arrears(card).setIndicator("industryExposureShare");

        refusal(card).hasMessageStartingWith("KESTREL-TEST: factors[0].indicator: 'industryExposureShare' is a PORTFOLIO indicator");
    }

    @Test
    void refusesBlankRuleId() {
        Scorecard card = valid();
        card.getFactors().get(1).setRuleId(" ");

        refusal(card).hasMessage("KESTREL-TEST: factors[1].ruleId: blank");
    }

    @Test
    void refusesAFactorWithoutBins() {
        Scorecard card = valid();
        arrears(card).setBins(new ArrayList<>());

        refusal(card).hasMessageStartingWith("KESTREL-TEST: factors[0].bins: none; a factor needs at least one");
    }

    @Test
    void refusesAFirstBinWithALowerBound() {
        Scorecard card = valid();
        arrearsBin(card, 0).setFrom(0L);

        refusal(card).hasMessage("KESTREL-TEST: factors[0].bins[0].from: 0, but the first bin has no lower bound (null),"
                + " or values below 0 would fall in no bin");
    }

    @Test
    void refusesALastBinWithAnUpperBound() {
        Scorecard card = valid();
        arrearsBin(card, 3).setTo(3650L);

        refusal(card).hasMessage("KESTREL-TEST: factors[0].bins[3].to: 3650, but the last bin has no upper bound (null),"
                + " or values from 3650 up would fall in no bin");
    }

    @Test
    void refusesAnUnboundedBinInTheMiddle() {
        Scorecard noFrom = valid();
        arrearsBin(noFrom, 2).setFrom(null);
        Scorecard noTo = valid();
        arrearsBin(noTo, 1).setTo(null);

        refusal(noFrom).hasMessage("KESTREL-TEST: factors[0].bins[2].from: null, but only the first bin has no lower bound");
        refusal(noTo).hasMessage("KESTREL-TEST: factors[0].bins[1].to: null, but only the last bin has no upper bound");
    }

    @Test
    void refusesGapBetweenBins() {
        Scorecard card = valid();
        arrearsBin(card, 2).setFrom(40L);

        refusal(card).hasMessage("KESTREL-TEST: factors[0].bins[2].from: 40 leaves a gap after bins[1], which runs to 31:"
                + " values 31 to 39 fall in no bin");
    }

    @Test
    void refusesAGapOfOneValue() {
        Scorecard card = valid();
        card.getFactors().get(1).getBins().get(1).setFrom(2L);

        refusal(card).hasMessage("KESTREL-TEST: factors[1].bins[1].from: 2 leaves a gap after bins[0], which runs to 1:"
                + " value 1 falls in no bin");
    }

    @Test
    void refusesOverlappingBins() {
        Scorecard card = valid();
        arrearsBin(card, 2).setFrom(20L);

        refusal(card).hasMessage("KESTREL-TEST: factors[0].bins[2].from: 20 overlaps bins[1], which runs to 31");
    }

    @Test
    void refusesAnEmptyBin() {
        Scorecard empty = valid();
        arrearsBin(empty, 2).setTo(31L);
        arrearsBin(empty, 3).setFrom(31L);
        Scorecard backwards = valid();
        arrearsBin(backwards, 2).setTo(20L);
        arrearsBin(backwards, 3).setFrom(20L);

        refusal(empty).hasMessage("KESTREL-TEST: factors[0].bins[2].to: 31 is not above from 31; the bin would hold no value");
        refusal(backwards).hasMessage("KESTREL-TEST: factors[0].bins[2].to: 20 is not above from 31; the bin would hold no value");
    }

    @Test
    void refusesABlankBinLabel() {
        Scorecard card = valid();
        arrearsBin(card, 1).setLabel("");

        refusal(card).hasMessage("KESTREL-TEST: factors[0].bins[1].label: blank; the desk reads it");
    }

    @Test
    void refusesPointsBeyond100000SoSumsCannotOverflow() {
        Scorecard bin = valid();
        arrearsBin(bin, 3).setPoints(100_001);
        Scorecard unknown = valid();
        unknown.getFactors().get(1).setUnknownPoints(-100_001);
        Scorecard notApplicable = valid();
        arrears(notApplicable).setNotApplicablePoints(Integer.MAX_VALUE);
        Scorecard base = valid();
        base.setBasePoints(Integer.MIN_VALUE);

        refusal(bin).hasMessage("KESTREL-TEST: factors[0].bins[3].points: 100001 is outside -100000..100000,"
                + " which keeps every sum of points from overflowing");
        refusal(unknown).hasMessageStartingWith("KESTREL-TEST: factors[1].unknownPoints: -100001 is outside -100000..100000");
        refusal(notApplicable).hasMessageStartingWith("KESTREL-TEST: factors[0].notApplicablePoints: 2147483647 is outside");
        refusal(base).hasMessageStartingWith("KESTREL-TEST: basePoints: -2147483648 is outside");
    }

    @Test
    void refusesGreenGrade() {
        Scorecard card = valid();
        card.getGrades().add(0, new GradeThreshold(WatchGrade.GREEN, 0, 0));

        refusal(card).hasMessage("KESTREL-TEST: grades[0].grade: GREEN has no threshold: it is every score below AMBER's enterAt");
    }

    @Test
    void refusesAMissingGrade() {
        Scorecard card = valid();
        card.getGrades().remove(2);

        refusal(card).hasMessage("KESTREL-TEST: grades: 2 given; a scorecard needs AMBER, RED and BLACK, once each, in that order");
    }

    @Test
    void refusesGradesOutOfOrder() {
        Scorecard card = valid();
        card.setGrades(new ArrayList<>(List.of(
                new GradeThreshold(WatchGrade.AMBER, 400, 350),
                new GradeThreshold(WatchGrade.BLACK, 800, 750),
                new GradeThreshold(WatchGrade.RED, 600, 550))));

        refusal(card).hasMessage("KESTREL-TEST: grades[1].grade: BLACK where RED belongs;"
                + " the grades are AMBER, RED and BLACK, once each, in that order");
    }

    @Test
    void refusesEntryThresholdsThatDoNotRise() {
        Scorecard card = valid();
        grade(card, 2).setEnterAt(600);

        refusal(card).hasMessage("KESTREL-TEST: grades[2].enterAt: 600 is not above RED's enterAt 600; a worse grade takes a higher score");
    }

    @Test
    void refusesExitAboveEntry() {
        Scorecard card = valid();
        grade(card, 0).setExitBelow(450);

        refusal(card).hasMessage("KESTREL-TEST: grades[0].exitBelow: 450 is above AMBER's enterAt 400;"
                + " a borrower entering the grade at 400 would leave it at once");
    }

    @Test
    void refusesExitThresholdsThatDoNotRise() {
        Scorecard card = valid();
        grade(card, 1).setExitBelow(340);

        refusal(card).hasMessage("KESTREL-TEST: grades[1].exitBelow: 340 is not above AMBER's exitBelow 350;"
                + " the exit thresholds must rise with the grades");
    }

    @Test
    void refusesNonMonotoneGradeThresholds() {
        Scorecard card = valid();
        grade(card, 1).setExitBelow(380); // above AMBER's exit (350), but a RED borrower scoring 390 would stay RED

        refusal(card).hasMessage("KESTREL-TEST: grades[1].exitBelow: 380 is not above AMBER's enterAt 400;"
                + " the grade thresholds would not be monotone: a RED borrower would stay RED at a score that does not even enter AMBER");
    }

    @Test
    void refusesAMinimumStayOutsideTenYears() {
        Scorecard negative = valid();
        negative.setMinimumStayDays(-1);
        Scorecard tooLong = valid();
        tooLong.setMinimumStayDays(3651);

        refusal(negative).hasMessage("KESTREL-TEST: minimumStayDays: -1 is outside 0..3650");
        refusal(tooLong).hasMessage("KESTREL-TEST: minimumStayDays: 3651 is outside 0..3650");
    }

    @Test
    void refusesACorePdBoundOutsideBasisPoints() {
        Scorecard card = valid();
        card.setCoreMaxPdBasisPoints(10001);

        refusal(card).hasMessage("KESTREL-TEST: coreMaxPdBasisPoints: 10001 is outside 0..10000");
    }

    @Test
    void refusesABlankRating() {
        Scorecard card = valid();
        card.getRatingBands().get(1).setRating(" ");

        refusal(card).hasMessage("KESTREL-TEST: ratingBands[1].rating: blank");
    }

    @Test
    void refusesADuplicateRating() {
        Scorecard card = valid();
        card.getRatingBands().get(2).setRating("BBB");

        refusal(card).hasMessage("KESTREL-TEST: ratingBands[2].rating: 'BBB' repeats ratingBands[1]");
    }

    @Test
    void refusesARatingBandOutsideBasisPoints() {
        Scorecard card = valid();
        card.getRatingBands().get(0).setMaxPdBasisPoints(0);

        refusal(card).hasMessage("KESTREL-TEST: ratingBands[0].maxPdBasisPoints: 0 is outside 1..10000");
    }

    @Test
    void refusesRatingBandsThatDoNotRise() {
        Scorecard card = valid();
        card.getRatingBands().get(2).setMaxPdBasisPoints(200);

        refusal(card).hasMessage("KESTREL-TEST: ratingBands[2].maxPdBasisPoints: 200 is not above ratingBands[1]'s 200;"
                + " best rating first, each taking higher PDs");
    }

    @Test
    void refusesALastRatingBandBelow10000() {
        Scorecard card = valid();
        card.getRatingBands().get(4).setMaxPdBasisPoints(9000);

        refusal(card).hasMessage("KESTREL-TEST: ratingBands[4].maxPdBasisPoints: 9000, but the last band must reach 10000,"
                + " or a PD above 9000 would map to no rating");
    }

    @Test
    void refusesAMissingPublishedAt() {
        Scorecard card = valid();
        card.put("publishedAt", null); // the setter refuses null; a record built field by field can still lack it

        refusal(card).hasMessageStartingWith("KESTREL-TEST: publishedAt: missing");
    }

    @Test
    void theShippedDefaultScorecardIsValid() throws Exception {
        List<String> lines;
        try (InputStream in = ScorecardCheckTest.class.getResourceAsStream("/scorecards/default-scorecard.jsonl")) {
            assertThat(in).as("classpath resource /scorecards/default-scorecard.jsonl").isNotNull();
            lines = new String(in.readAllBytes(), UTF_8).lines().filter(line -> !line.isBlank()).toList();
        }
        assertThat(lines).as("the default scorecard, on one line").hasSize(1);

        Decoded decoded = JsonLines.read(lines.get(0));

        assertThat(decoded.isRejected()).as("rejected: %s", decoded.reason()).isFalse();
        assertThat(decoded.record()).isInstanceOf(Scorecard.class);
        ScorecardCheck.check((Scorecard) decoded.record()); // a refusal fails the test with its reason
    }
}
