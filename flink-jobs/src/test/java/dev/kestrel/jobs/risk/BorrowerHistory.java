package dev.kestrel.jobs.risk;

import dev.kestrel.jobs.indicator.IndicatorValues;
import static dev.kestrel.jobs.Events.wrap;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kestrel.events.Alert;
import dev.kestrel.events.AlertLifecycle;
import dev.kestrel.events.AlertScope;
import dev.kestrel.jobs.rules.RuleBook;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * One borrower's history run through the shipped rule pack as the borrower stage runs it: each day's start evaluated
 * (as the day timer does), then each event, with the alerts kept in order. For tests that state what a banker expects.
 */
final class BorrowerHistory {
    static final RuleBook RULES = RuleBook.load("classpath:rules/default-rules.jsonl");
    final String borrowerId;
    final RiskSettings settings = RiskSettings.defaults();
    BorrowerState state = new BorrowerState();
    final List<Alert> alerts = new ArrayList<>();

    BorrowerHistory(String borrowerId) {
        this.borrowerId = borrowerId;
    }

    void apply(SpecificRecordBase event) {
        ageTo(wrap(event).eventTimeMillis);
        IndicatorValues before = new IndicatorValues();
        IndicatorValues after = new IndicatorValues();
        state.indicators(before, settings);
        state.apply(wrap(event), settings);
        state.indicators(after, settings);
        AlertEpisodes.evaluate(borrowerId, state, RULES.rules(AlertScope.BORROWER), before, after, 0, alerts::add);
    }

    /** Days pass with no event: the borrower is evaluated at the start of each. */
    void ageTo(long time) {
        int from = state.clock() == Long.MIN_VALUE ? Days.of(time) : Days.of(state.clock()) + 1;
        for (int day = from; day <= Days.of(time); day++) {
            IndicatorValues before = new IndicatorValues();
            IndicatorValues after = new IndicatorValues();
            state.indicators(before, settings);
            state.advanceClock(Days.start(day));
            state.indicators(after, settings);
            AlertEpisodes.evaluate(borrowerId, state, RULES.rules(AlertScope.BORROWER), before, after, 0, alerts::add);
        }
    }

    IndicatorValues indicators() {
        IndicatorValues values = new IndicatorValues();
        state.indicators(values, settings);
        return values;
    }

    Alert only(String ruleId, AlertLifecycle lifecycle) {
        List<Alert> found = alerts.stream().filter(a -> a.getRuleId().equals(ruleId) && a.getLifecycle() == lifecycle).toList();
        assertThat(found).as(ruleId + " " + lifecycle + " among " + alerts).hasSize(1);
        return found.get(0);
    }
}
