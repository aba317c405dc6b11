package dev.kestrel.replay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kestrel.contract.JsonLines;
import dev.kestrel.events.Alert;
import dev.kestrel.events.AlertScope;
import dev.kestrel.events.LimitAction;
import dev.kestrel.events.LimitDecision;
import dev.kestrel.events.LimitDecisionAction;
import dev.kestrel.events.LimitRecommendation;
import dev.kestrel.kafka.EmbeddedKafka;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A replay reads the desk's limit decisions back as the live job does. A credit officer did what the engine recommended
 * for a borrower (cut or freeze): from the approval on, the engine's recommendations carry it as the decision in force,
 * and the standing one, written again, says the decision answers it. A decision without its reason is refused with its
 * line. The decisions change no alert, and two replays give the same recommendations. (The restore suggestion once the
 * alerts clear is LimitRecommenderTest's: the simulator's books hold no cure.)
 */
class ReplayDecisionsTest {
    @org.junit.jupiter.api.extension.RegisterExtension
    static final org.apache.flink.test.junit5.MiniClusterExtension FLINK = dev.kestrel.replay.OneFlinkCluster.withSlots(2);

    @TempDir
    Path work;

    @Test
    void aDecisionOnTheEnginesRecommendationIsReadBackAsLive() throws Exception {
        Path history = ReplayDeterminismTest.mixedBook(work.resolve("book.jsonl"));
        Replay.Settings settings = Replay.Settings.pack("classpath:rules/default-rules.jsonl");
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            Replay.Result before = Replay.run(kafka, history, settings, work);

            // The first borrower's recommendation to cut or freeze that stands for a day at least: the desk answers it.
            LimitRecommendation recommended = firstStandingADay(before.recommendations()).orElseThrow(
                    () -> new AssertionError("the book should hold a recommendation to cut or freeze that stands a day"));
            Instant approved = recommended.getEventTime().plus(Duration.ofHours(1));
            LimitDecision decided = decision("LD-REPLAY-1", recommended, approved, "Done as the engine recommends, while the alerts last.");
            LimitDecision withoutReason = decision("LD-REPLAY-2", recommended, approved.plusSeconds(60), " ");
            Path withDecisions = work.resolve("book-with-decisions.jsonl");
            Files.copy(history, withDecisions);
            long lines = Files.readAllLines(history, StandardCharsets.UTF_8).size();
            String last = Files.readString(history, StandardCharsets.UTF_8);
            String appended = (last.endsWith("\n") ? "" : "\n") + JsonLines.write(decided) + "\n" + JsonLines.write(withoutReason) + "\n";
            Files.writeString(withDecisions, appended, StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);

            Replay.Result first = Replay.run(kafka, withDecisions, settings, work);
            Replay.Result second = Replay.run(kafka, withDecisions, settings, work);

            assertThat(first.alerts().stream().map(ReplayDecisionsTest::withoutWallClock).toList()).as("decisions change no alert")
                    .containsExactlyElementsOf(before.alerts().stream().map(ReplayDecisionsTest::withoutWallClock).toList());
            List<LimitRecommendation> subject = first.recommendations().stream()
                    .filter(r -> recommended.getBorrowerId().equals(r.getBorrowerId()) && r.getScope() == AlertScope.BORROWER).toList();
            assertThat(subject).as("before the approval, nothing decided")
                    .filteredOn(r -> r.getEventTime().isBefore(approved))
                    .isNotEmpty()
                    .allSatisfy(r -> assertThat(r.getDecisionInForce()).isNull());
            assertThat(subject).as("from the approval on, each recommendation carries the decision in force")
                    .filteredOn(r -> !r.getEventTime().isBefore(approved))
                    .isNotEmpty()
                    .allSatisfy(r -> assertThat(r.getDecisionInForce().getDecisionId()).isEqualTo("LD-REPLAY-1"));
            assertThat(subject).as("the standing recommendation written again at the approval: the decision answers it")
                    .filteredOn(r -> r.getEventTime().equals(approved))
                    .singleElement().satisfies(r -> {
                        assertThat(r.getAction()).isEqualTo(recommended.getAction());
                        assertThat(r.getReason()).startsWith("Keep the bank's ").contains("It answers the engine's recommendation");
                    });
            assertThat(first.refused()).as("the decision without its reason, by its line")
                    .anySatisfy(refusal -> {
                        assertThat(refusal.line()).isEqualTo(lines + 2);
                        assertThat(refusal.reasonCode()).isEqualTo("INVALID");
                        assertThat(refusal.reason()).contains("reason");
                    });
            assertThat(second.recommendations().stream().map(ReplayDecisionsTest::withoutWallClock).toList())
                    .as("the same recommendations in a second replay")
                    .containsExactlyElementsOf(first.recommendations().stream().map(ReplayDecisionsTest::withoutWallClock).toList());
        }
    }

    /** The first borrower recommendation to cut or freeze whose subject gets no other recommendation for a day. */
    private static Optional<LimitRecommendation> firstStandingADay(List<LimitRecommendation> recommendations) {
        for (int i = 0; i < recommendations.size(); i++) {
            LimitRecommendation r = recommendations.get(i);
            if (r.getScope() != AlertScope.BORROWER || r.getAction() == LimitAction.WITHDRAWN) {
                continue;
            }
            LimitRecommendation next = i + 1 < recommendations.size() ? recommendations.get(i + 1) : null;
            boolean sameSubject = next != null && r.getBorrowerId().equals(next.getBorrowerId()) && next.getScope() == AlertScope.BORROWER;
            if (!sameSubject || next.getEventTime().isAfter(r.getEventTime().plus(Duration.ofDays(1)))) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    /** The desk's answer to the recommendation: the same restriction, approved by a second person. */
    private static LimitDecision decision(String id, LimitRecommendation answered, Instant approvedAt, String reason) {
        boolean freeze = answered.getAction() == LimitAction.FREEZE_UNDRAWN;
        return LimitDecision.newBuilder()
                .setDecisionId(id).setScope(AlertScope.BORROWER).setBorrowerId(answered.getBorrowerId()).setGroupId(null)
                .setAction(freeze ? LimitDecisionAction.FREEZE_UNDRAWN : LimitDecisionAction.REDUCE_LIMIT)
                .setLimitMinor(freeze ? null : 1_000_000_000L).setCurrency(freeze ? null : "CNY")
                .setRecommendationId(answered.getRecommendationId()).setReason(reason)
                .setProposedBy("ana").setProposedAt(approvedAt.minus(Duration.ofMinutes(30)))
                .setApprovedBy("sue").setApprovedAt(approvedAt)
                .build();
    }

    private static String withoutWallClock(Alert alert) {
        return JsonLines.write(Alert.newBuilder(alert).setDetectedAt(Instant.EPOCH).build());
    }

    private static String withoutWallClock(LimitRecommendation recommendation) {
        return JsonLines.write(LimitRecommendation.newBuilder(recommendation).setDetectedAt(Instant.EPOCH).build());
    }
}
