package dev.kestrel.jobs.ingest;

import static dev.kestrel.jobs.Events.at;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kestrel.contract.RatingScale;
import dev.kestrel.contract.Samples;
import dev.kestrel.contract.WireCodec;
import dev.kestrel.events.Direction;
import dev.kestrel.events.TransactionEvent;
import dev.kestrel.jobs.Events;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.common.eventtime.TimestampAssigner;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * Event time of one partition, fed records as its source reads them (decoded from Kafka records, with the job's
 * timestamps), with the watermarks it emits captured. Out-of-orderness 1 hour, quorum 5, as by default.
 */
class BookEventTimeTest {
    private static final Duration OUT_OF_ORDERNESS = Duration.ofHours(1);
    private static final int QUORUM = 5;

    private final InboundDeserializer deserializer = new InboundDeserializer(Map.of(
            "tx", Set.of("TransactionEvent"), "profiles", Set.of("BorrowerProfile", "GroupLimit"), "rules", Set.of("Rule")),
            RatingScale.LETTERS);
    private final WatermarkStrategy<Inbound> strategy = BookEventTime.strategy(OUT_OF_ORDERNESS, QUORUM);
    private final WatermarkGenerator<Inbound> generator = strategy.createWatermarkGenerator(null);
    private final TimestampAssigner<Inbound> timestamps = strategy.createTimestampAssigner(null);
    private final List<Long> emitted = new ArrayList<>();
    private final WatermarkOutput output = new WatermarkOutput() {
        @Override
        public void emitWatermark(Watermark watermark) {
            emitted.add(watermark.getTimestamp());
        }

        @Override
        public void markIdle() {}

        @Override
        public void markActive() {}
    };
    private long offset;

    private void read(String topic, SpecificRecordBase record) {
        read(new ConsumerRecord<>(topic, 0, offset++, "k".getBytes(StandardCharsets.UTF_8), new WireCodec().encode(record)));
    }

    private void read(ConsumerRecord<byte[], byte[]> record) {
        Inbound inbound = deserializer.toInbound(record, at(400).toEpochMilli());
        generator.onEvent(inbound, timestamps.extractTimestamp(inbound, record.timestamp()), output);
    }

    private void transaction(String borrower, Instant time) {
        read("tx", Events.transaction(borrower, 0, Direction.CREDIT, 100).setEventTime(time).build());
    }

    /** The watermark the partition holds after a periodic emission: the last emitted, or none. */
    private Long eventTime() {
        generator.onPeriodicEmit(output);
        return emitted.isEmpty() ? null : emitted.get(emitted.size() - 1);
    }

    /** The watermark that lets events at {@code time} through and no earlier ones: an hour of out-of-orderness. */
    private static long trailing(Instant time) {
        return time.minus(OUT_OF_ORDERNESS).toEpochMilli() - 1;
    }

    /** Twenty borrowers B-0..B-19, each with a transaction at {@code time}. */
    private void bookAt(Instant time) {
        for (int i = 0; i < 20; i++) {
            transaction("B-" + i, time);
        }
    }

    @Test
    void twoBorrowersStampedTwentyThreeHoursAheadDoNotMoveTheBooksEventTime() {
        Instant tenOClock = at(2);
        bookAt(tenOClock);
        Instant ahead = tenOClock.plus(Duration.ofHours(23));
        transaction("X-1", ahead);
        transaction("X-2", ahead);
        transaction("X-1", ahead.plusSeconds(60)); // and again: one borrower counts once

        assertThat(eventTime()).isEqualTo(trailing(tenOClock));
    }

