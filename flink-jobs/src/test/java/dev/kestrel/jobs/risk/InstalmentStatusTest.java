package dev.kestrel.jobs.risk;

import static dev.kestrel.jobs.Events.date;
import static dev.kestrel.jobs.Events.paid;
import static dev.kestrel.jobs.Events.scheduled;
import static dev.kestrel.jobs.Events.yuan;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kestrel.events.InstalmentState;
import dev.kestrel.events.InstalmentStatus;
import dev.kestrel.events.RepaymentEvent;
import dev.kestrel.events.RepaymentKind;
import dev.kestrel.jobs.Events;
import dev.kestrel.events.Alert;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The repayment ledger as a credit officer reads it: for each instalment, whether it is still to pay, past due or
 * settled, on which day it was settled and how many days late. Only the engine knows, because a payment that names no
 * instalment settles the oldest first. Run through the borrower stage itself, day timers included.
 */
class InstalmentStatusTest {
    private static final String B = "B-1";
    private static final String F = "F-B-1";
    private BorrowerStage stage;

    @BeforeEach
    void open() throws Exception {
        stage = new BorrowerStage();
        stage.send(Events.profile(B, null, 0, 1_000_000, 300_000));
    }

    @AfterEach
    void close() throws Exception {
        stage.close();
    }

    private List<InstalmentStatus> of(String instalment) {
        return stage.instalments.stream().filter(s -> s.getInstalmentId().equals(instalment)).toList();
    }

    private static String line(InstalmentStatus s) {
        return s.getInstalmentId() + " " + s.getStatus() + " as of " + s.getAsOf() + ": paid " + s.getAmountPaidMinor() / 100 + " of "
                + s.getAmountDueMinor() / 100 + ", " + s.getDaysLate() + " days late"
                + (s.getSettledOn() != null ? ", settled " + s.getSettledOn() : "");
    }

    private List<String> lines(String instalment) {
        return of(instalment).stream().map(InstalmentStatusTest::line).toList();
    }

    private static RepaymentEvent unallocated(int day, long yuan) {
        return RepaymentEvent.newBuilder(paid(B, F, "", day, day, yuan, yuan)).setUnallocated(true).build();
    }

    @Test
    void eachInstalmentIsToldWhenScheduledWhenItFallsPastDueAndWhenSettledWithTheDaysItWasLate() throws Exception {
        stage.send(scheduled(B, F, "01", 1, 30, 100_000));
        stage.send(scheduled(B, F, "02", 1, 60, 100_000));
        stage.send(scheduled(B, F, "03", 1, 90, 100_000));
        assertThat(stage.instalments).extracting(InstalmentStatusTest::line).containsExactly(
                "01 DUE as of " + date(1) + ": paid 0 of 100000, 0 days late",
                "02 DUE as of " + date(1) + ": paid 0 of 100000, 0 days late",
                "03 DUE as of " + date(1) + ": paid 0 of 100000, 0 days late");

        // Paid the day before it fell due: settled, not late.
        RepaymentEvent early = paid(B, F, "01", 29, 30, 100_000, 100_000);
        stage.send(early);
        assertThat(lines("01")).last().isEqualTo("01 SETTLED as of " + date(29) + ": paid 100000 of 100000, 0 days late, settled " + date(29));
        assertThat(of("01").get(of("01").size() - 1).getEventId()).isEqualTo(early.getEventId());

        // 02 is missed: nothing came, yet on the morning after its due date the engine says it is a day late.
        stage.timePasses(61);
        assertThat(lines("02")).last().isEqualTo("02 PAST_DUE as of " + date(61) + ": paid 0 of 100000, 1 days late");
        InstalmentStatus fell = of("02").get(of("02").size() - 1);
        assertThat(fell.getEventId()).as("only time passed").isNull();
        assertThat(fell.getEventTime()).isEqualTo(java.time.Instant.ofEpochMilli(Days.start(Days.of(Events.at(61).toEpochMilli()))));
        // The days after it change nothing that is told: the desk counts a past-due instalment's days from its asOf.
        stage.timePasses(70);
        stage.send(Events.inflow(B, 70, 5_000));
        assertThat(of("02")).hasSize(2);

        // Paid in two parts, the last 15 days after its due date.
        stage.send(paid(B, F, "02", 72, 60, 100_000, 40_000));
        stage.send(paid(B, F, "02", 75, 60, 100_000, 60_000));
        assertThat(lines("02")).containsExactly(
                "02 DUE as of " + date(1) + ": paid 0 of 100000, 0 days late",
                "02 PAST_DUE as of " + date(61) + ": paid 0 of 100000, 1 days late",
                "02 PAST_DUE as of " + date(72) + ": paid 40000 of 100000, 12 days late",
                "02 SETTLED as of " + date(75) + ": paid 100000 of 100000, 15 days late, settled " + date(75));

        // A payment naming no instalment goes to the oldest unpaid one; only the engine can say which it settled.
        stage.timePasses(91);
        stage.send(unallocated(95, 100_000));
        assertThat(lines("03")).containsExactly(
                "03 DUE as of " + date(1) + ": paid 0 of 100000, 0 days late",
                "03 PAST_DUE as of " + date(91) + ": paid 0 of 100000, 1 days late",
                "03 SETTLED as of " + date(95) + ": paid 100000 of 100000, 5 days late, settled " + date(95));

        // The payment bounces: the instalment is unpaid again, and late by the days since its due date.
        stage.send(Events.instalment(B, F, "03", RepaymentKind.REVERSED, 96, 90, 100_000, 100_000));
        assertThat(lines("03")).last().isEqualTo("03 PAST_DUE as of " + date(96) + ": paid 0 of 100000, 6 days late");
        assertThat(stage.instalments).allSatisfy(s -> {
            assertThat(s.getBorrowerId()).isEqualTo(B);
            assertThat(s.getFacilityId()).isEqualTo(F);
            assertThat(s.getCurrency()).isEqualTo("CNY");
        });
    }

