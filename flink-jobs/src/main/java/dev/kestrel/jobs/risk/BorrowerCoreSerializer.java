package dev.kestrel.jobs.risk;

import dev.kestrel.jobs.indicator.IndicatorValues;
import dev.kestrel.events.CustomerSegment;
import java.io.IOException;
import java.util.List;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Writes what every event of a borrower reads and writes ({@link BorrowerState} without the {@link Part}s kept apart):
 * its clock and profile, open episodes, latest events and applied ids, the events waiting for their day, the indicators
 * of its last evaluation with until when each part's hold, and the parts kept in the core (the cash flow). Format 11 continues the numbering of the single value
 * ({@link BorrowerStateSerializer}), whose format 10 it split; format 12 adds the watch-list standing ({@link WatchStanding}), format 13 the reviews part's days, format 14 the project part's; each value starts with it, so a later layout can read it.
 */
public final class BorrowerCoreSerializer extends StateSerializer<BorrowerState> {
    static final int FORMAT = 14;
    /** Format 11 has no watch-list standing: a borrower read from it is scored afresh at its next evaluation. */
    static final int BEFORE_WATCH_LIST = 11;
    /**
     * Format 12 has no reviews: a borrower read from it has its reviews part computed at its next evaluation, which
     * starts its review schedule that day ({@link BorrowerState#indicators}).
     */
    static final int BEFORE_REVIEWS = 12;
    /** The parts before reviews, whose days each format up to 12 holds. */
    private static final int PARTS_BEFORE_REVIEWS = Part.REVIEWS.ordinal();
    /** Format 13 has no project part: nothing to compute, as no borrower had one. */
    static final int BEFORE_PROJECT = 13;
    private static final int PARTS_BEFORE_PROJECT = Part.PROJECT.ordinal();
    private static final CustomerSegment[] SEGMENTS = CustomerSegment.values();

    @Override
    public void serialize(BorrowerState s, DataOutputView out) throws IOException {
        out.writeByte(FORMAT);
        long clock = s.clock;
        StateIO.writeLong(out, clock);
        int base = clock == Long.MIN_VALUE ? 0 : Days.of(clock);
        StateIO.writeString(out, s.groupId);
        StateIO.writeString(out, s.internalRating);
        StateIO.writeString(out, s.currency);
        StateIO.writeString(out, s.industry);
        StateIO.writeString(out, s.region);
        out.writeByte(s.segment == null ? 0 : s.segment.ordinal() + 1);
        out.writeBoolean(s.profiled);
        BorrowerStateSerializer.writeEpisodes(out, s);
        BorrowerStateSerializer.writeRecentEvents(out, s);
        StateIO.writeDay(out, s.timerDay, base);
        StateIO.writeTime(out, s.snapshotAt, clock);
        out.writeLong(s.snapshotKey);
        StateIO.writeString(out, s.memberGroupId);
        out.writeLong(s.memberKey);
        StateIO.writeInt(out, s.appliedCount);
        for (int i = 0; i < s.appliedCount; i++) {
            out.writeLong(s.appliedEventIds[i]);
        }
        StateIO.writeInt(out, s.waiting.size());
        for (BorrowerState.WaitingStream w : s.waiting) {
            StateIO.writeText(out, w.stream);
            StateIO.writeInt(out, w.day);
        }
        writeTexts(out, s.lineCurrencies);
        writeTexts(out, s.instalmentCurrencies);
        out.writeBoolean(s.snapshotOwed);
        out.writeByte(s.stored);
        out.writeByte(s.stale);
        StateIO.writeInt(out, s.partsRewrittenDay);
        StateIO.writeLong(out, s.unevaluated);
        out.writeLong(s.rulesEvaluated);
        writeKept(out, s, base);
        for (Part part : Part.ALL) { // the parts kept in the core, last, each after a byte saying whether it is there
            if (part.inCore) {
                boolean there = s.isLoaded(part);
                out.writeBoolean(there);
                if (there) {
                    PartSerializer.write(part, s.partForWriting(part), clock, out);
                }
            }
        }
        s.watch.write(out, clock);
        StateIO.writeDay(out, s.lastReviewDay, base);
        StateIO.writeDay(out, s.reviewDueDay, base);
    }

