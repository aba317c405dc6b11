package dev.kestrel.jobs.rules;

import dev.kestrel.events.RuleVersionStatus;
import java.util.List;
import java.util.function.Consumer;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.util.OutputTag;

/**
 * Sends the job's word on rule and scorecard versions ({@link VersionStatuses}), so that the desk shows the version
 * the job runs rather than the one the API last published. Every task of every stage takes the same versions the same
 * way (same books, same broadcast), so one task reports for all: the first task of the borrower stage, which holds
 * both the rules and the scorecard.
 */
public final class VersionReports {
    /** The reports, on the borrower stage's side output: one task writes them all, in order. */
    public static final OutputTag<RuleVersionStatus> RULE_VERSIONS =
            new OutputTag<>("rule-versions", TypeInformation.of(RuleVersionStatus.class));

    private final boolean reporter;
    private boolean startReported;

    /** @param subtask the index of this task among its stage's parallel tasks */
    public VersionReports(int subtask) {
        this.reporter = subtask == 0;
    }

    /** Whether this task reports and has not yet reported its start: one test per record, then none. */
    public boolean startPending() {
        return reporter && !startReported;
    }

    /**
     * Once per start of the task, on its first record of either input, what it began with: every version it holds (the
     * pack, a replay's file, what it restored) and the restored ones it can no longer use. After a restart this tells
     * again what runs, which may be less than before (a release that refuses a restored version).
     */
    public void start(List<RuleVersionStatus> reports, Consumer<RuleVersionStatus> out) {
        if (startPending()) {
            startReported = true;
            reports.forEach(out);
        }
    }

    /** A version just published: in force or refused. */
    public void report(RuleVersionStatus status, Consumer<RuleVersionStatus> out) {
        if (reporter) {
            out.accept(status);
        }
    }
}
