package dev.kestrel.jobs.risk;

import dev.kestrel.events.Severity;

/** An open alert episode of one rule for one subject: raised once, escalated at most up, closed when it clears. */
public final class Episode {
    public String ruleId;
    public String alertId;
    public Severity severity;
    public int ruleVersion;
    public long startedAt;

    public Episode(String ruleId, String alertId, Severity severity, int ruleVersion, long startedAt) {
        this.ruleId = ruleId;
        this.alertId = alertId;
        this.severity = severity;
        this.ruleVersion = ruleVersion;
        this.startedAt = startedAt;
    }
}
