package dev.kestrel.jobs.risk;

import dev.kestrel.contract.Indicator;
import dev.kestrel.events.Severity;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.core.memory.DataOutputView;

/**
 * The part every hand-written state serializer of the engine shares: copies go through the bytes, the serializer
 * holds nothing, and values have variable length. Subclasses write a format version first in every value, so a
 * later layout can read an older one and savepoints survive upgrades.
 */
public abstract class StateSerializer<T> extends TypeSerializer<T> {


    /**
     * An open episode, for the group and portfolio states (the borrower state packs its own more tightly): since their
     * format 2 with when it was last checked and its unknown indicators (by name: the enum's order may change).
     */
    protected static void writeEpisode(DataOutputView out, Episode e) throws IOException {
        out.writeUTF(e.ruleId);
        out.writeUTF(e.alertId);
        out.writeByte(e.packedSeverity());
        out.writeInt(e.ruleVersion);
        out.writeLong(e.startedAt);
        out.writeLong(e.checkedAt);
        out.writeInt(e.unknown().size());
        for (Episode.UnknownSince u : e.unknown()) {
            out.writeUTF(u.indicator().indicatorName());
            out.writeLong(u.lastKnownAt());
        }
    }

    /** @param checked whether the value's format has what {@link #writeEpisode} adds to an episode since format 2 */
    protected static Episode readEpisode(DataInputView in, boolean checked) throws IOException {
        String ruleId = in.readUTF();
        String alertId = in.readUTF();
        int packed = in.readUnsignedByte();
        Episode episode = new Episode(ruleId, alertId, Severity.LOW, in.readInt(), in.readLong()).unpackSeverity(packed);
        if (checked) {
            episode.checkedAt = in.readLong();
            for (int i = in.readInt(); i > 0; i--) {
                Indicator indicator = Indicator.named(in.readUTF());
                long lastKnownAt = in.readLong();
                if (indicator != null) {
                    episode.unknownSince(indicator, lastKnownAt);
                }
            }
        }
        return episode;
    }

    /** A recent event, for the group and portfolio states. */
    protected static void writeEventRef(DataOutputView out, EventRef ref) throws IOException {
        out.writeUTF(ref.eventId());
        out.writeUTF(ref.eventType());
        out.writeLong(ref.eventTime());
    }

    protected static EventRef readEventRef(DataInputView in) throws IOException {
        return new EventRef(in.readUTF(), in.readUTF(), in.readLong());
    }

    protected static void writeString(DataOutputView out, String value) throws IOException {
        out.writeBoolean(value != null);
        if (value != null) {
            out.writeUTF(value);
        }
    }

    protected static String readString(DataInputView in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }

    /** The serialised size of a value, for benchmarks and tests. */
    public int sizeOf(T value) {
        return bytes(value).length();
    }

    private DataOutputSerializer bytes(T value) {
        DataOutputSerializer out = new DataOutputSerializer(512);
        try {
            serialize(value, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    @Override
    public T copy(T from) {
        DataOutputSerializer out = bytes(from);
        try {
            return deserialize(new DataInputDeserializer(out.getSharedBuffer(), 0, out.length()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public T copy(T from, T reuse) {
        return copy(from);
    }

    @Override
    public T deserialize(T reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        serialize(deserialize(in), out);
    }

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public TypeSerializer<T> duplicate() {
        return this; // stateless
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public boolean equals(Object obj) {
        return obj != null && obj.getClass() == getClass();
    }

    @Override
    public int hashCode() {
        return getClass().hashCode();
    }
}
