package dev.kestrel.jobs.kafka;

import dev.kestrel.contract.KafkaClientSecurity;
import dev.kestrel.jobs.config.EngineConfig;
import dev.kestrel.jobs.ingest.Inbound;
import dev.kestrel.jobs.ingest.InboundDeserializer;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.sink.KafkaSinkBuilder;
import org.apache.flink.connector.kafka.sink.TransactionNamingStrategy;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.util.function.SerializableFunction;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * The production Kafka sources and sinks of the jobs, built from the typed configuration, each with the security
 * settings of {@code kafka.client-config} (TLS, SASL).
 */
public final class KafkaConnections {
    private KafkaConnections() {}

    /** Where a source starts reading when the job has no state for it; with state, offsets come from the checkpoint. */
    public enum Start {
        /**
         * Where the consumer group left off (Flink commits the offsets at each checkpoint), or the earliest offset for a
         * new group: events, which a job must not take twice.
         */
        COMMITTED,
        /**
         * The earliest offset, whatever the group committed: topics whose whole content is in force (rules, scorecards,
         * rates, the desk's limit decisions), which a job started without its state must read again to hold them at all.
         */
        EARLIEST
    }

    /** A source reading the given topics, each with the record types allowed on it. */
    public static KafkaSource<Inbound> source(EngineConfig config, Map<String, Set<String>> recordTypesByTopic, Start start) {
        KafkaSourceBuilder<Inbound> builder = KafkaSource.<Inbound>builder()
                .setBootstrapServers(config.get(EngineConfig.BOOTSTRAP_SERVERS))
                .setGroupId(config.get(EngineConfig.CONSUMER_GROUP))
                .setTopics(List.copyOf(recordTypesByTopic.keySet()))
                .setStartingOffsets(start == Start.EARLIEST ? OffsetsInitializer.earliest()
                        : OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
                .setDeserializer(new InboundDeserializer(recordTypesByTopic, config.get(EngineConfig.INTERNAL_RATING_SCALE),
                        InboundDeserializer.Registry.of(config.get(EngineConfig.SCHEMA_REGISTRY),
                                config.get(EngineConfig.SCHEMA_REGISTRY_CREDENTIALS))))
                // Upstream producers may use transactions; never act on records they aborted.
                .setProperty("isolation.level", "read_committed")
                .setProperty("partition.discovery.interval.ms", "60000");
        if (config.get(EngineConfig.BOUNDED)) {
            builder.setBounded(OffsetsInitializer.latest());
        }
        KafkaClientSecurity.read(config.get(EngineConfig.KAFKA_CLIENT_CONFIG)).forEach(builder::setProperty);
        return builder.build();
    }

    /** An exactly-once sink: records become visible to read_committed readers when the checkpoint completes. */
    public static <T extends SpecificRecordBase> KafkaSink<T> exactlyOnceSink(EngineConfig config, String topic,
            SerializableFunction<T, String> key, String transactionalIdPrefix) {
        KafkaSinkBuilder<T> builder = KafkaSink.<T>builder()
                .setBootstrapServers(config.get(EngineConfig.BOOTSTRAP_SERVERS))
                .setRecordSerializer(new ContractRecordSerializer<>(topic, key))
                .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                .setTransactionalIdPrefix(transactionalIdPrefix)
                // Reuses a small pool of transactional ids and, on recovery, lists and aborts whatever transactions a
                // crashed task left open: with the default naming, a TaskManager killed mid-checkpoint left a
                // transaction that blocked read_committed readers until it timed out.
                .setTransactionNamingStrategy(TransactionNamingStrategy.POOLING)
                .setProperty("transaction.timeout.ms", Long.toString(config.get(EngineConfig.SINK_TRANSACTION_TIMEOUT).toMillis()))
                // Records become visible only when the checkpoint commits, and the sink flushes before that, so
                // waiting longer for fuller batches adds no latency anyone sees. Fewer, larger, compressed produce
                // requests are what made the snapshot output cheaper (docs/benchmarks.md); snapshots repeat the
                // indicator names in every record, so they compress well.
                .setProperty("linger.ms", "50")
                .setProperty("batch.size", Integer.toString(256 * 1024))
                .setProperty("compression.type", "lz4");
        KafkaClientSecurity.read(config.get(EngineConfig.KAFKA_CLIENT_CONFIG)).forEach(builder::setProperty);
        return builder.build();
    }
}
