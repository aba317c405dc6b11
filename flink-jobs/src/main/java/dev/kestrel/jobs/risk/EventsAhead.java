package dev.kestrel.jobs.risk;

import dev.kestrel.jobs.ingest.BorrowerEvent;
import dev.kestrel.jobs.ingest.BorrowerEventTypeInfo;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.TimerService;

/**
 * A borrower's events dated on a day that neither the borrower nor event time has reached yet, waiting until event
 * time (the watermark) passes that day's start. Applied at once, the first event of a new day would move the
 * borrower's clock into it, and the events of the day before still on their way would be refused as LATE: in a
 * catch-up, where the transactions topic may be read days ahead of the repayments topic, that was half the book.
 * Once event time has passed the day's start, the events of earlier days can no longer be expected
 * ({@code events.max-out-of-orderness}), and the waiting events are applied in the order they happened.
 *
 * <p>Kept apart from {@link BorrowerState}, keyed by event time, so that a known borrower's event on its current day
 * never reads it and adding one costs one small write. Each waiting day has an event-time timer one millisecond after
 * the day's start: after the borrower's day timer for that day (its ageing comes first), and never at the same
 * instant, so that moving the day timer never deletes it.
 */
final class EventsAhead {
    private final MapState<Long, List<BorrowerEvent>> byTime;

    EventsAhead(RuntimeContext context) {
        byTime = context.getMapState(new MapStateDescriptor<>("events-ahead", Types.LONG, Types.LIST(new BorrowerEventTypeInfo())));
    }

    /**
     * Whether an event must wait for its day: it is dated on a later day than the borrower's clock (or the borrower
     * has none yet), and event time has not passed that day's start (its release time).
     */
    static boolean mustWait(BorrowerEvent event, long clock, long eventTime) {
        int day = Days.of(event.eventTimeMillis);
        return releaseTime(day) > eventTime && (clock == Long.MIN_VALUE || day > Days.of(clock));
    }

    /** The time of the timer that releases the events of {@code day}. */
    static long releaseTime(int day) {
        return Days.start(day) + 1;
    }

    /** Whether a timer at {@code time} is one that releases waiting events. */
    static boolean isReleaseTime(long time) {
        return time == releaseTime(Days.of(time));
    }

    void add(BorrowerEvent event, TimerService timers) throws Exception {
        List<BorrowerEvent> atTime = byTime.get(event.eventTimeMillis);
        if (atTime == null) {
            atTime = new ArrayList<>(1);
        }
        atTime.add(event);
        byTime.put(event.eventTimeMillis, atTime);
        timers.registerEventTimeTimer(releaseTime(Days.of(event.eventTimeMillis))); // one per key and time: idempotent
    }

    /**
     * Takes out the events dated up to the end of the day of {@code time}, in the order they happened: by event time,
     * and in the order they came within one time.
     */
    List<BorrowerEvent> release(long time) throws Exception {
        long dayEnd = Days.start(Days.of(time) + 1);
        List<Long> due = new ArrayList<>();
        for (Long at : byTime.keys()) {
            if (at < dayEnd) {
                due.add(at);
            }
        }
        due.sort(Comparator.naturalOrder());
        List<BorrowerEvent> released = new ArrayList<>();
        for (Long at : due) {
            released.addAll(byTime.get(at));
            byTime.remove(at);
        }
        return released;
    }

    /** Whether events wait whose release timer is at {@code time} (so that the timer must stay). */
    boolean releaseAt(long time) throws Exception {
        if (!isReleaseTime(time)) {
            return false;
        }
        int day = Days.of(time);
        for (Long at : byTime.keys()) {
            if (Days.of(at) == day) {
                return true;
            }
        }
        return false;
    }
}
