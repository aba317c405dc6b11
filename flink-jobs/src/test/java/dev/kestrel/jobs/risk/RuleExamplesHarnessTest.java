package dev.kestrel.jobs.risk;

import static dev.kestrel.jobs.Events.at;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kestrel.events.Alert;
import dev.kestrel.events.AlertLifecycle;
import dev.kestrel.events.Rule;
import dev.kestrel.jobs.Events;
import dev.kestrel.jobs.group.GroupEvent;
import dev.kestrel.jobs.group.GroupStages;
import dev.kestrel.jobs.ingest.BorrowerEvent;
import dev.kestrel.jobs.ingest.Published;
import dev.kestrel.jobs.rules.RuleFiles;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every indicator through the operators: each shipped rule's example from docs/rules.md, run in the borrower risk
 * operator with the shipped pack under Flink's test harness, with watermarks moving days on, and the member statuses
 * and group limits it passes on fed to the group and portfolio operators, must raise its rule; the borrower operator must never hold
 * more than one timer per borrower.
 */
class RuleExamplesHarnessTest {

    static Stream<RulesDocTest.Example> examples() {
        return RulesDocTest.examples().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void raisesTheRuleItIllustrates(RulesDocTest.Example example) throws Exception {
        try (KeyedBroadcastOperatorTestHarness<String, BorrowerEvent, Published, Alert> harness = new KeyedBroadcastOperatorTestHarness<>(
                new CoBroadcastWithKeyedOperator<>(new BorrowerRiskFunction(RiskSettings.defaults(),
                        RuleFiles.pack("classpath:rules/default-rules.jsonl"), Duration.ofDays(400), Duration.ofHours(1),
                        Long.MIN_VALUE, Duration.ofDays(1)),
                        List.of(BorrowerRiskFunction.PUBLISHED_RULES, BorrowerRiskFunction.PUBLISHED_SCORECARDS, BorrowerRiskFunction.PUBLISHED_FX_RATES)),
                BorrowerEvent::key, Types.STRING, 128, 1, 0)) {
            harness.open();
            Set<String> borrowers = new HashSet<>();
            for (RulesDocTest.Step step : example.steps()) {
                for (SpecificRecordBase record : step.events()) {
                    BorrowerEvent event = BorrowerEvent.of(record);
                    if (event.borrowerId != null && borrowers.add(event.borrowerId) && event.profile == null) {
                        // The examples leave out master data where the rule does not read it; the operator holds a
                        // borrower's live events until its profile has come, as master data would send it first.
                        BorrowerRiskFunctionTest.deliver(harness, BorrowerEvent.of(Events.bareProfile(event.borrowerId, 0)));
                    }
                    BorrowerRiskFunctionTest.deliver(harness, event);
                    assertThat(harness.numEventTimeTimers()).isLessThanOrEqualTo(borrowers.size());
                }
            }
            harness.watermark(Days.start(Days.of(at(example.untilDay()).toEpochMilli())));
            List<Alert> alerts = new ArrayList<>(harness.extractOutputValues());
            try (GroupStages stages = GroupStages.open("classpath:rules/default-rules.jsonl")) {
                var heard = harness.getSideOutput(BorrowerRiskFunction.GROUP_EVENTS);
                for (var event : heard == null ? List.<StreamRecord<GroupEvent>>of() : heard) {
                    stages.heard(event.getValue());
                }
                alerts.addAll(stages.alerts());
            }

            assertThat(alerts).as(example.ruleId()).anySatisfy(alert -> {
                assertThat(alert.getRuleId()).isEqualTo(example.ruleId());
                assertThat(alert.getLifecycle()).isEqualTo(AlertLifecycle.OPENED);
            });
            assertThat(harness.numEventTimeTimers()).isLessThanOrEqualTo(borrowers.size());
        }
    }
}
