package dev.kestrel.jobs.ingest;

import dev.kestrel.contract.ApprovalSignatures;
import dev.kestrel.contract.InvalidRuleException;
import dev.kestrel.contract.InvalidScorecardException;
import dev.kestrel.contract.ScorecardCheck;
import dev.kestrel.events.DeadLetter;
import dev.kestrel.events.DeadLetterReason;
import dev.kestrel.events.FxRate;
import dev.kestrel.events.LimitDecision;
import dev.kestrel.events.Rule;
import dev.kestrel.events.Scorecard;
import dev.kestrel.jobs.rules.RuleCompiler;
import java.util.EnumMap;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Right after each source: sends borrower events (a review only with a verified approval signature) and group limits
 * on; rules and scorecards that carry a verified approval signature (those that do not compile or pass their check
 * dead-lettered as well, and passed on for the books to refuse and report, {@code VersionReports}), limit decisions
 * with one, and FX rates, to their side outputs; and everything else
 * to the dead letters, counted by reason (metric {@code deadLetters_<REASON>}) so a rise in bad input shows on a
 * dashboard before anyone reads the topic. Lateness is not judged here: the topic's event time is other borrowers'
 * time, and one record stamped ahead would make everyone else late. The borrower stage judges it against the
 * borrower's own evaluated clock.
 */
public final class RouteInbound extends ProcessFunction<Inbound, BorrowerEvent> {
    public static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("dead-letters", TypeInformation.of(DeadLetter.class));
    public static final OutputTag<Rule> RULES = new OutputTag<>("rules", TypeInformation.of(Rule.class));
    public static final OutputTag<Scorecard> SCORECARDS = new OutputTag<>("scorecards", TypeInformation.of(Scorecard.class));
    public static final OutputTag<FxRate> FX_RATES = new OutputTag<>("fx-rates", TypeInformation.of(FxRate.class));
    public static final OutputTag<LimitDecision> LIMIT_DECISIONS = new OutputTag<>("limit-decisions", TypeInformation.of(LimitDecision.class));

    private final ApprovalSignatures.Verifier approvals;
    private transient Map<DeadLetterReason, Counter> deadLetters;

    /** @param approvals the keys a rule or scorecard from a topic must be signed with (option rules.signing-keys) */
    public RouteInbound(ApprovalSignatures.Verifier approvals) {
        this.approvals = approvals;
    }

    @Override
    public void open(OpenContext openContext) {
        deadLetters = new EnumMap<>(DeadLetterReason.class);
        for (DeadLetterReason reason : DeadLetterReason.values()) {
            deadLetters.put(reason, getRuntimeContext().getMetricGroup().counter("deadLetters_" + reason.name()));
        }
    }

    @Override
    public void processElement(Inbound inbound, Context ctx, Collector<BorrowerEvent> out) {
        if (inbound.event != null) {
            if (inbound.event.review != null) {
                // A review moves the borrower's schedule and can end an overdue alert: only the desk's, signed, may.
                String unsigned = approvals.problem(inbound.payload);
                if (unsigned != null) {
                    deadLetter(ctx, inbound.reject("BorrowerReview", DeadLetterReason.UNSIGNED_REVIEW,
                            inbound.event.review.getEventId() + " of borrower " + inbound.event.borrowerId + " is not taken: " + unsigned));
                    return;
                }
            }
            out.collect(inbound.event);
        } else if (inbound.rule != null) {
            String unsigned = approvals.problem(inbound.payload);
            if (unsigned != null) {
                deadLetter(ctx, inbound.reject("Rule", DeadLetterReason.UNSIGNED_RULE, inbound.rule.getRuleId() + " v"
                        + inbound.rule.getVersion() + " does not take effect: " + unsigned));
                return;
            }
            try {
                RuleCompiler.compile(inbound.rule);
            } catch (InvalidRuleException e) {
                deadLetter(ctx, inbound.reject("Rule", DeadLetterReason.MALFORMED_RULE, e.getMessage()));
            }
            // Signed, so the desk approved it: passed on even when it does not compile, for the books to refuse it
            // and report that with what runs instead (VersionReports).
            ctx.output(RULES, inbound.rule);
        } else if (inbound.scorecard != null) {
            String unsigned = approvals.problem(inbound.payload);
            if (unsigned != null) {
                deadLetter(ctx, inbound.reject("Scorecard", DeadLetterReason.UNSIGNED_RULE, inbound.scorecard.getScorecardId()
                        + " v" + inbound.scorecard.getVersion() + " does not take effect: " + unsigned));
                return;
            }
            try {
                ScorecardCheck.check(inbound.scorecard);
            } catch (InvalidScorecardException e) {
                deadLetter(ctx, inbound.reject("Scorecard", DeadLetterReason.MALFORMED_SCORECARD, e.getMessage()));
            }
            ctx.output(SCORECARDS, inbound.scorecard); // as a rule: for the books to refuse and report

        } else if (inbound.limitDecision != null) {
            // Only what the API published after four eyes may steer a recommendation, as only such rules take effect.
            String unsigned = approvals.problem(inbound.payload);
            if (unsigned != null) {
                deadLetter(ctx, inbound.reject("LimitDecision", DeadLetterReason.UNSIGNED_DECISION,
                        inbound.limitDecision.getDecisionId() + " is not read back: " + unsigned));
                return;
            }
            ctx.output(LIMIT_DECISIONS, inbound.limitDecision);
        } else if (inbound.fxRate != null) {
            ctx.output(FX_RATES, inbound.fxRate);
        } else if (inbound.groupLimit != null) {
            out.collect(BorrowerEvent.of(inbound.groupLimit));
        } else {
            deadLetter(ctx, inbound.deadLetter);
        }
    }

    private void deadLetter(Context ctx, DeadLetter deadLetter) {
        deadLetters.get(deadLetter.getReasonCode()).inc();
        ctx.output(DEAD_LETTERS, deadLetter);
    }
}
