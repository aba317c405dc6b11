package dev.kestrel.jobs;

import dev.kestrel.contract.WireCodec;
import dev.kestrel.jobs.config.EngineConfig;
import dev.kestrel.jobs.config.EngineEnvironment;
import dev.kestrel.kafka.EmbeddedKafka;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
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

    /** Starts the production pipeline (Kafka sources and sinks) on the MiniCluster and returns without waiting. */
    static JobClient startJob(EngineConfig config) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(EngineEnvironment.flinkConfiguration(config));
        new EarlyWarningJob(config, EarlyWarningJob.kafkaSources(config), EarlyWarningJob.kafkaSinks(config)).build(env);
        return env.executeAsync(EarlyWarningJob.NAME);
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
