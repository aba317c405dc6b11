package dev.kestrel.jobs.rules;

import dev.kestrel.events.Alert;
import dev.kestrel.events.AlertLifecycle;
import dev.kestrel.events.RuleVersionStatus;
import dev.kestrel.events.VersionStatus;
import java.util.EnumMap;
import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/**
 * The counters every rule-evaluating operator reports: alert changes by lifecycle ({@code <prefix>_OPENED} ...), and
 * published rules applied or ignored, so a dashboard shows alert rates per stage and rules that did not take.
 */
public final class RuleMetrics {
    private final Map<AlertLifecycle, Counter> alerts = new EnumMap<>(AlertLifecycle.class);
    private final Counter rulesApplied;
    private final Counter rulesIgnored;

    public RuleMetrics(MetricGroup metrics, String alertPrefix) {
        for (AlertLifecycle lifecycle : AlertLifecycle.values()) {
            alerts.put(lifecycle, metrics.counter(alertPrefix + "_" + lifecycle.name()));
        }
        rulesApplied = metrics.counter("rulesApplied");
        rulesIgnored = metrics.counter("rulesIgnored");
    }

    public void alert(Alert alert) {
        alerts.get(alert.getLifecycle()).inc();
    }

    /** A published version the stage put in force, or refused. */
    public void published(RuleVersionStatus status) {
        (status.getStatus() == VersionStatus.IN_FORCE ? rulesApplied : rulesIgnored).inc();
    }
}
