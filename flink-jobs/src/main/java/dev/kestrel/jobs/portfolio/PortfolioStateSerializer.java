package dev.kestrel.jobs.portfolio;

import dev.kestrel.jobs.risk.Episode;
import dev.kestrel.jobs.risk.StateSerializer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/** Writes a {@link PortfolioState}, format version first, so later layouts can still read it from a savepoint. */
public final class PortfolioStateSerializer extends StateSerializer<PortfolioState> {
    /** 2 adds to each open episode when it was last checked and its unknown indicators (StateSerializer). */
    static final int FORMAT = 2;

    @Override
    public void serialize(PortfolioState s, DataOutputView out) throws IOException {
        out.writeByte(FORMAT);
        out.writeLong(s.clock);
        out.writeLong(s.totalMinor);
        out.writeInt(s.borrowers);
        out.writeInt(s.segments.size());
        for (Map.Entry<String, Long> segment : s.segments.entrySet()) {
            out.writeUTF(segment.getKey());
            out.writeLong(segment.getValue());
        }
        out.writeInt(s.episodes.size());
        for (Map.Entry<String, List<Episode>> segment : s.episodes.entrySet()) {
            out.writeUTF(segment.getKey());
            out.writeInt(segment.getValue().size());
            for (Episode e : segment.getValue()) {
                writeEpisode(out, e);
            }
        }
        out.writeBoolean(s.lastEvent != null);
        if (s.lastEvent != null) {
            writeEventRef(out, s.lastEvent);
        }
    }

    @Override
    public PortfolioState deserialize(DataInputView in) throws IOException {
        int format = in.readUnsignedByte();
        if (format < 1 || format > FORMAT) {
            throw new IOException("portfolio state format " + format + " is newer than this engine reads (" + FORMAT + ")");
        }
        PortfolioState s = new PortfolioState();
        s.clock = in.readLong();
        s.totalMinor = in.readLong();
        s.borrowers = in.readInt();
        for (int i = in.readInt(); i > 0; i--) {
            s.segments.put(in.readUTF(), in.readLong());
        }
        for (int i = in.readInt(); i > 0; i--) {
            String segment = in.readUTF();
            List<Episode> open = new ArrayList<>();
            for (int j = in.readInt(); j > 0; j--) {
                open.add(readEpisode(in, format >= 2));
            }
            s.episodes.put(segment, open);
        }
        if (in.readBoolean()) {
            s.lastEvent = readEventRef(in);
        }
        return s;
    }

    @Override
    public PortfolioState createInstance() {
        return new PortfolioState();
    }

    @Override
    public TypeSerializerSnapshot<PortfolioState> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Restores the serializer from a checkpoint; the per-value format byte carries the layout version. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<PortfolioState> {
        public Snapshot() {
            super(PortfolioStateSerializer::new);
        }
    }
}
