package dev.kestrel.jobs.group;

import static dev.kestrel.jobs.Events.groupLimit;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kestrel.events.GroupMemberStatus;
import dev.kestrel.events.GroupRiskSnapshot;
import dev.kestrel.events.WatchGrade;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A group's watch-list grade as a credit officer reads it: the worst grade among the members that matter to the group
 * (5% of its drawn total, the shipped policy), with the score weighted by what each member draws beside it. A small
 * subsidiary in workout is visible, but does not make a sound group a workout case.
 */
class GroupGradeTest {
    private GroupStages stages;

    @BeforeEach
    void open() throws Exception {
        stages = GroupStages.open("classpath:rules/default-rules.jsonl");
        stages.limit(groupLimit("G-1", 0, 20_000_000));
    }

    @AfterEach
    void close() throws Exception {
        stages.close();
    }

    private static MemberStatus scored(String borrowerId, int day, long drawnYuan, WatchGrade grade, int score) {
        MemberStatus status = GroupRiskFunctionTest.healthy(borrowerId, "G-1", day, drawnYuan);
        status.watchGrade = grade;
        status.score = score;
        return status;
    }

    private GroupRiskSnapshot latest() {
        List<GroupRiskSnapshot> snapshots = stages.groupSnapshots();
        return snapshots.get(snapshots.size() - 1);
    }

    private static String materiality(GroupRiskSnapshot snapshot) {
        return String.join(" ", snapshot.getMembers().stream()
                .map(m -> m.getBorrowerId() + (m.getMaterial() ? " material" : " small")).toList());
    }

    @Test
    void aSmallSubsidiaryInWorkoutDoesNotGradeTheGroupButIsListedAndWeighsInTheScore() throws Exception {
        stages.member(scored("B-1", 1, 9_600_000, WatchGrade.GREEN, 180));
        stages.member(scored("B-2", 1, 300_000, WatchGrade.BLACK, 400)); // 3% of the group's drawings
        stages.member(GroupRiskFunctionTest.healthy("B-3", "G-1", 1, 100_000)); // not scored yet

        GroupRiskSnapshot snapshot = latest();
        assertThat(snapshot.getWatchGrade()).isEqualTo(WatchGrade.GREEN);
        assertThat(snapshot.getWatchGradeMemberId()).isEqualTo("B-1");
        assertThat(snapshot.getExposureWeightedScore()).as("(9.6M x 180 + 0.3M x 400) / 9.9M = 186.7").isEqualTo(187);
        assertThat(snapshot.getScoredMembers()).isEqualTo(2);
        assertThat(materiality(snapshot)).isEqualTo("B-1 material B-2 small B-3 small");
        GroupMemberStatus b2 = snapshot.getMembers().get(1);
        assertThat(b2.getWatchGrade() + " " + b2.getScore()).isEqualTo("BLACK 400");
        assertThat(snapshot.getMembers().get(2).getWatchGrade()).as("unscored, not GREEN").isNull();
    }

    @Test
    void theWorkoutSubsidiaryGradesTheGroupOnceItDrawsAMaterialShareAndNotAfterItLeaves() throws Exception {
        stages.member(scored("B-1", 1, 9_600_000, WatchGrade.GREEN, 180));
        stages.member(scored("B-2", 1, 300_000, WatchGrade.BLACK, 400));

        stages.member(scored("B-2", 2, 1_000_000, WatchGrade.BLACK, 400)); // 1.0 of 10.6M: 9.4%
        assertThat(latest().getWatchGrade()).isEqualTo(WatchGrade.BLACK);
        assertThat(latest().getWatchGradeMemberId()).isEqualTo("B-2");

        stages.member(GroupRiskFunctionTest.departure("B-2", "G-1", 3));
        GroupRiskSnapshot after = latest();
        assertThat(after.getWatchGrade()).isEqualTo(WatchGrade.GREEN);
        assertThat(after.getExposureWeightedScore()).isEqualTo(180);
        assertThat(after.getScoredMembers()).isEqualTo(1);
    }