    @Test
    void aScheduleThatComesAfterTheDueDateIsToldPastDueOnceWithTheScheduleAsItsEvent() throws Exception {
        stage.send(Events.inflow(B, 40, 5_000));
        RepaymentEvent late = scheduled(B, F, "01", 45, 30, 100_000);
        stage.send(late);
        assertThat(stage.instalments).extracting(InstalmentStatusTest::line).containsExactly("01 PAST_DUE as of " + date(45) + ": paid 0 of 100000, 15 days late");
        assertThat(stage.instalments.get(0).getEventId()).isEqualTo(late.getEventId());
        stage.timePasses(50);
        assertThat(stage.instalments).as("told once: the days after it are counted from its asOf").hasSize(1);
    }

    @Test
    void aServicingReportTakesThePlaceOfTheInstalmentsOfAFacilityWithoutAScheduleAndItsArrearsAreNoInstalment() throws Exception {
        stage.send(Events.instalment(B, F, "07", RepaymentKind.MISSED, 32, 30, 50_000, 0));
        assertThat(stage.instalments).extracting(InstalmentStatusTest::line).containsExactly("07 PAST_DUE as of " + date(32) + ": paid 0 of 50000, 2 days late");

        stage.send(Events.servicingReport(B, F, 40, 10, 80_000));
        assertThat(stage.instalments).extracting(InstalmentStatusTest::line).containsExactly(
                "07 PAST_DUE as of " + date(32) + ": paid 0 of 50000, 2 days late",
                "07 SUPERSEDED as of " + date(40) + ": paid 0 of 50000, 10 days late");
        stage.timePasses(45);
        stage.send(Events.instalment(B, F, "", RepaymentKind.PAID, 46, 46, 80_000, 80_000));
        assertThat(stage.instalments).as("the reported arrears are the servicing system's, not an instalment").hasSize(2);
    }

    @Test
    void aRedeliveredPaymentTellsNothingNew() throws Exception {
        stage.send(scheduled(B, F, "01", 1, 30, 100_000));
        RepaymentEvent payment = paid(B, F, "01", 20, 30, 100_000, 100_000);
        stage.send(payment);
        stage.send(payment); // the producer sent it twice: applied once, told once
        assertThat(lines("01")).containsExactly(
                "01 DUE as of " + date(1) + ": paid 0 of 100000, 0 days late",
                "01 SETTLED as of " + date(20) + ": paid 100000 of 100000, 0 days late, settled " + date(20));
    }

