package dev.kestrel.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kestrel.contract.WireCodec;
import dev.kestrel.events.AlertLifecycle;
import dev.kestrel.events.Direction;
import dev.kestrel.contract.TestSigningKeys;
import dev.kestrel.jobs.config.EngineConfig;
import dev.kestrel.jobs.risk.AlertIds;
import dev.kestrel.jobs.config.EngineEnvironment;
import dev.kestrel.kafka.EmbeddedKafka;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
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
                .with(EngineConfig.SIGNING_KEYS, TestSigningKeys.ENGINE_KEYS)
                .with(EngineConfig.PARALLELISM, Integer.toString(PARALLELISM));
        List<String> topics = new ArrayList<>();
        for (var option : EngineConfig.TOPICS) {
            config = config.with(option, config.get(option) + suffix);
            topics.add(config.get(option));
        }
        kafka.createTopics(topics, PARALLELISM, Map.of());
        return config;
    }

    /** The shaded job jar the build made: target/flink-jobs-*-job.jar (integration tests run after packaging). */
    static Path jobJar() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            List<Path> jars = files.filter(p -> p.getFileName().toString().matches("flink-jobs-.*-job\\.jar")).toList();
            if (jars.size() != 1) {
                throw new IllegalStateException("expected one target/flink-jobs-*-job.jar, found " + jars);
            }
            return jars.get(0);
        }
    }

    /**
     * Cancels the job and waits until it has stopped: the cancel future completes when the cancel is acknowledged, while
     * tasks may still be writing checkpoint files that a test's temporary directory must not hold when it is deleted.
     */
    static void cancelAndAwait(JobClient job) throws Exception {
        job.cancel().get();
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(60).toNanos();
        while (!job.getJobStatus().get().isGloballyTerminalState() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
    }

    /** Starts the production pipeline (Kafka sources and sinks) on the MiniCluster and returns without waiting. */
    static JobClient startJob(EngineConfig config) throws Exception {
        return startJob(config, new Configuration());
    }

    /** The same, with Flink settings over the engine's own (a faster restart strategy for fault injection, say). */
    static JobClient startJob(EngineConfig config, Configuration overrides) throws Exception {
        Configuration flink = EngineEnvironment.flinkConfiguration(config);
        flink.addAll(overrides);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(flink);
        new EarlyWarningJob(config, EarlyWarningJob.kafkaSources(config), EarlyWarningJob.kafkaSinks(config)).build(env);
        return env.executeAsync(EarlyWarningJob.NAME);
    }

    /**
     * The profiles of borrowers O-from..O-(to-1), dated {@code day}, on the profiles topic: master data, which the
     * engine needs before it applies a borrower's events (until it comes, it holds them).
     */
    static List<ProducerRecord<byte[], byte[]>> overdraftBorrowers(EngineConfig config, int from, int to, int day) {
        return profiles(config, IntStream.range(from, to).mapToObj(i -> "O-" + i).toList(), day);
    }

    /** Bare profiles of {@code borrowers}, dated {@code day}, on the profiles topic: master data the engine needs first. */
    static List<ProducerRecord<byte[], byte[]>> profiles(EngineConfig config, List<String> borrowers, int day) {
        String topic = config.get(EngineConfig.PROFILES_TOPIC);
        return borrowers.stream().map(borrower -> record(topic, borrower, Events.bareProfile(borrower, day))).toList();
    }

    /**
     * Waits until the job has applied the profiles of {@code borrowers} borrowers, and a checkpoint has committed them:
     * a borrower's first evaluation always writes a snapshot. Tests that kill the job send master data first this way,
     * so that what they compare does not hang on which topic a restarted job reads first.
     */
    static void awaitKnown(EmbeddedKafka kafka, EngineConfig config, int borrowers) {
        int snapshots = kafka.readCommitted(config.get(EngineConfig.SNAPSHOTS_TOPIC), borrowers, Duration.ofSeconds(180), Duration.ZERO).size();
        if (snapshots < borrowers) {
            throw new AssertionError("the job applied " + snapshots + " of " + borrowers + " profiles");
        }
    }

    /**
     * For each borrower O-from..O-(to-1) an overdraft on {@code day} and its repayment the day after: one episode
     * opened and closed. All overdrafts come before all repayments, as a core banking feed sends them: in event-time
     * order.
     */
    static List<ProducerRecord<byte[], byte[]>> overdraftEpisodes(String topic, int from, int to, int day) {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
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

    /** The profiles of the borrowers {@link #bookReaches} moves, dated day 0: without them their events would be held. */
    static List<ProducerRecord<byte[], byte[]>> bookProfiles(EngineConfig config) {
        String topic = config.get(EngineConfig.PROFILES_TOPIC);
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int partition = 0; partition < PARALLELISM; partition++) {
            for (int n = 0; n < config.get(EngineConfig.TIME_QUORUM); n++) {
                String borrower = "BOOK-" + partition + "-" + n;
                records.add(record(topic, partition, borrower, Events.bareProfile(borrower, 0)));
            }
        }
        return records;
    }

    /**
     * The rest of the book reaching {@code day}: an inflow of as many borrowers ({@code BOOK-<partition>-<n>}) as
     * {@code events.time-quorum} on each partition of the topic, since fewer borrowers do not move event time.
     */
    static List<ProducerRecord<byte[], byte[]>> bookReaches(EngineConfig config, String topic, int day) {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int partition = 0; partition < PARALLELISM; partition++) {
            for (int n = 0; n < config.get(EngineConfig.TIME_QUORUM); n++) {
                String borrower = "BOOK-" + partition + "-" + n;
                records.add(record(topic, partition, borrower, Events.inflow(borrower, day, 1_000)));
            }
        }
        return records;
    }

    /** The alert changes {@link #overdraftEpisodes} must raise: each borrower's episode opened and closed, once. */
    static Set<String> overdraftAlertChanges(int from, int to, int day) {
        Set<String> changes = new HashSet<>();
        for (int i = from; i < to; i++) {
            String alertId = AlertIds.forBorrower("O-" + i, "CF-NEGATIVE-BALANCE", Events.at(day).toEpochMilli());
            changes.add(alertId + " " + AlertLifecycle.OPENED);
            changes.add(alertId + " " + AlertLifecycle.CLOSED);
        }
        return changes;
    }

    /** The job's restart count from Flink's own metric, through the REST API (its fetcher refreshes every few seconds). */
    static long restarts(MiniCluster cluster, JobClient job) throws Exception {
        String url = cluster.getRestAddress().get() + "/jobs/" + job.getJobID() + "/metrics?get=numRestarts";
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        String body = "";
        while (System.nanoTime() < deadline) {
            body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            JsonNode metrics = new ObjectMapper().readTree(body);
            if (metrics.size() == 1) {
                return metrics.get(0).path("value").asLong();
            }
            Thread.sleep(500);
        }
        throw new AssertionError("the job's numRestarts metric was never reported: " + body);
    }

    static ProducerRecord<byte[], byte[]> record(String topic, String key, SpecificRecordBase value) {
        return new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), CODEC.encode(value));
    }

    /** The same on a chosen partition, for tests about what each partition's event time is. */
    static ProducerRecord<byte[], byte[]> record(String topic, int partition, String key, SpecificRecordBase value) {
        return new ProducerRecord<>(topic, partition, key.getBytes(StandardCharsets.UTF_8), CODEC.encode(value));
    }

    /** The same record in a schema registry's wire format, under the id the registry gave its schema. */
    static ProducerRecord<byte[], byte[]> registered(ProducerRecord<byte[], byte[]> record, int schemaId) {
        return new ProducerRecord<>(record.topic(), record.partition(), record.key(),
                CODEC.encodeRegistered(CODEC.decode(record.value()).record(), schemaId));
    }

    static ProducerRecord<byte[], byte[]> rawRecord(String topic, String key, byte[] value) {
        return new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value);
    }

    /** Reads a topic with read_committed and decodes every value with the contract's codec. */
    static <T extends SpecificRecordBase> List<T> readCommitted(EmbeddedKafka kafka, String topic, int expected, Class<T> type) {
        return readCommitted(kafka, topic, expected, type, Duration.ofSeconds(180));
    }

    /** Reads the topic read_committed until what it holds passes the test, or, after {@code patience}, returns what it held. */
    static <T extends SpecificRecordBase> List<T> awaitRecords(EmbeddedKafka kafka, String topic, Class<T> type, Duration patience,
            Predicate<List<T>> done) {
        long deadline = System.nanoTime() + patience.toNanos();
        List<T> records;
        while (true) {
            records = decoded(kafka.readCommitted(topic, 0, Duration.ZERO, Duration.ZERO), type);
            if (done.test(records) || System.nanoTime() >= deadline) {
                return records;
            }
            try {
                Thread.sleep(250); // leave the cores to the job between reads
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return records;
            }
        }
    }

    /** Reads what is committed once {@code expected} records are, and what the job commits in the next two checkpoints. */
    static <T extends SpecificRecordBase> List<T> readCommitted(EmbeddedKafka kafka, String topic, int expected, Class<T> type, Duration timeout) {
        return decoded(kafka.readCommitted(topic, expected, timeout, Duration.ofSeconds(1)), type);
    }

    private static <T extends SpecificRecordBase> List<T> decoded(List<ConsumerRecord<byte[], byte[]>> records, Class<T> type) {
        return records.stream().map(r -> type.cast(CODEC.decode(r.value()).record())).toList();
    }
}
