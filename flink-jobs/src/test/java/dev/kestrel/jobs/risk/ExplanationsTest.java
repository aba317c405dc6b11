package dev.kestrel.jobs.risk;

import dev.kestrel.jobs.indicator.IndicatorValues;
import static dev.kestrel.jobs.Events.at;
import static dev.kestrel.jobs.Events.disbursement;
import static dev.kestrel.jobs.Events.inflow;
import static dev.kestrel.jobs.Events.outflow;
import static dev.kestrel.jobs.Events.profile;
import static dev.kestrel.jobs.Events.yuan;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kestrel.events.Alert;
import dev.kestrel.events.AlertLifecycle;
import dev.kestrel.events.AlertScope;
import dev.kestrel.events.BorrowerProfile;
import dev.kestrel.events.CreditEvent;
import dev.kestrel.events.CreditEventKind;
import dev.kestrel.events.EventReference;
import dev.kestrel.events.Facility;
import dev.kestrel.events.FacilityType;
import dev.kestrel.events.RepaymentEvent;
import dev.kestrel.events.RepaymentKind;
import dev.kestrel.jobs.Events;
import java.util.List;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.junit.jupiter.api.Test;

/**
 * What an alert cites, as a credit officer needs it to act: the missed instalment with its facility, amount and due
 * date rather than the borrower's latest receipts; the bureau's report with its source and reference; the
 * disbursement a diversion is about. Each history runs through the shipped rule pack.
 */
class ExplanationsTest {
    private static final String B = "B-1";
    private final BorrowerHistory history = new BorrowerHistory(B);
    private final RiskSettings settings = history.settings;
    private final List<Alert> alerts = history.alerts;

    private void apply(SpecificRecordBase event) {
        history.apply(event);
    }

    private void ageTo(long time) {
        history.ageTo(time);
    }

    private Alert only(String ruleId, AlertLifecycle lifecycle) {
        return history.only(ruleId, lifecycle);
    }

    private static List<String> cited(Alert alert) {
        return alert.getExplanation().getTriggeringEvents().stream().map(EventReference::getEventId).toList();
    }

    @Test
    void theArrearsAlertNamesTheMissedInstalmentAndCitesItsNoticeNotTheLatestReceipts() {
        apply(profile(B, null, 0, 2_000_000, 2_000_000));
        apply(Events.scheduled(B, "F-B-1", "03", 1, 30, 250_000));
        var missed = Events.instalment(B, "F-B-1", "03", RepaymentKind.MISSED, 30, 30, 250_000, 0); // at the close of the due day
        apply(missed);
        for (int day = 31; day < 34; day++) {
            apply(inflow(B, day, 5_000)); // receipts after the miss are not what the arrears alert is about
        }

        Alert arrears = only("REPAY-ARREARS", AlertLifecycle.OPENED);

        assertThat(arrears.getExplanation().getSummary())
                .contains("Instalment 03 of F-B-1, CNY 250,000.00 due " + Events.date(30) + ", unpaid.");
        assertThat(cited(arrears)).containsExactly(missed.getEventId());
    }

    @Test
    void anInstalmentIsStatedInItsOwnCurrencyAndWhatIsLeftOfAPartPayment() {
        apply(profile(B, null, 0, 2_000_000, 2_000_000));
        var scheduled = Events.scheduled(B, "F-B-1", "06", 1, 30, 80_000);
        apply(inCurrency(scheduled, "USD"));
        apply(inCurrency(Events.paid(B, "F-B-1", "06", 30, 30, 80_000, 30_000), "USD"));
        ageTo(at(31).toEpochMilli());

        Alert arrears = only("REPAY-ARREARS", AlertLifecycle.OPENED);

        assertThat(arrears.getExplanation().getSummary())
                .contains("Instalment 06 of F-B-1, USD 80,000.00 due " + Events.date(30) + ", USD 50,000.00 of it unpaid.");
    }

    private static RepaymentEvent inCurrency(RepaymentEvent event, String currency) {
        return RepaymentEvent.newBuilder(event).setCurrency(currency).build();
    }

    @Test
    void bureauAlertsNameTheSourceItsReferenceAndWhatItReported() {
        apply(profile(B, null, 0, 1_000_000, 600_000));
        CreditEvent downgrade = CreditEvent.newBuilder(Events.ratingChange(B, 10, "A-", "BBB"))
                .setSource("Bureau Nordic Ratings").setReference("BNR-2026-04-118").build();
        CreditEvent lawsuit = CreditEvent.newBuilder(Events.credit(B, 20, CreditEventKind.LAWSUIT))
                .setSource("Landgericht Hamburg").setReference("312 O 45/26").setAmountMinor(yuan(185_000)).setCurrency("EUR").build();
        CreditEvent elsewhere = CreditEvent.newBuilder(Events.credit(B, 30, CreditEventKind.OVERDUE_ELSEWHERE))
                .setSource("Central Credit Register").setReference("CCR-2026-05-0091").setAmountMinor(yuan(300_000)).setCurrency("EUR").build();
        apply(downgrade);
        apply(lawsuit);
        apply(elsewhere);

        assertThat(only("BUREAU-DOWNGRADE", AlertLifecycle.OPENED).getExplanation().getSummary())
                .contains("Bureau Nordic Ratings (ref. BNR-2026-04-118) reported on " + Events.date(10) + ": rating moved from A- to BBB.");
        Alert litigation = only("BUREAU-LITIGATION", AlertLifecycle.OPENED);
        assertThat(litigation.getExplanation().getSummary())
                .contains("Landgericht Hamburg (ref. 312 O 45/26) reported on " + Events.date(20) + ": a lawsuit against the borrower, claim EUR 185,000.00.");
        assertThat(cited(litigation)).containsExactly(lawsuit.getEventId());
        Alert overdue = only("BUREAU-OVERDUE-ELSEWHERE", AlertLifecycle.OPENED);
        assertThat(overdue.getExplanation().getSummary()).contains("EUR 300,000.00 past due at another lender");
        assertThat(cited(overdue)).containsExactly(elsewhere.getEventId());
    }

