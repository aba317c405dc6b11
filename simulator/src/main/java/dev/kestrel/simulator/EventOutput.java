package dev.kestrel.simulator;

import dev.kestrel.contract.ApprovalSignatures;
import dev.kestrel.events.BorrowerReview;
import dev.kestrel.contract.JsonLines;
import dev.kestrel.contract.Topic;
import dev.kestrel.contract.WireCodec;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Where simulated events go: Kafka topics in the wire format, or a JSON-lines history file. */
interface EventOutput extends AutoCloseable {
    void write(SpecificRecordBase record);

    @Override
    void close();

    /** The record's key on its topic, from the contract's catalogue. */
    static String keyOf(SpecificRecordBase record) {
        return Topic.carrying(record.getSchema().getName()).keyOf(record);
    }

    /**
     * One topic per record type, key borrowerId (groupId for group limits, base/quote for FX rates), Avro
     * single-object encoding; a review signed with {@code reviewSigner}, the desk's key, as the alert API signs it.
     */
    static EventOutput kafka(String bootstrapServers, Map<String, String> topics, Map<String, String> security,
            ApprovalSignatures.Signer reviewSigner) {
        Properties properties = new Properties();
        properties.putAll(security);
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        properties.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        properties.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        properties.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(properties, new ByteArraySerializer(),
                new ByteArraySerializer());
        WireCodec codec = new WireCodec();
        return new EventOutput() {
            @Override
            public void write(SpecificRecordBase record) {
                if (record instanceof BorrowerReview review) {
                    reviewSigner.sign(review); // the simulator sends none without the key (SimulatorOptions#sendsReviews)
                }
                String key = keyOf(record);
                // No Kafka timestamp: the broker stamps the append time; simulated event times live in the records.
                producer.send(new ProducerRecord<>(topics.get(topicOf(record)), null, null,
                        key.getBytes(StandardCharsets.UTF_8), codec.encode(record)), (metadata, error) -> {
                    if (error != null) {
                        throw new IllegalStateException("Kafka refused a simulated event: " + error.getMessage(), error);
                    }
                });
            }

            @Override
            public void close() {
                producer.close();
            }
        };
    }

    static EventOutput jsonLines(Path file) {
        try {
            BufferedWriter writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
            return new EventOutput() {
                @Override
                public void write(SpecificRecordBase record) {
                    try {
                        writer.write(JsonLines.write(record));
                        writer.newLine();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }

                @Override
                public void close() {
                    try {
                        writer.close();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            };
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The topic option a record type goes to: its topic's short name in the contract's catalogue. Upstream topics, and
     * the reviews topic, which the simulated officers write as the desk does.
     */
    static String topicOf(SpecificRecordBase record) {
        Topic topic = Topic.carrying(record.getSchema().getName());
        if (topic.writer() != Topic.Writer.UPSTREAM && topic != Topic.REVIEWS) {
            throw new IllegalArgumentException("the simulator does not write " + record.getSchema().getName());
        }
        return topic.shortName();
    }
}
