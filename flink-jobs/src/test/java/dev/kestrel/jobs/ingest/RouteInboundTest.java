package dev.kestrel.jobs.ingest;

import static dev.kestrel.jobs.Events.at;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kestrel.contract.RatingScale;
import dev.kestrel.contract.Samples;
import dev.kestrel.contract.TestSigningKeys;
import dev.kestrel.contract.WireCodec;
import dev.kestrel.events.BorrowerReview;
import dev.kestrel.events.DeadLetter;
import dev.kestrel.events.DeadLetterReason;
import dev.kestrel.events.FxRate;
import dev.kestrel.events.LimitDecision;
import dev.kestrel.events.Rule;
import dev.kestrel.events.RuleCondition;
import dev.kestrel.events.Scorecard;
import dev.kestrel.jobs.Events;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RouteInboundTest {
    private final InboundDeserializer deserializer = new InboundDeserializer(Map.of("tx", Set.of("TransactionEvent"), "rules", Set.of("Rule"),
            "scorecards", Set.of("Scorecard"), "fx", Set.of("FxRate"), "decisions", Set.of("LimitDecision"),
            "reviews", Set.of("BorrowerReview")),
            RatingScale.LETTERS);
    private OneInputStreamOperatorTestHarness<Inbound, BorrowerEvent> harness;

    @BeforeEach
    void open() throws Exception {
        harness = new OneInputStreamOperatorTestHarness<>(new ProcessOperator<>(new RouteInbound(TestSigningKeys.verifier())));
        harness.open();
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    private Inbound inbound(String topic, long offset, SpecificRecordBase record) {
        return deserializer.toInbound(new ConsumerRecord<>(topic, 0, offset, "k".getBytes(), new WireCodec().encode(record)),
                at(400).toEpochMilli());
    }

    private List<DeadLetter> deadLetters() {
        var side = harness.getSideOutput(RouteInbound.DEAD_LETTERS);
        return side == null ? List.of() : side.stream().map(StreamRecord::getValue).toList(); // null until the first one
    }

    @Test
    void passesEventsBehindNoWatermarkOn() throws Exception {
        harness.processElement(inbound("tx", 1, Events.inflow("B-1", 10, 100)), at(10).toEpochMilli());

        assertThat(harness.extractOutputValues()).singleElement().satisfies(e -> assertThat(e.borrowerId).isEqualTo("B-1"));
        assertThat(deadLetters()).isEmpty();
    }

    @Test
    void passesAnEventBehindTheTopicsEventTimeOnWithWhereItWasRead() throws Exception {
        // The topic's event time is other borrowers' time: whether the event is late is its borrower's question.
        harness.processWatermark(at(10).toEpochMilli());
        Inbound behind = inbound("tx", 7, Events.inflow("B-1", 9, 100));

        harness.processElement(behind, at(9).toEpochMilli());

        assertThat(deadLetters()).isEmpty();
        assertThat(harness.extractOutputValues()).singleElement().satisfies(e -> {
            assertThat(e.sourceTopic).isEqualTo("tx");
            assertThat(e.offset).isEqualTo(7);
        });
    }

    @Test
    void appliesMasterDataWhateverItsEventTime() throws Exception {
        InboundDeserializer masterData = new InboundDeserializer(Map.of("md", Set.of("BorrowerProfile")), RatingScale.LETTERS);
        harness.processWatermark(at(100).toEpochMilli());

        harness.processElement(masterData.toInbound(new ConsumerRecord<>("md", 0, 0L, null,
                new WireCodec().encode(Events.profile("B-1", null, 1, 10, 5))), at(400).toEpochMilli()), at(1).toEpochMilli());

        assertThat(harness.extractOutputValues()).hasSize(1);
    }

    @Test
    void deadLettersSignedRulesThatDoNotCompileAndPassesThemOnForTheBooksToRefuse() throws Exception {
        Rule malformed = Rule.newBuilder(Samples.rule()).setRuleId("BROKEN")
                .setCondition(RuleCondition.newBuilder().setAnyOf(List.of()).build()).build();

        harness.processElement(inbound("rules", 1, TestSigningKeys.SIGNER.sign(Samples.rule())), 0);
        harness.processElement(inbound("rules", 2, TestSigningKeys.SIGNER.sign(malformed)), 0);

        assertThat(harness.getSideOutput(RouteInbound.RULES)).as("signed, so passed on for the books to refuse and report")
                .extracting(r -> r.getValue().getRuleId()).containsExactly("REPAY-DPD-30", "BROKEN");
        assertThat(deadLetters()).singleElement().satisfies(d -> {
            assertThat(d.getReasonCode()).isEqualTo(DeadLetterReason.MALFORMED_RULE);
            assertThat(d.getReason()).isEqualTo("BROKEN: condition has no clause group");
            assertThat(d.getOffset()).isEqualTo(2);
        });
    }

    @Test
    void aRuleOrScorecardWithoutTheApprovalSignatureDoesNotTakeEffect() throws Exception {
        // Someone with write access to the topics but not through the API's four eyes: unsigned, or loosened after signing.
        Rule loosened = TestSigningKeys.SIGNER.sign(Samples.rule());
        loosened.getCondition().getAnyOf().get(0).getAllOf().get(0).setThreshold(90);
        Scorecard card = Samples.scorecard();

        harness.processElement(inbound("rules", 1, Samples.rule()), 0);
        harness.processElement(inbound("rules", 2, loosened), 0);
        harness.processElement(inbound("scorecards", 3, card), 0);
        harness.processElement(inbound("scorecards", 4, TestSigningKeys.SIGNER.sign(Samples.scorecard())), 0);

        assertThat(harness.getSideOutput(RouteInbound.RULES)).as("no rule takes effect").isNull();
        assertThat(harness.getSideOutput(RouteInbound.SCORECARDS)).extracting(r -> r.getValue().getVersion()).containsExactly(2);
        assertThat(deadLetters()).extracting(DeadLetter::getOffset, DeadLetter::getReasonCode, DeadLetter::getRecordType).containsExactly(
                org.assertj.core.groups.Tuple.tuple(1L, DeadLetterReason.UNSIGNED_RULE, "Rule"),
                org.assertj.core.groups.Tuple.tuple(2L, DeadLetterReason.UNSIGNED_RULE, "Rule"),
                org.assertj.core.groups.Tuple.tuple(3L, DeadLetterReason.UNSIGNED_RULE, "Scorecard"));
        assertThat(deadLetters()).extracting(DeadLetter::getReason).containsExactly(
                "REPAY-DPD-30 v1 does not take effect: unsigned: no signature; only versions the API published after approval take effect",
                "REPAY-DPD-30 v1 does not take effect: the signature by key 'test-approvals' does not match the content: the record was "
                        + "changed after approval, or signed by another key",
                "KESTREL-DEFAULT v2 does not take effect: unsigned: no signature; only versions the API published after approval take effect");
        assertThat(deadLetters()).allSatisfy(d -> assertThat(d.getPayload().remaining()).as("kept whole").isPositive());
    }

    @Test
    void sendsValidFxRatesToTheirOutputAndDeadLettersInvalidOnesAsInvalid() throws Exception {
        harness.processElement(inbound("fx", 1, Samples.fxRate()), 0);
        harness.processElement(inbound("fx", 2, FxRate.newBuilder(Samples.fxRate()).setRate("0").build()), 0);

        assertThat(harness.getSideOutput(RouteInbound.FX_RATES)).extracting(r -> r.getValue().getRate()).containsExactly("7.8123");
        assertThat(harness.extractOutputValues()).as("no borrower event").isEmpty();
        assertThat(deadLetters()).singleElement().satisfies(d -> {
            assertThat(d.getReasonCode()).isEqualTo(DeadLetterReason.INVALID);
            assertThat(d.getReason()).isEqualTo("rate must be above 0; got \"0\"");
        });
    }

    @Test
    void forwardsDeadLettersMadeAtTheSource() throws Exception {
        harness.processElement(deserializer.toInbound(new ConsumerRecord<>("tx", 0, 3L, null, new byte[] {1, 2}), 0L), 0);

        assertThat(deadLetters()).singleElement().satisfies(d -> assertThat(d.getReasonCode()).isEqualTo(DeadLetterReason.UNDECODABLE));
    }

    @Test
    void readsBackOnlyTheLimitDecisionsTheApiSignedAfterFourEyes() throws Exception {
        // Someone who can write the topic but did not go through the desk's approval: unsigned, or changed after signing.
        LimitDecision raised = TestSigningKeys.SIGNER.sign(Samples.limitDecision());
        raised.setLimitMinor(9_000_000_000L);

        harness.processElement(inbound("decisions", 1, TestSigningKeys.SIGNER.sign(Samples.limitDecision())), 0);
        harness.processElement(inbound("decisions", 2, Samples.limitDecision()), 0);
        harness.processElement(inbound("decisions", 3, raised), 0);

        assertThat(harness.getSideOutput(RouteInbound.LIMIT_DECISIONS)).extracting(r -> r.getValue().getLimitMinor())
                .containsExactly(4_000_000_000L);
        assertThat(deadLetters()).extracting(DeadLetter::getOffset, DeadLetter::getReasonCode, DeadLetter::getRecordType).containsExactly(
                org.assertj.core.groups.Tuple.tuple(2L, DeadLetterReason.UNSIGNED_DECISION, "LimitDecision"),
                org.assertj.core.groups.Tuple.tuple(3L, DeadLetterReason.UNSIGNED_DECISION, "LimitDecision"));
        assertThat(deadLetters().get(0).getReason()).isEqualTo("LD-8f3b2a17-4c6e-4d1a-9b58-0e7c2f4a6d91 is not read back: unsigned: "
                + "no signature; only versions the API published after approval take effect");
        assertThat(harness.extractOutputValues()).as("no borrower event").isEmpty();
    }

    @Test
    void takesOnlyTheReviewsTheDeskSignedSoNobodyElseCanMarkABorrowerReviewed() throws Exception {
        BorrowerReview backdated = TestSigningKeys.SIGNER.sign(Samples.borrowerReview());
        backdated.setNextReviewDate(java.time.LocalDate.parse("2027-03-01"));

        harness.processElement(inbound("reviews", 1, TestSigningKeys.SIGNER.sign(Samples.borrowerReview())), 0);
        harness.processElement(inbound("reviews", 2, Samples.borrowerReview()), 0);
        harness.processElement(inbound("reviews", 3, backdated), 0);

        assertThat(harness.extractOutputValues()).extracting(e -> e.review.getEventId() + " " + e.review.getNextReviewDate())
                .containsExactly("RV-3c9e1f52-8a4d-4b7e-a0f6-2d5b9c8e7a14 2026-04-01");
        assertThat(deadLetters()).extracting(DeadLetter::getOffset, DeadLetter::getReasonCode, DeadLetter::getRecordType).containsExactly(
                org.assertj.core.groups.Tuple.tuple(2L, DeadLetterReason.UNSIGNED_REVIEW, "BorrowerReview"),
                org.assertj.core.groups.Tuple.tuple(3L, DeadLetterReason.UNSIGNED_REVIEW, "BorrowerReview"));
        assertThat(deadLetters().get(0).getReason()).isEqualTo("RV-3c9e1f52-8a4d-4b7e-a0f6-2d5b9c8e7a14 of borrower B-1001 is not "
                + "taken: unsigned: no signature; only versions the API published after approval take effect");
    }
}