    @Test
    void aBoundedRunEmitsEventTimeAtTheRecordThatMovesItNotWhenTheClockTicks() {
        WatermarkGenerator<Inbound> onEveryRecord = BookEventTime.strategy(OUT_OF_ORDERNESS, QUORUM, true).createWatermarkGenerator(null);
        Instant nextHour = at(2).plus(Duration.ofMinutes(30));
        Instant sameHour = at(2).plus(Duration.ofMinutes(50));
        for (Instant time : List.of(at(2), at(2), nextHour, sameHour, at(3))) {
            ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>("tx", 0, offset++, "k".getBytes(StandardCharsets.UTF_8),
                    new WireCodec().encode(Events.transaction("B-1", 0, Direction.CREDIT, 100).setEventTime(time).build()));
            Inbound inbound = deserializer.toInbound(record, at(400).toEpochMilli());
            onEveryRecord.onEvent(inbound, timestamps.extractTimestamp(inbound, record.timestamp()), output);
        }

        assertThat(emitted).as("no periodic emission was asked for: each came with the record that moved event time into"
                + " a new hour, none with one that moved it within the hour")
                .containsExactly(trailing(at(2)), trailing(nextHour), trailing(at(3)));
        onEveryRecord.onPeriodicEmit(output);
        assertThat(emitted).as("the wall clock's tick emits nothing in a bounded run").hasSize(3);
    }

    @Test
    void movesOnceAQuorumOfDistinctBorrowersReachesATime() {
        Instant tenOClock = at(2);
        bookAt(tenOClock);
        Instant noon = tenOClock.plus(Duration.ofHours(2));
        for (int i = 0; i < QUORUM - 1; i++) {
            transaction("B-" + i, noon);
            assertThat(eventTime()).as("%d borrowers at noon", i + 1).isEqualTo(trailing(tenOClock));
        }
        transaction("B-" + (QUORUM - 1), noon);

        assertThat(eventTime()).isEqualTo(trailing(noon));
    }

    @Test
    void anOrdinaryStreamTrailsTheQuorumthNewestBorrowerByTheOutOfOrderness() {
        Instant start = at(2);
        for (int minute = 0; minute < 100; minute++) {
            transaction("B-" + (minute % 30), start.plus(Duration.ofMinutes(minute)));
            if (minute >= QUORUM) {
                // Thirty borrowers taking turns, one record a minute: the fifth newest borrower is four minutes back.
                assertThat(eventTime()).as("minute %d", minute)
                        .isEqualTo(trailing(start.plus(Duration.ofMinutes(minute - (QUORUM - 1)))));
            }
        }
        assertThat(emitted).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void aPartitionWithFewerBorrowersThanTheQuorumFollowsTheLeastAdvanced() {
        transaction("B-1", at(1));
        transaction("B-2", at(3));
        assertThat(eventTime()).isEqualTo(trailing(at(1)));

        transaction("B-1", at(3));
        assertThat(eventTime()).isEqualTo(trailing(at(3)));
    }

    @Test
    void neverGoesBackWhenALessAdvancedBorrowerTurnsUp() {
        transaction("B-1", at(3));
        assertThat(eventTime()).isEqualTo(trailing(at(3)));

        transaction("B-2", at(1));
        assertThat(eventTime()).isEqualTo(trailing(at(3)));
        assertThat(emitted).hasSize(1);
    }

    @Test
    void recordsWithoutABorrowerEventDoNotMoveEventTime() {
        read(new ConsumerRecord<>("tx", 0, offset++, "k".getBytes(StandardCharsets.UTF_8), "garbage".getBytes(StandardCharsets.UTF_8)));
        read("rules", Samples.rule());
        read("profiles", Events.groupLimit("G-1", 30, 1_000_000));
        assertThat(eventTime()).as("nothing with event time read yet").isNull();

        transaction("B-1", at(2));
        read("tx", TransactionEvent.newBuilder(Events.inflow("B-2", 30, 100)).setCurrency("XYZ").build()); // a dead letter
        read("profiles", Events.groupLimit("G-1", 30, 1_000_000));
        assertThat(eventTime()).isEqualTo(trailing(at(2)));
    }

    @Test
    void masterDataCountsForItsBorrower() {
        read("profiles", Events.profile("B-1", "G-1", 2, 1_000_000, 500_000));

        assertThat(eventTime()).isEqualTo(trailing(at(2)));
    }
}
