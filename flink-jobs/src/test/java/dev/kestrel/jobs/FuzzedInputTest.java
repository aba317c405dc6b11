package dev.kestrel.jobs;

import static dev.kestrel.jobs.PipelineHarness.rawRecord;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kestrel.contract.EventValidator;
import dev.kestrel.contract.Samples;
import dev.kestrel.contract.WireCodec;
import dev.kestrel.events.Alert;
import dev.kestrel.events.DeadLetter;
import dev.kestrel.events.DeadLetterReason;
import dev.kestrel.events.Direction;
import dev.kestrel.events.TransactionEvent;
import dev.kestrel.jobs.config.EngineConfig;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * 10,000 bad payloads mixed into a valid stream: truncated Avro, unknown fingerprints, garbage, records on the wrong
 * topic, and well-formed events with invalid values. Every one must land in the dead-letter topic with its reason and
 * its bytes, every valid event's alerts must still be raised exactly, and the job must not restart once.
 */
class FuzzedInputTest {
    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = PipelineHarness.miniCluster();
    @RegisterExtension
    static final KafkaBroker KAFKA = new KafkaBroker();

    private static final int BAD_PAYLOADS = 10_000;
    private static final int BORROWERS = 200;
    private static final WireCodec CODEC = new WireCodec();

    /** One bad payload and the reason class the engine must give it. */
    private record Bad(byte[] payload, DeadLetterReason reason) {}

    private static List<Bad> badPayloads(Random random) {
        List<Bad> bad = new ArrayList<>();
        for (int i = 0; i < BAD_PAYLOADS; i++) {
            byte[] valid = CODEC.encode(validEvent(random, i));
            switch (i % 5) {
                case 0 -> bad.add(new Bad(Arrays.copyOf(valid, 1 + random.nextInt(valid.length - 1)), DeadLetterReason.UNDECODABLE));
                case 1 -> {
                    byte[] unknown = valid.clone();
                    for (int b = 2; b < 10; b++) {
                        unknown[b] = (byte) random.nextInt(256); // the 8-byte schema fingerprint after the C3 01 marker
                    }
                    bad.add(new Bad(unknown, DeadLetterReason.UNKNOWN_SCHEMA));
                }
                case 2 -> {
                    byte[] garbage = new byte[random.nextInt(200)];
                    random.nextBytes(garbage);
                    if (garbage.length > 0 && (garbage[0] & 0xFF) == 0xC3) {
                        garbage[0] = 0; // not accidentally the marker: that case is case 1's
                    }
                    bad.add(new Bad(garbage, DeadLetterReason.UNDECODABLE));
                }
                case 3 -> bad.add(new Bad(CODEC.encode(random.nextBoolean() ? Samples.rule() : Samples.alert()), DeadLetterReason.WRONG_TOPIC));
                default -> bad.add(new Bad(CODEC.encode(invalidEvent(random, i)), DeadLetterReason.INVALID));
            }
        }
        return bad;
    }

    private static SpecificRecordBase validEvent(Random random, int i) {
        return Events.transaction("F-" + random.nextInt(1000), 1, Direction.CREDIT, 1 + random.nextInt(10_000)).build();
    }

    /** Well-formed single-object Avro whose values break the contract's rules, each a different way. */
    private static SpecificRecordBase invalidEvent(Random random, int i) {
        TransactionEvent.Builder transaction = Events.transaction("F-" + i, 1, Direction.DEBIT, 100);
        return switch (random.nextInt(7)) {
            case 0 -> transaction.setAmountMinor(-random.nextInt(1000)).build();
            case 1 -> transaction.setCurrency("X" + random.nextInt(100)).build();
            case 2 -> transaction.setBorrowerId(" ").build();
            case 3 -> transaction.setAccountId("").build();
            case 4 -> transaction.setCurrency(random.nextBoolean() ? "XXX" : "XTS").build(); // ISO codes that are not money
            case 5 -> transaction.setAmountMinor(Long.MAX_VALUE - random.nextLong(Long.MAX_VALUE - EventValidator.MAX_AMOUNT_MINOR)).build();
            default -> transaction.setEventId("").build();
        };
    }

