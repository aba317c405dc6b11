package dev.kestrel.jobs.risk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.kestrel.contract.Indicator;
import dev.kestrel.contract.Samples;
import dev.kestrel.events.Alert;
import dev.kestrel.events.AlertLifecycle;
import dev.kestrel.events.Severity;
import dev.kestrel.jobs.rules.CompiledRule;
import dev.kestrel.jobs.rules.RuleCompiler;
import java.util.ArrayList;
import java.util.List;
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
        state.advanceClock(state.clock() == Long.MIN_VALUE ? 0 : state.clock() + Days.MILLIS_PER_DAY);
        IndicatorValues after = new IndicatorValues();
        after.set(Indicator.MATERIAL_DAYS_PAST_DUE, materialDaysPastDue, state.clock());
        AlertEpisodes.evaluate("B-1", state, rules, before, after, 0, alerts::add);
        before.clear();
        before.set(Indicator.MATERIAL_DAYS_PAST_DUE, materialDaysPastDue, state.clock());
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
    void anEpisodeWhoseRuleLeftTheBookIsWithdrawnOnce() {
        evaluate(List.of(rule), 31);
        evaluate(List.of(), 31);
        evaluate(List.of(), 31);

        assertThat(alerts).extracting(Alert::getLifecycle).containsExactly(AlertLifecycle.OPENED, AlertLifecycle.CLOSED);
        assertThat(alerts.get(1).getExplanation().getSummary()).isEqualTo("Closed: rule REPAY-DPD-30 is no longer in the rule pack.");
        assertThat(state.episodes).isEmpty();
    }
}