    @Test
    void fivePercentIsMaterialAndJustUnderIsNot() throws Exception {
        stages.member(scored("B-1", 1, 950_001, WatchGrade.GREEN, 190));
        stages.member(scored("B-2", 1, 50_000, WatchGrade.AMBER, 280)); // 50,000 / 1,000,001: 4.99995%
        assertThat(latest().getWatchGrade()).isEqualTo(WatchGrade.GREEN);
        assertThat(materiality(latest())).isEqualTo("B-1 material B-2 small");

        stages.member(scored("B-1", 2, 950_000, WatchGrade.GREEN, 190)); // now exactly 5% of 1,000,000
        assertThat(latest().getWatchGrade()).isEqualTo(WatchGrade.AMBER);
        assertThat(materiality(latest())).isEqualTo("B-1 material B-2 material");
    }

    @Test
    void aMaterialMemberStaysMaterialUntilItsShareFallsBelowFourPercentSoASiblingsDrawingDoesNotFlipTheGroup() throws Exception {
        stages.member(scored("B-1", 1, 9_000_000, WatchGrade.GREEN, 190));
        stages.member(scored("B-2", 1, 600_000, WatchGrade.BLACK, 400)); // 6.25%: material
        assertThat(latest().getWatchGrade()).isEqualTo(WatchGrade.BLACK);

        stages.member(scored("B-1", 2, 12_000_000, WatchGrade.GREEN, 190)); // B-2 now 4.76%
        assertThat(latest().getWatchGrade()).as("still above the 4% exit").isEqualTo(WatchGrade.BLACK);

        stages.member(scored("B-1", 3, 15_000_000, WatchGrade.GREEN, 190)); // B-2 now 3.85%
        assertThat(latest().getWatchGrade()).isEqualTo(WatchGrade.GREEN);
        assertThat(materiality(latest())).isEqualTo("B-1 material B-2 small");

        stages.member(scored("B-1", 4, 12_000_000, WatchGrade.GREEN, 190)); // 4.76% again: below the 5% entry
        assertThat(latest().getWatchGrade()).as("once out, back only from 5%").isEqualTo(WatchGrade.GREEN);
    }

    @Test
    void ofTwoMaterialMembersInTheWorstGradeTheLargerDrawerNamesIt() throws Exception {
        stages.member(scored("B-1", 1, 2_000_000, WatchGrade.RED, 330));
        stages.member(scored("B-2", 1, 5_000_000, WatchGrade.RED, 310));
        stages.member(scored("B-3", 1, 3_000_000, WatchGrade.AMBER, 260));

        GroupRiskSnapshot snapshot = latest();
        assertThat(snapshot.getWatchGrade() + " " + snapshot.getWatchGradeMemberId()).isEqualTo("RED B-2");
        assertThat(snapshot.getExposureWeightedScore()).as("(2 x 330 + 5 x 310 + 3 x 260) / 10 = 299").isEqualTo(299);
    }

    @Test
    void ofTwoMembersInTheWorstGradeDrawingAlikeTheFirstByIdNamesItWhateverTheOrderTheyCameIn() throws Exception {
        stages.member(scored("B-9", 1, 4_000_000, WatchGrade.RED, 320));
        stages.member(scored("B-3", 1, 4_000_000, WatchGrade.RED, 340));

        assertThat(latest().getWatchGradeMemberId()).isEqualTo("B-3");
    }

    @Test
    void aMaterialMemberNotScoredYetMakesTheGradeProvisional() throws Exception {
        stages.member(scored("B-1", 1, 1_000_000, WatchGrade.AMBER, 280));
        stages.member(GroupRiskFunctionTest.healthy("B-2", "G-1", 1, 9_000_000)); // 90% of the group, not scored

        GroupRiskSnapshot snapshot = latest();
        assertThat(snapshot.getWatchGrade()).as("the grade of the scored material members").isEqualTo(WatchGrade.AMBER);
        assertThat(snapshot.getUnscoredMaterialMembers()).isEqualTo(1);
        assertThat(snapshot.getScoredMembers()).isEqualTo(1);
    }

