package dev.kestrel.jobs.limits;

import dev.kestrel.events.Alert;
import dev.kestrel.events.AlertLifecycle;
import dev.kestrel.events.AlertScope;
import dev.kestrel.contract.Currencies;
import dev.kestrel.events.LimitAction;
import dev.kestrel.events.LimitDecision;
import dev.kestrel.events.LimitDecisionAction;
import dev.kestrel.events.LimitDecisionInForce;
import dev.kestrel.events.LimitRecommendation;
import dev.kestrel.events.RecommendationBasis;
import dev.kestrel.events.Severity;
import dev.kestrel.jobs.group.ChangesInOrder;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Dynamic limit adjustment: keeps, per borrower and per group, the HIGH and CRITICAL alerts that are open, and
 * recommends what to do with the credit limit when they change: freeze the undrawn limit while a CRITICAL alert is
 * open, cut the limit by a configured share while a HIGH one is, and withdraw the recommendation when none is left.
 * A new recommendation is written when the action changes or another severe alert joins the basis. A credit officer
 * decides; the engine recommends.
 *
 * <p>It also reads back the decisions the desk approved ({@link LimitDecision}), so that each recommendation carries
 * the decision in force, and a withdrawal while a freeze or cut is in force says the restriction has nothing behind it
 * any more. A decision comes from the API and an alert from a stage of this job, so which arrives first depends on
 * timing; both wait for event time to pass them and are applied in event-time order, a moment's decisions before its
 * alerts (see {@link ChangesInOrder}), so a replay gives the same recommendations whatever the timing.
 */
