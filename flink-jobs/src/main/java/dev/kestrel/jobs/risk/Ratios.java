package dev.kestrel.jobs.risk;

/** Exact integer ratios in basis points, saturating at the long's range instead of overflowing on absurd inputs. */
public final class Ratios {
    private static final long LIMIT = Long.MAX_VALUE / 10_000L;

    private Ratios() {}

    /** {@code numerator / denominator} in basis points, rounded toward zero; the denominator must be above 0. */
    public static long basisPoints(long numerator, long denominator) {
        if (Math.abs(numerator) <= LIMIT) {
            return numerator * 10_000L / denominator;
        }
        return exact(numerator, denominator, java.math.RoundingMode.DOWN);
    }

    /**
     * {@code numerator / denominator} in basis points, rounded down; the denominator must be above 0. Any negative
     * ratio is at most -1, so a comparison with 0 keeps the sign: a margin of -0.4 bp is a loss, not a break-even.
     */
    public static long basisPointsRoundedDown(long numerator, long denominator) {
        if (Math.abs(numerator) <= LIMIT) {
            return Math.floorDiv(numerator * 10_000L, denominator);
        }
        return exact(numerator, denominator, java.math.RoundingMode.FLOOR);
    }

    /** The rare ratio of amounts beyond 9.2 x 10^14 minor units, in exact decimal arithmetic, saturating at the long's range. */
    private static long exact(long numerator, long denominator, java.math.RoundingMode rounding) {
        java.math.BigDecimal ratio = java.math.BigDecimal.valueOf(numerator).multiply(java.math.BigDecimal.valueOf(10_000L))
                .divide(java.math.BigDecimal.valueOf(denominator), 0, rounding);
        java.math.BigDecimal max = java.math.BigDecimal.valueOf(Long.MAX_VALUE);
        java.math.BigDecimal min = java.math.BigDecimal.valueOf(Long.MIN_VALUE);
        return ratio.max(min).min(max).longValueExact();
    }
}