    @Test
    void theDiversionAlertNamesTheDisbursementAndThePaymentsOfItToNewParties() {
        apply(profile(B, null, 0, 2_000_000, 1_000_000));
        for (int day = 0; day < 40; day += 5) {
            apply(inflow(B, day, 20_000));
            apply(outflow(B, day, 10_000, "CP-steel"));
        }
        var loan = disbursement(B, 41, "F-B-1", 1_000_000);
        var diverted = outflow(B, 42, 700_000, "CP-everbright");
        apply(loan);
        apply(diverted);

        Alert diversion = only("DIV-PROCEEDS", AlertLifecycle.OPENED);

        assertThat(cited(diversion)).containsExactly(loan.getEventId(), diverted.getEventId());
        assertThat(diversion.getExplanation().getSummary())
                .contains("Disbursement " + loan.getEventId() + " of CNY 1,000,000.00 under F-B-1 on " + Events.date(41))
                .contains("CNY 700,000.00 paid on " + Events.date(42) + " to a counterparty never paid or heard from before")
                .as("the counterparty's account may be a person's: cited by the payment's id, not written out")
                .doesNotContain("CP-everbright");
    }

    @Test
    void aLimitAlertStatesEachLineInItsOwnCurrency() {
        BorrowerProfile withUsdLine = BorrowerProfile.newBuilder(Events.facilityType(profile(B, null, 0, 1_000_000, 990_000),
                FacilityType.REVOLVING)).build();
        withUsdLine.getFacilities().set(0, Facility.newBuilder(withUsdLine.getFacilities().get(0)).setCurrency("USD").build());
        apply(inflow(B, 0, 1)); // the borrower's latest booking is in CNY
        apply(withUsdLine);

        assertThat(only("LIMIT-UTILISATION", AlertLifecycle.OPENED).getExplanation().getSummary())
                .contains("F-B-1 drawn USD 990,000.00 of a USD 1,000,000.00 limit");
    }

    @Test
    void wasIsTheValueBeforeTheCrossingNotOneAlreadyBeyondTheThreshold() {
        apply(profile(B, null, 0, 2_000_000, 2_000_000));
        apply(Events.scheduled(B, "F-B-1", "01", 1, 10, 250_000));
        ageTo(at(11).toEpochMilli());

        Alert arrears = only("REPAY-ARREARS", AlertLifecycle.OPENED);

        assertThat(arrears.getExplanation().getSummary()).contains("materialDaysPastDue 1 day > 0 days (was 0 days)");
        // The same crossing seen by a subject whose "before" was already beyond it says no "was" at all.
        IndicatorValues beyond = new IndicatorValues();
        history.state.indicators(beyond, settings);
        history.state.episodes.clear();
        alerts.clear();
        AlertEpisodes.evaluate(B, history.state, BorrowerHistory.RULES.rules(AlertScope.BORROWER), beyond, beyond, 0, alerts::add);
        assertThat(only("REPAY-ARREARS", AlertLifecycle.OPENED).getExplanation().getSummary())
                .contains("materialDaysPastDue 1 day > 0 days.").doesNotContain("(was");
    }

    @Test
    void whatAlertsCiteSurvivesASavepoint() throws Exception {
        apply(profile(B, null, 0, 2_000_000, 2_000_000));
        apply(Events.scheduled(B, "F-B-1", "03", 1, 30, 250_000));
        apply(CreditEvent.newBuilder(Events.credit(B, 2, CreditEventKind.NEGATIVE_NEWS)).setSource("Lausitzer Rundschau")
                .setDescription("Fire at the main furnace").build());
        BorrowerStateSerializer serializer = new BorrowerStateSerializer();
        history.state = serializer.deserialize(new DataInputDeserializer(StateBytes.of(serializer, history.state)));
        history.state.episodes.clear(); // raised again from the restored state alone
        alerts.clear();
        ageTo(at(31).toEpochMilli());

        assertThat(only("REPAY-ARREARS", AlertLifecycle.OPENED).getExplanation().getSummary())
                .contains("Instalment 03 of F-B-1, CNY 250,000.00 due " + Events.date(30) + ", unpaid.");
        assertThat(only("BUREAU-NEGATIVE-NEWS", AlertLifecycle.OPENED).getExplanation().getSummary())
                .contains("Lausitzer Rundschau").contains("adverse news")
                .as("a news item's free text may name people: cited by its reference").doesNotContain("furnace");
    }
}