public final class LimitRecommender extends KeyedCoProcessFunction<String, Alert, LimitDecision, LimitRecommendation>
        implements CheckpointedFunction {
    /** Recommendations concern a borrower's or a group's limit; portfolio alerts have none. */
    public static final KeySelector<Alert, String> SUBJECT = alert -> subject(alert.getScope(), alert.getGroupId(), alert.getBorrowerId());
    /** A decision concerns the limit its subject names, keyed as the recommendations are. */
    public static final KeySelector<LimitDecision, String> DECIDED = decision ->
            subject(decision.getScope(), decision.getGroupId(), decision.getBorrowerId());

    /** One input, held until event time passes it: an alert's change, or a decision. */
    public static final class Change {
        public Alert alert;
        public LimitDecision decision;

        public Change() {}

        static Change of(Alert alert) {
            Change change = new Change();
            change.alert = alert;
            return change;
        }

        static Change of(LimitDecision decision) {
            Change change = new Change();
            change.decision = decision;
            return change;
        }

        long eventTime() {
            return alert != null ? alert.getEventTime().toEpochMilli() : decision.getApprovedAt().toEpochMilli();
        }

        /**
         * A moment's decisions first, by id; then its alerts by id, each alert's changes as they came (the sort is
         * stable). Alerts of one moment may come from two stages (a borrower's own, and a group's contagion).
         */
        static final Comparator<Change> ORDER = Comparator.comparing((Change c) -> c.alert != null)
                .thenComparing(c -> c.decision != null ? c.decision.getDecisionId() : c.alert.getAlertId());
    }

    private final int limitCutBasisPoints;

    private transient MapState<String, RecommendationBasis> severeAlerts;
    /**
     * The action last recommended: FREEZE_UNDRAWN or REDUCE_LIMIT, or WITHDRAWN while the engine suggests restoring a
     * restriction the bank decided on its recommendation; none once a withdrawal leaves nothing to suggest.
     */
    private transient ValueState<String> lastAction;
    /** The borrower's group as its alerts last gave it: a decision names none, its recommendation still does. */
    private transient ValueState<String> groupId;
    private transient ValueState<LimitDecisionInForce> decisionInForce;
    /**
     * Whether a severe alert on the subject has been seen here. A job started without its state reads every decision
     * again before any alert, and a restriction read so, with no alert seen, must not read as one whose alerts cleared.
     * Unset in state from before it was kept, and in a job started without state: see {@link #restored}.
     */
    private transient ValueState<Boolean> severeSeen;
    /**
     * Whether this run restored a checkpoint or savepoint. Restored, an unset {@link #severeSeen} is state from before it
     * was kept, where a decision could only have answered the engine's own recommendation: taken as seen. Started
     * without state, it is not.
     */
    private transient boolean restored;
    private transient ChangesInOrder<Change> changes;

    /** @param limitCutBasisPoints how much of the limit a HIGH alert recommends cutting, in basis points */
    public LimitRecommender(int limitCutBasisPoints) {
        this.limitCutBasisPoints = limitCutBasisPoints;
    }

    /** The Kafka key of a recommendation: its subject, as the stage keys it. */
    public static String subjectOf(LimitRecommendation recommendation) {
        return subject(recommendation.getScope(), recommendation.getGroupId(), recommendation.getBorrowerId());
    }

    private static String subject(AlertScope scope, String groupId, String borrowerId) {
        return scope == AlertScope.GROUP ? "GROUP:" + groupId : "BORROWER:" + borrowerId;
    }

    /** Whether an alert can move a limit recommendation: borrower and group alerts do, portfolio ones do not. */
    public static boolean concernsALimit(Alert alert) {
        return alert.getScope() == AlertScope.BORROWER || alert.getScope() == AlertScope.GROUP;
    }

    @Override
    public void open(OpenContext openContext) {
        severeAlerts = getRuntimeContext().getMapState(
                new MapStateDescriptor<>("severe-alerts", Types.STRING, new AvroTypeInfo<>(RecommendationBasis.class)));
        lastAction = getRuntimeContext().getState(new ValueStateDescriptor<>("last-action", Types.STRING));
        groupId = getRuntimeContext().getState(new ValueStateDescriptor<>("group-id", Types.STRING));
        decisionInForce = getRuntimeContext().getState(
                new ValueStateDescriptor<>("decision-in-force", new AvroTypeInfo<>(LimitDecisionInForce.class)));
        severeSeen = getRuntimeContext().getState(new ValueStateDescriptor<>("severe-seen", Types.BOOLEAN));
        changes = new ChangesInOrder<>(getRuntimeContext(), "limit-changes-held", TypeInformation.of(Change.class),
                Change::eventTime, Change.ORDER);
    }

    @Override
    public void processElement1(Alert alert, Context ctx, Collector<LimitRecommendation> out) throws Exception {
        if (!changes.hold(Change.of(alert), ctx.timerService())) {
            apply(alert, ctx.getCurrentKey(), out);
        }
    }

    @Override
    public void processElement2(LimitDecision decision, Context ctx, Collector<LimitRecommendation> out) throws Exception {
        if (!changes.hold(Change.of(decision), ctx.timerService())) {
            decide(decision, ctx.getCurrentKey(), out);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<LimitRecommendation> out) throws Exception {
        for (Change change : changes.release(timestamp)) {
            if (change.alert != null) {
                apply(change.alert, ctx.getCurrentKey(), out);
            } else {
                decide(change.decision, ctx.getCurrentKey(), out);
            }
        }
    }

    private void apply(Alert alert, String subject, Collector<LimitRecommendation> out) throws Exception {
        boolean severe = alert.getSeverity().compareTo(Severity.HIGH) >= 0;
        boolean joined = false;
        if (alert.getLifecycle() == AlertLifecycle.CLOSED || !severe) {
            if (!severeAlerts.contains(alert.getAlertId())) {
                return; // never severe: no recommendation rests on it
            }
            severeAlerts.remove(alert.getAlertId());
        } else {
            joined = !severeAlerts.contains(alert.getAlertId());
            severeAlerts.put(alert.getAlertId(), new RecommendationBasis(alert.getAlertId(), alert.getRuleId(), alert.getSeverity(), alert.getTitle()));
            severeSeen.update(true);
        }
        if (alert.getGroupId() != null) {
            groupId.update(alert.getGroupId());
        }
        List<RecommendationBasis> basis = basis();
        LimitAction action = basis.isEmpty() ? LimitAction.WITHDRAWN
                : basis.get(0).getSeverity() == Severity.CRITICAL ? LimitAction.FREEZE_UNDRAWN : LimitAction.REDUCE_LIMIT;
        String last = lastAction.value();
        boolean changed = !action.name().equals(last);
        if (action == LimitAction.WITHDRAWN) {
            if (last == null || last.equals(LimitAction.WITHDRAWN.name())) {
                return; // nothing stood, or the suggestion to restore stands already
            }
            standWithdrawn();
        } else if (changed || joined) {
            lastAction.update(action.name());
        } else {
            return;
        }
        String cause = alert.getAlertId() + "|" + alert.getLifecycle();
        String withdrawn = "the last one closed was '" + alert.getTitle() + "'";
        out.collect(recommendation(subject, alert.getScope(), alert.getBorrowerId(), alert.getGroupId(), action, basis,
                alert.getSeverity(), withdrawn, cause, alert.getEventTime()));
    }

    /**
     * A decision the desk approved. The latest by approval time is the one in force (of two at one moment, the one
     * with the greater id). A standing recommendation is written again with it, so the desk and the limit system see
     * the engine knows what was decided. With no severe alert open, a freeze or cut that answered the engine's
     * recommendation is suggested for restoring (it was approved after the alerts cleared, or read late); a decision
     * that ends it ends the suggestion.
     */
    private void decide(LimitDecision decision, String subject, Collector<LimitRecommendation> out) throws Exception {
        LimitDecisionInForce current = decisionInForce.value();
        if (current != null && current.getApprovedAt().isAfter(decision.getApprovedAt())) {
            return; // an older decision, read late: the newer one stays in force
        }
        boolean seen = severeSeen();
        LimitDecisionInForce decided = LimitDecisionInForce.newBuilder()
                .setDecisionId(decision.getDecisionId())
                .setAction(decision.getAction())
                .setLimitMinor(decision.getLimitMinor())
                .setCurrency(decision.getCurrency())
                .setRecommendationId(decision.getRecommendationId())
                .setApprovedBy(decision.getApprovedBy())
                .setApprovedAt(decision.getApprovedAt())
                .build();
        decisionInForce.update(decided);
        String last = lastAction.value();
        // No recommendation standing, or a suggestion to restore: either way no severe alert is open.
        boolean withdrawn = last == null || last.equals(LimitAction.WITHDRAWN.name());
        if (last == null && (!suggestsRestoring(decided) || !seen)) {
            // Nothing recommended, nothing to suggest; or a restriction with no severe alert seen here: read again by a
            // job that lost its state, whose alerts have not come again yet. Kept as in force either way.
            return;
        }
        List<RecommendationBasis> basis = basis();
        if (withdrawn) {
            standWithdrawn();
        }
        String group = decision.getScope() == AlertScope.GROUP ? decision.getGroupId() : groupId.value();
        out.collect(recommendation(subject, decision.getScope(), decision.getBorrowerId(), group,
                withdrawn ? LimitAction.WITHDRAWN : LimitAction.valueOf(last), basis, Severity.INFO, null,
                "decision:" + decision.getDecisionId(), decision.getApprovedAt()));
    }

    /** Whether a severe alert has been seen; unset, whether this run restored state from before it was kept. */
    private boolean severeSeen() throws Exception {
        Boolean seen = severeSeen.value();
        if (seen == null) {
            seen = restored;
            severeSeen.update(seen);
        }
        return seen;
    }

    @Override
    public void initializeState(FunctionInitializationContext context) {
        restored = context.isRestored();
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) {
        // All its state is keyed; Flink snapshots it.
    }

    /** After a withdrawal: a suggestion to restore stands while the decision in force calls for one; else nothing does. */
    private void standWithdrawn() throws Exception {
        if (suggestsRestoring(decisionInForce.value())) {
            lastAction.update(LimitAction.WITHDRAWN.name());
        } else {
            lastAction.clear(); // the group stays: a decision read later still names it
        }
    }

    private List<RecommendationBasis> basis() throws Exception {
        List<RecommendationBasis> basis = new ArrayList<>();
        for (RecommendationBasis open : severeAlerts.values()) {
            basis.add(open);
        }
        basis.sort(Comparator.comparing(RecommendationBasis::getSeverity).reversed().thenComparing(RecommendationBasis::getAlertId));
        return basis;
    }

    private LimitRecommendation recommendation(String subject, AlertScope scope, String borrowerId, String groupId, LimitAction action,
            List<RecommendationBasis> basis, Severity closing, String withdrawn, String cause, Instant eventTime) throws Exception {
        LimitDecisionInForce decided = decisionInForce.value();
        List<String> titles = basis.stream().map(b -> b.getTitle() + " (" + b.getSeverity() + ")").toList();
        String none = "no severe alert is open any more" + (withdrawn == null ? "" : "; " + withdrawn) + ".";
        String open = String.join("; ", titles);
        String reason;
        boolean keep = decided != null && answers(decided, action);
        if (keep) {
            // The same restriction, decided on the engine's word: kept, and the share not taken again from what is left.
            reason = "Keep the bank's " + describe(decided) + " in force while "
                    + (action == LimitAction.FREEZE_UNDRAWN ? "critical" : "severe") + " alerts are open: " + open
                    + ". It answers the engine's recommendation to " + (action == LimitAction.FREEZE_UNDRAWN ? "freeze the undrawn limit."
                    : String.format(Locale.ROOT, "cut the limit by %.0f%%; no further cut.", limitCutBasisPoints / 100.0));
        } else {
            reason = switch (action) {
                case FREEZE_UNDRAWN -> "Freeze the undrawn limit while critical alerts are open: " + open + ".";
                case REDUCE_LIMIT -> String.format(Locale.ROOT, "Cut the limit by %.0f%% while severe alerts are open: %s.",
                        limitCutBasisPoints / 100.0, open);
                case WITHDRAWN -> suggestsRestoring(decided)
                        ? "N" + none.substring(1) + " The bank's " + describe(decided) + ", which answered the engine's "
                                + "recommendation, has nothing behind it now: consider restoring the limit."
                        : restricts(decided)
                        ? "Withdrawn: " + none + " The bank's " + describe(decided) + " was decided on other grounds and stays."
                        : "Withdrawn: " + none + (decided == null ? "" : " In force: the bank's " + describe(decided) + ".");
            };
            if (decided != null && action != LimitAction.WITHDRAWN) {
                reason += restricts(decided) ? " In force: the bank's " + describe(decided) + "."
                        : " Against it, in force: the bank's " + describe(decided) + ".";
            }
        }
        String name = subject + "|" + action + "|" + cause + "|" + eventTime.toEpochMilli();
        boolean group = scope == AlertScope.GROUP;
        return LimitRecommendation.newBuilder()
                .setRecommendationId(UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString())
                .setScope(group ? AlertScope.GROUP : AlertScope.BORROWER)
                .setBorrowerId(group ? null : borrowerId)
                .setGroupId(groupId)
                .setAction(action)
                .setReductionBasisPoints(action == LimitAction.REDUCE_LIMIT ? limitCutBasisPoints : null)
                .setSeverity(basis.isEmpty() ? closing : basis.get(0).getSeverity())
                .setReason(reason)
                .setAlerts(basis)
                .setEventTime(eventTime)
                .setDetectedAt(Instant.now())
                .setDecisionInForce(decided)
                .setRestoreSuggested(action == LimitAction.WITHDRAWN && suggestsRestoring(decided))
                .setKeepDecisionInForce(keep)
                .build();
    }

    /** Whether a decision keeps the limit below what it was: a freeze or a cut. */
    private static boolean restricts(LimitDecisionInForce decided) {
        return decided != null && (decided.getAction() == LimitDecisionAction.FREEZE_UNDRAWN
                || decided.getAction() == LimitDecisionAction.REDUCE_LIMIT);
    }

    /** Whether the decision in force is the restriction recommended, decided on one of the engine's recommendations. */
    private static boolean answers(LimitDecisionInForce decided, LimitAction action) {
        return decided.getRecommendationId() != null
                && (action == LimitAction.REDUCE_LIMIT && decided.getAction() == LimitDecisionAction.REDUCE_LIMIT
                        || action == LimitAction.FREEZE_UNDRAWN && decided.getAction() == LimitDecisionAction.FREEZE_UNDRAWN);
    }

    /**
     * Whether, with no severe alert open, the engine suggests restoring the limit: the bank's freeze or cut answered
     * one of its recommendations. One decided on other grounds (a covenant, fraud) the engine cannot judge.
     */
    private static boolean suggestsRestoring(LimitDecisionInForce decided) {
        return restricts(decided) && decided.getRecommendationId() != null;
    }

    /** "freeze of the undrawn limit (decision D-1, approved by sue on 2026-03-04 UTC)", for reasons a person reads. */
    static String describe(LimitDecisionInForce decided) {
        String what = switch (decided.getAction()) {
            case FREEZE_UNDRAWN -> "freeze of the undrawn limit";
            case REDUCE_LIMIT -> "cut of the limit to " + amount(decided);
            case RESTORE_LIMIT -> "restoration of the limit to " + amount(decided);
            case INCREASE_LIMIT -> "increase of the limit to " + amount(decided);
        };
        return what + " (decision " + decided.getDecisionId() + ", approved by " + decided.getApprovedBy() + " on "
                + decided.getApprovedAt().toString().substring(0, 10) + " UTC)";
    }

    private static String amount(LimitDecisionInForce decided) {
        if (decided.getLimitMinor() == null || decided.getCurrency() == null) {
            return "an amount not stated";
        }
        BigDecimal major = BigDecimal.valueOf(decided.getLimitMinor(), Currencies.minorUnits(decided.getCurrency()));
        return decided.getCurrency() + " " + String.format(Locale.ROOT, "%,." + major.scale() + "f", major);
    }
}