    @Test
    void deadLettersEveryBadPayloadWithItsReasonAndStillRaisesEveryValidAlertWithoutARestart(
            @TempDir Path checkpoints, @InjectMiniCluster MiniCluster cluster) throws Exception {
        EngineConfig config = PipelineHarness.configFor(KAFKA.broker(), checkpoints);
        String tx = config.get(EngineConfig.TRANSACTIONS_TOPIC);
        Random random = new Random(20261124L);
        List<Bad> bad = badPayloads(random);
        List<ProducerRecord<byte[], byte[]>> stream = new ArrayList<>();
        for (Bad b : bad) {
            stream.add(rawRecord(tx, "K-" + random.nextInt(500), b.payload()));
        }
        // The valid episodes go in among the bad records, each borrower's events in their order.
        List<ProducerRecord<byte[], byte[]>> valid = PipelineHarness.overdraftEpisodes(tx, 0, BORROWERS, 1);
        int step = stream.size() / valid.size();
        for (int v = 0; v < valid.size(); v++) {
            stream.add(v * (step + 1), valid.get(v));
        }

        JobClient job = PipelineHarness.startJob(config);
        try {
            KAFKA.broker().send(config.get(EngineConfig.PROFILES_TOPIC), PipelineHarness.overdraftBorrowers(config, 0, BORROWERS, 1));
            PipelineHarness.awaitKnown(KAFKA.broker(), config, BORROWERS);
            KAFKA.broker().send(tx, stream);
            List<DeadLetter> deadLetters = PipelineHarness.readCommitted(KAFKA.broker(), config.get(EngineConfig.DEAD_LETTERS_TOPIC),
                    BAD_PAYLOADS, DeadLetter.class, Duration.ofSeconds(180));
            List<Alert> alerts = PipelineHarness.readCommitted(KAFKA.broker(), config.get(EngineConfig.ALERTS_TOPIC),
                    2 * BORROWERS, Alert.class, Duration.ofSeconds(180));

            assertThat(deadLetters).hasSize(BAD_PAYLOADS);
            Map<String, DeadLetterReason> expected = new HashMap<>();
            Map<DeadLetterReason, Integer> expectedCounts = new EnumMap<>(DeadLetterReason.class);
            for (Bad b : bad) {
                expected.put(Base64.getEncoder().encodeToString(b.payload()), b.reason());
                expectedCounts.merge(b.reason(), 1, Integer::sum);
            }
            Map<DeadLetterReason, Integer> counts = new EnumMap<>(DeadLetterReason.class);
            for (DeadLetter d : deadLetters) {
                assertThat(d.getReason()).as("a reason a person can read").isNotBlank();
                assertThat(d.getSourceTopic()).isEqualTo(tx);
                ByteBuffer payload = d.getPayload();
                byte[] bytes = new byte[payload.remaining()];
                payload.get(bytes);
                DeadLetterReason should = expected.get(Base64.getEncoder().encodeToString(bytes));
                assertThat(should).as("the dead letter carries the bytes that were sent").isNotNull();
                assertThat(d.getReasonCode()).as(d.getReason()).isEqualTo(should);
                counts.merge(d.getReasonCode(), 1, Integer::sum);
            }
            assertThat(counts).isEqualTo(expectedCounts);
            List<String> changes = alerts.stream().map(a -> a.getAlertId() + " " + a.getLifecycle()).toList();
            assertThat(new HashSet<>(changes)).isEqualTo(PipelineHarness.overdraftAlertChanges(0, BORROWERS, 1));
            assertThat(changes).doesNotHaveDuplicates();
            assertThat(PipelineHarness.restarts(cluster, job)).as("bad input never fails the job").isZero();
            assertThat(job.getJobStatus().get()).isEqualTo(org.apache.flink.api.common.JobStatus.RUNNING);
        } finally {
            job.cancel().get();
        }
    }
}
