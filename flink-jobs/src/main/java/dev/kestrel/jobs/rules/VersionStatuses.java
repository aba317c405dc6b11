package dev.kestrel.jobs.rules;

import dev.kestrel.events.RuleVersionStatus;
import dev.kestrel.events.VersionRunning;
import dev.kestrel.events.VersionSource;
import dev.kestrel.events.VersionStatus;
import dev.kestrel.events.VersionedKind;
import java.time.Instant;

/** The job's word on a rule or scorecard version ({@link RuleVersionStatus}), as the books decide it. */
public final class VersionStatuses {
    private VersionStatuses() {}

    /** The version a book runs, in force from {@code from} (event time; {@code Long.MIN_VALUE}: the pack's). */
    public static VersionRunning running(int version, long from) {
        return VersionRunning.newBuilder().setVersion(version).setSource(source(from)).setInForceFrom(instant(from)).build();
    }

    /** A version the book holds, in force from {@code from}; {@code running} is the version it runs now. */
    public static RuleVersionStatus inForce(VersionedKind kind, String id, int version, long from, VersionRunning running) {
        return RuleVersionStatus.newBuilder().setKind(kind).setId(id).setVersion(version).setStatus(VersionStatus.IN_FORCE)
                .setSource(source(from)).setInForceFrom(instant(from)).setReason(null).setRunning(running).build();
    }

    /** A version the job does not use, and why; {@code running} is null when the job runs no version of it. */
    public static RuleVersionStatus refused(VersionedKind kind, String id, int version, String reason, VersionRunning running) {
        return RuleVersionStatus.newBuilder().setKind(kind).setId(id).setVersion(version).setStatus(VersionStatus.REFUSED)
                .setSource(VersionSource.PUBLISHED).setInForceFrom(null).setReason(reason).setRunning(running).build();
    }

    private static VersionSource source(long from) {
        return from == Long.MIN_VALUE ? VersionSource.PACK : VersionSource.PUBLISHED;
    }

    private static Instant instant(long from) {
        return from == Long.MIN_VALUE ? null : Instant.ofEpochMilli(from);
    }
}