    @Test
    void aScoreMovingWithinItsGradeWaitsForTheSnapshotIntervalButAnySmallMembersGradeChangeIsWrittenAtOnce() throws Exception {
        stages.member(scored("B-1", 1, 9_800_000, WatchGrade.GREEN, 190));
        stages.member(scored("B-2", 1, 200_000, WatchGrade.GREEN, 200)); // 2%: small
        int written = stages.groupSnapshots().size();

        stages.member(scored("B-1", 1, 9_800_000, WatchGrade.GREEN, 195)); // the weighted score moves, nothing else
        assertThat(stages.groupSnapshots()).as("within the hour's minimum interval").hasSize(written);

        stages.member(scored("B-2", 1, 200_000, WatchGrade.RED, 200)); // same score, the grade worsens
        assertThat(stages.groupSnapshots()).hasSize(written + 1);
        assertThat(latest().getWatchGrade()).as("B-2 is small").isEqualTo(WatchGrade.GREEN);
        assertThat(latest().getMembers().get(1).getWatchGrade()).isEqualTo(WatchGrade.RED);
        assertThat(latest().getExposureWeightedScore()).as("the move waited for, now written").isEqualTo(195);
    }

    @Test
    void inAGroupThatDrawsNothingEveryMemberWeighs() throws Exception {
        stages.member(scored("B-1", 1, 0, WatchGrade.GREEN, 190));
        stages.member(scored("B-2", 1, 0, WatchGrade.RED, 330));

        GroupRiskSnapshot snapshot = latest();
        assertThat(snapshot.getWatchGrade()).isEqualTo(WatchGrade.RED);
        assertThat(materiality(snapshot)).isEqualTo("B-1 material B-2 material");
        assertThat(snapshot.getExposureWeightedScore()).as("nothing drawn, nothing to weigh by").isNull();
    }

    @Test
    void aMemberWhoseAmountNoRateConvertsIsNotTakenForSmall() throws Exception {
        stages.member(scored("B-1", 1, 9_000_000, WatchGrade.GREEN, 180));
        MemberStatus usd = scored("B-2", 1, 200_000, WatchGrade.RED, 330);
        usd.currency = "USD"; // no USD rate published: its exposure is unknown

        stages.member(usd);

        GroupRiskSnapshot snapshot = latest();
        assertThat(snapshot.getWatchGrade() + " " + snapshot.getWatchGradeMemberId()).isEqualTo("RED B-2");
        assertThat(snapshot.getExposureWeightedScore()).as("weighed only by what is counted").isEqualTo(180);
    }

    @Test
    void aGroupWithNoScoredMemberHasNoGradeRatherThanGreen() throws Exception {
        stages.member(GroupRiskFunctionTest.healthy("B-1", "G-1", 1, 1_000_000));

        GroupRiskSnapshot snapshot = latest();
        assertThat(snapshot.getWatchGrade()).isNull();
        assertThat(snapshot.getWatchGradeMemberId()).isNull();
        assertThat(snapshot.getExposureWeightedScore()).isNull();
        assertThat(snapshot.getScoredMembers()).isZero();
    }

    @Test
    void aMemberMovingUpAGradeWithTheSameScoreWritesANewSnapshotAtOnce() throws Exception {
        stages.member(scored("B-1", 1, 1_000_000, WatchGrade.AMBER, 275));
        int before = stages.groupSnapshots().size();

        stages.member(scored("B-1", 1, 1_000_000, WatchGrade.RED, 275)); // e.g. the minimum stay held it at AMBER

        assertThat(stages.groupSnapshots()).hasSize(before + 1);
        assertThat(latest().getWatchGrade()).isEqualTo(WatchGrade.RED);
    }
}
