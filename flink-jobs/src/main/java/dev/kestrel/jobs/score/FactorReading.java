package dev.kestrel.jobs.score;

import dev.kestrel.contract.Indicator;
import dev.kestrel.events.IndicatorUnit;

/**
 * One factor as it scored a borrower: its value, the bin the value fell in, and the points. A value with no data
 * falls in the factor's "unknown" bin, one that does not apply in its "not applicable" bin: never counted as zero.
 *
 * @param indicator the indicator the factor bins, or null for a rule's alert
 * @param ruleId    the rule whose alert it bins, or null for an indicator's
 * @param value     the value binned, or null when unknown or not applicable; a rule's alert state is 0 (none open) to 5 (CRITICAL)
 * @param observedAt event time of an indicator's value, or null
 * @param binFrom    the lowest value of the bin, or null (the first bin, or no bin)
 * @param binTo      the first value above the bin, or null (the last bin, or no bin)
 */
public record FactorReading(String factorId, String title, Indicator indicator, String ruleId, State state, Long value,
        IndicatorUnit unit, String bin, Long binFrom, Long binTo, int points, Long observedAt) {

    public static final String UNKNOWN = "unknown";
    public static final String NOT_APPLICABLE = "not applicable";

    /** Whether the value fell in one of the bins, or in the unknown or not-applicable bin. */
    public enum State { BINNED, UNKNOWN, NOT_APPLICABLE }
}
