package dev.kestrel.jobs;

import dev.kestrel.contract.WireCodec;
import dev.kestrel.events.AlertLifecycle;
import dev.kestrel.events.Direction;
import dev.kestrel.jobs.config.EngineConfig;
import dev.kestrel.jobs.risk.AlertIds;
import dev.kestrel.jobs.config.EngineEnvironment;
import dev.kestrel.kafka.EmbeddedKafka;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * What whole-pipeline tests share: one in-process Kafka broker and one Flink MiniCluster (two task slots, RocksDB,
 * checkpoints every 500 ms), and topics named per test so tests never see each other's records.
 */
final class PipelineHarness {
    static final int PARALLELISM = 2;
    /** One codec for the tests' records: building one reads every released schema. Tests produce from one thread. */
    private static final WireCodec CODEC = new WireCodec();

    private PipelineHarness() {}

    static MiniClusterExtension miniCluster() {
        return new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
                .setNumberTaskManagers(1)
                .setNumberSlotsPerTaskManager(PARALLELISM)
                .setConfiguration(new Configuration())
                .build());
    }

    /** A configuration whose topics carry a unique suffix and exist on the broker, with short checkpoints. */
    static EngineConfig configFor(EmbeddedKafka kafka, Path checkpoints) {
        String suffix = "-" + UUID.randomUUID().toString().substring(0, 8);
        EngineConfig config = EngineConfig.defaults()
                .with(EngineConfig.BOOTSTRAP_SERVERS, kafka.bootstrapServers())
                .with(EngineConfig.CHECKPOINT_INTERVAL, "500ms")
                .with(EngineConfig.CHECKPOINT_STORAGE, checkpoints.toUri().toString())
                .with(EngineConfig.SOURCE_IDLENESS, "1s")
                .with(EngineConfig.PARALLELISM, Integer.toString(PARALLELISM));
        for (var option : EngineConfig.TOPICS) {
            config = config.with(option, config.get(option) + suffix);
            kafka.createTopic(config.get(option), PARALLELISM, Map.of());
        }
        return config;
    }

    /** The shaded job jar the build made: target/flink-jobs-*-job.jar (integration tests run after packaging). */
    static Path jobJar() throws java.io.IOException {
        try (Stream<Path> files = java.nio.file.Files.list(Path.of("target"))) {
            List<Path> jars = files.filter(p -> p.getFileName().toString().matches("flink-jobs-.*-job\\.jar")).toList();
            if (jars.size() != 1) {
                throw new IllegalStateException("expected one target/flink-jobs-*-job.jar, found " + jars);
            }
            return jars.get(0);
        }
    }

    /** Starts the production pipeline (Kafka sources and sinks) on the MiniCluster and returns without waiting. */
    static JobClient startJob(EngineConfig config) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(EngineEnvironment.flinkConfiguration(config));
        new EarlyWarningJob(config, EarlyWarningJob.kafkaSources(config), EarlyWarningJob.kafkaSinks(config)).build(env);
        return env.executeAsync(EarlyWarningJob.NAME);
    }

    /**
     * For each borrower O-from..O-(to-1) an overdraft on {@code day} and its repayment the day after: one episode
     * opened and closed. All overdrafts come before all repayments, as a core banking feed sends them: in event-time
     * order.
     */
    static List<ProducerRecord<byte[], byte[]>> overdraftEpisodes(String topic, int from, int to, int day) {
        List<ProducerRecord<byte[], byte[]>> records = new java.util.ArrayList<>();
        for (int i = from; i < to; i++) {
            String borrower = "O-" + i;
            records.add(record(topic, borrower, Events.transaction(borrower, day, Direction.DEBIT, 100)
                    .setBalanceAfterMinor(Events.yuan(-100)).build()));
        }
        for (int i = from; i < to; i++) {
            String borrower = "O-" + i;
            records.add(record(topic, borrower, Events.transaction(borrower, day + 1, Direction.CREDIT, 500)
                    .setBalanceAfterMinor(Events.yuan(400)).build()));
        }
        return records;
    }

    /** The alert changes {@link #overdraftEpisodes} must raise: each borrower's episode opened and closed, once. */
    static java.util.Set<String> overdraftAlertChanges(int from, int to, int day) {
        java.util.Set<String> changes = new java.util.HashSet<>();
        for (int i = from; i < to; i++) {
            String alertId = AlertIds.forBorrower("O-" + i, "CF-NEGATIVE-BALANCE", Events.at(day).toEpochMilli());
            changes.add(alertId + " " + AlertLifecycle.OPENED);
            changes.add(alertId + " " + AlertLifecycle.CLOSED);
        }
        return changes;
    }

    static ProducerRecord<byte[], byte[]> record(String topic, String key, SpecificRecordBase value) {
        return new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), CODEC.encode(value));
    }

    static ProducerRecord<byte[], byte[]> rawRecord(String topic, String key, byte[] value) {
        return new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value);
    }

    /** Reads a topic with read_committed and decodes every value with the contract's codec. */
    static <T extends SpecificRecordBase> List<T> readCommitted(EmbeddedKafka kafka, String topic, int expected, Class<T> type) {
        return readCommitted(kafka, topic, expected, type, Duration.ofSeconds(180));
    }

    static <T extends SpecificRecordBase> List<T> readCommitted(EmbeddedKafka kafka, String topic, int expected, Class<T> type, Duration timeout) {
        List<ConsumerRecord<byte[], byte[]>> records = kafka.readCommitted(topic, expected, timeout, Duration.ofSeconds(2));
        return records.stream().map(r -> type.cast(CODEC.decode(r.value()).record())).toList();
    }
}