    @Test
    void aPaymentThatNamesNoInstalmentSettlesTheOldestOfItsFacilityFirstAndLeavesTheOtherFacilityAlone() throws Exception {
        String g = "F-B-2";
        stage.send(scheduled(B, F, "01", 1, 30, 100_000));
        stage.send(scheduled(B, F, "02", 1, 60, 100_000));
        stage.send(scheduled(B, g, "01", 1, 40, 100_000));
        stage.timePasses(70);
        stage.instalments.clear();

        stage.send(unallocated(70, 150_000));

        assertThat(stage.instalments).extracting(s -> s.getFacilityId() + " " + line(s)).containsExactly(
                F + " 01 SETTLED as of " + date(70) + ": paid 100000 of 100000, 40 days late, settled " + date(70),
                F + " 02 PAST_DUE as of " + date(70) + ": paid 50000 of 100000, 10 days late");
    }

    @Test
    void aScheduleSentAgainAfterPaymentAStaleNoticeAndAPaymentPostedTwiceDoNotBringAPaidInstalmentBack() throws Exception {
        stage.send(scheduled(B, F, "01", 1, 30, 100_000));
        stage.send(scheduled(B, F, "02", 1, 60, 100_000));
        stage.send(paid(B, F, "01", 29, 30, 100_000, 100_000));
        stage.send(paid(B, F, "02", 58, 60, 100_000, 100_000));
        stage.instalments.clear();

        // Servicing re-sends the whole schedule after a rate reset, then a stale notice that 01 was missed, then
        // posts 02's payment again under a new id.
        stage.send(scheduled(B, F, "01", 65, 30, 100_000));
        stage.send(scheduled(B, F, "02", 65, 60, 100_000));
        stage.send(scheduled(B, F, "03", 65, 90, 100_000));
        stage.send(Events.instalment(B, F, "01", RepaymentKind.MISSED, 66, 30, 100_000, 0));
        stage.send(paid(B, F, "02", 67, 60, 100_000, 100_000));
        stage.timePasses(80);

        assertThat(stage.instalments).as("only the new instalment: what was settled stays settled, on the day it was")
                .extracting(InstalmentStatusTest::line).containsExactly("03 DUE as of " + date(65) + ": paid 0 of 100000, 0 days late");
        assertThat(stage.alerts).as("no arrears: both instalments were paid on time").noneMatch(a -> a.getRuleId().startsWith("REPAY")
                || a.getRuleId().startsWith("CLASS"));

        // A reversal is what reopens a settled instalment.
        stage.send(Events.instalment(B, F, "01", RepaymentKind.REVERSED, 81, 30, 100_000, 100_000));
        assertThat(lines("01")).containsExactly("01 PAST_DUE as of " + date(81) + ": paid 0 of 100000, 51 days late");
        stage.send(scheduled(B, F, "01", 82, 30, 100_000));
        stage.send(scheduled(B, F, "02", 82, 60, 100_000));
        assertThat(lines("01")).last().as("open again, so its schedule is heard again")
                .isEqualTo("01 PAST_DUE as of " + date(82) + ": paid 0 of 100000, 52 days late");
        assertThat(lines("02")).as("02 stays the one paid on time: nothing told of it since").isEmpty();
    }

    @Test
    void anInstalmentTheEngineNeverSawIsNeverTakenAsPaidWhateverWasPaidAfterIt() throws Exception {
        // Billed line by line: 05 is prepaid before the line of 04, due earlier, comes.
        stage.send(scheduled(B, F, "05", 90, 120, 100_000));
        stage.send(paid(B, F, "05", 100, 120, 100_000, 100_000));
        stage.send(scheduled(B, F, "04", 101, 110, 100_000));
        stage.timePasses(111);
        assertThat(lines("04")).containsExactly(
                "04 DUE as of " + date(101) + ": paid 0 of 100000, 0 days late",
                "04 PAST_DUE as of " + date(111) + ": paid 0 of 100000, 1 days late");
        stage.timePasses(140);
        assertThat(stage.alerts).as("its arrears are the engine's").anyMatch(a -> a.getRuleId().startsWith("REPAY"));
    }

    @Test
    void anInstalmentFallingPastDueIsToldOnceAcrossARestart() throws Exception {
        stage.send(scheduled(B, F, "01", 1, 30, 100_000));
        stage.timePasses(30);
        stage.restart();
        stage.timePasses(31);
        stage.restart();
        stage.timePasses(40);
        assertThat(lines("01")).containsExactly(
                "01 DUE as of " + date(1) + ": paid 0 of 100000, 0 days late",
                "01 PAST_DUE as of " + date(31) + ": paid 0 of 100000, 1 days late");
    }

