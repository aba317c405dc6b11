package dev.kestrel.jobs.risk;

import static dev.kestrel.jobs.Events.at;
import static dev.kestrel.jobs.Events.inflow;
import static dev.kestrel.jobs.Events.outflow;
import static dev.kestrel.jobs.Events.paid;
import static dev.kestrel.jobs.Events.scheduled;
import static dev.kestrel.jobs.Events.wrap;
import static dev.kestrel.jobs.Events.yuan;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kestrel.contract.Samples;
import dev.kestrel.events.Alert;
import dev.kestrel.events.AlertLifecycle;
import dev.kestrel.events.BorrowerProfile;
import dev.kestrel.events.BorrowerRiskSnapshot;
import dev.kestrel.events.Clause;
import dev.kestrel.events.ClauseGroup;
import dev.kestrel.events.Comparison;
import dev.kestrel.events.DeadLetter;
import dev.kestrel.events.DeadLetterReason;
import dev.kestrel.events.Direction;
import dev.kestrel.events.Facility;
import dev.kestrel.events.FxRate;
import dev.kestrel.events.FacilityType;
import dev.kestrel.events.RiskSegment;
import dev.kestrel.events.Rule;
import dev.kestrel.events.RuleCondition;
import dev.kestrel.events.RuleVersionStatus;
import dev.kestrel.events.Scorecard;
import dev.kestrel.events.VersionRunning;
import dev.kestrel.events.VersionSource;
import dev.kestrel.events.VersionStatus;
import dev.kestrel.events.VersionedKind;
import dev.kestrel.events.Severity;
import dev.kestrel.jobs.Events;
import dev.kestrel.jobs.config.EngineConfig;
import dev.kestrel.jobs.group.GroupEvent;
import dev.kestrel.jobs.ingest.BorrowerEvent;
import dev.kestrel.jobs.ingest.Published;
import dev.kestrel.jobs.rules.RuleBook;
import dev.kestrel.jobs.rules.RuleFiles;
import dev.kestrel.jobs.rules.VersionReports;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.heap.HeapKeyedStateBackend;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.util.OutputTag;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The per-borrower operator under Flink's operator test harness: outputs, episodes, timers, rules, restore. */
class BorrowerRiskFunctionTest {
    private static final String B = "B-1";
    private static final Duration TTL = Duration.ofDays(400);
    /** How long events of a borrower with no profile are held for one. */
    private static final Duration WAIT = Duration.ofDays(1);
    private KeyedBroadcastOperatorTestHarness<String, BorrowerEvent, Published, Alert> harness;

    @BeforeEach
    void open() throws Exception {
        harness = newHarness();
        knownBorrower(harness);
    }

