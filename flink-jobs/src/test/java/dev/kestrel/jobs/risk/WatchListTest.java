package dev.kestrel.jobs.risk;

import static dev.kestrel.jobs.Events.at;
import static dev.kestrel.jobs.Events.paid;
import static dev.kestrel.jobs.Events.scheduled;
import static dev.kestrel.jobs.Events.wrap;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kestrel.events.Alert;
import dev.kestrel.events.BorrowerProfile;
import dev.kestrel.events.BorrowerScore;
import dev.kestrel.events.GradeThreshold;
import dev.kestrel.events.RiskSegment;
import dev.kestrel.events.Scorecard;
import dev.kestrel.events.WatchGrade;
import dev.kestrel.jobs.Events;
import dev.kestrel.jobs.ingest.BorrowerEvent;
import dev.kestrel.jobs.ingest.Published;
import dev.kestrel.jobs.rules.RuleFiles;
import dev.kestrel.jobs.score.ScorecardBook;
import java.io.BufferedReader;
import java.time.LocalDate;
import java.util.List;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The borrower stage scores with the shipped scorecard (docs/scorecard.md: base 200, AMBER from 270, 90 days' minimum
 * stay) and writes what the desk ranks borrowers by: a score record per change, with every factor and the events
 * behind it, and one watch-list alert.
 */
class WatchListTest {
    private static final String B = "B-1";
    private KeyedBroadcastOperatorTestHarness<String, BorrowerEvent, Published, Alert> harness;

