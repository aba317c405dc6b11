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
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.streaming.api.TimerService;

/**
 * Holds a stage's member changes until event time passes them, then hands over each moment's changes (those of one
 * event time) together, in {@code order} (say, the limit first, then by borrower), and as they came from one borrower
 * within that. Changes of different members come from different borrower tasks, and which arrives first depends on
 * timing; applied as they arrive, a group might be seen at 91% of its limit for a moment in one run and not in the
 * next. Released this way, the same members' changes give the same alerts whatever the order they arrive in.
 *
 * <p>Held by the change's own event time, not its record's: the borrower stage stamps an event it held for its day
 * with the time the wait ended, and one it applied at once with its own, so a record's time depends on how far event
 * time had got when the event came. A change is emitted before event time reaches its record's time, which is never
 * after its own (but for an event exactly at midnight, released a millisecond later), so it comes before event time
 * passes it. One that event time had already passed when it came (a late one) is not held: every change still held is
 * later than it, and those already released cannot be taken back, so it is applied at once.
 */
public final class ChangesInOrder<T> {
    /** The changes held, by moment and by their place in it as they came; one read and one write each. */
    private final MapState<Tuple2<Long, Integer>, T> held;
    /** How many changes each moment holds: a change costs a small counter, not the moment's whole list read and written. */
    private final MapState<Long, Integer> counts;
    private final ToLongFunction<T> eventTime;
    private final Comparator<T> order;

    /**
     * @param name the keyed state's name, unique in its operator ({@code name-counts} is taken too)
     * @param order how the changes of one moment are applied
     */
    public ChangesInOrder(RuntimeContext context, String name, TypeInformation<T> type, ToLongFunction<T> eventTime,
            Comparator<T> order) {
        this.held = context.getMapState(new MapStateDescriptor<>(name, Types.TUPLE(Types.LONG, Types.INT), type));
        this.counts = context.getMapState(new MapStateDescriptor<>(name + "-counts", Types.LONG, Types.INT));
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
        Integer count = counts.get(at);
        int place = count == null ? 0 : count;
        if (place == 0) {
            timers.registerEventTimeTimer(at);
        }
        held.put(Tuple2.of(at, place), change);
        counts.put(at, place + 1);
        return true;
    }

    /** The changes of the moment {@code time}, in order, and forgets them. */
    public List<T> release(long time) throws Exception {
        Integer count = counts.get(time);
        if (count == null) {
            return List.of();
        }
        counts.remove(time);
        List<T> moment = new ArrayList<>(count);
        for (int place = 0; place < count; place++) {
            Tuple2<Long, Integer> key = Tuple2.of(time, place);
            moment.add(held.get(key));
            held.remove(key);
        }
        moment.sort(order); // stable: one borrower's changes of one moment stay in the order its task sent them
        return moment;
    }
}