    /** The borrower's profile, as master data sends it before anything else. */
    private static void knownBorrower(KeyedBroadcastOperatorTestHarness<String, BorrowerEvent, Published, Alert> harness) throws Exception {
        deliver(harness, wrap(Events.profile(B, null, 0, 1, 0)));
        harness.getOutput().clear();
        for (var side : List.of(BorrowerRiskFunction.SNAPSHOTS, BorrowerRiskFunction.GROUP_EVENTS)) {
            if (harness.getSideOutput(side) != null) {
                harness.getSideOutput(side).clear();
            }
        }
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    private static KeyedBroadcastOperatorTestHarness<String, BorrowerEvent, Published, Alert> newHarness() throws Exception {
        KeyedBroadcastOperatorTestHarness<String, BorrowerEvent, Published, Alert> harness = unopenedHarness();
        harness.open();
        return harness;
    }

    private static KeyedBroadcastOperatorTestHarness<String, BorrowerEvent, Published, Alert> unopenedHarness() throws Exception {
        return unopenedHarness(Long.MIN_VALUE);
    }

    private static KeyedBroadcastOperatorTestHarness<String, BorrowerEvent, Published, Alert> unopenedHarness(long ageUntil) throws Exception {
        return unopenedHarness("classpath:rules/test-pack.jsonl", ageUntil);
    }

    /** An open harness that evaluates the rule pack the job ships. */
    private static KeyedBroadcastOperatorTestHarness<String, BorrowerEvent, Published, Alert> shippedPackHarness() throws Exception {
        KeyedBroadcastOperatorTestHarness<String, BorrowerEvent, Published, Alert> harness =
                unopenedHarness("classpath:rules/default-rules.jsonl", Long.MIN_VALUE);
        harness.open();
        knownBorrower(harness);
        return harness;
    }

    /**
     * The engine's defaults without periodic reviews: the timers these tests count are those of waits, arrears and
     * statements, and their histories would otherwise end in reviews falling due (reviews have their own test below).
     */
    private static final RiskSettings WITHOUT_REVIEWS = RiskSettings.defaults().withReviewSchedule(new ReviewSchedule("0d", "0d", "0d", "0d"));

    private static KeyedBroadcastOperatorTestHarness<String, BorrowerEvent, Published, Alert> unopenedHarness(String rulePack, long ageUntil)
            throws Exception {
        return unopenedHarness(WITHOUT_REVIEWS, rulePack, ageUntil);
    }

    /** The borrower stage as the job builds it (a TTL of 400 days, a day's wait for a profile), not yet opened. */
    static KeyedBroadcastOperatorTestHarness<String, BorrowerEvent, Published, Alert> unopenedHarness(RiskSettings settings,
            String rulePack, long ageUntil) throws Exception {
        return new KeyedBroadcastOperatorTestHarness<>(new CoBroadcastWithKeyedOperator<>(
                new BorrowerRiskFunction(settings, RuleFiles.pack(rulePack), TTL,
                        Duration.ofHours(1), ageUntil, WAIT),
                List.of(BorrowerRiskFunction.PUBLISHED_RULES, BorrowerRiskFunction.PUBLISHED_SCORECARDS, BorrowerRiskFunction.PUBLISHED_FX_RATES)),
                BorrowerEvent::key, Types.STRING, 128, 1, 0);
    }

    private void send(SpecificRecordBase record) throws Exception {
        deliver(harness, wrap(record));
    }

    /**
     * Delivers an event as the job does on a live feed: event time has reached the start of the event's day, so the
     * event does not wait for its day (see EventsAhead) and the day timers before it have fired.
     */
    static void deliver(KeyedBroadcastOperatorTestHarness<String, BorrowerEvent, Published, Alert> harness, BorrowerEvent event)
            throws Exception {
        harness.watermark(EventsAhead.releaseTime(Days.of(event.eventTimeMillis))); // never back: Flink keeps the highest
        harness.processElement(event, event.eventTimeMillis);
    }

    /** An event read from a faster topic: event time has not reached its day. */
    private void sendAhead(SpecificRecordBase record) throws Exception {
        BorrowerEvent event = wrap(record);
        harness.processElement(event, event.eventTimeMillis);
    }

    /** Event time passes the start of the day: its day timers fire, then the events waiting for it apply. */
    private void eventTimePassesStartOf(int day) throws Exception {
        harness.watermark(EventsAhead.releaseTime(Days.of(at(day).toEpochMilli())));
    }

    private void balance(int day, long balanceYuan) throws Exception {
        send(Events.transaction(B, day, Direction.DEBIT, 10).setBalanceAfterMinor(yuan(balanceYuan)).build());
    }

    private void watermarkAtStartOf(int day) throws Exception {
        harness.watermark(Days.start(Days.of(at(day).toEpochMilli())));
    }

    private List<Alert> alerts() {
        List<Alert> alerts = harness.extractOutputValues();
        harness.getOutput().clear();
        return alerts;
    }

    @Test
    void aReviewNotRecordedByItsDueDateRaisesReviewOverdueTheDayAfterEscalatesAfterAMonthAndTheNextReviewClosesIt() throws Exception {
        harness.close();
        harness = unopenedHarness(RiskSettings.defaults(), "classpath:rules/default-rules.jsonl", Long.MIN_VALUE);
        harness.open();
        knownBorrower(harness);
        send(Events.review(B, "RV-1", 10, 10, 40)); // the reviewer wants the next one by day 40, before the yearly date
        watermarkAtStartOf(40);
        assertThat(alerts()).as("due on day 40: not overdue on it").isEmpty();
        assertThat(sideOutput(BorrowerRiskFunction.SNAPSHOTS)).last()
                .satisfies(snapshot -> assertThat(snapshot.getReviewDueDate()).isEqualTo(Events.date(40)))
                .satisfies(snapshot -> assertThat(snapshot.getLastReviewDate()).isEqualTo(Events.date(10)));

        watermarkAtStartOf(41);
        assertThat(alerts()).singleElement().satisfies(alert -> {
            assertThat(describe(alert)).isEqualTo("REVIEW-OVERDUE OPENED LOW");
            assertThat(alert.getCategory()).isEqualTo(dev.kestrel.events.AlertCategory.REVIEW);
            assertThat(alert.getEventTime()).isEqualTo(startOf(41));
            assertThat(alert.getExplanation().getSummary()).contains("reviewOverdueDays 1 day > 0 days",
                    "Latest review RV-1: desk review on 2026-01-11 by ana; next review due 2026-02-10 (the reviewer's date)");
            assertThat(alert.getExplanation().getTriggeringEvents()).extracting(e -> e.getEventId() + " " + e.getEventType())
                    .containsExactly("RV-1 BorrowerReview");
        });
        watermarkAtStartOf(70);
        assertThat(alerts()).as("30 days overdue is not yet more than 30").isEmpty();
        watermarkAtStartOf(71);
        assertThat(alerts()).extracting(BorrowerRiskFunctionTest::describe).containsExactly("REVIEW-OVERDUE ESCALATED MEDIUM");

        send(Events.review(B, "RV-2", 74, 75, -1));
        assertThat(alerts()).extracting(BorrowerRiskFunctionTest::describe).containsExactly("REVIEW-OVERDUE CLOSED MEDIUM");
        assertThat(sideOutput(BorrowerRiskFunction.SNAPSHOTS)).last()
                .satisfies(snapshot -> assertThat(snapshot.getReviewDueDate()).as("a year after the review, on GREEN")
                        .isEqualTo(Events.date(74).plusYears(1)));
    }

    @Test
    void aGroupLimitPassesOnBetweenTheMembersChangesInTheOrderItCameAndTouchesNoBorrowersState() throws Exception {
        send(Events.profile(B, "G-1", 1, 10_000_000, 2_000_000));
        send(Events.groupLimit("G-1", 2, 50_000_000));
        send(Events.profile(B, "G-1", 3, 10_000_000, 9_000_000));

        List<GroupEvent> heard = harness.getSideOutput(BorrowerRiskFunction.GROUP_EVENTS).stream().map(r -> r.getValue()).toList();
        assertThat(heard).extracting(event -> event.limit != null ? "limit " + event.groupId : "member " + event.member.borrowerId)
                .containsExactly("member B-1", "limit G-1", "member B-1");
        assertThat(heard.get(1).limit.getLimitMinor()).isEqualTo(yuan(50_000_000));
        assertThat(heapEntries()).as("only B-1's state").isEqualTo(1);
        assertThat(harness.numEventTimeTimers()).isLessThanOrEqualTo(1);
    }

    @Test
    void raisesOnceAnEpisodeOpensAndClosesOnlyPastTheClearThreshold() throws Exception {
        balance(1, -200);
        List<Alert> opened = alerts();
        balance(2, -300);
        balance(3, 500); // above 0 but below the 1,000.00 clear threshold: still open
        List<Alert> whileOpen = alerts();
        balance(4, 2_000);
        List<Alert> closed = alerts();

        assertThat(opened).singleElement().satisfies(alert -> {
            assertThat(alert.getLifecycle()).isEqualTo(AlertLifecycle.OPENED);
            assertThat(alert.getRuleId()).isEqualTo("T-OVERDRAWN");
            assertThat(alert.getSeverity()).isEqualTo(Severity.MEDIUM);
            assertThat(alert.getAlertId()).isEqualTo(AlertEpisodes.alertId(B, "T-OVERDRAWN", at(1).toEpochMilli()));
            assertThat(alert.getExplanation().getSummary())
                    .isEqualTo("Overdrawn: balance CNY -200.00 < CNY 0.00. Test rule: balance below zero, cleared only above 1,000.00.");
            assertThat(alert.getExplanation().getInputs()).singleElement().satisfies(reading -> {
                assertThat(reading.getIndicator()).isEqualTo("balance");
                assertThat(reading.getValue()).isEqualTo(yuan(-200));
                assertThat(reading.getThreshold()).isZero();
                assertThat(reading.getObservedAt()).isEqualTo(at(1));
            });
            assertThat(alert.getExplanation().getTriggeringEvents()).singleElement()
                    .satisfies(ref -> assertThat(ref.getEventType()).isEqualTo("TransactionEvent"));
            assertThat(alert.getEpisodeStartedAt()).isEqualTo(at(1));
        });
        assertThat(whileOpen).isEmpty();
        assertThat(closed).singleElement().satisfies(alert -> {
            assertThat(alert.getLifecycle()).isEqualTo(AlertLifecycle.CLOSED);
            assertThat(alert.getAlertId()).isEqualTo(opened.get(0).getAlertId());
            assertThat(alert.getExplanation().getSummary()).isEqualTo("Cleared: balance CNY 2,000.00 no longer < CNY 1,000.00 (was CNY 500.00).");
        });
    }

    @Test
    void raisesArrearsWhenTheDayTurnsEscalatesPastThirtyDaysAndClosesOnPayment() throws Exception {
        send(scheduled(B, "F-1", "01", 0, 10, 1_000));
        assertThat(alerts()).isEmpty();
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);

        watermarkAtStartOf(11);
        List<Alert> dayEleven = alerts();
        // CNY 1,000 past due on a borrower with no other exposure is material from the day after the due date: the
        // first day of the run the desk's collection case counts its ladder from (docs/api.md, Collections).
        assertThat(sideOutput(BorrowerRiskFunction.SNAPSHOTS)).last()
                .satisfies(snapshot -> assertThat(snapshot.getMaterialArrearsSince()).isEqualTo(Events.date(11)));
        watermarkAtStartOf(40);
        List<Alert> dayForty = alerts();
        watermarkAtStartOf(41);
        List<Alert> dayFortyOne = alerts();
        assertThat(sideOutput(BorrowerRiskFunction.SNAPSHOTS)).last().as("still the same run on day 41")
                .satisfies(snapshot -> assertThat(snapshot.getMaterialArrearsSince()).isEqualTo(Events.date(11)));
        send(paid(B, "F-1", "01", 45, 10, 1_000, 1_000));
        List<Alert> paidOff = alerts();
        assertThat(sideOutput(BorrowerRiskFunction.SNAPSHOTS)).last().as("paid: nothing past due")
                .satisfies(snapshot -> assertThat(snapshot.getMaterialArrearsSince()).isNull())
                .satisfies(snapshot -> assertThat(snapshot.getDaysPastDue()).isZero());

        assertThat(dayEleven).singleElement().satisfies(alert -> {
            assertThat(alert.getLifecycle()).isEqualTo(AlertLifecycle.OPENED);
            assertThat(alert.getSeverity()).isEqualTo(Severity.LOW);
            assertThat(alert.getEventTime()).isEqualTo(Instant.ofEpochMilli(Days.start(Days.of(at(11).toEpochMilli()))));
            assertThat(alert.getExplanation().getInputs().get(0).getValue()).isEqualTo(1);
        });
        assertThat(dayForty).isEmpty();
        // Day 41 also puts the borrower on the watch list (31 days past due: docs/scorecard.md); WatchListTest covers it.
        assertThat(dayFortyOne).extracting(Alert::getRuleId).containsExactly("T-ARREARS", "WATCH-LIST");
        assertThat(dayFortyOne.subList(0, 1)).singleElement().satisfies(alert -> {
            assertThat(alert.getLifecycle()).isEqualTo(AlertLifecycle.ESCALATED);
            assertThat(alert.getSeverity()).isEqualTo(Severity.HIGH);
            assertThat(alert.getAlertId()).isEqualTo(dayEleven.get(0).getAlertId());
            assertThat(alert.getExplanation().getSummary()).isEqualTo("Arrears, now HIGH: daysPastDue 31 days > 30 days (was 30 days). "
                    + "Instalment 01 of F-1, CNY 1,000.00 due " + Events.date(10) + ", unpaid.");
        });
        assertThat(paidOff).singleElement().satisfies(alert -> {
            assertThat(alert.getLifecycle()).isEqualTo(AlertLifecycle.CLOSED);
            assertThat(alert.getSeverity()).isEqualTo(Severity.HIGH);
        });
        // Paid, the borrower stays on the watch list until its minimum stay (90 days from day 41) ends, then leaves it.
        assertThat(harness.numEventTimeTimers()).as("the day the minimum stay ends").isEqualTo(1);
        watermarkAtStartOf(41 + 89);
        assertThat(alerts()).isEmpty();
        watermarkAtStartOf(41 + 90);
        assertThat(alerts()).singleElement().satisfies(alert -> {
            assertThat(alert.getRuleId()).isEqualTo("WATCH-LIST");
            assertThat(alert.getLifecycle()).isEqualTo(AlertLifecycle.CLOSED);
        });
        assertThat(harness.numEventTimeTimers()).as("nothing left to wait for").isZero();
        assertThat(heapEntries()).isEqualTo(1);
    }

