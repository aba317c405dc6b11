package dev.kestrel.jobs.group;

import dev.kestrel.events.Alert;
import dev.kestrel.events.AlertScope;
import dev.kestrel.events.GroupRiskSnapshot;
import dev.kestrel.jobs.fx.FxInForce;
import dev.kestrel.jobs.fx.FxRates;
import dev.kestrel.jobs.fx.FxSettings;
import dev.kestrel.jobs.indicator.IndicatorValues;
import dev.kestrel.jobs.ingest.Published;
import dev.kestrel.jobs.risk.AlertEpisodes;
import dev.kestrel.jobs.risk.Days;
import dev.kestrel.jobs.rules.RuleBook;
import dev.kestrel.jobs.rules.RuleFiles;
import dev.kestrel.jobs.rules.RuleMetrics;
import dev.kestrel.jobs.rules.RulesInForce;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The group stage, keyed by corporate group. It hears each member's status from the borrower stage (joining,
 * changing, leaving) and the group's limit from master data, keeps the group's exposure and its members' distress as
 * running totals, evaluates the GROUP rules in force (limit near breach and breach, distress spreading, contagion),
 * spreads contagion episodes to the members at risk, grades the group from its material members, and writes a group
 * snapshot when the group changes. Changes wait for event time to pass them and are applied in {@link #ORDER} (see
 * {@link ChangesInOrder}); the group is judged once per moment, after all of that moment's changes.
 */
public final class GroupRiskFunction extends KeyedBroadcastProcessFunction<String, GroupEvent, Published, Alert> {
    private static final Logger LOG = LoggerFactory.getLogger(GroupRiskFunction.class);
    public static final OutputTag<GroupRiskSnapshot> SNAPSHOTS =
            new OutputTag<>("group-snapshots", TypeInformation.of(GroupRiskSnapshot.class));

    /** The changes of one moment: the group's limit before members' changes, then by member. */
    static final Comparator<GroupEvent> ORDER = Comparator.comparing((GroupEvent event) -> event.limit == null)
            .thenComparing(event -> event.member == null ? "" : event.member.borrowerId);

    private final RuleFiles ruleFiles;
    private final long snapshotMinIntervalMillis;
    private final FxSettings fx;
    private final GroupGrade.Materiality materiality;

    private transient ValueState<GroupState> groups;
    private transient MapState<String, MemberStatus> members;
    private transient RulesInForce rulesInForce;
    private transient FxInForce fxInForce;
    private transient Counter withoutRate;
    private transient IndicatorValues before;
    private transient IndicatorValues after;
    private transient RuleMetrics metrics;
    private transient Counter overflows;
    private transient ChangesInOrder<GroupEvent> changes;
    private transient GroupStateSerializer stateSerializer;

    /**
     * @param fx how members' drawn amounts are converted into the group limit's currency
     * @param materialShareBp the share of the group's drawn total from which a member weighs in its grade
     * @param materialExitShareBp the share below which a material member no longer weighs
     */
    public GroupRiskFunction(RuleFiles ruleFiles, Duration snapshotMinInterval, FxSettings fx, int materialShareBp,
                             int materialExitShareBp) {
        this.ruleFiles = ruleFiles;
        this.snapshotMinIntervalMillis = snapshotMinInterval.toMillis();
        this.fx = fx;
        this.materiality = new GroupGrade.Materiality(materialShareBp, materialExitShareBp);
    }

    @Override
    public void open(OpenContext openContext) {
        stateSerializer = new GroupStateSerializer();
        groups = getRuntimeContext().getState(new ValueStateDescriptor<>("group", stateSerializer));
        members = getRuntimeContext().getMapState(
                new MapStateDescriptor<>("group-members", Types.STRING, TypeInformation.of(MemberStatus.class)));
        rulesInForce = new RulesInForce(ruleFiles);
        fxInForce = new FxInForce(fx);
        withoutRate = getRuntimeContext().getMetricGroup().counter("groupMembersWithoutFxRate");
        before = new IndicatorValues();
        after = new IndicatorValues();
        metrics = new RuleMetrics(getRuntimeContext().getMetricGroup(), "groupAlerts");
        overflows = getRuntimeContext().getMetricGroup().counter("groupChangesOverflowing");
        changes = new ChangesInOrder<>(getRuntimeContext(), "group-changes-held", TypeInformation.of(GroupEvent.class),
                GroupEvent::eventTimeMillis, ORDER);
    }

    @Override
    public void processElement(GroupEvent event, ReadOnlyContext ctx, Collector<Alert> out) throws Exception {
        if (!changes.hold(event, ctx.timerService())) {
            moment(List.of(event), ctx, out);
        }
    }