    /** The indicators of the last evaluation, and what the parts' next computation needs to know of it. */
    private static void writeKept(DataOutputView out, BorrowerState s, int base) throws IOException {
        StateIO.writeDay(out, s.evaluatedDay, base);
        if (s.evaluatedDay == Days.NONE) {
            return; // never evaluated: the first evaluation computes every part
        }
        for (int holds : s.holdsUntil) {
            StateIO.writeDay(out, holds, base);
        }
        out.writeByte(s.converts);
        out.writeByte((s.meansKnown ? 1 : 0) | (s.cashMoves ? 2 : 0) | (s.instalmentDueSoon ? 4 : 0));
        StateIO.writeLong(out, s.means);
        StateIO.writeLong(out, s.drawnTotal);
        StateIO.writeLong(out, s.limitTotal);
        IndicatorValues kept = s.kept;
        long present = kept.presentMask();
        long known = present | kept.inapplicableMask();
        long asOfEvaluation = 0;
        for (long rest = known; rest != 0; rest &= rest - 1) {
            int i = Long.numberOfTrailingZeros(rest);
            if (kept.observedAtOf(i) == IndicatorValues.AS_OF_EVALUATION) {
                asOfEvaluation |= 1L << i;
            }
        }
        StateIO.writeLong(out, present);
        StateIO.writeLong(out, kept.inapplicableMask());
        StateIO.writeLong(out, asOfEvaluation);
        for (long rest = known; rest != 0; rest &= rest - 1) {
            int i = Long.numberOfTrailingZeros(rest);
            long bit = 1L << i;
            if ((present & bit) != 0) {
                StateIO.writeLong(out, kept.valueAt(i));
            }
            if ((asOfEvaluation & bit) == 0) {
                StateIO.writeTime(out, kept.observedAtOf(i), s.clock);
            }
        }
    }

    @Override
    public BorrowerState deserialize(DataInputView in) throws IOException {
        int format = in.readUnsignedByte();
        if (format < BEFORE_WATCH_LIST || format > FORMAT) {
            throw new IOException("borrower core state format " + format + " is not one this engine reads ("
                    + BEFORE_WATCH_LIST + " to " + FORMAT + ")");
        }
        BorrowerState s = new BorrowerState();
        long clock = StateIO.readLong(in);
        s.clock = clock;
        int base = clock == Long.MIN_VALUE ? 0 : Days.of(clock);
        s.groupId = StateIO.readString(in, format);
        s.internalRating = StateIO.readString(in, format);
        s.currency = StateIO.readString(in, format);
        s.industry = StateIO.readString(in, format);
        s.region = StateIO.readString(in, format);
        int segment = in.readUnsignedByte();
        s.segment = segment == 0 ? null : SEGMENTS[segment - 1];
        s.profiled = in.readBoolean();
        BorrowerStateSerializer.readEpisodes(in, format, s);
        BorrowerStateSerializer.readRecentEvents(in, format, s);
        s.timerDay = StateIO.readDay(in, base);
        s.snapshotAt = StateIO.readTime(in, format, clock);
        s.snapshotKey = in.readLong();
        s.memberGroupId = StateIO.readString(in, format);
        s.memberKey = in.readLong();
        s.appliedCount = StateIO.readInt(in);
        for (int i = 0; i < s.appliedCount; i++) {
            s.appliedEventIds[i] = in.readLong();
        }
        for (int i = StateIO.readInt(in); i > 0; i--) {
            s.waiting.add(new BorrowerState.WaitingStream(StateIO.readText(in, format), StateIO.readInt(in)));
        }
        readTexts(in, format, s.lineCurrencies);
        readTexts(in, format, s.instalmentCurrencies);
        s.snapshotOwed = in.readBoolean();
        s.stored = in.readUnsignedByte();
        s.stale = in.readUnsignedByte();
        s.partsRewrittenDay = StateIO.readInt(in);
        s.unevaluated = StateIO.readLong(in);
        s.rulesEvaluated = in.readLong();
        readKept(in, s, base, format);
        for (Part part : Part.ALL) {
            if (part.inCore && in.readBoolean()) {
                // The core holds only the cash flow, whose encoding every part format shares.
                s.setPart(part, PartSerializer.read(part, in, clock, PartSerializer.FORMAT));
            }
        }
        if (format > BEFORE_WATCH_LIST) {
            s.watch.read(in, format, clock);
        }
        if (format > BEFORE_REVIEWS) {
            s.lastReviewDay = StateIO.readDay(in, base);
            s.reviewDueDay = StateIO.readDay(in, base);
        } else {
            s.stale |= Part.REVIEWS.bit;
        }
        return s;
    }