    @Test
    void repaymentsKeptByAnEngineThatToldNoInstalmentTellEachOpenOneAtTheFirstLook() throws Exception {
        Repayments kept = new Repayments();
        kept.record(scheduled(B, F, "01", 1, 30, 100_000), RiskSettings.defaults(), new ArrayList<>());
        kept.record(scheduled(B, F, "02", 1, 60, 100_000), RiskSettings.defaults(), new ArrayList<>());
        kept.lastEvaluatedDay = Days.of(Events.at(40).toEpochMilli()); // 01 fell past due before the upgrade
        long clock = Events.at(40).toEpochMilli();
        org.apache.flink.core.memory.DataOutputSerializer out = new org.apache.flink.core.memory.DataOutputSerializer(256);
        PartSerializer serializer = new PartSerializer(Part.REPAYMENTS);
        serializer.serialize(new KeptPart(clock, kept), out);
        byte[] bytes = out.getCopyOfBuffer();
        // Part format 1 is format 2 without the instalments seen settled (here none: one byte) and the flag after them.
        byte[] formatOne = java.util.Arrays.copyOf(bytes, bytes.length - 2);
        formatOne[0] = 1;

        Repayments read = (Repayments) serializer.deserialize(new org.apache.flink.core.memory.DataInputDeserializer(formatOne)).value();
        // Written again (the store's periodic rewrite) before any look at the arrears, and read back: still owed.
        org.apache.flink.core.memory.DataOutputSerializer again = new org.apache.flink.core.memory.DataOutputSerializer(256);
        serializer.serialize(new KeptPart(clock, read), again);
        Repayments restored = (Repayments) serializer.deserialize(
                new org.apache.flink.core.memory.DataInputDeserializer(again.getCopyOfBuffer())).value();
        List<Repayments.Told> first = new ArrayList<>();
        int day41 = Days.of(Events.at(41).toEpochMilli());
        restored.indicators(new dev.kestrel.jobs.indicator.IndicatorValues(), day41, 0, () -> 0, 0, false,
                new BorrowerState().money(day41, RiskSettings.defaults()), RiskSettings.defaults(), first);
        assertThat(first).extracting(t -> t.instalmentId() + " " + t.status() + " " + t.daysLate())
                .containsExactly("01 PAST_DUE 11", "02 DUE 0");
        List<Repayments.Told> second = new ArrayList<>();
        restored.indicators(new dev.kestrel.jobs.indicator.IndicatorValues(), day41 + 1, 0, () -> 0, 0, false,
                new BorrowerState().money(day41 + 1, RiskSettings.defaults()), RiskSettings.defaults(), second);
        assertThat(second).as("once").isEmpty();
    }

    @Test
    void aPaymentPostedTwiceAndThenReversedAndAnIdUsedAgainNextYearAreReadAsServicingMeantThem() throws Exception {
        stage.send(scheduled(B, F, "01", 1, 30, 100_000));
        stage.send(paid(B, F, "01", 20, 30, 40_000, 40_000 - 1)); // a partial payment
        stage.send(paid(B, F, "01", 25, 30, 100_000, 60_001));     // and the rest: settled
        stage.instalments.clear();

        // Servicing posts the partial payment again, sees its mistake and reverses that posting.
        stage.send(paid(B, F, "01", 26, 30, 40_000, 40_000 - 1));
        stage.send(Events.instalment(B, F, "01", RepaymentKind.REVERSED, 27, 30, 100_000, 40_000 - 1));
        stage.timePasses(40);
        assertThat(stage.instalments).as("the real payments stand: nothing reopened").isEmpty();
        assertThat(stage.alerts).noneMatch(a -> a.getRuleId().startsWith("REPAY"));

        // Next year the monthly ids start again at 01: a new instalment, due another day, is followed like any.
        stage.send(scheduled(B, F, "01", 390, 395, 100_000));
        stage.timePasses(396);
        assertThat(lines("01")).containsExactly(
                "01 DUE as of " + date(390) + ": paid 0 of 100000, 0 days late",
                "01 PAST_DUE as of " + date(396) + ": paid 0 of 100000, 1 days late");
    }
}
