package dev.kestrel.jobs.risk;

/** Exact integer ratios in basis points, saturating instead of overflowing on absurd inputs. */
public final class Ratios {
    private static final long LIMIT = Long.MAX_VALUE / 10_000L;

    private Ratios() {}

    /** {@code numerator / denominator} in basis points, rounded toward zero; the denominator must be above 0. */
    public static long basisPoints(long numerator, long denominator) {
        if (Math.abs(numerator) <= LIMIT) {
            return numerator * 10_000L / denominator;
        }
        return (long) Math.max(Long.MIN_VALUE, Math.min(Long.MAX_VALUE, (double) numerator * 10_000.0 / denominator));
    }

    /**
     * {@code numerator / denominator} in basis points, rounded down; the denominator must be above 0. Any negative
     * ratio is at most -1, so a comparison with 0 keeps the sign: a margin of -0.4 bp is a loss, not a break-even.
     */
    public static long basisPointsRoundedDown(long numerator, long denominator) {
        if (Math.abs(numerator) <= LIMIT) {
            return Math.floorDiv(numerator * 10_000L, denominator);
        }
        return (long) Math.max(Long.MIN_VALUE, Math.min(Long.MAX_VALUE, Math.floor((double) numerator * 10_000.0 / denominator)));
    }
}
