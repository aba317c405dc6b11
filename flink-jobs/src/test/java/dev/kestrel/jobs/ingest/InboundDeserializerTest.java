package dev.kestrel.jobs.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kestrel.contract.RatingScale;
import dev.kestrel.contract.Samples;
import dev.kestrel.contract.WireCodec;
import dev.kestrel.events.BorrowerProfile;
import dev.kestrel.events.CollateralValuation;
import dev.kestrel.events.CreditEvent;
import dev.kestrel.events.DeadLetterReason;
import dev.kestrel.events.FinancialStatement;
import dev.kestrel.events.RepaymentEvent;
import dev.kestrel.events.RepaymentKind;
import dev.kestrel.events.TransactionEvent;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Map;
import java.util.Set;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class InboundDeserializerTest {
    private static final long NOW = Samples.T0.toEpochMilli();
    private final InboundDeserializer deserializer = new InboundDeserializer(Map.of(
            "tx", Set.of("TransactionEvent"), "rp", Set.of("RepaymentEvent"), "ce", Set.of("CreditEvent"),
            "md", Set.of("BorrowerProfile", "FinancialStatement", "CollateralValuation"), "rules", Set.of("Rule")),
            RatingScale.LETTERS);
    private final WireCodec codec = new WireCodec();
    private static final String LETTER_GRADES = "AAA, AA+, AA, AA-, A+, A, A-, BBB+, BBB, BBB-, BB+, BB, BB-, B+, B, B-, CCC+, CCC, "
            + "CCC-, CC, C, D";

    @Test
    void passesValidEventsOnWithTheirBorrowerAndEventTime() {
        Inbound inbound = read("tx", Samples.transaction());

        assertThat(inbound.event.transaction).isEqualTo(Samples.transaction());
        assertThat(inbound.event.borrowerId).isEqualTo("B-1001");
        assertThat(inbound.event.eventTimeMillis).isEqualTo(NOW);
    }

    @Test
    void passesRulesOnUnchecked() {
        assertThat(read("rules", Samples.rule()).rule).isEqualTo(Samples.rule());
    }

    @Test
    void keepsTheRawRecordAndItsPositionInTheDeadLetter() {
        ConsumerRecord<byte[], byte[]> garbage = new ConsumerRecord<>("tx", 1, 42L, bytes("B-9"), bytes("not avro"));

        Inbound inbound = deserializer.toInbound(garbage, NOW);

        assertThat(inbound.deadLetter.getSourceTopic()).isEqualTo("tx");
        assertThat(inbound.deadLetter.getPartition()).isEqualTo(1);
        assertThat(inbound.deadLetter.getOffset()).isEqualTo(42L);
        assertThat(inbound.deadLetter.getKey().array()).isEqualTo(bytes("B-9"));
        assertThat(inbound.deadLetter.getPayload().array()).isEqualTo(bytes("not avro"));
        assertThat(inbound.deadLetter.getReasonCode()).isEqualTo(DeadLetterReason.UNDECODABLE);
    }

    @Test
    void rejectsATombstone() {
        Inbound inbound = deserializer.toInbound(new ConsumerRecord<>("md", 0, 7L, bytes("B-1"), null), NOW);

        assertThat(inbound.deadLetter.getReason()).isEqualTo("empty payload");
    }

    @Test
    void rejectsARecordTypeThatDoesNotBelongOnTheTopic() {
        assertRejected("rp", Samples.transaction(), DeadLetterReason.WRONG_TOPIC,
                "TransactionEvent does not belong on rp, which carries RepaymentEvent");
    }

    @Test
    void rejectsAnEventStampedMoreThanADayAhead() {
        TransactionEvent future = TransactionEvent.newBuilder(Samples.transaction()).setEventTime(Samples.T0.plusSeconds(2 * 86_400)).build();

        assertRejected("tx", future, DeadLetterReason.INVALID, "eventTime 2026-03-04T09:15:00Z is more than a day in the future");
    }

    @Test
    void rejectsInvalidTransactions() {
        TransactionEvent valid = Samples.transaction();
        assertInvalid("tx", TransactionEvent.newBuilder(valid).setBorrowerId("").build(), "missing borrowerId");
        assertInvalid("tx", TransactionEvent.newBuilder(valid).setEventId(" ").build(), "missing eventId");
        assertInvalid("tx", TransactionEvent.newBuilder(valid).setAmountMinor(0L).build(), "amountMinor must be above 0, the direction gives the sign; got 0");
        assertInvalid("tx", TransactionEvent.newBuilder(valid).setCurrency("yuan").build(), "currency: 'yuan' is not an active ISO 4217 currency");
    }

    @Test
    void rejectsInvalidRepayments() {
        RepaymentEvent valid = Samples.repayment();
        assertInvalid("rp", RepaymentEvent.newBuilder(valid).setAmountDueMinor(-1L).build(), "amountDueMinor must not be negative; got -1");
        assertInvalid("rp", RepaymentEvent.newBuilder(valid).setPrincipalMinor(99_000_000L).build(),
                "principalMinor must lie between 0 and amountDueMinor; got 99000000");
        assertInvalid("rp", RepaymentEvent.newBuilder(valid).setKind(RepaymentKind.SCHEDULED).setScheduleDate(null).build(),
                "scheduleDate must be set on a SCHEDULED instalment");
        assertInvalid("rp", RepaymentEvent.newBuilder(valid).setDueDate(LocalDate.parse("2025-08-31")).build(),
                "dueDate 2025-08-31 is before scheduleDate 2025-09-01");
        assertInvalid("rp", RepaymentEvent.newBuilder(valid).setKind(RepaymentKind.PAID).setAmountPaidMinor(0L).build(),
                "amountPaidMinor must be above 0 on a PAID step; got 0");
    }

    @Test
    void rejectsInvalidCreditEvents() {
        CreditEvent valid = Samples.creditEvent();
        assertInvalid("ce", CreditEvent.newBuilder(valid).setNewRating("junk").build(), "newRating 'junk' is not a grade of the AAA..D scale");
        assertInvalid("ce", CreditEvent.newBuilder(valid).setAmountMinor(100L).setCurrency(null).build(),
                "currency must be set when amountMinor is; got null");
    }

    @Test
    void rejectsInvalidMasterData() {
        BorrowerProfile profile = Samples.borrowerProfile();
        assertInvalid("md", BorrowerProfile.newBuilder(profile).setInternalRating("good").build(),
                "internalRating: 'good' is not a grade of the internal scale (rating.internal-scale): " + LETTER_GRADES);
        var facility = dev.kestrel.events.Facility.newBuilder(profile.getFacilities().get(0)).setLimitMinor(-1L).build();
        assertInvalid("md", BorrowerProfile.newBuilder(profile).setFacilities(java.util.List.of(facility)).build(),
                "facilities[0].limitMinor must not be negative; got -1");
        assertInvalid("md", FinancialStatement.newBuilder(Samples.financialStatement()).setPeriodEnd(LocalDate.parse("2025-09-30")).build(),
                "periodEnd 2025-09-30 is before periodStart 2025-10-01");
        assertInvalid("md", CollateralValuation.newBuilder(Samples.collateralValuation()).setHaircutBasisPoints(12_000).build(),
                "haircutBasisPoints must lie between 0 and 10000; got 12000");
    }

    @Test
    void aBankOnItsOwnScaleHasProfilesOffItDeadLetteredAndBureauRatingsStillReadOnTheAgenciesScale() {
        InboundDeserializer oneToTen = new InboundDeserializer(Map.of("md", Set.of("BorrowerProfile"), "ce", Set.of("CreditEvent")),
                RatingScale.parse("PRIME: 1, 2, 3; INVESTMENT_GRADE: 4, 5; SPECULATIVE: 6, 7, 8; DISTRESSED: 9, 10"));
        BorrowerProfile profile = Samples.borrowerProfile();

        Inbound eleven = oneToTen.toInbound(new ConsumerRecord<>("md", 0, 3L, bytes("B-1001"),
                codec.encode(BorrowerProfile.newBuilder(profile).setInternalRating("11").build())), NOW);
        Inbound seven = oneToTen.toInbound(new ConsumerRecord<>("md", 0, 4L, bytes("B-1001"),
                codec.encode(BorrowerProfile.newBuilder(profile).setInternalRating("7").build())), NOW);
        Inbound downgrade = oneToTen.toInbound(new ConsumerRecord<>("ce", 0, 5L, bytes("B-1001"), codec.encode(Samples.creditEvent())), NOW);

        assertThat(eleven.deadLetter.getReasonCode()).isEqualTo(DeadLetterReason.INVALID);
        assertThat(eleven.deadLetter.getReason())
                .isEqualTo("internalRating: '11' is not a grade of the internal scale (rating.internal-scale): 1, 2, 3, 4, 5, 6, 7, 8, 9, 10");
        assertThat(eleven.deadLetter.getOffset()).isEqualTo(3L);
        assertThat(seven.event.profile.getInternalRating()).isEqualTo("7");
        assertThat(downgrade.event.credit.getNewRating()).isEqualTo(Samples.creditEvent().getNewRating());
    }

    private Inbound read(String topic, SpecificRecordBase record) {
        return deserializer.toInbound(new ConsumerRecord<>(topic, 0, 0L, bytes("k"), codec.encode(record)), NOW);
    }

    private void assertInvalid(String topic, SpecificRecordBase record, String reason) {
        assertRejected(topic, record, DeadLetterReason.INVALID, reason);
    }

    private void assertRejected(String topic, SpecificRecordBase record, DeadLetterReason code, String reason) {
        Inbound inbound = read(topic, record);
        assertThat(inbound.event).isNull();
        assertThat(inbound.deadLetter.getReasonCode()).isEqualTo(code);
        assertThat(inbound.deadLetter.getReason()).isEqualTo(reason);
        assertThat(inbound.deadLetter.getRecordType()).isEqualTo(record.getSchema().getName());
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
