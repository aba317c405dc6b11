package dev.kestrel.jobs.fx;

import dev.kestrel.jobs.ingest.BorrowerEvent;
import dev.kestrel.jobs.ingest.BorrowerEventTypeInfo;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.TimerService;

/**
 * The live events of one borrower waiting for an FX rate: the first needs a rate no FxRate gave for its day, and the
 * borrower's later live events wait behind it, so that they apply in the order they happened (applied ahead of it,
 * they would move the borrower's clock past its day and make it late). Kept in keyed state apart from the borrower's
 * state, like the events held for a profile, with one event-time timer: the end of the first one's wait.
 */
public final class RateWait {
    /** The most events held for one borrower, as for a missing profile: a feed in an unpriced currency must not grow state without bound. */
    public static final int MAX_PER_BORROWER = 1_000;

    private final ListState<BorrowerEvent> events;
    private final ValueState<Long> timer;
    private final long waitMillis;

    public RateWait(RuntimeContext context, long waitMillis) {
        events = context.getListState(new ListStateDescriptor<>("held-for-fx-rate", new BorrowerEventTypeInfo()));
        timer = context.getState(new ValueStateDescriptor<>("held-for-fx-rate-until", Types.LONG));
        this.waitMillis = waitMillis;
    }

    /** When the wait of an event that needs a rate ends. */
    public long until(BorrowerEvent event) {
        return event.eventTimeMillis > Long.MAX_VALUE - waitMillis ? Long.MAX_VALUE : event.eventTimeMillis + waitMillis;
    }

    /** The time of the wait's timer, or null when no event waits. */
    public Long timer() throws Exception {
        return timer.value();
    }

    /** The waiting events in the order they happened: by event time, then arrival. */
    public List<BorrowerEvent> inOrder() throws Exception {
        List<BorrowerEvent> held = new ArrayList<>();
        Iterable<BorrowerEvent> stored = events.get();
        if (stored != null) {
            stored.forEach(held::add);
        }
        held.sort(Comparator.comparingLong(event -> event.eventTimeMillis)); // stable: arrival order within a time
        return held;
    }

    /** Holds one more event; the first sets the timer at the end of its wait. */
    public void add(BorrowerEvent event, TimerService timers) throws Exception {
        if (timer.value() == null) {
            long until = until(event);
            timers.registerEventTimeTimer(until);
            timer.update(until);
        }
        events.add(event);
    }

    /**
     * Replaces the waiting events by {@code still} (those the release left); the timer moves to the end of the first
     * one's wait, or goes when none is left. {@code keepTimer}: the old timer fired, or serves another purpose too.
     */
    public void keep(List<BorrowerEvent> still, BorrowerEvent first, TimerService timers, boolean keepTimer) throws Exception {
        Long current = timer.value();
        Long next = first == null ? null : until(first);
        if (current != null && !current.equals(next) && !keepTimer) {
            timers.deleteEventTimeTimer(current);
        }
        if (next == null) {
            events.clear();
            timer.clear();
            return;
        }
        if (!next.equals(current)) {
            timers.registerEventTimeTimer(next);
        }
        events.update(still);
        timer.update(next);
    }
}
