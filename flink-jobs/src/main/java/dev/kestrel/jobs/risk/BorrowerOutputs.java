package dev.kestrel.jobs.risk;

import dev.kestrel.events.Alert;
import dev.kestrel.events.BorrowerRiskSnapshot;
import dev.kestrel.events.BorrowerScore;
import dev.kestrel.events.InstalmentStatus;
import dev.kestrel.jobs.group.GroupEvent;
import dev.kestrel.jobs.rules.RuleMetrics;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * What one event or timer of a borrower produced, kept until it has been applied whole: an event refused half-way
 * (its sums would overflow) must leave no alert, snapshot or group change behind. The lists are reused, so the
 * common case allocates nothing.
 */
final class BorrowerOutputs {
    final List<Alert> alerts = new ArrayList<>();
    final List<BorrowerRiskSnapshot> snapshots = new ArrayList<>();
    final List<GroupEvent> groupEvents = new ArrayList<>();
    final List<BorrowerScore> scores = new ArrayList<>();
    final List<InstalmentStatus> instalments = new ArrayList<>();

    void clear() {
        alerts.clear();
        snapshots.clear();
        groupEvents.clear();
        scores.clear();
        instalments.clear();
    }

    /** Sends everything on and clears; {@code side} writes to a side output of the operator's context. */
    void emit(Collector<Alert> out, RuleMetrics metrics, SideOutputs side) {
        for (Alert alert : alerts) {
            metrics.alert(alert);
            out.collect(alert);
        }
        snapshots.forEach(snapshot -> side.output(BorrowerRiskFunction.SNAPSHOTS, snapshot));
        groupEvents.forEach(event -> side.output(BorrowerRiskFunction.GROUP_EVENTS, event));
        scores.forEach(score -> side.output(BorrowerRiskFunction.SCORES, score));
        instalments.forEach(status -> side.output(BorrowerRiskFunction.INSTALMENTS, status));
        clear();
    }

    /** The one method of an operator context this needs, so a keyed or a timer context can pass itself. */
    interface SideOutputs {
        <X> void output(OutputTag<X> tag, X value);
    }
}
