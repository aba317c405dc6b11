package dev.kestrel.jobs.risk;

import dev.kestrel.contract.Indicator;
import dev.kestrel.events.CustomerSegment;
import dev.kestrel.events.Severity;
import java.io.IOException;
import java.util.UUID;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * The borrower state as one value, the layout of formats 1 to 10: still read, so that savepoints of an engine before
 * the split restore ({@link BorrowerStore} moves each borrower into the split layout when it is next stored), and still
 * written, for the state-size benchmark's comparison and for tests of the older formats.
 *
 * <p>Writes a {@link BorrowerState} compactly: varints, days relative to the borrower's clock, empty parts in a byte.
 * Every value starts with a format version, so a new layout can still read state written by an older one and
 * savepoints survive upgrades; {@link #FORMAT} is the version written now.
 */
public final class BorrowerStateSerializer extends StateSerializer<BorrowerState> {
    /**
     * 2 added industry, region and the group membership last announced to the group stage; 3 writes text as UTF-8
     * bytes, the cash-flow slots at a fixed width per array and event times back from the clock (StateIO); 4 added
     * the hashes of the last live event ids applied; 5 adds to each open episode when it was last checked and since
     * when the indicators it reads without data have had none, and to each facility whether it can be redrawn
     * (unknown in older state until the borrower's next profile); 6 keeps each statement's id, which of its
     * amounts are known, and its total equity; 7 keeps what alerts cite: each open instalment's currency and latest
     * event, the bureau's latest report of each kind, and the latest disbursement with the payments diverted from it;
     * 8 keeps what loan servicing systems report: which facilities' schedules the bank sends, the arrears reported for
     * the others, and the latest report of each scheduled facility with whether it agreed; and each facility's currency;
     * 9 keeps, for each input stream with events waiting for their day, the latest such day; 10 keeps each collateral
     * item's currency, so that its value converts into its facility's.
     */
    static final int FORMAT = 10;
    private static final CustomerSegment[] SEGMENTS = CustomerSegment.values();

    @Override
    public void serialize(BorrowerState s, DataOutputView out) throws IOException {
        out.writeByte(FORMAT);
        StateIO.writeLong(out, s.clock);
        int base = s.clock == Long.MIN_VALUE ? 0 : Days.of(s.clock);
        StateIO.writeString(out, s.groupId);
        StateIO.writeString(out, s.internalRating);
        StateIO.writeString(out, s.currency);
        out.writeByte(s.segment == null ? 0 : s.segment.ordinal() + 1);
        s.cash().write(out, s.clock);
        s.exposure().write(out, s.clock);
        s.repayments().write(out, base);
        s.financials().write(out, base, s.clock);
        s.bureau().write(out, base, s.clock);
        writeEpisodes(out, s);
        writeRecentEvents(out, s);
        StateIO.writeDay(out, s.timerDay, base);
        StateIO.writeTime(out, s.snapshotAt, s.clock);
        out.writeLong(s.snapshotKey);
        StateIO.writeString(out, s.industry);
        StateIO.writeString(out, s.region);
        StateIO.writeString(out, s.memberGroupId);
        out.writeLong(s.memberKey);
        StateIO.writeInt(out, s.appliedCount);
        for (int i = 0; i < s.appliedCount; i++) {
            out.writeLong(s.appliedEventIds[i]);
        }
        // Format 7: what alerts cite, last, so that the layout of every earlier format is a prefix of this one.
        s.repayments().writeCitations(out, s.clock);
        s.cash().writeCitations(out, s.clock);
        s.bureau().writeCitations(out, s.clock);
        s.repayments().writeServicing(out, s.clock); // format 8
        s.exposure().writeCurrencies(out);
        StateIO.writeInt(out, s.waiting.size()); // format 9
        for (BorrowerState.WaitingStream w : s.waiting) {
            StateIO.writeText(out, w.stream);
            StateIO.writeInt(out, w.day);
        }
        s.exposure().writePledgeCurrencies(out); // format 10
    }

    @Override
    public BorrowerState deserialize(DataInputView in) throws IOException {
        int format = in.readUnsignedByte();
        if (format < 1 || format > FORMAT) {
            throw new IOException("borrower state format " + format + " is newer than this engine reads (" + FORMAT + ")");
        }
        long clock = StateIO.readLong(in);
        int base = clock == Long.MIN_VALUE ? 0 : Days.of(clock);
        String groupId = StateIO.readString(in, format);
        String internalRating = StateIO.readString(in, format);
        String currency = StateIO.readString(in, format);
        int segment = in.readUnsignedByte();
        BorrowerState s = new BorrowerState();
        s.setPart(Part.CASH, CashFlow.read(in, format, clock));
        s.setPart(Part.EXPOSURE, Exposure.read(in, format, clock));
        s.setPart(Part.REPAYMENTS, Repayments.read(in, format, base));
        s.setPart(Part.FINANCIALS, Financials.read(in, format, base, clock));
        s.setPart(Part.BUREAU, Bureau.read(in, format, base, clock));
        s.clock = clock;
        s.groupId = groupId;
        s.internalRating = internalRating;
        s.currency = currency;
        s.segment = segment == 0 ? null : SEGMENTS[segment - 1];
        readEpisodes(in, format, s);
        readRecentEvents(in, format, s);
        s.timerDay = StateIO.readDay(in, base);
        s.snapshotAt = StateIO.readTime(in, format, clock);
        s.snapshotKey = in.readLong();
        if (format >= 2) {
            s.industry = StateIO.readString(in, format);
            s.region = StateIO.readString(in, format);
            s.memberGroupId = StateIO.readString(in, format);
            s.memberKey = in.readLong();
        }
        // Format 1 knew none of these: the next profile fills industry and region, and the first change announces the member.
        if (format >= 4) {
            s.appliedCount = StateIO.readInt(in);
            for (int i = 0; i < s.appliedCount; i++) {
                s.appliedEventIds[i] = in.readLong();
            }
        }
        // Before format 4 no ids were kept: a redelivery of an event applied before the upgrade is not recognised.
        if (format >= 7) {
            s.repayments().readCitations(in, format, clock);
            s.cash().readCitations(in, format, clock);
            s.bureau().readCitations(in, format, clock);
        }
        s.repayments().readServicing(in, format, clock);
        s.repayments().tellOpenOnce = true; // the single value told no instalment
        s.exposure().readCurrencies(in, format);
        if (format >= 9) {
            int streams = StateIO.readInt(in);
            for (int i = 0; i < streams; i++) {
                s.waiting.add(new BorrowerState.WaitingStream(StateIO.readText(in, format), StateIO.readInt(in)));
            }
        }
        // Before format 9 no stream's waiting day was kept: none waited, as events did not wait for their day.
        s.exposure().readPledgeCurrencies(in, format);
        // Before format 7 nothing was kept to cite: alerts cite the borrower's latest events until new ones come.
        // Read whole, every part is in memory and written to its own state when the borrower is next stored; the
        // indicators were not kept, so the first evaluation computes every part.
        s.profiled = s.exposure().profileAt != Long.MIN_VALUE;
        s.changed = Part.EVERY;
        s.noteCurrencies();
        s.fromSingleValue = true;
        return s;
    }

    /** The open episodes, shared with the split layout's core ({@link BorrowerCoreSerializer}). */
    static void writeEpisodes(DataOutputView out, BorrowerState s) throws IOException {
        StateIO.writeInt(out, s.episodes.size());
        for (Episode e : s.episodes) {
            StateIO.writeText(out, e.ruleId);
            writeAlertId(out, e.alertId);
            out.writeByte(e.packedSeverity());
            StateIO.writeInt(out, e.ruleVersion);
            StateIO.writeTime(out, e.startedAt, s.clock);
            StateIO.writeTime(out, e.checkedAt, s.clock);
            StateIO.writeInt(out, e.unknown().size());
            for (Episode.UnknownSince u : e.unknown()) {
                StateIO.writeText(out, u.indicator().indicatorName()); // by name: the enum's order may change
                StateIO.writeTime(out, u.lastKnownAt(), s.clock);
            }
        }
    }

    static void writeRecentEvents(DataOutputView out, BorrowerState s) throws IOException {
        StateIO.writeInt(out, s.recentEvents.size());
        for (EventRef ref : s.recentEvents) {
            StateIO.writeText(out, ref.eventId());
            writeEventType(out, ref.eventType());
            StateIO.writeTime(out, ref.eventTime(), s.clock);
        }
    }

    static void readEpisodes(DataInputView in, int format, BorrowerState s) throws IOException {
        long clock = s.clock;
        for (int i = StateIO.readInt(in); i > 0; i--) {
            String ruleId = StateIO.readText(in, format);
            String alertId = readAlertId(in, format);
            int packed = in.readUnsignedByte();
            Episode episode = new Episode(ruleId, alertId, Severity.LOW, StateIO.readInt(in), StateIO.readTime(in, format, clock))
                    .unpackSeverity(packed);
            if (format >= 5) {
                episode.checkedAt = StateIO.readTime(in, format, clock);
                for (int j = StateIO.readInt(in); j > 0; j--) {
                    Indicator indicator = Indicator.named(StateIO.readText(in, format));
                    long lastKnownAt = StateIO.readTime(in, format, clock);
                    if (indicator != null) { // an indicator a later engine no longer has is no longer read
                        episode.unknownSince(indicator, lastKnownAt);
                    }
                }
            }
            // Before format 5 episodes were not checked for unknown indicators: an indicator unknown at their first
            // check here reads "unknown (no data)", without a date.
            s.episodes.add(episode);
        }
    }

    /** The latest events, which alerts cite. */
    static void readRecentEvents(DataInputView in, int format, BorrowerState s) throws IOException {
        long clock = s.clock;
        for (int i = StateIO.readInt(in); i > 0; i--) {
            s.recentEvents.add(new EventRef(StateIO.readText(in, format), readEventType(in, format), StateIO.readTime(in, format, clock)));
        }
    }

    /** Alert ids are name-based UUIDs: 16 bytes instead of 36 characters, with room for any other text. */
    private static void writeAlertId(DataOutputView out, String alertId) throws IOException {
        try {
            UUID uuid = UUID.fromString(alertId);
            if (uuid.toString().equals(alertId)) {
                out.writeBoolean(true);
                out.writeLong(uuid.getMostSignificantBits());
                out.writeLong(uuid.getLeastSignificantBits());
                return;
            }
        } catch (IllegalArgumentException notAUuid) {
            // fall through to text
        }
        out.writeBoolean(false);
        StateIO.writeText(out, alertId);
    }

    private static String readAlertId(DataInputView in, int format) throws IOException {
        return in.readBoolean() ? new UUID(in.readLong(), in.readLong()).toString() : StateIO.readText(in, format);
    }

    /** The live record types as one byte each; any other name as text. */
    private static final String[] EVENT_TYPES = {"TransactionEvent", "RepaymentEvent", "CreditEvent"};

    private static void writeEventType(DataOutputView out, String type) throws IOException {
        for (int i = 0; i < EVENT_TYPES.length; i++) {
            if (EVENT_TYPES[i].equals(type)) {
                out.writeByte(i + 1);
                return;
            }
        }
        out.writeByte(0);
        StateIO.writeText(out, type);
    }

    private static String readEventType(DataInputView in, int format) throws IOException {
        int code = in.readUnsignedByte();
        return code == 0 ? StateIO.readText(in, format) : EVENT_TYPES[code - 1];
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
            super(BorrowerStateSerializer::new);
        }
    }
}
