package dev.kestrel.jobs.group;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.ToLongFunction;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.TimerService;

/**
 * Holds a stage's member changes until event time passes them, then hands over each moment's changes (those of one
 * event time) together, in {@code order} (say, the limit first, then by borrower), and as they came from one borrower
 * within that. Changes of different members come from different borrower tasks, and which arrives first depends on
 * timing; applied as they arrive, a group might be seen at 91% of its limit for a moment in one run and not in the
 * next. Released this way, the same members' changes give the same alerts whatever the parallelism or timing.
 *
 * <p>Held by the change's own event time, not its record's: the borrower stage stamps an event it held for its day
 * with the time the wait ended, and one it applied at once with its own, so a record's time depends on how far event
 * time had got when the event came. A change is emitted before event time reaches its record's time, which is never
 * after its own (but for an event exactly at midnight, released a millisecond later), so it comes before event time
 * passes it. One that event time had already passed when it came (a late one) is not held: every change still held is
 * later than it, and those already released cannot be taken back, so it is applied at once.
 */
public final class ChangesInOrder<T> {
    private final MapState<Long, List<T>> pending;
    private final ToLongFunction<T> eventTime;
    private final Comparator<T> order;

    /**
     * @param name the keyed state's name, unique in its operator
     * @param order how the changes of one moment are applied
     */
    public ChangesInOrder(RuntimeContext context, String name, TypeInformation<T> type, ToLongFunction<T> eventTime,
            Comparator<T> order) {
        this.pending = context.getMapState(new MapStateDescriptor<>(name, Types.LONG, Types.LIST(type)));
        this.eventTime = eventTime;
        this.order = order;
    }

    /**
     * Keeps a change until event time passes it.
     *
     * @return false if event time has already passed it: the caller applies it now
     */
    public boolean hold(T change, TimerService timers) throws Exception {
        long at = eventTime.applyAsLong(change);
        if (at <= timers.currentWatermark()) {
            return false;
        }
        List<T> held = pending.get(at);
        if (held == null) {
            held = new ArrayList<>(1);
            timers.registerEventTimeTimer(at);
        }
        held.add(change);
        pending.put(at, held);
        return true;
    }

    /** The changes of the moment {@code time}, in order, and forgets them. */
    public List<T> release(long time) throws Exception {
        List<T> held = pending.get(time);
        if (held == null) {
            return List.of();
        }
        pending.remove(time);
        List<T> sorted = new ArrayList<>(held);
        sorted.sort(order); // stable: one borrower's changes of one moment stay in the order its task sent them
        return sorted;
    }
}
