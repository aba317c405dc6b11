package dev.kestrel.jobs.indicator;

import dev.kestrel.contract.Indicator;

/**
 * One evaluation's indicator values: a value and the event time it refers to for each present indicator. An absent
 * indicator is unknown (no data to compute it from), unless it is marked {@linkplain #notApplicable not applicable}:
 * known not to apply to the subject. Arrays indexed by {@link Indicator#ordinal()}, so a rule's clause reads its
 * indicator in one array access.
 */
public final class IndicatorValues {
    private static final Indicator[] ALL = Indicator.values();
    /**
     * An observation time that means "as of the evaluation": a borrower's kept indicators are computed with it, and
     * take the borrower's clock when copied out ({@link #copyFrom}), so that a value kept from an earlier event of the
     * same day reads as a value computed now. No event time is this far back.
     */
    public static final long AS_OF_EVALUATION = Long.MIN_VALUE + 1;

    private final long[] values = new long[ALL.length];
    private final long[] observedAt = new long[ALL.length];
    private long present;
    private long inapplicable;

    public void set(Indicator indicator, long value, long observedAtMillis) {
        values[indicator.ordinal()] = value;
        observedAt[indicator.ordinal()] = observedAtMillis;
        present |= 1L << indicator.ordinal();
        inapplicable &= ~(1L << indicator.ordinal());
    }

    /**
     * Marks an indicator that does not apply to the subject, e.g. the utilisation of a borrower with no facility that
     * can be redrawn. It has no value, so no clause on it holds; unlike an unknown one it is known, so it clears an
     * open episode.
     */
    public void notApplicable(Indicator indicator, long observedAtMillis) {
        observedAt[indicator.ordinal()] = observedAtMillis;
        present &= ~(1L << indicator.ordinal());
        inapplicable |= 1L << indicator.ordinal();
    }

    public boolean isNotApplicable(Indicator indicator) {
        return (inapplicable & (1L << indicator.ordinal())) != 0;
    }

    public boolean has(Indicator indicator) {
        return (present & (1L << indicator.ordinal())) != 0;
    }

    /** Whether the indicator is known (present, or not applicable), so that a clause on it is decided one way or the other. */
    public boolean isKnown(Indicator indicator) {
        return ((present | inapplicable) & (1L << indicator.ordinal())) != 0;
    }

    /** The value; only meaningful when {@link #has} says so. */
    public long get(Indicator indicator) {
        return values[indicator.ordinal()];
    }

    public long observedAt(Indicator indicator) {
        return observedAt[indicator.ordinal()];
    }

    public void clear() {
        present = 0;
        inapplicable = 0;
    }

    /** Forgets the indicators of {@code mask} (bits by ordinal), present or not applicable. */
    public void clear(long mask) {
        present &= ~mask;
        inapplicable &= ~mask;
    }

    /** Copies every indicator of {@code from}, an observation time of {@link #AS_OF_EVALUATION} becoming {@code now}. */
    public void copyFrom(IndicatorValues from, long now) {
        present = from.present;
        inapplicable = from.inapplicable;
        for (long rest = present | inapplicable; rest != 0; rest &= rest - 1) {
            int i = Long.numberOfTrailingZeros(rest);
            values[i] = from.values[i];
            observedAt[i] = from.observedAt[i] == AS_OF_EVALUATION ? now : from.observedAt[i];
        }
    }

    /**
     * The indicators of {@code mask} whose value or presence differs between this and {@code other}: what a rule can
     * decide on (observation times aside).
     */
    public long differences(IndicatorValues other, long mask) {
        long differ = ((present ^ other.present) | (inapplicable ^ other.inapplicable)) & mask;
        for (long both = present & other.present & mask; both != 0; both &= both - 1) {
            int i = Long.numberOfTrailingZeros(both);
            if (values[i] != other.values[i]) {
                differ |= 1L << i;
            }
        }
        return differ;
    }

    /** Takes the indicators of {@code mask} from {@code from}, as they are there (present, not applicable or unknown). */
    public void replace(IndicatorValues from, long mask) {
        present = (present & ~mask) | (from.present & mask);
        inapplicable = (inapplicable & ~mask) | (from.inapplicable & mask);
        for (long known = (from.present | from.inapplicable) & mask; known != 0; known &= known - 1) {
            int i = Long.numberOfTrailingZeros(known);
            values[i] = from.values[i];
            observedAt[i] = from.observedAt[i];
        }
    }

    public long presentMask() {
        return present;
    }

    public long inapplicableMask() {
        return inapplicable;
    }

    /** Restores one kept indicator (see {@link #presentMask}); {@code value} is ignored for one not applicable. */
    public void restore(int ordinal, boolean applicable, long value, long observedAtMillis) {
        values[ordinal] = value;
        observedAt[ordinal] = observedAtMillis;
        if (applicable) {
            present |= 1L << ordinal;
        } else {
            inapplicable |= 1L << ordinal;
        }
    }

    public long valueAt(int ordinal) {
        return values[ordinal];
    }

    public long observedAtOf(int ordinal) {
        return observedAt[ordinal];
    }

    /** True when both hold the same present indicators with the same values, and the same ones not applicable. */
    public boolean sameValues(IndicatorValues other) {
        if (present != other.present || inapplicable != other.inapplicable) {
            return false;
        }
        for (int i = 0; i < ALL.length; i++) {
            if ((present & (1L << i)) != 0 && values[i] != other.values[i]) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("{");
        for (Indicator indicator : ALL) {
            if (has(indicator)) {
                text.append(indicator.indicatorName()).append('=').append(get(indicator)).append(", ");
            } else if (isNotApplicable(indicator)) {
                text.append(indicator.indicatorName()).append("=n/a, ");
            }
        }
        return text.append('}').toString();
    }

    static {
        if (ALL.length > 64) {
            throw new IllegalStateException("presence is a 64-bit mask; " + ALL.length + " indicators do not fit");
        }
    }
}