    /** Event time passed a moment's held changes: they are applied in {@link #ORDER}, then judged together. */
    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Alert> out) throws Exception {
        moment(changes.release(timestamp), ctx, out);
    }

    /**
     * The changes of one moment (one event time), applied in order, then the group judged once as it stands after
     * them: a drawing and a repayment of the same moment never show the group at a level it was never at.
     */
    private void moment(List<GroupEvent> changesOfOneMoment, ReadOnlyContext ctx, Collector<Alert> out) throws Exception {
        if (changesOfOneMoment.isEmpty()) {
            return;
        }
        String groupId = ctx.getCurrentKey();
        FxRates rates = fxInForce.table(ctx.getBroadcastState(FxInForce.PUBLISHED));
        GroupState state = groups.value();
        if (state == null) {
            state = new GroupState();
        }
        state.indicators(before);
        boolean membersChanged = false;
        for (GroupEvent event : changesOfOneMoment) {
            GroupState undo = event.limit != null ? stateSerializer.copy(state) : null;
            try {
                if (event.limit != null) {
                    if (state.applyLimit(event.limit)) {
                        recount(state, rates, groupId);
                        membersChanged = true;
                    }
                } else {
                    apply(event.member, state, rates, groupId);
                    membersChanged = true;
                }
            } catch (ArithmeticException overflow) {
                // Sums are exact: a group total beyond a long is no amount a bank lends, so the change is left out and
                // told, rather than wrapping to a wrong total or failing the job over and over on the same record.
                overflows.inc();
                LOG.warn("group {}: {} would overflow the group's drawn total ({}); left out", groupId, event, overflow.getMessage());
                if (undo != null) {
                    state = undo;
                }
            }
        }
        state.indicators(after);

        RuleBook rules = rulesInForce.book(ctx.getBroadcastState(RulesInForce.PUBLISHED));
        Supplier<List<MemberStatus>> memberList = memberList();
        long scoresBefore = state.scoresDigest;
        if (membersChanged) { // shares move with any member's drawing: every member is judged again
            for (MemberStatus flipped : GroupGrade.judge(state, memberList.get(), materiality)) {
                members.put(flipped.borrowerId, flipped);
            }
        }
        GroupSubject subject = GroupSubject.group(groupId, state, memberList);
        long detectedAt = System.currentTimeMillis();
        AlertEpisodes.evaluate(subject, rules.rules(AlertScope.GROUP, state.clock), before, after, detectedAt, alert -> emit(alert, out));
        Contagion.reconcile(subject, state, rules, memberList, before, after, detectedAt, alert -> emit(alert, out));
        if (GroupSnapshots.due(state, before, after, state.scoresDigest != scoresBefore, snapshotMinIntervalMillis)) {
            ctx.output(SNAPSHOTS, GroupSnapshots.of(groupId, state, memberList.get()));
        }
        if (state.isEmpty()) {
            groups.clear();
        } else {
            groups.update(state);
        }
    }

    /** A member's new status replaces its old one in the totals; a departure only takes the old one out. */
    private void apply(MemberStatus change, GroupState state, FxRates rates, String groupId) throws Exception {
        MemberStatus old = members.get(change.borrowerId);
        MemberStatus status = change.copy(); // the portfolio stage reads the same object
        status.material = old != null && old.material; // the group's own judgement, which the borrower stage does not know
        if (!status.leftGroup && !state.convert(status, rates)) {
            unconverted(status, state, groupId);
        }
        state.checkRoom(old, status.leftGroup ? null : status);
        if (old != null) {
            state.remove(old);
        }
        if (status.leftGroup) {
            members.remove(status.borrowerId);
        } else {
            members.put(status.borrowerId, status);
            state.add(status);
        }
        state.remember(status);
    }

    /**
     * The limit's currency changed: sum the members again in the new one, each at the rate of its own change's day.
     * The new total is summed before anything is written, so a total that would overflow leaves the members as they were.
     */
    private void recount(GroupState state, FxRates rates, String groupId) throws Exception {
        List<MemberStatus> all = new ArrayList<>();
        long total = 0;
        for (MemberStatus stored : members.values()) {
            MemberStatus member = stored.copy(); // a heap backend hands out the stored object itself
            if (!state.convert(member, rates)) {
                unconverted(member, state, groupId);
            }
            total = Math.addExact(total, state.counted(member));
            all.add(member);
        }
        state.resetTotals();
        for (MemberStatus member : all) {
            members.put(member.borrowerId, member);
            state.add(member);
        }
    }

    /** A member whose currency no rate converts into the group's: listed in the snapshot, left out of the sum, and told. */
    private void unconverted(MemberStatus member, GroupState state, String groupId) {
        withoutRate.inc();
        LOG.warn("group {}: member {} draws {} {}, and no FX rate converts {} into {} on {}: listed, not summed in the group's "
                + "drawn total", groupId, member.borrowerId, member.drawnMinor, member.currency, member.currency, state.currency,
                java.time.LocalDate.ofEpochDay(Days.of(member.eventTime)));
    }

    /** The members, read from state at most once per moment: for the grade, an explanation or a snapshot. */
    private Supplier<List<MemberStatus>> memberList() {
        return new Supplier<>() {
            private List<MemberStatus> list;

            @Override
            public List<MemberStatus> get() {
                if (list == null) {
                    list = new ArrayList<>();
                    try {
                        for (MemberStatus member : members.values()) {
                            list.add(member);
                        }
                    } catch (Exception e) {
                        throw new IllegalStateException("cannot read the group's members from state", e);
                    }
                }
                return list;
            }
        };
    }

    private void emit(Alert alert, Collector<Alert> out) {
        metrics.alert(alert);
        out.collect(alert);
    }

    @Override
    public void processBroadcastElement(Published published, Context ctx, Collector<Alert> out) throws Exception {
        if (published.rule != null) {
            // The borrower stage reports what was done with the version (VersionReports); every stage does the same.
            metrics.published(rulesInForce.publish(published.rule, ctx.getBroadcastState(RulesInForce.PUBLISHED)));
        } else if (published.fxRate != null) {
            fxInForce.publish(published.fxRate, ctx.getBroadcastState(FxInForce.PUBLISHED));
        }
    }
}
