package dev.kestrel.jobs.risk;

import dev.kestrel.jobs.indicator.IndicatorValues;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.kestrel.contract.Indicator;
import dev.kestrel.contract.Samples;
import dev.kestrel.events.Alert;
import dev.kestrel.events.AlertLifecycle;
import dev.kestrel.events.Rule;
import dev.kestrel.events.Severity;
import dev.kestrel.jobs.Events;
import dev.kestrel.jobs.rules.CompiledRule;
import dev.kestrel.jobs.rules.RuleBook;
import dev.kestrel.jobs.rules.RuleCompiler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The episode life cycle of one rule (REPAY-DPD-30: MEDIUM over 30 material days past due, HIGH over 60, CRITICAL
 * over 90), including the shortcuts the per-event pass takes: an episode at its rule's highest severity is not
 * re-graded, and episodes are looked for among vanished rules only when one is open whose rule is not in the book.
 */
class AlertEpisodesTest {
    private final BorrowerState state = new BorrowerState();
    private final List<Alert> alerts = new ArrayList<>();
    private final IndicatorValues before = new IndicatorValues();
    private final CompiledRule rule = compile();

    private static CompiledRule compile() {
        try {
            return RuleCompiler.compile(Samples.rule());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private void evaluate(List<CompiledRule> rules, long materialDaysPastDue) {
        evaluate(rules, Map.of(Indicator.MATERIAL_DAYS_PAST_DUE, materialDaysPastDue));
    }

    /** One evaluation a day later; indicators not in {@code known} have no data. */
    private void evaluate(List<CompiledRule> rules, Map<Indicator, Long> known) {
        state.advanceClock(state.clock() == Long.MIN_VALUE ? 0 : state.clock() + Days.MILLIS_PER_DAY);
        IndicatorValues after = new IndicatorValues();
        known.forEach((indicator, value) -> after.set(indicator, value, state.clock()));
        AlertEpisodes.evaluate("B-1", state, rules, before, after, 0, alerts::add);
        before.clear();
        known.forEach((indicator, value) -> before.set(indicator, value, state.clock()));
    }

    @Test
    void opensOnceEscalatesOnlyUpwardAndClearsWithHysteresis() {
        evaluate(List.of(rule), 31);
        evaluate(List.of(rule), 45);
        evaluate(List.of(rule), 95);
        evaluate(List.of(rule), 70); // lower again: an episode never de-escalates
        evaluate(List.of(rule), 96);
        evaluate(List.of(rule), 26); // above the clear threshold of 25
        evaluate(List.of(rule), 25);

        assertThat(alerts).extracting(Alert::getLifecycle, Alert::getSeverity).containsExactly(
                tuple(AlertLifecycle.OPENED, Severity.MEDIUM),
                tuple(AlertLifecycle.ESCALATED, Severity.CRITICAL),
                tuple(AlertLifecycle.CLOSED, Severity.CRITICAL));
        assertThat(rule.highestSeverity()).isEqualTo(Severity.CRITICAL);
    }

    @Test
    void anIndicatorWithoutDataNeitherOpensNorClearsAnEpisode() {
        evaluate(List.of(rule), Map.of()); // no data yet: nothing to open on
        evaluate(List.of(rule), 31);
        evaluate(List.of(rule), Map.of()); // the data stops: not a recovery
        evaluate(List.of(rule), Map.of());
        evaluate(List.of(rule), 26); // known again, still above the clear threshold
        evaluate(List.of(rule), 20);

        assertThat(alerts).extracting(Alert::getLifecycle, Alert::getSeverity).containsExactly(
                tuple(AlertLifecycle.OPENED, Severity.MEDIUM),
                tuple(AlertLifecycle.CLOSED, Severity.MEDIUM));
        assertThat(alerts.get(1).getExplanation().getSummary())
                .isEqualTo("Cleared: materialDaysPastDue 20 days no longer > 25 days (was 26 days).");
        assertThat(state.episodes).isEmpty();
    }

    @Test
    void aLaterChangeSaysSinceWhenAnIndicatorItReadsHasHadNoData() {
        // CF-STRESS: (inflowDrop >= 30% and upcomingInstalmentShortfall > 0) or (negativeBalance and daysPastDue >= 1).
        CompiledRule stress = RuleBook.load("classpath:rules/default-rules.jsonl").get("CF-STRESS");
        state.advanceClock(Events.at(0).toEpochMilli());
        state.currency = "CNY";
        Map<Indicator, Long> receiptsFallen = Map.of(Indicator.INFLOW_DROP, 5_000L, Indicator.UPCOMING_INSTALMENT_SHORTFALL, 100_000L,
                Indicator.NEGATIVE_BALANCE, 0L, Indicator.DAYS_PAST_DUE, 0L);
        Map<Indicator, Long> receiptsUnknown = Map.of(Indicator.UPCOMING_INSTALMENT_SHORTFALL, 100_000L,
                Indicator.NEGATIVE_BALANCE, 0L, Indicator.DAYS_PAST_DUE, 0L);
        Map<Indicator, Long> instalmentPaid = Map.of(Indicator.UPCOMING_INSTALMENT_SHORTFALL, 0L,
                Indicator.NEGATIVE_BALANCE, 0L, Indicator.DAYS_PAST_DUE, 0L);

        evaluate(List.of(stress), receiptsFallen); // day 1: opens
        evaluate(List.of(stress), receiptsFallen); // day 2: inflowDrop last known
        evaluate(List.of(stress), receiptsUnknown); // day 3: its first group fails only for want of data
        evaluate(List.of(stress), instalmentPaid); // day 4: each group fails on a known indicator

        assertThat(alerts).extracting(Alert::getRuleId, Alert::getLifecycle).containsExactly(
                tuple("CF-STRESS", AlertLifecycle.OPENED), tuple("CF-STRESS", AlertLifecycle.CLOSED));
        Alert closed = alerts.get(1);
        assertThat(closed.getEventTime()).isEqualTo(Events.at(0).plus(Duration.ofDays(4)));
        assertThat(closed.getExplanation().getSummary()).isEqualTo("Cleared: inflowDrop unknown since 2026-01-03 (no data); "
                + "upcomingInstalmentShortfall CNY 0.00 no longer > CNY 0.00 (was CNY 1,000.00); negativeBalance no; "
                + "daysPastDue 0 days no longer >= 1 day.");
        assertThat(closed.getExplanation().getInputs()).filteredOn(reading -> reading.getIndicator().equals("inflowDrop"))
                .singleElement().satisfies(reading -> {
                    assertThat(reading.getValue()).isZero();
                    assertThat(reading.getObservedAt()).isEqualTo(Events.at(0).plus(Duration.ofDays(2)));
                });
    }

    @Test
    void aDisabledRuleClosesAnEpisodeWhileItsIndicatorHasNoData() throws Exception {
        CompiledRule disabled = RuleCompiler.compile(Rule.newBuilder(Samples.rule()).setVersion(2).setEnabled(false).build());

        evaluate(List.of(rule), 31);
        evaluate(List.of(rule), Map.of());
        evaluate(List.of(disabled), Map.of());

        assertThat(alerts).extracting(Alert::getLifecycle).containsExactly(AlertLifecycle.OPENED, AlertLifecycle.CLOSED);
        assertThat(alerts.get(1).getExplanation().getSummary()).isEqualTo("Closed: rule REPAY-DPD-30 was disabled in version 2.");
        assertThat(alerts.get(1).getExplanation().getInputs()).singleElement()
                .satisfies(reading -> assertThat(reading.getObservedAt()).as("when it was last known").isEqualTo(Instant.EPOCH));
        assertThat(state.episodes).isEmpty();
    }

    @Test
    void anEpisodeWhoseRuleLeftTheBookIsWithdrawnOnce() {
        evaluate(List.of(rule), 31);
        evaluate(List.of(), 31);
        evaluate(List.of(), 31);

        assertThat(alerts).extracting(Alert::getLifecycle).containsExactly(AlertLifecycle.OPENED, AlertLifecycle.CLOSED);
        assertThat(alerts.get(1).getExplanation().getSummary()).isEqualTo("Closed: rule REPAY-DPD-30 is no longer in the rule pack.");
        assertThat(state.episodes).isEmpty();
    }
}
