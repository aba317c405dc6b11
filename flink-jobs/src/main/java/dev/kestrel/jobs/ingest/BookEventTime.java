package dev.kestrel.jobs.ingest;

import java.time.Duration;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/**
 * Event time of the book as one input partition sees it: the time that {@code quorum} distinct borrowers of the
 * partition have reached, less the out-of-orderness allowed. The newest record of a partition is not the book's
 * time: a producer writing local time as UTC stamps its records hours ahead, and if event time followed them every
 * other borrower's day would roll early (days past due a day too soon, its own on-time events of the rest of that
 * day refused as late). Fewer borrowers than the quorum, however many records they send, cannot move it.
 *
 * <p>Only the {@code quorum} most advanced borrowers are kept, each with its latest event time; the least advanced of
 * them is the quorum-th highest of all the partition's borrowers, since a borrower's latest time only grows. Each
 * record costs a comparison with the least advanced and, when it is ahead of it, a scan of {@code quorum} entries.
 * A partition that has seen fewer borrowers than the quorum follows the least advanced of them, so a small partition
 * still moves when all its borrowers do. Event time never goes back. Records without a borrower event (rules, group
 * limits, dead letters) carry no event time and do not count.
 *
 * <p>Idleness and watermark alignment wrap this generator as they wrapped Flink's bounded out-of-orderness one; at
 * the end of a bounded input Flink still moves event time to the end of time.
 */
public final class BookEventTime implements WatermarkGenerator<Inbound> {
    private final int quorum;
    private final long outOfOrdernessMillis;
    /** The most advanced borrowers seen, unordered; the first {@code size} entries are used. */
    private final String[] borrowers;
    private final long[] latest;
    private int size;
    /** Where the least advanced of them is: the quorum-th highest once the entries are full. */
    private int leastAdvanced;
    private long emitted = Long.MIN_VALUE;
    private final boolean onEveryRecord;

    public BookEventTime(Duration maxOutOfOrderness, int quorum) {
        this(maxOutOfOrderness, quorum, false);
    }

    /**
     * @param onEveryRecord emit event time at the record that moves it into a new hour, and never on the wall clock's
     *                      200 ms tick: a bounded run (a replay) then sees each day begin at the same record whatever
     *                      its timing, so the borrowers' day-timer changes and their later events reach the group stage
     *                      in the same order run after run. An hour, not every record: a watermark per record costs
     *                      every operator downstream a step per record, and timers (day starts, the end of a wait for
     *                      a profile) need event time only to the hour in a replay
     */
    public BookEventTime(Duration maxOutOfOrderness, int quorum, boolean onEveryRecord) {
        if (quorum < 1) {
            throw new IllegalArgumentException("the quorum must be at least 1 borrower; got " + quorum);
        }
        this.quorum = quorum;
        this.outOfOrdernessMillis = maxOutOfOrderness.toMillis();
        this.borrowers = new String[quorum];
        this.latest = new long[quorum];
        this.onEveryRecord = onEveryRecord;
    }

    /**
     * The strategy of every borrower input: each record's timestamp is its event's time, or {@code Long.MIN_VALUE}
     * for a record without one, and event time is {@link BookEventTime} per partition.
     */
    public static WatermarkStrategy<Inbound> strategy(Duration maxOutOfOrderness, int quorum) {
        return strategy(maxOutOfOrderness, quorum, false);
    }

    /** The same, emitting event time on every record that moves it when {@code onEveryRecord}; see the constructor. */
    public static WatermarkStrategy<Inbound> strategy(Duration maxOutOfOrderness, int quorum, boolean onEveryRecord) {
        return WatermarkStrategy.<Inbound>forGenerator(context -> new BookEventTime(maxOutOfOrderness, quorum, onEveryRecord))
                .withTimestampAssigner((inbound, kafkaTimestamp) -> inbound.event != null ? inbound.event.eventTimeMillis : Long.MIN_VALUE);
    }

    @Override
    public void onEvent(Inbound inbound, long eventTimestamp, WatermarkOutput output) {
        if (inbound.event != null && inbound.event.borrowerId != null) {
            reached(inbound.event.borrowerId, inbound.event.eventTimeMillis);
            if (onEveryRecord && size > 0 && Math.floorDiv(watermark(), HOUR) > Math.floorDiv(emitted, HOUR)) {
                emit(output);
            }
        }
    }

    /** Borrower {@code borrower} has an event at {@code time}. */
    private void reached(String borrower, long time) {
        if (size == quorum && time <= latest[leastAdvanced]) {
            return; // a borrower below the quorum, or one of it repeating an earlier time: nothing moves
        }
        for (int i = 0; i < size; i++) {
            if (borrowers[i].equals(borrower)) {
                if (time > latest[i]) {
                    latest[i] = time;
                    if (i == leastAdvanced) {
                        findLeastAdvanced();
                    }
                }
                return;
            }
        }
        int slot = size < quorum ? size++ : leastAdvanced; // joins, or takes the place of the least advanced
        borrowers[slot] = borrower;
        latest[slot] = time;
        findLeastAdvanced();
    }

    private void findLeastAdvanced() {
        int least = 0;
        for (int i = 1; i < size; i++) {
            if (latest[i] < latest[least]) {
                least = i;
            }
        }
        leastAdvanced = least;
    }

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {
        if (size > 0 && !onEveryRecord) { // a bounded run emits only with its records, so that it repeats itself
            emit(output);
        }
    }

    private static final long HOUR = 3_600_000L;

    /** Less one millisecond, as in Flink's bounded out-of-orderness: an event exactly at the bound is still on time. */
    private long watermark() {
        return latest[leastAdvanced] - outOfOrdernessMillis - 1;
    }

    private void emit(WatermarkOutput output) {
        long watermark = watermark();
        if (watermark > emitted) {
            emitted = watermark;
            output.emitWatermark(new Watermark(watermark));
        }
    }
}
