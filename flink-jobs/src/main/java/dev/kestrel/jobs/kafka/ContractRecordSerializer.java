package dev.kestrel.jobs.kafka;

import dev.kestrel.contract.WireCodec;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.kafka.lineage.DefaultKafkaDatasetFacet;
import org.apache.flink.connector.kafka.lineage.DefaultKafkaDatasetIdentifier;
import org.apache.flink.connector.kafka.lineage.KafkaDatasetFacet;
import org.apache.flink.connector.kafka.lineage.KafkaDatasetFacetProvider;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.util.function.SerializableFunction;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Writes a contract record in the single-object wire format to one topic, keyed by a field of the record. */
public final class ContractRecordSerializer<T extends SpecificRecordBase>
        implements KafkaRecordSerializationSchema<T>, KafkaDatasetFacetProvider {
    private final String topic;
    private final SerializableFunction<T, String> key;
    private transient WireCodec codec;

    public ContractRecordSerializer(String topic, SerializableFunction<T, String> key) {
        this.topic = topic;
        this.key = key;
    }

    @Override
    public void open(SerializationSchema.InitializationContext context, KafkaSinkContext sinkContext) {
        codec = new WireCodec();
    }

    /** Names the target topic, so the exactly-once sink can find and abort transactions a crashed task left open on it. */
    @Override
    public Optional<KafkaDatasetFacet> getKafkaDatasetFacet() {
        return Optional.of(new DefaultKafkaDatasetFacet(DefaultKafkaDatasetIdentifier.ofTopics(List.of(topic))));
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(T record, KafkaSinkContext context, Long timestamp) {
        // The Kafka timestamp is left to the producer (append time): event time travels in the record, and a broker
        // rejects record timestamps far from its clock, which replays of history and early events would have.
        return new ProducerRecord<>(topic, null, null, key.apply(record).getBytes(StandardCharsets.UTF_8), codec.encode(record));
    }
}
