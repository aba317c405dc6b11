package dev.kestrel.jobs.risk;

import dev.kestrel.events.Severity;

/** An open alert episode of one rule for this borrower: raised once, escalated at most up, closed when it clears. */
final class Episode {
    String ruleId;
    String alertId;
    Severity severity;
    int ruleVersion;
    long startedAt;

    Episode(String ruleId, String alertId, Severity severity, int ruleVersion, long startedAt) {
        this.ruleId = ruleId;
        this.alertId = alertId;
        this.severity = severity;
        this.ruleVersion = ruleVersion;
        this.startedAt = startedAt;
    }
}
