package dev.kestrel.jobs.ingest;

import dev.kestrel.contract.Decoded;
import dev.kestrel.contract.EventValidator;
import dev.kestrel.contract.RatingScale;
import dev.kestrel.contract.SchemaRegistry;
import dev.kestrel.contract.WireCodec;
import dev.kestrel.events.DeadLetterReason;
import dev.kestrel.events.FxRate;
import dev.kestrel.events.GroupLimit;
import dev.kestrel.events.LimitDecision;
import dev.kestrel.events.Rule;
import dev.kestrel.events.Scorecard;
import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Turns each Kafka record into an {@link Inbound}: the decoded, validated event or rule, or a dead letter that keeps
 * the raw bytes, the source position and the reason. It never throws on input, so no record can fail the job; only a
 * schema registry that does not answer does.
 */
public final class InboundDeserializer implements KafkaRecordDeserializationSchema<Inbound> {
    /** An event stamped further ahead than this is a broken clock upstream; it would age its borrower days too soon. */
    static final Duration MAX_CLOCK_SKEW = Duration.ofDays(1);

    private final Map<String, Set<String>> recordTypesByTopic;
    private final RatingScale internalRatingScale;
    private final Registry registry;
    private transient WireCodec codec;

    /** Where registry-format records find their schema ids: a Confluent-compatible address, or none. */
    public record Registry(String url, String credentialsFile) implements Serializable {
        public static final Registry NONE = new Registry("", "");

        public static Registry of(String url, String credentialsFile) {
            return url == null || url.isBlank() ? NONE : new Registry(url, credentialsFile);
        }

        WireCodec codec() {
            return url.isBlank() ? new WireCodec() : new WireCodec(new SchemaRegistry(url, credentialsFile));
        }
    }

    /**
     * @param recordTypesByTopic for each topic read, the names of the records that may appear on it
     * @param internalRatingScale the bank's rating scale, on which a profile's internalRating must be a grade
     */
    public InboundDeserializer(Map<String, Set<String>> recordTypesByTopic, RatingScale internalRatingScale) {
        this(recordTypesByTopic, internalRatingScale, Registry.NONE);
    }

    /** As above, also reading the registry wire format through {@code registry}. */
    public InboundDeserializer(Map<String, Set<String>> recordTypesByTopic, RatingScale internalRatingScale, Registry registry) {
        this.recordTypesByTopic = Map.copyOf(recordTypesByTopic);
        this.internalRatingScale = internalRatingScale;
        this.registry = registry;
    }

    @Override
    public void open(DeserializationSchema.InitializationContext context) {
        codec = registry.codec();
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<Inbound> out) {
        out.collect(toInbound(record, System.currentTimeMillis()));
    }

    Inbound toInbound(ConsumerRecord<byte[], byte[]> record, long nowMillis) {
        if (codec == null) {
            codec = registry.codec();
        }
        // Throws only when the schema registry does not answer: the job then restarts from its checkpoint and reads the
        // record again, rather than dead-letter a good record for an outage.
        Decoded decoded = codec.decode(record.value());
        if (decoded.isRejected()) {
            return reject(record, null, decoded.reasonCode(), decoded.reason());
        }
        SpecificRecordBase value = decoded.record();
        String type = value.getSchema().getName();
        Set<String> allowed = recordTypesByTopic.getOrDefault(record.topic(), Set.of());
        if (!allowed.contains(type)) {
            return reject(record, type, DeadLetterReason.WRONG_TOPIC,
                    type + " does not belong on " + record.topic() + ", which carries " + String.join(", ", allowed));
        }
        if (value instanceof Rule rule) {
            // Rules are compiled, and rejected if they do not compile, by the route after the source.
            return Inbound.decoded(null, rule, record.topic(), record.partition(), record.offset(), record.key(), record.value());
        }
        if (value instanceof Scorecard card) {
            // Checked, and rejected if they fail the check, by the route after the source, as rules are.
            return Inbound.scorecard(card, record.topic(), record.partition(), record.offset(), record.key(), record.value());
        }
        String problem = EventValidator.problem(value, internalRatingScale);
        if (problem != null) {
            return reject(record, type, DeadLetterReason.INVALID, problem);
        }
        if (value instanceof GroupLimit limit) {
            return Inbound.groupLimit(limit); // master data of a group: no lateness, no borrower
        }
        if (value instanceof LimitDecision decision) {
            // Its signature is checked by the route after the source, as a rule's is.
            return Inbound.limitDecision(decision, record.topic(), record.partition(), record.offset(), record.key(), record.value());
        }
        if (value instanceof FxRate rate) {
            return Inbound.fxRate(rate); // master data of the whole book: broadcast, judged by its day
        }
        BorrowerEvent event = BorrowerEvent.of(value);
        if (event == null) {
            return reject(record, type, DeadLetterReason.WRONG_TOPIC, type + " is not an input of the engine");
        }
        event.from(record.topic(), record.partition(), record.offset());
        if (event.eventTimeMillis > nowMillis + MAX_CLOCK_SKEW.toMillis()) {
            return reject(record, type, DeadLetterReason.INVALID,
                    "eventTime " + Instant.ofEpochMilli(event.eventTimeMillis) + " is more than a day in the future");
        }
        return Inbound.decoded(event, null, record.topic(), record.partition(), record.offset(), record.key(), record.value());
    }

    private static Inbound reject(ConsumerRecord<byte[], byte[]> record, String type, DeadLetterReason code, String reason) {
        return Inbound.deadLetter(Inbound.deadLetter(record.topic(), record.partition(), record.offset(), record.key(),
                record.value(), type, code, reason));
    }

    @Override
    public TypeInformation<Inbound> getProducedType() {
        return TypeInformation.of(Inbound.class);
    }
}