    @Test
    void missingReceiptsDataDoesNotClearAnInflowDropAlertButReceiptsKnownAgainDo() throws Exception {
        harness.close();
        harness = shippedPackHarness();
        for (int day = 0; day <= 119; day++) {
            send(inflow(B, day, 1_000));
        }
        send(outflow(B, 145, 10, "CP-1")); // four days of receipts in the last 30 against 30 a month before
        List<Alert> fell = alerts();
        send(outflow(B, 250, 10, "CP-1")); // no receipt left in the baseline period (days 120 to 30 back): the fall is unknown
        List<Alert> unknown = alerts();
        for (int day = 300; day <= 335; day++) {
            send(inflow(B, day, 1_000));
        }
        List<Alert> receiving = alerts();

        // Silent from day 120, the borrower is checked every 7 days, and each day since is evaluated: on day 131 the
        // 30-day window holds days 102-119 (18 receipts against a baseline of 30), a 40% drop; on day 140, 9 receipts.
        assertThat(fell).extracting(alert -> describe(alert) + " " + alert.getEventTime()).containsExactly(
                "CF-INFLOW-DROP OPENED MEDIUM " + startOf(131), "CF-INFLOW-DROP ESCALATED HIGH " + startOf(140));
        assertThat(unknown).as("missing data is not a recovery").isEmpty();
        assertThat(receiving).extracting(BorrowerRiskFunctionTest::describe).containsExactly("CF-INFLOW-DROP CLOSED HIGH");
        assertThat(receiving.get(0).getAlertId()).isEqualTo(fell.get(0).getAlertId());
        assertThat(receiving.get(0).getEventTime()).as("once day 300's receipts count in the baseline").isEqualTo(at(330));
        assertThat(receiving.get(0).getExplanation().getSummary()).startsWith("Cleared: inflowDrop -").doesNotContain("unknown");
    }

    @Test
    void judgesUtilisationOnlyOnLinesThatCanBeRedrawnAndBreachOnEveryFacility() throws Exception {
        harness.close();
        harness = shippedPackHarness();
        send(Events.profile(B, null, 0, 1_000_000, 1_000_000)); // a term loan, fully drawn as term loans are
        List<Alert> termLoan = alerts();
        send(Events.disbursement(B, 1, "F-B-1", 50_000));
        List<Alert> aboveItsLimit = alerts();
        send(withRevolvingLine(Events.profile(B, null, 2, 1_000_000, 1_000_000), 500_000, 480_000));
        List<Alert> lineNearlyDrawn = alerts();
        send(Events.profile(B, null, 3, 1_000_000, 1_000_000)); // the line is cancelled
        List<Alert> lineCancelled = alerts();

        assertThat(termLoan).as("a fully drawn term loan is no warning").isEmpty();
        assertThat(aboveItsLimit).extracting(BorrowerRiskFunctionTest::describe).containsExactly("LIMIT-BREACH OPENED HIGH");
        assertThat(lineNearlyDrawn).extracting(BorrowerRiskFunctionTest::describe)
                .containsExactlyInAnyOrder("LIMIT-UTILISATION OPENED MEDIUM", "LIMIT-BREACH CLOSED HIGH");
        assertThat(lineNearlyDrawn).filteredOn(alert -> alert.getRuleId().equals("LIMIT-UTILISATION")).singleElement()
                .satisfies(alert -> assertThat(alert.getExplanation().getSummary())
                        .startsWith("Credit lines nearly fully drawn: limitUtilisation 96.00% >= 95.00%."));
        assertThat(lineCancelled).extracting(BorrowerRiskFunctionTest::describe).containsExactly("LIMIT-UTILISATION CLOSED MEDIUM");
        assertThat(lineCancelled.get(0).getExplanation().getSummary()).isEqualTo("Cleared: limitUtilisation not applicable.");
    }

    @Test
    void remindsAndWarnsOfStressOnlyWhereTheEngineSeesTheBorrowersMeans() throws Exception {
        harness.close();
        harness = shippedPackHarness();
        send(Events.profile("B-FED", null, 0, 1, 0));
        send(Events.profile("B-NOT-FED", null, 0, 1, 0));
        for (int day = 0; day <= 119; day++) {
            send(inflow("B-FED", day, 1_000)); // its account is fed to the engine, with no balance reported
        }
        for (String borrower : List.of("B-FED", "B-NOT-FED")) {
            send(scheduled(borrower, "F-" + borrower, "01", 120, 150, 50_000));
        }
        watermarkAtStartOf(144); // the reminder horizon opens on day 143

        assertThat(alerts()).extracting(alert -> alert.getBorrowerId() + " " + describe(alert)).containsExactlyInAnyOrder(
                "B-FED CF-INFLOW-DROP OPENED MEDIUM", "B-FED CF-INFLOW-DROP ESCALATED HIGH", "B-FED CF-STRESS OPENED HIGH",
                "B-FED REPAY-REMINDER OPENED INFO",
                // Receipts gone (+45), the stress alert (+20), no statement on file (+5): 270, AMBER (docs/scorecard.md).
                "B-FED WATCH-LIST OPENED MEDIUM");
    }

    /** The first instant of a test day, when a day's ageing is dated. */
    private static Instant startOf(int day) {
        return Instant.ofEpochMilli(Days.start(Days.of(at(day).toEpochMilli())));
    }

    /** The profile with a revolving line F-B-1-R beside its facility. */
    private static BorrowerProfile withRevolvingLine(BorrowerProfile profile, long limitYuan, long drawnYuan) {
        Facility termLoan = profile.getFacilities().get(0);
        Facility line = Facility.newBuilder(termLoan).setFacilityId(termLoan.getFacilityId() + "-R").setType(FacilityType.REVOLVING)
                .setLimitMinor(yuan(limitYuan)).setDrawnMinor(yuan(drawnYuan)).build();
        return BorrowerProfile.newBuilder(profile).setFacilities(List.of(termLoan, line)).build();
    }

    @Test
    void appliesARulePublishedAtRunTimeFromTheNextEvent() throws Exception {
        balance(1, 5_000);
        assertThat(alerts()).isEmpty();

        harness.processBroadcastElement(Published.of(rule("T-LOW-BALANCE", 1, "balance", Comparison.LT, yuan(10_000))), at(1).toEpochMilli());
        balance(2, 4_000);

        assertThat(alerts()).singleElement().satisfies(alert -> {
            assertThat(alert.getRuleId()).isEqualTo("T-LOW-BALANCE");
            assertThat(alert.getRuleVersion()).isEqualTo(1);
        });
    }

    @Test
    void aPublishedVersionJudgesOnlyEventsFromItsPublicationInEventTimeOn() throws Exception {
        Rule lowBalance = rule("T-LOW-BALANCE", 1, "balance", Comparison.LT, yuan(10_000));
        lowBalance.setPublishedAt(at(5));
        harness.processBroadcastElement(Published.of(lowBalance), 0);

        balance(3, 4_000);
        assertThat(alerts()).as("on day 3 the rule was not yet published").isEmpty();
        balance(6, 4_000);
        assertThat(alerts()).singleElement().satisfies(alert -> assertThat(alert.getRuleId()).isEqualTo("T-LOW-BALANCE"));
    }

