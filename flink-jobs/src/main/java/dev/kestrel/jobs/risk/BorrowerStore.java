package dev.kestrel.jobs.risk;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;

/**
 * Where the borrower stage keeps each borrower: its core (clock, profile, episodes, the last indicators, and the cash
 * flow, which most events touch) in one keyed value, read once per call of the operator and written with each event,
 * and each other {@link Part} in a keyed value of its own, read on first use and written only when it changed. A borrower saved by an engine before the split (one value,
 * format 10 and before) is read from that value and moved into the split layout when it is next stored.
 *
 * <p>A borrower with no event for {@code state.ttl} is forgotten: its core expires. Its parts live twice as long, and
 * every part is written again at least every half {@code state.ttl} while the borrower has events, so that no part of a
 * live borrower expires before its core; a borrower's core that expired leaves its parts unread (the new core holds
 * none), until they expire in turn.
 */
final class BorrowerStore {
    private static final long MILLIS_PER_DAY = 86_400_000L;

    private final ValueState<BorrowerState> core;
    private final ValueState<BorrowerState> singleValue;
    @SuppressWarnings("unchecked")
    private final ValueState<KeptPart>[] parts = new ValueState[Part.ALL.length];
    private final long rewriteEveryDays;
    private final BorrowerState.PartReader reader = this::read;
    /** The borrower of the current call, as read or as last stored in it; valid only while {@link #read} is true. */
    private BorrowerState current;
    private boolean read;

    BorrowerStore(RuntimeContext context, Duration ttl) {
        core = context.getState(withTtl(new ValueStateDescriptor<>("borrower-core", new BorrowerCoreSerializer()), ttl));
        // The single value of format 10 and before, under its name, serializer and time to live as they were.
        singleValue = context.getState(withTtl(new ValueStateDescriptor<>("borrower", new BorrowerStateSerializer()), ttl));
        for (Part part : Part.ALL) {
            if (part.inCore) {
                continue; // written with the core
            }
            parts[part.ordinal()] = context.getState(withTtl(new ValueStateDescriptor<>("borrower-" + part.name().toLowerCase(java.util.Locale.ROOT),
                    new PartSerializer(part)), ttl.multipliedBy(2)));
        }
        rewriteEveryDays = Math.max(1, ttl.toDays() / 2);
    }

    private static <T> ValueStateDescriptor<T> withTtl(ValueStateDescriptor<T> descriptor, Duration ttl) {
        descriptor.enableTimeToLive(StateTtlConfig.newBuilder(ttl)
                .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
                .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
                .cleanupInRocksdbCompactFilter(1000)
                .build());
        return descriptor;
    }

    /**
     * The current key's borrower, or null for one never seen (or forgotten): read once per call of the operator, so
     * that the events a timer releases share one read. Call {@link #forget} when the call begins.
     */
    BorrowerState current() throws IOException {
        if (!read) {
            BorrowerState state = core.value();
            if (state == null) {
                state = singleValue.value(); // saved before the split: every part is in it, and in memory
            }
            if (state != null) {
                state.readPartsWith(reader);
            }
            current = state;
            read = true;
        }
        return current;
    }

    /** Drops what was read, so that the next {@link #current} reads the borrower as last stored. */
    void forget() {
        current = null;
        read = false;
    }

    /**
     * Stores the borrower: its core, and each part that changed (every part, once every half time to live, so that
     * none expires while the borrower lives).
     *
     * @param processingTime the wall-clock time, which state expiry counts in
     */
    void store(BorrowerState state, long processingTime) throws IOException {
        int today = (int) Math.floorDiv(processingTime, MILLIS_PER_DAY);
        if (state.partsRewrittenDay == Days.NONE || today - state.partsRewrittenDay > rewriteEveryDays) {
            state.changed |= state.stored;
            state.partsRewrittenDay = today;
        }
        for (Part part : Part.ALL) {
            if ((state.changed & part.bit) != 0 && !part.inCore) {
                parts[part.ordinal()].update(new KeptPart(state.clock, state.partForWriting(part)));
                state.stored |= part.bit;
            }
        }
        state.changed = 0;
        core.update(state);
        if (state.fromSingleValue) {
            singleValue.clear();
            state.fromSingleValue = false;
        }
        current = state;
        read = true;
    }

    private Object read(Part part) {
        try {
            KeptPart kept = parts[part.ordinal()].value();
            return kept == null ? null : kept.value();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
