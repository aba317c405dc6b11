package dev.kestrel.jobs.risk;

import dev.kestrel.jobs.indicator.IndicatorValues;
import dev.kestrel.contract.Indicator;
import dev.kestrel.events.Severity;
import java.util.ArrayList;
import java.util.List;

/**
 * An open alert episode of one rule for one subject: raised once, escalated only up its rule's ladder, closed when it
 * clears. It also remembers, for the indicators its rule reads that are unknown now, when each was last known:
 * missing data keeps an episode open, and its later changes say since when the data is missing.
 */
public final class Episode {
    /** A time not known: never checked by this engine, or an indicator not known at any check of the episode. */
    public static final long NEVER = Long.MIN_VALUE;

    public String ruleId;
    public String alertId;
    public Severity severity;
    public int ruleVersion;
    public long startedAt;
    /** The subject's clock at the episode's latest evaluation, or NEVER. */
    public long checkedAt = NEVER;
    /** The indicators of its rule unknown at the latest evaluation, each with the last check that knew it; usually empty. */
    private List<UnknownSince> unknown = List.of();

    /** One indicator the episode's rule reads that has no data now, and the last check at which it had (or NEVER). */
    public record UnknownSince(Indicator indicator, long lastKnownAt) {}
    /**
     * The step of its rule's escalation ladder the episode has reached ({@link dev.kestrel.jobs.rules.CompiledRule#levelFor}):
     * escalations may share a severity, so a worse step can come at the same severity. 0 in state written before
     * levels were kept, which evaluation reads as the lowest level of the episode's severity.
     */
    public int level;

    public Episode(String ruleId, String alertId, Severity severity, int ruleVersion, long startedAt) {
        this.ruleId = ruleId;
        this.alertId = alertId;
        this.severity = severity;
        this.ruleVersion = ruleVersion;
        this.startedAt = startedAt;
    }

    /**
     * Notes which of {@code indicators} are known at this check (at the subject's clock {@code now}): one that was
     * known at the previous check and is not now was last known then. Allocates only when an indicator goes unknown.
     */
    public void check(Indicator[] indicators, IndicatorValues values, long now) {
        for (Indicator indicator : indicators) {
            if (values.isKnown(indicator)) {
                if (!unknown.isEmpty()) {
                    unknown.removeIf(u -> u.indicator() == indicator);
                }
            } else if (lastKnownAt(indicator) == null) {
                unknownSince(indicator, checkedAt);
            }
        }
        checkedAt = now;
    }

    /** When the indicator was last known, NEVER when not during this episode, or null when it is not unknown. */
    public Long lastKnownAt(Indicator indicator) {
        for (UnknownSince u : unknown) {
            if (u.indicator() == indicator) {
                return u.lastKnownAt();
            }
        }
        return null;
    }

    /** Records an indicator as unknown, last known at {@code lastKnownAt} (NEVER: not during this episode). */
    public void unknownSince(Indicator indicator, long lastKnownAt) {
        if (unknown.isEmpty()) {
            unknown = new ArrayList<>(2);
        }
        unknown.add(new UnknownSince(indicator, lastKnownAt));
    }

    /** The indicators unknown at the latest evaluation, for the state serializers. */
    public List<UnknownSince> unknown() {
        return unknown;
    }
    /** Severity and level in one byte for state: the low three bits the severity, the rest the level (at most 31). */
    public int packedSeverity() {
        return severity.ordinal() | Math.min(level, 31) << 3;
    }

    /** Restores what {@link #packedSeverity} wrote; a byte from before levels were kept holds level 0. */
    public Episode unpackSeverity(int packed) {
        severity = SEVERITIES[packed & 7];
        level = packed >>> 3;
        return this;
    }

    private static final Severity[] SEVERITIES = Severity.values();
}