    @Test
    void whenABoundedInputEndsBorrowersAgeUpToTheEndOfTheRunAndNoFurther() throws Exception {
        for (int until : new int[] {20, 45}) {
            try (var bounded = unopenedHarness(Days.start(Days.of(at(until).toEpochMilli())))) {
                bounded.open();
                knownBorrower(bounded);
                BorrowerEvent instalment = wrap(scheduled(B, "F-1", "01", 0, 10, 1_000));
                bounded.processElement(instalment, instalment.eventTimeMillis);

                bounded.watermark(Long.MAX_VALUE); // the input ended before any day timer fired

                List<Alert> aged = bounded.extractOutputValues();
                if (until == 20) {
                    assertThat(aged).as("day 11 lies within the run; day 41's escalation does not")
                            .extracting(Alert::getLifecycle).containsExactly(AlertLifecycle.OPENED);
                } else {
                    assertThat(aged).extracting(a -> a.getRuleId() + " " + a.getLifecycle()).containsExactly("T-ARREARS OPENED",
                            "T-ARREARS ESCALATED", "WATCH-LIST OPENED");
                    assertThat(aged.get(1).getEventTime()).isEqualTo(Instant.ofEpochMilli(Days.start(Days.of(at(41).toEpochMilli()))));
                }
            }
        }
    }

    @Test
    void receiptsThatStopAreAlertedOnTheDayTheyLeaveTheWindowWithNoEventToWakeTheBorrower() throws Exception {
        harness.processBroadcastElement(Published.of(rule("T-NO-RECEIPTS", 1, "inflow30d", Comparison.LT, yuan(150))), 0);
        send(Events.transaction(B, 1, Direction.CREDIT, 200).setEventId("TX-LAST").build());
        assertThat(alerts()).isEmpty();

        watermarkAtStartOf(40); // nothing more arrives: the silence checks of days 8, 15, 22, 29 and 36 fire

        // Day 1's receipt is in the 30-day window up to day 30; day 31 is the first without it.
        assertThat(alerts()).singleElement().satisfies(alert -> {
            assertThat(alert.getRuleId()).isEqualTo("T-NO-RECEIPTS");
            assertThat(alert.getEventTime()).isEqualTo(Instant.ofEpochMilli(Days.start(Days.of(at(31).toEpochMilli()))));
        });
        assertThat(harness.numEventTimeTimers()).as("the next check, day 43: the money is still in the 90-day blocks").isEqualTo(1);
    }

