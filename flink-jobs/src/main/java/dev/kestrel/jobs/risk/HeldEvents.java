package dev.kestrel.jobs.risk;

import dev.kestrel.jobs.ingest.BorrowerEvent;
import dev.kestrel.jobs.ingest.BorrowerEventTypeInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.TimerService;

/**
 * The live events of a borrower the engine has no profile for yet, held in the borrower's keyed state until its
 * profile comes or the wait ends, and the event-time timer that ends it. Kept apart from {@link BorrowerState}: a
 * hold exists only while a borrower has no profile, so a known borrower's events never read it.
 */
public final class HeldEvents {
    /** The most events held for one borrower: a mistyped borrower id on a busy feed must not grow state without bound. */
    public static final int MAX_PER_BORROWER = 1_000;

    /**
     * One borrower's wait: since when (the event time of its first held event), until when (since plus the wait, the
     * time of its timer) and how many events are held. A Flink POJO, so it sits in state without Kryo.
     */
    public static final class Hold {
        public long since;
        public long until;
        public int events;

        public Hold() {}
    }

    private final ListState<BorrowerEvent> events;
    private final ValueState<Hold> hold;
    private final long waitMillis;

    HeldEvents(RuntimeContext context, Duration wait) {
        events = context.getListState(new ListStateDescriptor<>("held-for-profile", new BorrowerEventTypeInfo()));
        hold = context.getState(new ValueStateDescriptor<>("held-for-profile-since", TypeInformation.of(Hold.class)));
        waitMillis = wait.toMillis();
    }

    /** The borrower's wait, or null when none of its events is held. */
    Hold current() throws Exception {
        return hold.value();
    }

    /** Holds the event; the first one opens the wait ({@code current} null) and sets its timer. */
    void add(BorrowerEvent event, Hold current, TimerService timers) throws Exception {
        Hold wait = current;
        if (wait == null) {
            wait = new Hold();
            wait.since = event.eventTimeMillis;
            wait.until = event.eventTimeMillis > Long.MAX_VALUE - waitMillis ? Long.MAX_VALUE : event.eventTimeMillis + waitMillis;
            timers.registerEventTimeTimer(wait.until);
        }
        wait.events++;
        hold.update(wait);
        events.add(event);
    }

    /** The held events in the order they happened: by event time, and in the order they came within one time. */
    List<BorrowerEvent> inOrder() throws Exception {
        List<BorrowerEvent> held = new ArrayList<>();
        Iterable<BorrowerEvent> stored = events.get();
        if (stored != null) {
            stored.forEach(held::add);
        }
        held.sort(Comparator.comparingLong(event -> event.eventTimeMillis)); // a stable sort: arrival order stays within a time
        return held;
    }

    /**
     * Ends the wait and forgets its events. Its timer is deleted unless {@code keepTimer}: it fired already, or the
     * borrower's day timer falls on the same instant (Flink keeps one timer per key and time, and it serves both).
     */
    void clear(Hold current, TimerService timers, boolean keepTimer) {
        if (!keepTimer) {
            timers.deleteEventTimeTimer(current.until);
        }
        events.clear();
        hold.clear();
    }
}