    @BeforeEach
    void open() throws Exception {
        harness = BorrowerRiskFunctionTest.unopenedHarness(RiskSettings.defaults(), "classpath:rules/default-rules.jsonl", Long.MIN_VALUE);
        harness.open();
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    private void send(SpecificRecordBase record) throws Exception {
        BorrowerRiskFunctionTest.deliver(harness, wrap(record));
    }

    private void eventTimePassesStartOf(int day) throws Exception {
        harness.watermark(Days.start(Days.of(at(day).toEpochMilli())));
    }

    private List<BorrowerScore> scores() {
        List<StreamRecord<BorrowerScore>> records = new java.util.ArrayList<>();
        if (harness.getSideOutput(BorrowerRiskFunction.SCORES) != null) {
            records.addAll(harness.getSideOutput(BorrowerRiskFunction.SCORES));
            harness.getSideOutput(BorrowerRiskFunction.SCORES).clear();
        }
        return records.stream().map(StreamRecord::getValue).toList();
    }

    private List<Alert> watchListAlerts() {
        List<Alert> alerts = harness.extractOutputValues().stream().filter(a -> a.getRuleId().equals("WATCH-LIST")).toList();
        harness.getOutput().clear();
        return alerts;
    }

    /** A sound borrower's accounts: liabilities 40% of assets, current ratio 1.8, net margin 8%, cash flow positive. */
    private void soundBorrowerOnFile() throws Exception {
        send(Events.profile(B, null, 0, 1_000_000, 500_000));
        send(Events.statement(B, 0, LocalDate.parse("2025-12-31"), 50_000, 20_000, 18_000, 10_000, 6_000, 480, 700));
        send(scheduled(B, "F-1", "01", 0, 10, 50_000));
    }

    @Test
    void aSoundInvestmentGradeBorrowerIsCoreAndAMissedInstalmentPutsItOnTheWatchListWithItsEvidence() throws Exception {
        soundBorrowerOnFile();
        List<BorrowerScore> onboarding = scores();
        BorrowerScore settled = onboarding.get(onboarding.size() - 1);
        // 200 - 10 (leverage under 50%) - 5 (current ratio 1.5 or more) - 10 (margin 5% or more): PD 0.21%, rated BBB.
        assertThat(settled.getScore()).isEqualTo(175);
        assertThat(settled.getGrade()).isEqualTo(WatchGrade.GREEN);
        assertThat(settled.getSegment()).isEqualTo(RiskSegment.CORE);
        assertThat(settled.getSuggestedRating()).isEqualTo("BBB+");

        eventTimePassesStartOf(40); // 30 days past due: 175 + 50 = 225, GREEN
        assertThat(watchListAlerts()).isEmpty();
        scores();
        eventTimePassesStartOf(41); // 31 days past due: 175 + 95 = 270, AMBER's entry

        List<BorrowerScore> changed = scores();
        assertThat(changed).singleElement().satisfies(score -> {
            assertThat(score.getScore()).isEqualTo(270);
            assertThat(score.getPreviousScore()).isEqualTo(225);
            assertThat(score.getGrade()).isEqualTo(WatchGrade.AMBER);
            assertThat(score.getPreviousGrade()).isEqualTo(WatchGrade.GREEN);
            assertThat(score.getSegment()).isEqualTo(RiskSegment.RISK_WATCH);
            assertThat(score.getFactors().get(0).getFactorId()).as("the top factor first").isEqualTo("ARREARS");
            assertThat(score.getFactors().get(0).getValue()).isEqualTo(31L);
            assertThat(score.getFactors().get(0).getPoints()).isEqualTo(95);
            assertThat(score.getFactors().get(0).getEvidence()).extracting(e -> e.getEventType()).containsExactly("RepaymentEvent");
        });
        assertThat(watchListAlerts()).singleElement().satisfies(alert -> {
            assertThat(alert.getLifecycle().name()).isEqualTo("OPENED");
            assertThat(alert.getSeverity().name()).isEqualTo("MEDIUM");
            assertThat(alert.getCategory().name()).isEqualTo("WATCH_LIST");
            assertThat(alert.getExplanation().getSummary()).contains("AMBER", "score 270", "daysPastDue 31 days", "Instalment 01 of F-1");
            assertThat(alert.getExplanation().getInputs()).extracting(i -> i.getIndicator()).contains("daysPastDue");
            assertThat(alert.getExplanation().getTriggeringEvents()).isNotEmpty();
        });
    }

    @Test
    void aNewInternalRatingMovesAGreenBorrowerOutOfCoreWithTheSameScore() throws Exception {
        soundBorrowerOnFile();
        scores();

        send(BorrowerProfile.newBuilder(Events.profile(B, null, 2, 1_000_000, 500_000)).setInternalRating("BB+").build());

        assertThat(scores()).singleElement().satisfies(score -> {
            assertThat(score.getScore()).isEqualTo(175);
            assertThat(score.getSegment()).as("the bank now rates it speculative").isEqualTo(RiskSegment.QUALITY);
            assertThat(score.getInternalRating()).isEqualTo("BB+");
        });
    }

    @Test
    void aScoreThatHoldsStillWritesNoRecord() throws Exception {
        soundBorrowerOnFile();
        scores();

        send(paid(B, "F-1", "01", 5, 10, 50_000, 50_000));
        send(Events.inflow(B, 6, 10_000));

        assertThat(scores()).as("paid before due, a receipt: no factor changed its bin").isEmpty();
    }

    @Test
    void aPublishedScorecardVersionScoresEveryBorrowerFromItsPublishedAtOn() throws Exception {
        soundBorrowerOnFile();
        scores();
        Scorecard stricter = shippedScorecard();
        stricter.setVersion(2);
        stricter.setPublishedAt(at(3));
        stricter.setGrades(List.of(new GradeThreshold(WatchGrade.AMBER, 170, 160), new GradeThreshold(WatchGrade.RED, 320, 300),
                new GradeThreshold(WatchGrade.BLACK, 370, 350)));
        harness.processBroadcastElement(Published.of(stricter), 0);

        send(Events.inflow(B, 2, 10_000));
        assertThat(scores()).as("day 2: version 1 still in force").isEmpty();
        send(Events.inflow(B, 4, 10_000));

        assertThat(scores()).singleElement().satisfies(score -> {
            assertThat(score.getScorecardVersion()).isEqualTo(2);
            assertThat(score.getScore()).isEqualTo(175);
            assertThat(score.getGrade()).isEqualTo(WatchGrade.AMBER);
        });
        assertThat(watchListAlerts()).extracting(a -> a.getRuleVersion()).containsExactly(2);
    }

    private static Scorecard shippedScorecard() throws Exception {
        try (BufferedReader reader = RuleFiles.open(RuleFiles.DEFAULT_SCORECARD)) {
            return (Scorecard) dev.kestrel.contract.JsonLines.read(reader.readLine()).record();
        }
    }

    private List<dev.kestrel.jobs.group.MemberStatus> groupHeard() {
        List<dev.kestrel.jobs.group.MemberStatus> heard = harness.getSideOutput(BorrowerRiskFunction.GROUP_EVENTS) == null ? List.of()
                : harness.getSideOutput(BorrowerRiskFunction.GROUP_EVENTS).stream().map(r -> r.getValue().member).toList();
        if (harness.getSideOutput(BorrowerRiskFunction.GROUP_EVENTS) != null) {
            harness.getSideOutput(BorrowerRiskFunction.GROUP_EVENTS).clear();
        }
        return heard;
    }

    @Test
    void aGroupMemberTellsItsGroupItsScoreAndGradeAsTheyMove() throws Exception {
        send(Events.profile(B, "G-1", 0, 1_000_000, 500_000));
        send(Events.statement(B, 0, LocalDate.parse("2025-12-31"), 50_000, 20_000, 18_000, 10_000, 6_000, 480, 700));
        send(scheduled(B, "F-1", "01", 0, 10, 50_000));
        List<dev.kestrel.jobs.group.MemberStatus> onboarding = groupHeard();
        assertThat(onboarding.get(onboarding.size() - 1)).satisfies(status -> {
            assertThat(status.groupId).isEqualTo("G-1");
            assertThat(status.watchGrade + " " + status.score).isEqualTo("GREEN 175");
        });

        eventTimePassesStartOf(41); // 31 days past due: 270, AMBER

        assertThat(groupHeard()).last().satisfies(status -> assertThat(status.watchGrade + " " + status.score).isEqualTo("AMBER 270"));
    }

    @Test
    void aScoreChangeAloneGoesToTheGroupAloneAndAStandAloneBorrowersToNoStage() throws Exception {
        send(Events.profile(B, "G-1", 0, 1_000_000, 500_000));
        send(Events.profile("B-2", null, 0, 1_000_000, 500_000));
        groupHeard();

        send(Events.credit(B, 3, dev.kestrel.events.CreditEventKind.LAWSUIT)); // +15 points; nothing the portfolio sums moves
        send(Events.credit("B-2", 3, dev.kestrel.events.CreditEventKind.LAWSUIT));

        assertThat(groupHeard()).singleElement().satisfies(status -> {
            assertThat(status.borrowerId).isEqualTo(B);
            assertThat(status.groupOnly).as("the portfolio stage is not sent it").isTrue();
            assertThat(status.score).isNotNull();
        });
    }

    @Test
    void theShippedScorecardLoads() {
        assertThat(ScorecardBook.load(RuleFiles.DEFAULT_SCORECARD).scorecardId()).isEqualTo("KESTREL-DEFAULT");
    }
}
