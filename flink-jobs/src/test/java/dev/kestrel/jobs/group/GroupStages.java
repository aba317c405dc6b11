package dev.kestrel.jobs.group;

import dev.kestrel.events.Alert;
import dev.kestrel.events.FxRate;
import dev.kestrel.events.GroupLimit;
import dev.kestrel.events.GroupRiskSnapshot;
import dev.kestrel.events.Rule;
import dev.kestrel.jobs.fx.FxInForce;
import dev.kestrel.jobs.fx.FxSettings;
import dev.kestrel.jobs.ingest.Published;
import dev.kestrel.jobs.portfolio.PortfolioConcentrationFunction;
import dev.kestrel.jobs.rules.RulesInForce;
import dev.kestrel.jobs.rules.RuleFiles;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;

/**
 * The group and portfolio operators under Flink's operator test harness, fed the way the job feeds them: member
 * statuses of grouped borrowers and group limits to the group stage (keyed by group), every status to the portfolio
 * stage (one key). For tests and the generated rules document.
 */
public final class GroupStages implements AutoCloseable {
    /** The shipped defaults of group.material-member-share-bp and group.material-member-exit-share-bp: 5%, then below 4%. */
    public static final int MATERIAL_MEMBER_SHARE_BP = 500;
    public static final int MATERIAL_MEMBER_EXIT_SHARE_BP = 400;
    public final KeyedBroadcastOperatorTestHarness<String, GroupEvent, Published, Alert> group;
    public final KeyedBroadcastOperatorTestHarness<String, MemberStatus, Published, Alert> portfolio;
    private long groupTime = Long.MIN_VALUE;
    private long portfolioTime = Long.MIN_VALUE;

    private GroupStages(String rulePack, OperatorSubtaskState groupState) throws Exception {
        group = new KeyedBroadcastOperatorTestHarness<>(new CoBroadcastWithKeyedOperator<>(
                new GroupRiskFunction(RuleFiles.pack(rulePack), Duration.ofHours(1), FxSettings.defaults(),
                        MATERIAL_MEMBER_SHARE_BP, MATERIAL_MEMBER_EXIT_SHARE_BP), List.of(RulesInForce.PUBLISHED, FxInForce.PUBLISHED)),
                event -> event.groupId, Types.STRING, 128, 1, 0);
        portfolio = new KeyedBroadcastOperatorTestHarness<>(new CoBroadcastWithKeyedOperator<>(
                new PortfolioConcentrationFunction(RuleFiles.pack(rulePack), "CNY"), List.of(RulesInForce.PUBLISHED, FxInForce.PUBLISHED)),
                PortfolioConcentrationFunction.ONE_PORTFOLIO, Types.STRING, 128, 1, 0);
        if (groupState != null) {
            group.initializeState(groupState);
        }
        group.open();
        portfolio.open();
        // Rules and rates never hold event time back in the job (see EarlyWarningJob); nor do they here.
        group.processBroadcastWatermark(Long.MAX_VALUE);
        portfolio.processBroadcastWatermark(Long.MAX_VALUE);
    }

    public static GroupStages open(String rulePack) throws Exception {
        return new GroupStages(rulePack, null);
    }

    /** Stages whose group operator starts from a snapshot of an earlier one, as after a restart. */
    public static GroupStages restored(String rulePack, OperatorSubtaskState groupState) throws Exception {
        return new GroupStages(rulePack, groupState);
    }

    /** What the borrower stage passed on, routed as the job routes it. */
    public void heard(GroupEvent event) throws Exception {
        if (event.limit != null) {
            limit(event.limit);
        } else {
            member(event.member);
        }
    }

    public void member(MemberStatus status) throws Exception {
        if (status.groupId != null) {
            group.processElement(GroupEvent.of(status), status.eventTime);
            groupTime = passed(group, groupTime, status.eventTime);
        }
        if (!status.groupOnly) { // as the job routes it: a score change alone is for the group
            portfolio.processElement(status, status.eventTime);
            portfolioTime = passed(portfolio, portfolioTime, status.eventTime);
        }
    }

    public void limit(GroupLimit limit) throws Exception {
        long time = limit.getEventTime().toEpochMilli();
        group.processElement(GroupEvent.of(limit), time);
        groupTime = passed(group, groupTime, time);
    }

    /**
     * Event time passes each change as soon as it is heard, as it does in the job once every borrower task has moved
     * on: the stages hold a change until then. A change behind event time is applied at once.
     */
    private static long passed(KeyedBroadcastOperatorTestHarness<String, ?, Published, Alert> stage, long eventTime, long time)
            throws Exception {
        if (time <= eventTime) {
            return eventTime;
        }
        stage.processWatermark(time);
        return time;
    }

    public void rule(Rule rule) throws Exception {
        group.processBroadcastElement(Published.of(rule), 0);
        portfolio.processBroadcastElement(Published.of(rule), 0);
    }

    public void rate(FxRate rate) throws Exception {
        group.processBroadcastElement(Published.of(rate), 0);
        portfolio.processBroadcastElement(Published.of(rate), 0);
    }

    /** Every alert both stages raised so far, group stage first. */
    public List<Alert> alerts() {
        List<Alert> alerts = new ArrayList<>(group.extractOutputValues());
        alerts.addAll(portfolio.extractOutputValues());
        return alerts;
    }

    public List<GroupRiskSnapshot> groupSnapshots() {
        return group.getSideOutput(GroupRiskFunction.SNAPSHOTS).stream().map(StreamRecord::getValue).toList();
    }

    @Override
    public void close() throws Exception {
        group.close();
        portfolio.close();
    }
}
