package dev.kestrel.jobs.group;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kestrel.events.GroupRiskSnapshot;
import dev.kestrel.events.WatchGrade;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.util.OperatorSnapshotUtil;
import org.junit.jupiter.api.Test;

/**
 * The group stage restores an operator snapshot written by the engine of commit 841c904, before member statuses
 * carried scores (group state format 2, {@link MemberStatus} without score, grade or materiality), and grades the group
 * once scores come. The snapshot, {@code src/test/resources/state/group-operator-format-2/group-stage.savepoint}, was
 * written there with {@code OperatorSnapshotUtil.writeStateHandle} after: the limit of G-1 (CNY 20,000,000) on day 0;
 * B-1 drawing 9,000,000 and B-2, substandard and 95 days past due, drawing 1,000,000 on day 1; and B-3 drawing 500,000
 * on day 5, held because event time had not passed it.
 */
class SavedGroupStateTest {
    private static final Path SAVED = Path.of("src/test/resources/state/group-operator-format-2/group-stage.savepoint");

    @Test
    void restoresMembersAndAHeldChangeWrittenBeforeScoresAndGradesTheGroupOnceTheyCome() throws Exception {
        OperatorSubtaskState saved = OperatorSnapshotUtil.readStateHandle(SAVED.toString());
        try (GroupStages stages = GroupStages.restored("classpath:rules/default-rules.jsonl", saved)) {
            stages.member(scoredHealthy("B-1", 6, 9_000_000, WatchGrade.GREEN, 190)); // event time passes day 5: B-3 applies

            GroupRiskSnapshot first = latest(stages);
            assertThat(first.getMembers()).extracting(m -> m.getBorrowerId() + " " + m.getDrawnMinor() / 100 + " " + m.getWatchGrade())
                    .containsExactly("B-1 9000000 GREEN", "B-2 1000000 null", "B-3 500000 null");
            assertThat(first.getDrawnMinor()).isEqualTo(10_500_000_00L);
            assertThat(first.getNonPerformingMembers()).as("B-2's condition, as the old engine stored it").isEqualTo(1);
            assertThat(first.getWatchGrade()).isEqualTo(WatchGrade.GREEN);
            assertThat(first.getUnscoredMaterialMembers()).as("B-2 at 9.5%; B-3 at 4.8% is below the 5% entry")
                    .isEqualTo(1);

            MemberStatus b2 = GroupRiskFunctionTest.member("B-2", "G-1", 7, 1_000_000, 3, 101);
            b2.watchGrade = WatchGrade.BLACK;
            b2.score = 410;
            stages.member(b2);

            GroupRiskSnapshot graded = latest(stages);
            assertThat(graded.getWatchGrade() + " " + graded.getWatchGradeMemberId()).isEqualTo("BLACK B-2");
            assertThat(graded.getUnscoredMaterialMembers()).isZero();
        }
    }

    private static MemberStatus scoredHealthy(String borrowerId, int day, long drawnYuan, WatchGrade grade, int score) {
        MemberStatus status = GroupRiskFunctionTest.healthy(borrowerId, "G-1", day, drawnYuan);
        status.watchGrade = grade;
        status.score = score;
        return status;
    }

    private static GroupRiskSnapshot latest(GroupStages stages) {
        List<GroupRiskSnapshot> snapshots = stages.groupSnapshots();
        return snapshots.get(snapshots.size() - 1);
    }
}
