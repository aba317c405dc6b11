package dev.kestrel.jobs.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kestrel.contract.Indicator;
import dev.kestrel.events.Severity;
import dev.kestrel.events.WatchGrade;
import dev.kestrel.jobs.risk.Episode;
import dev.kestrel.jobs.risk.EventRef;
import dev.kestrel.jobs.risk.StateBytes;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class GroupStateSerializerTest {
    private static final long DAY_3 = 1767434400000L; // 2026-01-04T10:00Z
    private static final long DAY_4 = 1767520800000L;
    private final GroupStateSerializer serializer = new GroupStateSerializer();

    @Test
    void readsStateThatTheEngineWroteInFormatOne() throws IOException {
        // group(), without what format 2 adds, as the format-1 engine serialised it, kept byte for byte.
        GroupState restored = StateBytes.read(serializer, StateBytes.kept("group-state-format-1.hex"));

        assertThat(restored.groupName).isEqualTo("Group G-1");
        assertThat(restored.limitMinor).isEqualTo(1_000_000_000L);
        assertThat(restored.drawnMinor).isEqualTo(950_000_000L);
        assertThat(restored.episodes).singleElement().satisfies(e -> {
            assertThat(e.ruleId + " " + e.severity + " " + e.startedAt).isEqualTo("GRP-LIMIT-NEAR MEDIUM " + DAY_3);
            assertThat(e.checkedAt).as("not checked by this engine yet").isEqualTo(Episode.NEVER);
            assertThat(e.unknown()).isEmpty();
        });
        assertThat(restored.memberEpisodes).extracting(m -> m.borrowerId() + " " + m.episode().ruleId).containsExactly("B-2 GRP-CONTAGION");
        assertThat(restored.recentEvents).extracting(EventRef::eventId).containsExactly("TX-B-1-1");
        assertThat(restored.snapshotKey).isEqualTo(42L);
    }

    @Test
    void readsStateThatTheEngineWroteInFormatTwoAsNotYetGraded() throws IOException {
        // group() with its episode checked on day 4 and its utilisation unknown since day 3, as the format-2 engine
        // serialised it, kept byte for byte.
        GroupState restored = StateBytes.read(serializer, StateBytes.kept("group-state-format-2.hex"));

        assertThat(restored.episodes.get(0).checkedAt).isEqualTo(DAY_4);
        assertThat(restored.episodes.get(0).lastKnownAt(Indicator.GROUP_LIMIT_UTILISATION)).isEqualTo(DAY_3);
        assertThat(restored.snapshotKey).isEqualTo(42L);
        assertThat(restored.watchGrade).as("graded at the group's next change").isNull();
        assertThat(restored.weightedScore).isNull();
        assertThat(restored.scoredMembers).isZero();
    }

    @Test
    void roundTripsTheGroupsGrade() throws IOException {
        GroupState state = group();
        state.watchGrade = WatchGrade.RED;
        state.watchGradeMember = "B-2";
        state.weightedScore = 287;
        state.scoredMembers = 2;
        state.unscoredMaterialMembers = 1;
        state.gradesDigest = -7L;
        state.scoresDigest = 11L;

        byte[] bytes = StateBytes.of(serializer, state);
        GroupState restored = StateBytes.read(serializer, bytes);

        assertThat(StateBytes.of(serializer, restored)).isEqualTo(bytes);
        assertThat(restored.watchGrade + " " + restored.watchGradeMember + " " + restored.weightedScore + " " + restored.scoredMembers
                + " " + restored.unscoredMaterialMembers + " " + restored.gradesDigest + " " + restored.scoresDigest)
                .isEqualTo("RED B-2 287 2 1 -7 11");
    }

    @Test
    void roundTripsOpenEpisodesWithWhenTheirIndicatorsWereLastKnown() throws IOException {
        GroupState state = group();
        Episode near = state.episodes.get(0);
        near.checkedAt = DAY_4;
        near.unknownSince(Indicator.GROUP_LIMIT_UTILISATION, DAY_3);

        byte[] bytes = StateBytes.of(serializer, state);
        GroupState restored = StateBytes.read(serializer, bytes);

        assertThat(StateBytes.of(serializer, restored)).isEqualTo(bytes);
        assertThat(restored.episodes.get(0).checkedAt).isEqualTo(DAY_4);
        assertThat(restored.episodes.get(0).lastKnownAt(Indicator.GROUP_LIMIT_UTILISATION)).isEqualTo(DAY_3);
    }

    @Test
    void refusesStateOfAnUnknownNewerFormatInsteadOfMisreadingIt() {
        byte[] bytes = StateBytes.of(serializer, group());
        bytes[0] = (byte) (GroupStateSerializer.FORMAT + 1);

        assertThatThrownBy(() -> StateBytes.read(serializer, bytes))
                .isInstanceOf(IOException.class).hasMessageContaining("newer than this engine reads");
    }

    /** The group the format-1 fixture holds. */
    private static GroupState group() {
        GroupState s = new GroupState();
        s.groupName = "Group G-1";
        s.currency = "CNY";
        s.hasLimit = true;
        s.limitMinor = 1_000_000_000L;
        s.limitAt = 1767261600000L;
        s.clock = DAY_4;
        s.members = 2;
        s.drawnMinor = 950_000_000L;
        s.categories[0] = 2;
        s.episodes.add(new Episode("GRP-LIMIT-NEAR", "6f1c2b0e-3a4d-3b5e-8f60-718293a4b5c6", Severity.MEDIUM, 1, DAY_3));
        s.memberEpisodes.add(new GroupState.MemberEpisode("B-2", new Episode("GRP-CONTAGION", "member-alert-1", Severity.HIGH, 1, DAY_3)));
        s.recentEvents.add(new EventRef("TX-B-1-1", "TransactionEvent", DAY_4));
        s.snapshotAt = DAY_4;
        s.snapshotKey = 42L;
        return s;
    }
}
