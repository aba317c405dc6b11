package dev.kestrel.api.feed;

import dev.kestrel.api.alerts.AlertStream;
import dev.kestrel.api.config.FeedSettings;
import dev.kestrel.api.store.Database;
import dev.kestrel.contract.Decoded;
import dev.kestrel.contract.Topic;
import dev.kestrel.contract.WireCodec;
import dev.kestrel.events.DeadLetter;
import dev.kestrel.events.DeadLetterReason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Named;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the engine's alerts and snapshots, master data and published rules into the store. Each poll is written in
 * one database transaction, and the consumer offsets are committed only after it: a crash before the database
 * commit rereads the batch, a crash after it rereads records the store already holds, and {@link FeedWriter} makes
 * rereading harmless. Topics are read with {@code read_committed}, so aborted engine output never reaches the desk.
 *
 * <p>A plain consumer rather than a declarative listener, because the order "database commit, then offset commit"
 * and the retry of a failed batch must be explicit here, not left to an error strategy.
 */
@Context
@Requires(property = "kestrel.kafka.enabled", notEquals = "false")
public final class EngineFeed implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EngineFeed.class);
    private static final Duration RETRY_PAUSE = Duration.ofSeconds(2);

    private final FeedSettings settings;
    /** Each topic read, and the one record type it carries. */
    private final Map<String, Topic> carried;
    private final Database database;
    private final FeedWriter writer;
    private final AlertStream stream;
    private final Clock clock;
    private final Thread thread;
    private final Counter applied;
    private final Counter rejected;
    private final Counter failedBatches;
    private final AtomicLong lag = new AtomicLong(-1);
    private volatile Instant lastPoll = Instant.EPOCH;
    private volatile boolean running = true;
    private volatile KafkaConsumer<byte[], byte[]> consumer;

    EngineFeed(FeedSettings settings, @Named(Database.BACKGROUND) Database database, FeedWriter writer, AlertStream stream, MeterRegistry meters,
               Clock clock) {
        this.settings = settings;
        this.carried = settings.feedTopics();
        this.database = database;
        this.writer = writer;
        this.stream = stream;
        this.clock = clock;
        this.applied = meters.counter("kestrel.feed.records.applied");
        this.rejected = meters.counter("kestrel.feed.records.rejected");
        this.failedBatches = meters.counter("kestrel.feed.batches.failed");
        meters.gauge("kestrel.feed.lag", lag);
        this.thread = new Thread(this::run, "engine-feed");
        thread.setDaemon(true);
        thread.start();
    }

    /** Unread records across the feed's partitions, or -1 before the first poll. */
    public long lag() {
        return lag.get();
    }

    public Instant lastPoll() {
        return lastPoll;
    }

    public boolean isRunning() {
        return running && thread.isAlive();
    }

    public long maxReadyLag() {
        return settings.maxReadyLag();
    }

    private void run() {
        WireCodec codec = new WireCodec();
        try (KafkaConsumer<byte[], byte[]> kafka = new KafkaConsumer<>(consumerProperties());
             KafkaProducer<byte[], byte[]> deadLetters = new KafkaProducer<>(producerProperties())) {
            consumer = kafka;
            kafka.subscribe(List.copyOf(carried.keySet()));
            while (running) {
                ConsumerRecords<byte[], byte[]> records = kafka.poll(settings.pollTimeout());
                lastPoll = clock.instant();
                if (!records.isEmpty()) {
                    writeBatch(kafka, records, codec, deadLetters);
                }
                lag.set(currentLag(kafka));
            }
        } catch (WakeupException e) {
            // close() asked us to stop
        } catch (RuntimeException e) {
            LOG.error("The engine feed stopped; readiness reports it", e);
        } finally {
            running = false;
        }
    }

    private void writeBatch(KafkaConsumer<byte[], byte[]> kafka, ConsumerRecords<byte[], byte[]> records, WireCodec codec,
                            KafkaProducer<byte[], byte[]> deadLetters) {
        Instant receivedAt = clock.instant();
        List<DeadLetter> rejections = new ArrayList<>();
        Set<String> changedAlerts = new LinkedHashSet<>();
        try {
            try {
                database.inTransaction(connection -> {
                    apply(connection, records, codec, receivedAt, rejections, changedAlerts, false);
                    return null;
                });
            } catch (RuntimeException e) {
                if (!Database.isRefusedValue(e)) {
                    throw e;
                }
                // A record PostgreSQL refuses (a NUL in a title, say) would block the feed for ever if retried:
                // write the batch again record by record and dead-letter the ones it refuses.
                database.inTransaction(connection -> {
                    apply(connection, records, codec, receivedAt, rejections, changedAlerts, true);
                    return null;
                });
            }
        } catch (RuntimeException e) {
            // Nothing of the batch was committed: rewind to the committed offsets and try again after a pause.
            failedBatches.increment();
            LOG.warn("Writing {} records failed; retrying from the last committed offsets: {}", records.count(), e.getMessage());
            rewind(kafka, records);
            sleep(RETRY_PAUSE);
            return;
        }
        // Dead letters before the offset commit: a crash in between rereads the batch, so none is lost.
        for (DeadLetter rejection : rejections) {
            LOG.warn("Rejected {}-{}@{}: {}", rejection.getSourceTopic(), rejection.getPartition(), rejection.getOffset(),
                    rejection.getReason());
            deadLetters.send(new ProducerRecord<>(settings.deadLettersTopic(),
                    rejection.getSourceTopic().getBytes(java.nio.charset.StandardCharsets.UTF_8), codec.encode(rejection)));
        }
        deadLetters.flush();
        kafka.commitSync(nextOffsets(records));
        applied.increment(records.count() - rejections.size());
        rejected.increment(rejections.size());
        stream.publishChanged(changedAlerts);
    }

    /** Applies a batch in the open transaction; careful, each record in its own savepoint, refused values dead-lettered. */
    private void apply(Connection connection, ConsumerRecords<byte[], byte[]> records, WireCodec codec, Instant receivedAt,
                       List<DeadLetter> rejections, Set<String> changedAlerts, boolean careful) throws SQLException {
        rejections.clear();
        changedAlerts.clear();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            Decoded decoded = codec.decode(record.value() == null ? new byte[0] : record.value());
            if (decoded.isRejected()) {
                rejections.add(deadLetter(record, decoded.reasonCode(), decoded.reason(), receivedAt));
                continue;
            }
            Topic topic = carried.get(record.topic());
            if (topic == null || !topic.recordType().javaClass().equals(decoded.record().getClass())) {
                // Whoever may write one topic must not speak for another's writer (an alert on the repayments topic).
                rejections.add(deadLetter(record, DeadLetterReason.WRONG_TOPIC, decoded.record().getSchema().getName()
                        + " does not belong on " + record.topic() + (topic == null ? "" : ", which carries "
                        + topic.recordType().name()), receivedAt));
                continue;
            }
            Savepoint before = careful ? connection.setSavepoint() : null;
            try {
                String changed = writer.apply(connection, decoded.record(), receivedAt);
                if (changed != null) {
                    changedAlerts.add(changed);
                }
            } catch (IllegalArgumentException e) {
                rejections.add(deadLetter(record, DeadLetterReason.WRONG_TOPIC, e.getMessage(), receivedAt));
            } catch (SQLException e) {
                if (!careful || !Database.isRefusedValue(e)) {
                    throw e;
                }
                connection.rollback(before);
                rejections.add(deadLetter(record, DeadLetterReason.INVALID, "the alert store refused a value: " + e.getMessage(),
                        receivedAt));
            }
        }
    }

    private static DeadLetter deadLetter(ConsumerRecord<byte[], byte[]> record, DeadLetterReason code, String reason,
                                         Instant at) {
        return DeadLetter.newBuilder()
                .setSourceTopic(record.topic())
                .setPartition(record.partition())
                .setOffset(record.offset())
                .setKey(record.key() == null ? null : ByteBuffer.wrap(record.key()))
                .setPayload(ByteBuffer.wrap(record.value() == null ? new byte[0] : record.value()))
                .setRecordType(null)
                .setReasonCode(code)
                .setReason("alert-api: " + reason)
                .setFailedAt(at)
                .build();
    }

    private static Map<TopicPartition, OffsetAndMetadata> nextOffsets(ConsumerRecords<byte[], byte[]> records) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition partition : records.partitions()) {
            List<ConsumerRecord<byte[], byte[]>> inPartition = records.records(partition);
            offsets.put(partition, new OffsetAndMetadata(inPartition.get(inPartition.size() - 1).offset() + 1));
        }
        return offsets;
    }

    private static void rewind(KafkaConsumer<byte[], byte[]> kafka, ConsumerRecords<byte[], byte[]> records) {
        Map<TopicPartition, OffsetAndMetadata> committed = kafka.committed(records.partitions());
        for (TopicPartition partition : records.partitions()) {
            OffsetAndMetadata offset = committed.get(partition);
            kafka.seek(partition, offset != null ? offset.offset() : records.records(partition).get(0).offset());
        }
    }

    private static long currentLag(KafkaConsumer<byte[], byte[]> kafka) {
        long total = 0;
        for (TopicPartition partition : kafka.assignment()) {
            OptionalLong partitionLag = kafka.currentLag(partition);
            if (partitionLag.isEmpty()) {
                return -1; // not known until the consumer has fetched from every partition
            }
            total += partitionLag.getAsLong();
        }
        return total;
    }

    private Properties consumerProperties() {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, settings.consumerGroup());
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, settings.maxPollRecords());
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        // New topics (the engine creates its output lazily) are picked up quickly.
        properties.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, 5_000);
        properties.putAll(settings.security());
        return properties;
    }

    private Properties producerProperties() {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        properties.putAll(settings.security());
        return properties;
    }

    private void sleep(Duration pause) {
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    @Override
    @PreDestroy
    public void close() {
        running = false;
        KafkaConsumer<byte[], byte[]> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        try {
            thread.join(Duration.ofSeconds(30).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