    @Test
    void whenABoundedInputEndsTheSilentDaysUpToTheEndOfTheRunAreEvaluated() throws Exception {
        try (var bounded = unopenedHarness(Days.start(Days.of(at(33).toEpochMilli())))) {
            bounded.open();
            knownBorrower(bounded);
            bounded.processBroadcastElement(Published.of(rule("T-NO-RECEIPTS", 1, "inflow30d", Comparison.LT, yuan(150))), 0);
            deliver(bounded, wrap(Events.transaction(B, 1, Direction.CREDIT, 200).setEventId("TX-LAST").build()));

            bounded.watermark(Long.MAX_VALUE); // the run ends on day 33; the next silence check, day 36, lies beyond it

            assertThat(bounded.extractOutputValues()).singleElement().satisfies(alert ->
                    assertThat(alert.getEventTime()).isEqualTo(Instant.ofEpochMilli(Days.start(Days.of(at(31).toEpochMilli())))));
            assertThat(bounded.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void aRedeliveredEventIsAppliedOnce() throws Exception {
        harness.processBroadcastElement(Published.of(rule("T-RECEIPTS", 1, "inflow30d", Comparison.GT, yuan(150))), 0);
        SpecificRecordBase receipt = Events.transaction(B, 1, Direction.CREDIT, 100).setEventId("TX-1").build();

        send(receipt);
        send(receipt);
        send(receipt);
        assertThat(alerts()).as("one receipt of 100.00, however often delivered").isEmpty();
        send(Events.transaction(B, 1, Direction.CREDIT, 100).setEventId("TX-2").build());
        assertThat(alerts()).singleElement().satisfies(alert -> assertThat(alert.getExplanation().getSummary())
                .contains("inflow30d CNY 200.00 > CNY 150.00"));
    }

    @Test
    void anEventOfADayEventTimeHasNotReachedWaitsSoThatTheDayBeforeStillCounts() throws Exception {
        // A catch-up: the transactions topic is read a day ahead of the repayments topic. The day-2 overdraft must not
        // move B-1 into day 2 before its day-1 repayment, read later from the slower topic, has been applied.
        send(Events.transaction(B, 1, Direction.CREDIT, 100).setEventId("TX-DAY1").setBalanceAfterMinor(yuan(50_000)).build());
        BorrowerEvent overdraft = wrap(Events.transaction(B, 2, Direction.DEBIT, 10).setEventId("TX-DAY2")
                .setBalanceAfterMinor(yuan(-500)).build()).from("kestrel.transactions", 0, 2);
        harness.processElement(overdraft, overdraft.eventTimeMillis);

        assertThat(alerts()).as("day 2 has not begun for the book: the overdraft waits").isEmpty();
        BorrowerEvent instalment = wrap(scheduled(B, "F-1", "01", 1, 10, 1_000)).from("kestrel.repayments", 0, 1);
        harness.processElement(instalment, instalment.eventTimeMillis);
        assertThat(deadLetters()).as("B-1 is still on day 1: its day-1 repayment step is on time").isEmpty();

        eventTimePassesStartOf(2);

        assertThat(alerts()).as("day 2 began: the overdraft applies").extracting(Alert::getRuleId).containsExactly("T-OVERDRAWN");
        assertThat(harness.numEventTimeTimers()).as("only the day timer of the instalment's arrears").isEqualTo(1);
        balance(2, -600); // B-1 is on day 2 now: a later event of the day applies at once
        assertThat(deadLetters()).isEmpty();
    }

    @Test
    void anEventBehindALaterOneOfItsOwnStreamIsLateEvenWhileThatOneWaits() throws Exception {
        send(Events.transaction(B, 1, Direction.CREDIT, 100).setEventId("TX-DAY1").setBalanceAfterMinor(yuan(50_000)).build());
        BorrowerEvent day5 = wrap(Events.transaction(B, 5, Direction.CREDIT, 100).setEventId("TX-DAY5").build())
                .from("kestrel.transactions", 1, 10);
        harness.processElement(day5, day5.eventTimeMillis); // waits: event time is on day 1
        BorrowerEvent day3 = wrap(Events.transaction(B, 3, Direction.DEBIT, 10).setEventId("TX-DAY3")
                .setBalanceAfterMinor(yuan(-500)).build()).from("kestrel.transactions", 1, 11);
        harness.processElement(day3, day3.eventTimeMillis);
        BorrowerEvent otherTopic = wrap(scheduled(B, "F-1", "01", 3, 10, 1_000)).from("kestrel.repayments", 1, 7);
        harness.processElement(otherTopic, otherTopic.eventTimeMillis);

        assertThat(deadLetters()).as("day 3 came after day 5 on the same feed; the repayment of day 3 came on its own")
                .singleElement().satisfies(letter -> {
                    assertThat(letter.getReasonCode()).isEqualTo(DeadLetterReason.LATE);
                    assertThat(letter.getOffset()).isEqualTo(11);
                    assertThat(letter.getReason()).contains("is on a day before 2026-01-06, the day of an event of borrower B-1 "
                            + "that came before it on the same topic and partition");
                });
        eventTimePassesStartOf(6);
        assertThat(alerts()).as("the overdraft was never applied").isEmpty();
        assertThat(deadLetters()).hasSize(1);
    }

    @Test
    void eventsWaitingForTheirDayApplyInTheOrderTheyHappenedAfterTheDaysAgeing() throws Exception {
        send(scheduled(B, "F-1", "01", 0, 10, 1_000)); // due day 10: the day timer ages B-1 into arrears on day 11
        watermarkAtStartOf(10);
        for (int hour : new int[] {15, 9}) { // day 11, read out of order, before event time reaches day 11
            sendAhead(Events.transaction(B, 11, Direction.DEBIT, 10).setEventId("TX-11-" + hour)
                    .setEventTime(at(11).plus(Duration.ofHours(hour - 10))).setBalanceAfterMinor(yuan(hour == 9 ? -100 : 20_000)).build());
        }
        assertThat(alerts()).isEmpty();

        eventTimePassesStartOf(11);

        assertThat(alerts()).as("the arrears of day 11 first, then the 09:00 overdraft, then the 15:00 credit that cleared it")
                .extracting(alert -> alert.getRuleId() + " " + alert.getLifecycle())
                .containsExactly("T-ARREARS OPENED", "T-OVERDRAWN OPENED", "T-OVERDRAWN CLOSED");
        assertThat(deadLetters()).isEmpty();
    }

    @Test
    void anEventOnADayTheBorrowerHasEvaluatedIsRefusedAsLateNamingItsClockWhileItsOwnDayAppliesInAnyOrder() throws Exception {
        send(scheduled(B, "F-1", "01", 0, 10, 1_000));
        watermarkAtStartOf(12);
        assertThat(alerts()).extracting(Alert::getRuleId).containsExactly("T-ARREARS");
        BorrowerEvent late = wrap(Events.transaction(B, 9, Direction.DEBIT, 10).setBalanceAfterMinor(yuan(-500)).build())
                .from("kestrel.transactions", 0, 42);

        harness.processElement(late, late.eventTimeMillis);

        assertThat(alerts()).as("day 9 was evaluated long ago: the overdraft is not applied as if on time").isEmpty();
        assertThat(deadLetters()).singleElement().satisfies(letter -> {
            assertThat(letter.getReasonCode()).isEqualTo(DeadLetterReason.LATE);
            assertThat(letter.getReason()).contains("borrower B-1 has already evaluated: its clock is at 2026-01-");
            assertThat(letter.getSourceTopic()).isEqualTo("kestrel.transactions");
            assertThat(letter.getOffset()).isEqualTo(42);
            assertThat(letter.getRecordType()).isEqualTo("TransactionEvent");
        });
        balance(12, -300); // day 12, the borrower's current day: applied
        assertThat(alerts()).extracting(Alert::getRuleId).containsExactly("T-OVERDRAWN");
    }

    @Test
    void aReceiptThatWouldOverflowTheBorrowersSumsIsRefusedNotWrappedAndTheBorrowerGoesOn() throws Exception {
        long bound = dev.kestrel.contract.EventValidator.MAX_AMOUNT_MINOR;
        for (int i = 0; i < 92; i++) { // 92 receipts at the bound fit in a day's sum; the 93rd does not
            send(Events.transaction(B, 1, Direction.CREDIT, 0).setAmountMinor(bound).build());
        }
        assertThat(deadLetters()).isEmpty();

        BorrowerEvent overflowing = wrap(Events.transaction(B, 1, Direction.CREDIT, 0).setAmountMinor(bound).build())
                .from("kestrel.transactions", 0, 93);
        harness.processElement(overflowing, overflowing.eventTimeMillis);

        assertThat(deadLetters()).singleElement().satisfies(letter -> {
            assertThat(letter.getReasonCode()).isEqualTo(DeadLetterReason.INVALID);
            assertThat(letter.getReason()).contains("would overflow borrower B-1's running sums");
            assertThat(letter.getOffset()).isEqualTo(93);
        });
        balance(2, -300); // the next day's booking applies as usual
        assertThat(alerts()).extracting(Alert::getRuleId).containsExactly("T-OVERDRAWN");
    }

    @Test
    void aNewerVersionReplacesARuleAndAnOlderOneIsIgnored() throws Exception {
        harness.processBroadcastElement(Published.of(rule("T-OVERDRAWN", 3, "balance", Comparison.LT, yuan(-1_000))), 0);
        harness.processBroadcastElement(Published.of(rule("T-OVERDRAWN", 2, "balance", Comparison.LT, 0)), 0);

        balance(1, -200);
        assertThat(alerts()).as("version 3's threshold of -1,000.00 is in force").isEmpty();
        balance(2, -2_000);
        assertThat(alerts()).singleElement().satisfies(alert -> assertThat(alert.getRuleVersion()).isEqualTo(3));
    }

    @Test
    void theFirstTaskReportsTheVersionsItRunsAndThoseItRefuses() throws Exception {
        assertThat(versionReports()).as("at its first record: the pack and the scorecard it started with").isNotEmpty()
                .allSatisfy(report -> {
                    assertThat(report.getStatus()).isEqualTo(VersionStatus.IN_FORCE);
                    assertThat(report.getSource()).isEqualTo(VersionSource.PACK);
                    assertThat(report.getInForceFrom()).isNull();
                    assertThat(report.getRunning().getVersion()).isEqualTo(report.getVersion());
                })
                .anySatisfy(report -> assertThat(List.of(report.getKind(), report.getId(), report.getVersion()))
                        .isEqualTo(List.of(VersionedKind.RULE, "T-OVERDRAWN", 1)))
                .anySatisfy(report -> assertThat(report.getKind()).isEqualTo(VersionedKind.SCORECARD));
        harness.getSideOutput(VersionReports.RULE_VERSIONS).clear();

        Rule third = rule("T-OVERDRAWN", 3, "balance", Comparison.LT, yuan(-1_000));
        harness.processBroadcastElement(Published.of(third), 0);
        harness.processBroadcastElement(Published.of(rule("T-OVERDRAWN", 2, "balance", Comparison.LT, 0)), 0);
        harness.processBroadcastElement(Published.of(third), 0); // the API's outbox may send a version twice
        List<Scorecard> shipped = new java.util.ArrayList<>();
        RuleFiles.eachRecord(RuleFiles.DEFAULT_SCORECARD, "scorecard", record -> {
            shipped.add((Scorecard) record);
            return null;
        });
        harness.processBroadcastElement(Published.of(Scorecard.newBuilder(shipped.get(0)).setScorecardId("OTHER-CARD").setVersion(9).build()), 0);

        VersionRunning runsThird = VersionRunning.newBuilder().setVersion(3).setSource(VersionSource.PUBLISHED)
                .setInForceFrom(third.getPublishedAt()).build();
        assertThat(versionReports()).satisfiesExactly(
                inForce -> {
                    assertThat(List.of(inForce.getId(), inForce.getVersion(), inForce.getStatus(), inForce.getSource()))
                            .isEqualTo(List.of("T-OVERDRAWN", 3, VersionStatus.IN_FORCE, VersionSource.PUBLISHED));
                    assertThat(inForce.getInForceFrom()).isEqualTo(third.getPublishedAt());
                    assertThat(inForce.getRunning()).isEqualTo(runsThird);
                },
                rollback -> {
                    assertThat(List.of(rollback.getId(), rollback.getVersion(), rollback.getStatus()))
                            .isEqualTo(List.of("T-OVERDRAWN", 2, VersionStatus.REFUSED));
                    assertThat(rollback.getReason()).isEqualTo("version 3 is in force; only a higher version replaces it");
                    assertThat(rollback.getRunning()).isEqualTo(runsThird);
                },
                again -> assertThat(again).as("the same version again is the same word, not a refusal")
                        .isEqualTo(versionReports().get(0)),
                otherCard -> {
                    assertThat(List.of(otherCard.getKind(), otherCard.getId(), otherCard.getStatus()))
                            .isEqualTo(List.of(VersionedKind.SCORECARD, "OTHER-CARD", VersionStatus.REFUSED));
                    assertThat(otherCard.getReason()).isEqualTo("the job scores with scorecard "
                            + shipped.get(0).getScorecardId() + ", not OTHER-CARD");
                    assertThat(otherCard.getRunning()).as("the job runs no version of a scorecard it does not score with").isNull();
                });

        // After a restart the task reports again what it holds: the restored version 3 among it, from its time.
        OperatorSubtaskState snapshot = harness.snapshot(1L, 0);
        harness.close();
        harness = unopenedHarness();
        harness.initializeState(snapshot);
        harness.open();
        harness.processBroadcastElement(Published.of(FxRate.newBuilder(Samples.fxRate()).build()), 0);
        assertThat(versionReports()).filteredOn(report -> report.getId().equals("T-OVERDRAWN"))
                .extracting(RuleVersionStatus::getVersion, RuleVersionStatus::getStatus, RuleVersionStatus::getRunning)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1, VersionStatus.IN_FORCE, runsThird),
                        org.assertj.core.groups.Tuple.tuple(3, VersionStatus.IN_FORCE, runsThird));

        // Another task of the stage takes the same versions the same way, and says nothing.
        try (KeyedBroadcastOperatorTestHarness<String, BorrowerEvent, Published, Alert> second = new KeyedBroadcastOperatorTestHarness<>(
                new CoBroadcastWithKeyedOperator<>(new BorrowerRiskFunction(WITHOUT_REVIEWS, RuleFiles.pack("classpath:rules/test-pack.jsonl"),
                        TTL, Duration.ofHours(1), Long.MIN_VALUE, WAIT), List.of(BorrowerRiskFunction.PUBLISHED_RULES,
                        BorrowerRiskFunction.PUBLISHED_SCORECARDS, BorrowerRiskFunction.PUBLISHED_FX_RATES)),
                BorrowerEvent::key, Types.STRING, 128, 2, 1)) {
            second.open();
            second.processBroadcastElement(Published.of(third), 0); // which would also report its start
            assertThat(second.getSideOutput(VersionReports.RULE_VERSIONS)).isNull();
        }
    }

    @Test
    void aSignedVersionThatDoesNotCompileIsReportedRefusedWithWhatRunsInstead() throws Exception {
        harness.getSideOutput(VersionReports.RULE_VERSIONS).clear();
        Rule broken = Rule.newBuilder(rule("T-OVERDRAWN", 2, "balance", Comparison.LT, 0))
                .setCondition(RuleCondition.newBuilder().setAnyOf(List.of()).build()).build();

        harness.processBroadcastElement(Published.of(broken), 0); // the route dead-letters it and passes it on
        harness.processBroadcastElement(Published.of(Rule.newBuilder(broken).setRuleId("DESK-NEW").setVersion(1).build()), 0);

        assertThat(versionReports()).satisfiesExactly(
                overdrawn -> {
                    assertThat(List.of(overdrawn.getId(), overdrawn.getVersion(), overdrawn.getStatus()))
                            .isEqualTo(List.of("T-OVERDRAWN", 2, VersionStatus.REFUSED));
                    assertThat(overdrawn.getReason()).isEqualTo("does not compile: T-OVERDRAWN: condition has no clause group");
                    assertThat(overdrawn.getRunning()).as("the pack's version runs on").isEqualTo(VersionRunning.newBuilder()
                            .setVersion(1).setSource(VersionSource.PACK).setInForceFrom(null).build());
                },
                onlyPublished -> {
                    assertThat(List.of(onlyPublished.getId(), onlyPublished.getStatus())).isEqualTo(List.of("DESK-NEW", VersionStatus.REFUSED));
                    assertThat(onlyPublished.getRunning()).as("the job runs no version of it").isNull();
                });
    }

    private List<RuleVersionStatus> versionReports() {
        var reports = harness.getSideOutput(VersionReports.RULE_VERSIONS);
        return reports == null ? List.of() : reports.stream().map(r -> r.getValue()).toList();
    }

    @Test
    void disablingARuleClosesItsOpenEpisodesAtTheNextEvent() throws Exception {
        balance(1, -200);
        String alertId = alerts().get(0).getAlertId();
        Rule disabled = Rule.newBuilder(RuleBook.load("classpath:rules/test-pack.jsonl").get("T-OVERDRAWN").source())
                .setVersion(2).setEnabled(false).build();

        harness.processBroadcastElement(Published.of(disabled), 0);
        balance(2, -300);

        assertThat(alerts()).singleElement().satisfies(alert -> {
            assertThat(alert.getAlertId()).isEqualTo(alertId);
            assertThat(alert.getLifecycle()).isEqualTo(AlertLifecycle.CLOSED);
            assertThat(alert.getExplanation().getSummary()).isEqualTo("Closed: rule T-OVERDRAWN was disabled in version 2.");
        });
    }

    @Test
    void episodesTimersAndPublishedRulesSurviveARestore() throws Exception {
        harness.processBroadcastElement(Published.of(rule("T-LOW-BALANCE", 1, "balance", Comparison.LT, yuan(10_000))), 0);
        send(scheduled(B, "F-1", "01", 0, 10, 1_000));
        balance(1, -200);
        assertThat(alerts()).extracting(Alert::getRuleId).containsExactlyInAnyOrder("T-OVERDRAWN", "T-LOW-BALANCE");
        OperatorSubtaskState snapshot = harness.snapshot(1L, at(1).toEpochMilli());
        harness.close();

        harness = unopenedHarness();
        harness.initializeState(snapshot);
        harness.open();
        balance(2, -300);
        assertThat(alerts()).as("open episodes are not raised again").isEmpty();
        watermarkAtStartOf(11);

        assertThat(alerts()).singleElement().satisfies(alert -> assertThat(alert.getRuleId()).isEqualTo("T-ARREARS"));
        balance(12, 20_000);
        assertThat(alerts()).extracting(Alert::getRuleId).containsExactlyInAnyOrder("T-OVERDRAWN", "T-LOW-BALANCE");
    }

    @Test
    void writesASnapshotWhenTheSegmentChangesAndNotForEveryEvent() throws Exception {
        send(Events.profile(B, "G-1", 0, 1_000_000, 100_000));
        balance(0, 10_000);
        balance(0, 9_000);
        send(scheduled(B, "F-B-1", "01", 0, 10, 100_000));
        watermarkAtStartOf(41);

        List<BorrowerRiskSnapshot> snapshots = harness.getSideOutput(BorrowerRiskFunction.SNAPSHOTS).stream().map(r -> r.getValue()).toList();

        // One on the profile. None for the two balance changes and the schedule within its period (an hour here); they
        // are owed, and written by the borrower's first evaluation of a later period: the start of day 1, a silent day
        // evaluated when the day-3 timer fires. One when the reminder window opens on day 3; then one a day while days
        // past due climb from day 11 to day 41.
        assertThat(snapshots).hasSize(3 + 31);
        // Investment grade, but with no statement on file its score (205 or more) is above the scorecard's core PD bound.
        assertThat(snapshots.get(0).getSegment()).isEqualTo(RiskSegment.QUALITY);
        assertThat(snapshots.get(0).getGroupId()).isEqualTo("G-1");
        assertThat(snapshots.get(0).getDrawnMinor()).isEqualTo(yuan(100_000));
        assertThat(snapshots.get(1).getAsOf()).isEqualTo(Instant.ofEpochMilli(Days.start(1 + Days.of(at(0).toEpochMilli()))));
        assertThat(snapshots.get(1).getIndicators()).filteredOn(i -> i.getIndicator().equals("balance"))
                .singleElement().satisfies(i -> assertThat(i.getValue()).as("the day's last balance").isEqualTo(yuan(9_000)));
        assertThat(snapshots.get(2).getAsOf()).isEqualTo(Instant.ofEpochMilli(Days.start(Days.of(at(3).toEpochMilli()))));
        assertThat(snapshots.get(2).getSegment()).isEqualTo(RiskSegment.QUALITY);
        BorrowerRiskSnapshot last = snapshots.get(snapshots.size() - 1);
        assertThat(last.getSegment()).isEqualTo(RiskSegment.RISK_WATCH);
        assertThat(last.getDaysPastDue()).isEqualTo(31);
        assertThat(last.getIfrs9Stage()).isEqualTo(2);
        assertThat(last.getOpenAlerts()).extracting(a -> a.getRuleId() + " " + a.getSeverity())
                .containsExactly("T-ARREARS HIGH", "WATCH-LIST MEDIUM");
        assertThat(last.getFacilities()).singleElement().satisfies(f -> {
            assertThat(f.getFacilityId()).isEqualTo("F-B-1");
            assertThat(f.getLimitMinor()).isEqualTo(yuan(1_000_000));
            assertThat(f.getDaysPastDue()).isEqualTo(31);
            assertThat(f.getOverdueMinor()).isEqualTo(yuan(100_000));
        });
    }

    @Test
    void aRevaluationOfTheBetterCoveredFacilityReachesTheDeskWithinThePeriodThoughNoIndicatorMoves() throws Exception {
        // A term loan drawn 800,000 against a plant lent on at 1,600,000 (50%), the worst cover; a revolving line drawn
        // 300,000 against stock lent on at 1,000,000 (30%).
        Facility term = Facility.newBuilder().setFacilityId("F-TERM").setType(FacilityType.TERM_LOAN).setCurrency("CNY")
                .setLimitMinor(yuan(1_000_000)).setDrawnMinor(yuan(800_000)).setStartDate(Events.date(-365))
                .setMaturityDate(Events.date(1460)).build();
        send(BorrowerProfile.newBuilder(Events.profile(B, null, 0, 0, 0)).setFacilities(List.of(term,
                Facility.newBuilder(term).setFacilityId("F-RCF").setType(FacilityType.REVOLVING).setLimitMinor(yuan(500_000))
                        .setDrawnMinor(yuan(300_000)).build())).build());
        send(Events.valuation(B, "F-TERM", 0, 2_000_000, 2_000));
        send(dev.kestrel.events.CollateralValuation.newBuilder(Events.valuation(B, "F-RCF", 0, 1_000_000, 0))
                .setCollateralId("COL-STOCK").build());
        watermarkAtStartOf(2);
        int before = snapshots().size();

        // The stock is revalued at 600,000 on day 2: 50% on the line, no worse than the term loan, so no indicator moves.
        send(dev.kestrel.events.CollateralValuation.newBuilder(Events.valuation(B, "F-RCF", 2, 600_000, 0))
                .setCollateralId("COL-STOCK").build());
        watermarkAtStartOf(4);

        List<BorrowerRiskSnapshot> later = snapshots().subList(before, snapshots().size());
        assertThat(later).as("owed, and written within the period").isNotEmpty();
        assertThat(later.get(later.size() - 1).getFacilities())
                .extracting(f -> f.getFacilityId() + " " + f.getCollateralLendingValueMinor() + " " + f.getLoanToValueBasisPoints())
                .containsExactly("F-TERM " + yuan(1_600_000) + " 5000", "F-RCF " + yuan(600_000) + " 5000");
        assertThat(later.get(later.size() - 1).getIndicators()).filteredOn(i -> i.getIndicator().equals("loanToValue"))
                .singleElement().satisfies(i -> assertThat(i.getValue()).as("the worst is still the term loan's").isEqualTo(5_000));
    }

    private List<BorrowerRiskSnapshot> snapshots() {
        return harness.getSideOutput(BorrowerRiskFunction.SNAPSHOTS).stream().map(r -> r.getValue()).toList();
    }

    @Test
    void onTheDefaultScaleSnapshotsTierTheLettersAsBefore() throws Exception {
        List<String> rated = List.of("A-", "BBB-", "BB+", "CCC+");
        for (String rating : rated) {
            send(BorrowerProfile.newBuilder(Events.profile(B, null, 1, 1_000_000, 100_000)).setInternalRating(rating).build());
        }

        assertThat(harness.getSideOutput(BorrowerRiskFunction.SNAPSHOTS)).extracting(r -> r.getValue())
                .extracting(s -> s.getInternalRating() + " " + s.getRatingTier() + " " + s.getSegment())
                // No schedule or statement on file: the score's PD is above the core bound, so none is CORE (WatchListTest).
                .containsExactly("A- PRIME QUALITY", "BBB- INVESTMENT_GRADE QUALITY", "BB+ SPECULATIVE QUALITY", "CCC+ DISTRESSED QUALITY");
    }

    @Test
    void aBankOnOneToTenSeesItsGradesTieredInSnapshots() throws Exception {
        RiskSettings oneToTen = EngineConfig.defaults().with(EngineConfig.INTERNAL_RATING_SCALE,
                "PRIME: 1, 2, 3; INVESTMENT_GRADE: 4, 5; SPECULATIVE: 6, 7, 8; DISTRESSED: 9, 10").riskSettings();
        var bank = unopenedHarness(oneToTen, "classpath:rules/test-pack.jsonl", Long.MIN_VALUE);
        bank.open();
        List<String> rated = List.of("3", "4", "5", "6", "10");
        for (String rating : rated) {
            BorrowerEvent profile = wrap(BorrowerProfile.newBuilder(Events.profile(B, null, 1, 1_000_000, 100_000))
                    .setInternalRating(rating).build());
            deliver(bank, profile);
        }

        // 5 is in the same tier as 4 and changes nothing the desk sees: no snapshot of its own within the hour.
        assertThat(bank.getSideOutput(BorrowerRiskFunction.SNAPSHOTS)).extracting(r -> r.getValue())
                .extracting(s -> s.getInternalRating() + " " + s.getRatingTier() + " " + s.getSegment())
                .containsExactly("3 PRIME QUALITY", "4 INVESTMENT_GRADE QUALITY", "6 SPECULATIVE QUALITY", "10 DISTRESSED QUALITY");
        bank.close();
    }

    @Test
    void forgetsABorrowerAfterTheStateTimeToLive() throws Exception {
        harness.setStateTtlProcessingTime(0);
        balance(1, -200);
        assertThat(alerts()).hasSize(1);

        harness.setStateTtlProcessingTime(TTL.toMillis() + 1);
        send(Events.profile(B, null, 2, 1, 0)); // the profile went with the rest of the state: master data sent again
        balance(2, -300);

        assertThat(alerts()).as("the expired episode is gone; a new one opens").singleElement()
                .satisfies(alert -> assertThat(alert.getEpisodeStartedAt()).isEqualTo(at(2)));
    }

    @Test
    void aBorrowerForgottenAfterTheStateTimeToLiveIsUnknownAgainUntilItsProfileIsSentAgain() throws Exception {
        harness.setStateTtlProcessingTime(0);
        balance(1, -200);
        alerts();
        harness.setStateTtlProcessingTime(TTL.toMillis() + 1);

        balance(2, -300);
        assertThat(alerts()).as("held: the profile expired with the rest of the state").isEmpty();
        send(Events.profile(B, null, 2, 1, 0));

        assertThat(alerts()).singleElement().satisfies(alert -> assertThat(alert.getEpisodeStartedAt()).isEqualTo(at(2)));
        assertThat(deadLetters()).isEmpty();
    }

    private static final String UNKNOWN = "B-NEW";

    /** Live events of UNKNOWN, read at offsets 7 and 8: an overdraft and a billed instalment, both on day 1. */
    private void unknownBorrowersEvents() throws Exception {
        sendFrom(8, Events.transaction(UNKNOWN, 1, Direction.DEBIT, 10).setEventId("TX-NEW").setBalanceAfterMinor(yuan(-200)).build());
        sendFrom(7, scheduled(UNKNOWN, "F-" + UNKNOWN, "01", 1, 10, 1_000));
    }

    private void sendFrom(long offset, SpecificRecordBase record) throws Exception {
        deliver(harness, wrap(record).from("kestrel.in", 0, offset));
    }

    private List<String> alertsOf(String borrower) {
        return alerts().stream().filter(alert -> alert.getBorrowerId().equals(borrower))
                .map(alert -> describe(alert) + " " + alert.getAlertId() + " " + alert.getEventTime() + " "
                        + alert.getExplanation().getSummary())
                .toList();
    }

    private <T> List<T> sideOutput(OutputTag<T> tag) {
        var side = harness.getSideOutput(tag);
        return side == null ? List.of() : side.stream().map(record -> record.getValue()).toList();
    }

    @Test
    void holdsAnUnknownBorrowersEventsUntilItsProfileComesAndThenAlertsAsIfItHadComeFirst() throws Exception {
        unknownBorrowersEvents();

        assertThat(alerts()).as("nothing is applied to a borrower the bank has no profile for").isEmpty();
        assertThat(sideOutput(BorrowerRiskFunction.SNAPSHOTS)).isEmpty();
        assertThat(sideOutput(BorrowerRiskFunction.GROUP_EVENTS)).isEmpty();
        assertThat(deadLetters()).isEmpty();
        assertThat(harness.numEventTimeTimers()).as("the wait's timer").isEqualTo(1);

        send(Events.profile(UNKNOWN, null, 0, 1, 0)); // master data dated day 0, read after the events
        List<String> released = alertsOf(UNKNOWN);
        watermarkAtStartOf(12);
        List<String> aged = alertsOf(UNKNOWN);

        harness.close();
        harness = newHarness();
        send(Events.profile(UNKNOWN, null, 0, 1, 0));
        unknownBorrowersEvents();
        List<String> profileFirst = alertsOf(UNKNOWN);
        watermarkAtStartOf(12);

        assertThat(released).hasSize(1).isEqualTo(profileFirst);
        assertThat(released.get(0)).startsWith("T-OVERDRAWN OPENED MEDIUM " + AlertEpisodes.alertId(UNKNOWN, "T-OVERDRAWN", at(1).toEpochMilli()));
        assertThat(aged).singleElement().satisfies(alert -> assertThat(alert).startsWith("T-ARREARS OPENED LOW"))
                .isEqualTo(alertsOf(UNKNOWN).get(0));
        assertThat(deadLetters()).isEmpty();
    }

    @Test
    void aProfileDatedAfterTheHeldEventsAppliesAsOfTheFirstSoTheyAreNotLate() throws Exception {
        unknownBorrowersEvents();

        // Dated early on day 2, within the wait: applied at its own time it would put the borrower's clock on day 2,
        // and day 1's events would be late.
        send(BorrowerProfile.newBuilder(Events.profile(UNKNOWN, null, 2, 1, 0)).setEventTime(at(2).minus(Duration.ofHours(2))).build());

        assertThat(deadLetters()).as("nothing late").isEmpty();
        assertThat(alerts()).extracting(alert -> describe(alert) + " " + alert.getEventTime())
                .containsExactly("T-OVERDRAWN OPENED MEDIUM " + at(1));
        assertThat(harness.numEventTimeTimers()).as("the day timer for the instalment; the wait's is gone").isEqualTo(1);
    }

    @Test
    void refusesAnUnknownBorrowersEventsAsUnknownBorrowerWhenNoProfileComesWithinTheWaitAndAppliesNothing() throws Exception {
        unknownBorrowersEvents();

        harness.watermark(at(2).toEpochMilli() - 1);
        assertThat(deadLetters()).as("a day of event time has not passed yet").isEmpty();
        harness.watermark(at(2).toEpochMilli());

        assertThat(deadLetters()).extracting(DeadLetter::getOffset).as("in the order they happened, then came")
                .containsExactly(8L, 7L);
        assertThat(deadLetters()).allSatisfy(letter -> {
            assertThat(letter.getReasonCode()).isEqualTo(DeadLetterReason.UNKNOWN_BORROWER);
            assertThat(letter.getReason()).contains("borrower B-NEW is unknown", "in the 1d of event time its events were held",
                    "from " + at(1));
            assertThat(letter.getSourceTopic()).isEqualTo("kestrel.in");
        });
        assertThat(deadLetters().get(0).getRecordType()).isEqualTo("TransactionEvent");
        assertThat(alerts()).isEmpty();
        assertThat(sideOutput(BorrowerRiskFunction.SNAPSHOTS)).isEmpty();
        assertThat(sideOutput(BorrowerRiskFunction.GROUP_EVENTS)).isEmpty();
        assertThat(heapEntries()).as("only B-1's state: nothing held, nothing folded in").isEqualTo(1);
        assertThat(harness.numEventTimeTimers()).isZero();

        send(Events.profile(UNKNOWN, null, 3, 1, 0));
        assertThat(alerts()).as("the refused events are gone for good").isEmpty();
    }

    @Test
    void anEventDatedDaysPastTheWaitWaitsWithTheOthersUntilEventTimePassesItsEnd() throws Exception {
        // A faster topic brings the borrower's later events before its master data: they are not a reason to give up
        // on the profile while event time, which the slower topics hold back, has not passed the end of the wait.
        unknownBorrowersEvents(); // day 1, 10:00: the wait ends on day 2 at 10:00
        sendAhead(Events.transaction(UNKNOWN, 5, Direction.CREDIT, 10).build());
        assertThat(deadLetters()).isEmpty();

        sendAhead(Events.profile(UNKNOWN, null, 6, 1, 0));

        assertThat(deadLetters()).as("the profile came before event time passed the wait: nothing is lost").isEmpty();
        assertThat(alerts()).extracting(Alert::getBorrowerId).contains(UNKNOWN);
        eventTimePassesStartOf(6); // the day-5 credit and the profile at its own time waited for their days
        assertThat(deadLetters()).isEmpty();
        assertThat(harness.numEventTimeTimers()).as("nothing waits any more: only the day timer of the instalment due on day 10")
                .isEqualTo(1);
    }

    @Test
    void whenABoundedInputEndsEveryEventStillHeldIsRefusedWhateverTheRunAgesUntil() throws Exception {
        try (var bounded = unopenedHarness(Days.start(Days.of(at(1).toEpochMilli())))) {
            bounded.open();
            BorrowerEvent overdraft = wrap(Events.transaction(UNKNOWN, 1, Direction.DEBIT, 10).setBalanceAfterMinor(yuan(-200)).build());
            bounded.processElement(overdraft, overdraft.eventTimeMillis);

            bounded.watermark(Long.MAX_VALUE);

            assertThat(bounded.getSideOutput(BorrowerRiskFunction.DEAD_LETTERS)).singleElement()
                    .satisfies(letter -> assertThat(letter.getValue().getReasonCode()).isEqualTo(DeadLetterReason.UNKNOWN_BORROWER));
            assertThat(bounded.extractOutputValues()).isEmpty();
            assertThat(bounded.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void holdsAtMostAThousandEventsOfABorrowerAndRefusesTheRestAtOnce() throws Exception {
        harness.processBroadcastElement(Published.of(rule("T-RECEIPTS", 1, "inflow30d", Comparison.GT, yuan(999))), 0);
        for (int i = 0; i < HeldEvents.MAX_PER_BORROWER + 1; i++) {
            send(Events.inflow(UNKNOWN, 1, 1));
        }

        assertThat(deadLetters()).singleElement().satisfies(letter -> {
            assertThat(letter.getReasonCode()).isEqualTo(DeadLetterReason.UNKNOWN_BORROWER);
            assertThat(letter.getReason()).contains("borrower B-NEW has no BorrowerProfile, and 1,000 of its events already wait",
                    "the most held per borrower");
        });
        send(Events.profile(UNKNOWN, null, 0, 1, 0));

        assertThat(alerts()).singleElement().satisfies(alert ->
                assertThat(alert.getExplanation().getSummary()).contains("inflow30d CNY 1,000.00 > CNY 999.00"));
        assertThat(deadLetters()).hasSize(1);
    }

    @Test
    void theWaitsTimerAndTheDayTimerOfABorrowerWithoutProfileEachDoTheirOwnWork() throws Exception {
        // A statement is master data and applies without a profile; its borrower's day timer watches for the next one.
        send(Events.statement(UNKNOWN, 0, Events.date(-1), 2_000, 1_000, 800, 500, 1_000, 10, 10));
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);
        unknownBorrowersEvents();
        assertThat(harness.numEventTimeTimers()).isEqualTo(2);

        harness.watermark(at(2).toEpochMilli());

        assertThat(deadLetters()).hasSize(2);
        assertThat(harness.numEventTimeTimers()).as("the day timer stays").isEqualTo(1);
        assertThat(alerts()).isEmpty();
    }

    private static String describe(Alert alert) {
        return alert.getRuleId() + " " + alert.getLifecycle() + " " + alert.getSeverity();
    }

    private List<DeadLetter> deadLetters() {
        var side = harness.getSideOutput(BorrowerRiskFunction.DEAD_LETTERS);
        return side == null ? List.of() : side.stream().map(record -> record.getValue()).toList();
    }

    /** Keyed state entries, a borrower's core and its parts counting as one (the parts are kept apart: see Part). */
    private int heapEntries() {
        HeapKeyedStateBackend<?> backend = (HeapKeyedStateBackend<?>) harness.getOperator().getKeyedStateBackend();
        long parts = 0;
        for (Part part : Part.ALL) {
            if (part.inCore) {
                continue;
            }
            parts += backend.getKeys("borrower-" + part.name().toLowerCase(java.util.Locale.ROOT),
                    org.apache.flink.runtime.state.VoidNamespace.INSTANCE).count();
        }
        return (int) (backend.numKeyValueStateEntries() - parts);
    }

    static Rule rule(String id, int version, String indicator, Comparison comparison, long threshold) {
        return Rule.newBuilder(RuleBook.load("classpath:rules/test-pack.jsonl").get("T-OVERDRAWN").source())
                .setRuleId(id).setVersion(version).setTitle(id).setRationale("Test rule.")
                .setCondition(RuleCondition.newBuilder().setAnyOf(List.of(ClauseGroup.newBuilder().setAllOf(List.of(
                        Clause.newBuilder().setIndicator(indicator).setComparison(comparison).setThreshold(threshold)
                                .setClearThreshold(null).build())).build())).build())
                .build();
    }
}
