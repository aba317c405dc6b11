package dev.kestrel.jobs.rules;

import dev.kestrel.events.RuleVersionStatus;
import dev.kestrel.events.VersionSource;
import dev.kestrel.events.VersionStatus;
import dev.kestrel.events.VersionedKind;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.util.OutputTag;

/**
 * What the job did with each rule and scorecard version ({@link RuleVersionStatus}), so that the desk shows the version
 * the job runs rather than the one the API last published. Every task of every stage takes the same versions the same
 * way (same books, same broadcast), so one task reports for all: the first task of the borrower stage, which holds
 * both the rules and the scorecard.
 */
public final class VersionReports {
    /** The reports, on the borrower stage's side output; the route adds the versions it refused. */
    public static final OutputTag<RuleVersionStatus> RULE_VERSIONS =
            new OutputTag<>("rule-versions", TypeInformation.of(RuleVersionStatus.class));

    private final boolean reporter;
    private boolean startReported;

    /** @param subtask the index of this task among its stage's parallel tasks */
    public VersionReports(int subtask) {
        this.reporter = subtask == 0;
    }

    /**
     * Once per start of the task, on its first record of either input, the versions it began with: the pack, a replay's
     * file, and those restored from a checkpoint. Reported again after each restart; the topic is compacted by version,
     * so the same report twice changes nothing.
     */
    public void start(List<RuleVersionStatus> rules, List<RuleVersionStatus> scorecards, Consumer<RuleVersionStatus> out) {
        if (startPending()) {
            startReported = true;
            rules.forEach(out);
            scorecards.forEach(out);
        }
    }

    /** Whether this task reports and has not yet reported its start: one test per record, then none. */
    public boolean startPending() {
        return reporter && !startReported;
    }

    /** A version just published: in force or refused. */
    public void report(RuleVersionStatus status, Consumer<RuleVersionStatus> out) {
        if (reporter) {
            out.accept(status);
        }
    }

    /** A version in force from {@code from} (event time; {@code Long.MIN_VALUE}: the pack's, from the start of time). */
    public static RuleVersionStatus inForce(VersionedKind kind, String id, int version, long from) {
        boolean pack = from == Long.MIN_VALUE;
        return RuleVersionStatus.newBuilder().setKind(kind).setId(id).setVersion(version).setStatus(VersionStatus.IN_FORCE)
                .setSource(pack ? VersionSource.PACK : VersionSource.PUBLISHED)
                .setInForceFrom(pack ? null : Instant.ofEpochMilli(from)).setReason(null).build();
    }

    /** A published version the job does not use, and why. */
    public static RuleVersionStatus refused(VersionedKind kind, String id, int version, String reason) {
        return RuleVersionStatus.newBuilder().setKind(kind).setId(id).setVersion(version).setStatus(VersionStatus.REFUSED)
                .setSource(VersionSource.PUBLISHED).setInForceFrom(null).setReason(reason).build();
    }
}
