package dev.kestrel.jobs.risk;

/** Event time in whole days: the unit of days past due, of cash-flow buckets and of every "within N days". */
public final class Days {
    public static final long MILLIS_PER_DAY = 86_400_000L;
    /** Marks "no such day yet" in state. */
    public static final int NONE = Integer.MIN_VALUE;

    private Days() {}

    /** The UTC day (days since 1970-01-01) of an event time. */
    public static int of(long epochMillis) {
        return (int) Math.floorDiv(epochMillis, MILLIS_PER_DAY);
    }

    /** The first millisecond of a day. */
    public static long start(int day) {
        return day * MILLIS_PER_DAY;
    }
}
