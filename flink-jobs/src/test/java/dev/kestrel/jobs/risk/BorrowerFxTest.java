package dev.kestrel.jobs.risk;

import dev.kestrel.jobs.indicator.IndicatorValues;
import static dev.kestrel.jobs.Events.at;
import static dev.kestrel.jobs.Events.wrap;
import static dev.kestrel.jobs.Events.yuan;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kestrel.contract.Indicator;
import dev.kestrel.events.Alert;
import dev.kestrel.events.Comparison;
import dev.kestrel.events.DeadLetter;
import dev.kestrel.events.DeadLetterReason;
import dev.kestrel.events.Direction;
import dev.kestrel.events.FxRate;
import dev.kestrel.events.RepaymentKind;
import dev.kestrel.jobs.Events;
import dev.kestrel.jobs.fx.FxRates;
import dev.kestrel.jobs.fx.FxSettings;
import dev.kestrel.jobs.ingest.BorrowerEvent;
import dev.kestrel.jobs.ingest.Published;
import dev.kestrel.jobs.rules.RuleFiles;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A borrower whose amounts come in several currencies: converted into its own at the rate of their day, held while
 * that rate is missing, refused as NO_FX_RATE when the wait ends; and the EU materiality test in euro.
 */
class BorrowerFxTest {
    private static final String B = "B-FX";
    private KeyedBroadcastOperatorTestHarness<String, BorrowerEvent, Published, Alert> harness;

