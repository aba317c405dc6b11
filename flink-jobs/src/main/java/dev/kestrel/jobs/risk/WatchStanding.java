package dev.kestrel.jobs.risk;

import dev.kestrel.events.RiskSegment;
import dev.kestrel.events.Severity;
import dev.kestrel.events.WatchGrade;
import java.io.IOException;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * A borrower's place on the watch list, kept in its core: the score and grade its last scoring gave, since when it
 * holds the grade, the day a better grade may apply, and its open watch-list alert. What each factor scored is not
 * kept: it follows from the indicators and open alerts, which the core keeps anyway.
 */
final class WatchStanding {
    private static final WatchGrade[] GRADES = WatchGrade.values();
    private static final Severity[] SEVERITIES = Severity.values();
    private static final RiskSegment[] SEGMENTS = RiskSegment.values();

    /** The scorecard (id and version, {@link BorrowerScoring#key}) that last scored the borrower; 0 before any. */
    int scorecardKey;
    int score;
    WatchGrade grade = WatchGrade.GREEN;
    /** The monitoring segment the last scoring put the borrower in; the snapshots show it. */
    RiskSegment segment;
    /** Event time the borrower entered its grade; Long.MIN_VALUE before its first scoring. */
    long gradeSince = Long.MIN_VALUE;
    /** While its score is below its grade's exit but it has not stayed the minimum time: the day it may improve. */
    int reviewDay = Days.NONE;
    /** The open watch-list alert (AMBER or worse), or null. */
    String alertId;
    long alertStartedAt;
    Severity alertSeverity;

    boolean scored() {
        return scorecardKey != 0;
    }

    /** Appended to the core from format 12; four bytes for a borrower never scored. */
    void write(DataOutputView out, long clock) throws IOException {
        out.writeInt(scorecardKey);
        if (!scored()) {
            return;
        }
        StateIO.writeInt(out, score);
        out.writeByte(grade.ordinal() | segment.ordinal() << 4);
        StateIO.writeTime(out, gradeSince, clock);
        StateIO.writeInt(out, reviewDay == Days.NONE ? -1 : reviewDay - Days.of(clock)); // a day ahead of the clock, or none
        out.writeBoolean(alertId != null);
        if (alertId != null) {
            StateIO.writeText(out, alertId);
            StateIO.writeTime(out, alertStartedAt, clock);
            out.writeByte(alertSeverity.ordinal());
        }
    }

    void read(DataInputView in, int format, long clock) throws IOException {
        scorecardKey = in.readInt();
        if (!scored()) {
            return;
        }
        score = StateIO.readInt(in);
        int packed = in.readUnsignedByte();
        grade = GRADES[packed & 15];
        segment = SEGMENTS[packed >>> 4];
        gradeSince = StateIO.readTime(in, format, clock);
        int ahead = StateIO.readInt(in);
        reviewDay = ahead < 0 ? Days.NONE : Days.of(clock) + ahead;
        if (in.readBoolean()) {
            alertId = StateIO.readText(in, format);
            alertStartedAt = StateIO.readTime(in, format, clock);
            alertSeverity = SEVERITIES[in.readUnsignedByte()];
        }
    }
}
