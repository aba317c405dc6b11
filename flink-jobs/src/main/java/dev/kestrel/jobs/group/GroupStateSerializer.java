package dev.kestrel.jobs.group;

import dev.kestrel.events.WatchGrade;
import dev.kestrel.jobs.risk.Episode;
import dev.kestrel.jobs.risk.EventRef;
import dev.kestrel.jobs.risk.StateSerializer;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Writes a {@link GroupState}. Every value starts with a format version, so a later layout can still read state
 * written by this one and savepoints survive upgrades; {@link #FORMAT} is the version written now.
 */
public final class GroupStateSerializer extends StateSerializer<GroupState> {
    /**
     * 2 adds to each open episode when it was last checked and its unknown indicators (StateSerializer); 3 adds the
     * group's watch-list grade (GroupGrade), which a group read from 2 gets at its next change.
     */
    static final int FORMAT = 3;
    private static final WatchGrade[] GRADES = WatchGrade.values();

    @Override
    public void serialize(GroupState s, DataOutputView out) throws IOException {
        out.writeByte(FORMAT);
        writeString(out, s.groupName);
        writeString(out, s.currency);
        out.writeBoolean(s.hasLimit);
        out.writeLong(s.limitMinor);
        out.writeLong(s.limitAt);
        out.writeLong(s.clock);
        out.writeInt(s.members);
        out.writeLong(s.drawnMinor);
        out.writeInt(s.distressed);
        out.writeInt(s.nonPerforming);
        out.writeInt(s.critical);
        for (int count : s.categories) {
            out.writeInt(count);
        }
        out.writeInt(s.episodes.size());
        for (Episode e : s.episodes) {
            writeEpisode(out, e);
        }
        out.writeInt(s.memberEpisodes.size());
        for (GroupState.MemberEpisode m : s.memberEpisodes) {
            out.writeUTF(m.borrowerId());
            writeEpisode(out, m.episode());
        }
        out.writeInt(s.recentEvents.size());
        for (EventRef ref : s.recentEvents) {
            writeEventRef(out, ref);
        }
        out.writeLong(s.snapshotAt);
        out.writeLong(s.snapshotKey);
        out.writeByte(s.watchGrade == null ? 0 : s.watchGrade.ordinal() + 1);
        writeString(out, s.watchGradeMember);
        out.writeBoolean(s.weightedScore != null);
        if (s.weightedScore != null) {
            out.writeInt(s.weightedScore);
        }
        out.writeInt(s.scoredMembers);
        out.writeInt(s.unscoredMaterialMembers);
        out.writeLong(s.gradesDigest);
        out.writeLong(s.scoresDigest);
    }

    @Override
    public GroupState deserialize(DataInputView in) throws IOException {
        int format = in.readUnsignedByte();
        if (format < 1 || format > FORMAT) {
            throw new IOException("group state format " + format + " is newer than this engine reads (" + FORMAT + ")");
        }
        GroupState s = new GroupState();
        s.groupName = readString(in);
        s.currency = readString(in);
        s.hasLimit = in.readBoolean();
        s.limitMinor = in.readLong();
        s.limitAt = in.readLong();
        s.clock = in.readLong();
        s.members = in.readInt();
        s.drawnMinor = in.readLong();
        s.distressed = in.readInt();
        s.nonPerforming = in.readInt();
        s.critical = in.readInt();
        for (int i = 0; i < s.categories.length; i++) {
            s.categories[i] = in.readInt();
        }
        for (int i = in.readInt(); i > 0; i--) {
            s.episodes.add(readEpisode(in, format >= 2));
        }
        for (int i = in.readInt(); i > 0; i--) {
            s.memberEpisodes.add(new GroupState.MemberEpisode(in.readUTF(), readEpisode(in, format >= 2)));
        }
        for (int i = in.readInt(); i > 0; i--) {
            s.recentEvents.add(readEventRef(in));
        }
        s.snapshotAt = in.readLong();
        s.snapshotKey = in.readLong();
        if (format >= 3) {
            int grade = in.readUnsignedByte();
            s.watchGrade = grade == 0 ? null : GRADES[grade - 1];
            s.watchGradeMember = readString(in);
            s.weightedScore = in.readBoolean() ? in.readInt() : null;
            s.scoredMembers = in.readInt();
            s.unscoredMaterialMembers = in.readInt();
            s.gradesDigest = in.readLong();
            s.scoresDigest = in.readLong();
        }
        return s;
    }

    @Override
    public GroupState createInstance() {
        return new GroupState();
    }

    @Override
    public TypeSerializerSnapshot<GroupState> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Restores the serializer from a checkpoint; the per-value format byte carries the layout version. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<GroupState> {
        public Snapshot() {
            super(GroupStateSerializer::new);
        }
    }
}