    @BeforeEach
    void open() throws Exception {
        harness = new KeyedBroadcastOperatorTestHarness<>(new CoBroadcastWithKeyedOperator<>(
                // No periodic reviews: the timers these tests count are those of waits for rates (ReviewsTest has the reviews').
                new BorrowerRiskFunction(RiskSettings.defaults().withReviewSchedule(new ReviewSchedule("0d", "0d", "0d", "0d")),
                        RuleFiles.pack("classpath:rules/test-pack.jsonl"),
                        Duration.ofDays(400), Duration.ofHours(1), Long.MIN_VALUE, Duration.ofDays(1),
                        new FxSettings("EUR", "", Duration.ofDays(1), "CNY")),
                List.of(BorrowerRiskFunction.PUBLISHED_RULES, BorrowerRiskFunction.PUBLISHED_SCORECARDS, BorrowerRiskFunction.PUBLISHED_FX_RATES)),
                BorrowerEvent::key, Types.STRING, 128, 1, 0);
        harness.open();
        harness.processBroadcastElement(Published.of(BorrowerRiskFunctionTest.rule("T-RECEIPTS", 1, "inflow30d", Comparison.GT,
                yuan(999))), 0);
        send(Events.profile(B, null, 0, 1_000_000, 0)); // one CNY facility: the borrower's currency is CNY
        // Event time has passed the start of day 1: the day-1 events below apply (or wait for a rate) as they come;
        // those of later days wait for their day, as on a live feed (EventsAhead).
        harness.watermark(EventsAhead.releaseTime(Days.of(at(1).toEpochMilli())));
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    @Test
    void convertsAReceiptInAnotherCurrencyIntoTheBorrowersAtTheRateOfItsDay() throws Exception {
        rate("EUR", "CNY", "7.80", 0);
        rate("EUR", "CNY", "9.00", 5); // a later rate does not reach back

        send(eur(1, 130));

        assertThat(alerts()).singleElement().satisfies(alert ->
                assertThat(alert.getExplanation().getSummary()).contains("inflow30d CNY 1,014.00 > CNY 999.00"));
    }

    @Test
    void holdsAnEventWithNoRateForItsDayAndAppliesItAsOfItsOwnTimeWhenOneComes() throws Exception {
        send(eur(1, 130));
        assertThat(alerts()).as("held: no EUR/CNY rate for day 1").isEmpty();
        assertThat(harness.numEventTimeTimers()).as("the end of its wait").isEqualTo(1);

        rate("CNY", "EUR", "0.125", 1); // the pair the other way round serves as well
        send(Events.inflow(B, 1, 1)); // the borrower's next event releases it, then applies after it

        assertThat(alerts()).singleElement().satisfies(alert -> {
            assertThat(alert.getEventTime()).isEqualTo(at(1));
            assertThat(alert.getExplanation().getSummary()).contains("inflow30d CNY 1,040.00 > CNY 999.00");
        });
        assertThat(deadLetters()).isEmpty();
        assertThat(harness.numEventTimeTimers()).as("the wait is over: only the cash-flow silence check, a week on").isEqualTo(1);
    }

    @Test
    void laterEventsWaitBehindTheHeldOneSoThatNoneIsLateWhenItApplies() throws Exception {
        send(eur(1, 130));
        send(Events.inflow(B, 2, 1));
        send(Events.inflow(B, 3, 1));
        assertThat(alerts()).isEmpty();

        rate("EUR", "CNY", "8", 1);
        harness.watermark(at(2).toEpochMilli()); // the wait's end: the rate came, so all three apply, in order

        assertThat(deadLetters()).as("nothing late").isEmpty();
        assertThat(alerts()).extracting(Alert::getEventTime).containsExactly(at(1));
    }

    @Test
    void refusesAsNoFxRateWhenTheWaitEndsAndAppliesTheEventsBehindIt() throws Exception {
        send(eur(1, 130));
        send(Events.inflow(B, 1, 1_000));

        harness.watermark(at(2).toEpochMilli() - 1);
        assertThat(deadLetters()).as("a day of event time has not passed").isEmpty();
        harness.watermark(at(2).toEpochMilli());

        assertThat(deadLetters()).singleElement().satisfies(letter -> {
            assertThat(letter.getReasonCode()).isEqualTo(DeadLetterReason.NO_FX_RATE);
            assertThat(letter.getRecordType()).isEqualTo("TransactionEvent");
            assertThat(letter.getReason()).isEqualTo("no FX rate converts EUR into CNY on 2026-01-02 (no EUR/CNY or CNY/EUR "
                    + "rate of that day or before); the event was held 1d of event time for one (to " + at(2)
                    + "; fx.rate-wait); send the day's FxRate before or with its events");
        });
        assertThat(alerts()).as("the CNY receipt behind it applied, as of its own time").singleElement()
                .satisfies(alert -> assertThat(alert.getExplanation().getSummary()).contains("inflow30d CNY 1,000.00"));
        assertThat(harness.numEventTimeTimers()).as("only the cash-flow silence check, a week on").isEqualTo(1);
    }

    @Test
    void aDayThatBeganWhileAnEventWaitedForARateIsStillEvaluatedWhenTheEventIsRefused() throws Exception {
        send(Events.scheduled(B, "F-FX", "01", 1, 1, 500)); // due on day 1: past due from day 2
        send(eur(1, 130)); // waits for a rate until day 2, 10:00

        // Day 2 begins during the wait (its timer leaves the day for the waiting event); then the wait ends, refused.
        harness.watermark(at(2).toEpochMilli());

        assertThat(deadLetters()).singleElement().satisfies(letter -> assertThat(letter.getReasonCode()).isEqualTo(DeadLetterReason.NO_FX_RATE));
        assertThat(harness.getSideOutput(BorrowerRiskFunction.INSTALMENTS)).as("day 2 was evaluated: the instalment fell past due")
                .extracting(record -> record.getValue().getStatus() + " " + record.getValue().getAsOf())
                .contains("PAST_DUE " + Events.date(2));
        assertThat(harness.numEventTimeTimers()).as("the borrower keeps its day timer").isEqualTo(1);
    }

    @Test
    void underTheEuRegimeMaterialityComparesTheArrearsInEuroWithTheEuroFloor() {
        RiskSettings eu = RiskSettings.defaults().withRegimes(EnumSet.of(Regime.EU));
        FxRates rates = new FxRates("EUR");
        rates.add(rateOf("EUR", "CNY", "8", 0));
        BorrowerState state = new BorrowerState();
        state.convertWith(rates, "CNY");
        state.apply(wrap(Events.profile(B, null, 0, 100_000, 10_000)), eu);
        // EUR 500 is CNY 4,000: arrears of exactly that are not above the floor, a fen more are
        state.apply(wrap(Events.instalment(B, "F-" + B, "01", RepaymentKind.MISSED, 2, 1, 4_000, 0)), eu);
        IndicatorValues values = new IndicatorValues();
        state.indicators(values, eu);
        assertThat(values.get(Indicator.MATERIAL_DAYS_PAST_DUE)).isZero();
        assertThat(values.get(Indicator.OVERDUE_AMOUNT)).as("in the borrower's currency").isEqualTo(yuan(4_000));

        state.apply(wrap(Events.instalment(B, "F-" + B, "02", RepaymentKind.MISSED, 2, 1, 1, 0)), eu);
        state.indicators(values, eu);
        assertThat(values.get(Indicator.MATERIAL_DAYS_PAST_DUE)).isEqualTo(1);
    }

    @Test
    void loanToValueConvertsCollateralInAnotherCurrencyIntoItsFacilitysAndIsUnknownWithoutARate() {
        FxRates rates = new FxRates("EUR");
        BorrowerState state = new BorrowerState();
        state.convertWith(rates, "CNY");
        state.apply(wrap(Events.profile(B, null, 0, 1_000_000, 600_000)), RiskSettings.defaults());
        state.apply(wrap(dev.kestrel.events.CollateralValuation.newBuilder(Events.valuation(B, "F-" + B, 1, 100_000, 0))
                .setCurrency("EUR").build()), RiskSettings.defaults());
        IndicatorValues values = new IndicatorValues();
        state.indicators(values, RiskSettings.defaults());
        assertThat(values.has(Indicator.LOAN_TO_VALUE)).as("no EUR/CNY rate: no ratio, not EUR 100,000 read as CNY").isFalse();
        assertThat(RiskSnapshots.of(B, state, values, RiskSettings.defaults().internalRatingScale()).getFacilities())
                .singleElement().satisfies(facility -> {
                    assertThat(facility.getCurrency()).isEqualTo("CNY");
                    assertThat(facility.getSecured()).isTrue();
                    assertThat(facility.getCollateralLendingValueMinor()).as("secured, at a value not known in CNY: unknown, not 0").isNull();
                });

        rates.add(rateOf("EUR", "CNY", "8", 1));
        state.indicators(values, RiskSettings.defaults());
        assertThat(values.get(Indicator.LOAN_TO_VALUE)).as("CNY 600,000 against EUR 100,000 x 8").isEqualTo(7_500);
        assertThat(RiskSnapshots.of(B, state, values, RiskSettings.defaults().internalRatingScale()).getFacilities())
                .singleElement().satisfies(facility -> {
                    assertThat(facility.getDrawnMinor()).isEqualTo(yuan(600_000));
                    assertThat(facility.getCollateralLendingValueMinor()).as("what the ratio divides by, in the facility's CNY")
                            .isEqualTo(yuan(800_000));
                });
    }

    @Test
    void underTheEuRegimeAnEventOfABorrowerInAnotherCurrencyWaitsForItsEuroRate() throws Exception {
        try (var eu = new KeyedBroadcastOperatorTestHarness<>(new CoBroadcastWithKeyedOperator<>(
                new BorrowerRiskFunction(RiskSettings.defaults().withRegimes(EnumSet.of(Regime.EU)),
                        RuleFiles.pack("classpath:rules/test-pack.jsonl"), Duration.ofDays(400), Duration.ofHours(1), Long.MIN_VALUE,
                        Duration.ofDays(1), FxSettings.defaults()),
                List.of(BorrowerRiskFunction.PUBLISHED_RULES, BorrowerRiskFunction.PUBLISHED_SCORECARDS, BorrowerRiskFunction.PUBLISHED_FX_RATES)),
                BorrowerEvent::key, Types.STRING, 128, 1, 0)) {
            eu.open();
            BorrowerRiskFunctionTest.deliver(eu, wrap(Events.profile(B, null, 0, 1_000_000, 0)));
            BorrowerRiskFunctionTest.deliver(eu, wrap(Events.instalment(B, "F-" + B, "01", RepaymentKind.MISSED, 2, 1, 4_000, 0)));

            eu.watermark(at(3).toEpochMilli());

            assertThat(eu.getSideOutput(BorrowerRiskFunction.DEAD_LETTERS)).singleElement().satisfies(letter ->
                    assertThat(letter.getValue().getReason()).startsWith("no FX rate converts CNY into EUR on 2026-01-03"));
        }
    }

    private void send(SpecificRecordBase record) throws Exception {
        BorrowerEvent event = wrap(record);
        harness.processElement(event, event.eventTimeMillis);
    }

    private void rate(String base, String quote, String rate, int day) throws Exception {
        harness.processBroadcastElement(Published.of(rateOf(base, quote, rate, day)), 0);
    }

    private static FxRate rateOf(String base, String quote, String rate, int day) {
        Instant at = at(day).minus(Duration.ofHours(9)); // 01:00 of the day
        return FxRate.newBuilder().setEventId("FX-" + base + quote + day).setBaseCurrency(base).setQuoteCurrency(quote)
                .setRate(rate).setSource("test").setEventTime(at).build();
    }

    /** A receipt of EUR {@code euro}. */
    private static SpecificRecordBase eur(int day, long euro) {
        return Events.transaction(B, day, Direction.CREDIT, euro).setCurrency("EUR").build();
    }

    private List<Alert> alerts() {
        List<Alert> alerts = harness.extractOutputValues();
        harness.getOutput().clear();
        return alerts;
    }

    private List<DeadLetter> deadLetters() {
        var side = harness.getSideOutput(BorrowerRiskFunction.DEAD_LETTERS);
        return side == null ? List.of() : side.stream().map(record -> record.getValue()).toList();
    }
}