    private static void readKept(DataInputView in, BorrowerState s, int base, int format) throws IOException {
        s.evaluatedDay = StateIO.readDay(in, base);
        if (s.evaluatedDay == Days.NONE) {
            return;
        }
        int parts = format > BEFORE_PROJECT ? s.holdsUntil.length : format > BEFORE_REVIEWS ? PARTS_BEFORE_PROJECT : PARTS_BEFORE_REVIEWS;
        for (int i = 0; i < parts; i++) {
            s.holdsUntil[i] = StateIO.readDay(in, base);
        }
        s.converts = in.readUnsignedByte();
        int flags = in.readUnsignedByte();
        s.meansKnown = (flags & 1) != 0;
        s.cashMoves = (flags & 2) != 0;
        s.instalmentDueSoon = (flags & 4) != 0;
        s.means = StateIO.readLong(in);
        s.drawnTotal = StateIO.readLong(in);
        s.limitTotal = StateIO.readLong(in);
        long present = StateIO.readLong(in);
        long inapplicable = StateIO.readLong(in);
        long asOfEvaluation = StateIO.readLong(in);
        long known = present | inapplicable;
        for (long rest = known; rest != 0; rest &= rest - 1) {
            int i = Long.numberOfTrailingZeros(rest);
            long bit = 1L << i;
            long value = (present & bit) != 0 ? StateIO.readLong(in) : 0;
            long observedAt = (asOfEvaluation & bit) != 0 ? IndicatorValues.AS_OF_EVALUATION : StateIO.readTime(in, FORMAT, s.clock);
            s.kept.restore(i, (present & bit) != 0, value, observedAt);
        }
    }

    private static void writeTexts(DataOutputView out, List<String> texts) throws IOException {
        StateIO.writeInt(out, texts.size());
        for (String text : texts) {
            StateIO.writeText(out, text);
        }
    }

    private static void readTexts(DataInputView in, int format, List<String> into) throws IOException {
        for (int i = StateIO.readInt(in); i > 0; i--) {
            into.add(StateIO.readText(in, format));
        }
    }

    /**
     * For the state-size benchmark: the bytes of the borrower's core, then of each {@link Part} in order (0 for a part
     * it never wrote), as the split layout keeps them.
     */
    public static int[] bytesByPart(BorrowerState state) {
        int[] bytes = new int[1 + Part.ALL.length];
        bytes[0] = new BorrowerCoreSerializer().sizeOf(state);
        for (Part part : Part.ALL) {
            boolean kept = state.isLoaded(part) || (state.stored & part.bit) != 0;
            bytes[1 + part.ordinal()] = kept ? new PartSerializer(part).sizeOf(new KeptPart(state.clock, state.partForWriting(part))) : 0;
            if (part.inCore) {
                bytes[0] -= bytes[1 + part.ordinal()]; // counted as the part, not twice
            }
        }
        return bytes;
    }

    @Override
    public BorrowerState createInstance() {
        return new BorrowerState();
    }

    @Override
    public TypeSerializerSnapshot<BorrowerState> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Restores the serializer from a checkpoint; the per-value format byte carries the layout version. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<BorrowerState> {
        public Snapshot() {
            super(BorrowerCoreSerializer::new);
        }
    }
}
