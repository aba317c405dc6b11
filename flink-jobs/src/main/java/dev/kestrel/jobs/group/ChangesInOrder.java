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
 * Holds a stage's member changes until event time passes them, then hands them over in one order: by record time,
 * then by {@code order} (event time, then subject), then as they came from one borrower. Changes of different members
 * come from different borrower tasks, and which arrives first depends on timing; applied as they arrive, a group
 * might see a limit at 91% for a moment in one run and not in the next. Released in this order, the same members'
 * changes give the same alerts whatever the parallelism or timing. A change that event time had already passed
 * when it came (a late one) is not held: every change still held is later than it, and those already released cannot
 * be taken back, so it is applied at once.
 */
public final class ChangesInOrder<T> {
    private final MapState<Long, List<T>> pending;
    private final ToLongFunction<T> eventTime;
    private final Comparator<T> order;

    /**
     * @param name the keyed state's name, unique in its operator
     * @param order how changes of one record time are ordered; it must order them by {@code eventTime} first
     */
    public ChangesInOrder(RuntimeContext context, String name, TypeInformation<T> type, ToLongFunction<T> eventTime,
            Comparator<T> order) {
        this.pending = context.getMapState(new MapStateDescriptor<>(name, Types.LONG, Types.LIST(type)));
        this.eventTime = eventTime;
        this.order = order;
    }

    /**
     * Keeps a change until event time reaches its record's time. {@code timestamp} is the record's; {@code null} (a
     * record without one) counts as {@code eventTime}.
     *
     * @return false if event time has already passed it: the caller applies it now
     */
    public boolean hold(T change, Long timestamp, long eventTime, TimerService timers) throws Exception {
        long at = timestamp != null ? timestamp : eventTime;
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

    /**
     * The changes held for {@code time}, in order, split into moments (changes of one event time), and forgets them.
     * A stage applies a moment's changes together and judges the subject once after them.
     */
    public List<List<T>> release(long time) throws Exception {
        List<T> held = pending.get(time);
        if (held == null) {
            return List.of();
        }
        pending.remove(time);
        List<T> sorted = new ArrayList<>(held);
        sorted.sort(order); // stable: one borrower's changes at one time stay in the order its task sent them
        List<List<T>> moments = new ArrayList<>();
        int from = 0;
        for (int i = 1; i <= sorted.size(); i++) {
            if (i == sorted.size() || eventTime.applyAsLong(sorted.get(i)) != eventTime.applyAsLong(sorted.get(from))) {
                moments.add(sorted.subList(from, i));
                from = i;
            }
        }
        return moments;
    }
}
