package dev.kestrel.bench;

import dev.kestrel.contract.WireCodec;
import dev.kestrel.events.Alert;
import dev.kestrel.events.AlertLifecycle;
import dev.kestrel.events.BorrowerProfile;
import dev.kestrel.events.Channel;
import dev.kestrel.events.CustomerSegment;
import dev.kestrel.events.Direction;
import dev.kestrel.events.TransactionEvent;
import dev.kestrel.events.TransactionKind;
import dev.kestrel.jobs.EarlyWarningJob;
import dev.kestrel.jobs.config.EngineConfig;
import dev.kestrel.jobs.config.EngineEnvironment;
import dev.kestrel.jobs.risk.AlertIds;
import dev.kestrel.kafka.EmbeddedKafka;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.HdrHistogram.Histogram;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * End-to-end alert latency at a fixed offered rate: from the moment Kafka acknowledges an event's append to the moment
 * its alert is readable with {@code read_committed}, as the desk reads it. The full job runs unbounded with RocksDB and
 * exactly-once sinks; a steady stream of inflows keeps it busy at the offered rate, and one event in a hundred is an
 * overdraft that must raise an alert, whose latency is recorded in an HdrHistogram. Run once per checkpoint interval:
 * exactly-once output becomes visible when the checkpoint that covers it completes.
 * Usage: {@code ./kestrel bench latency [events/s] [seconds] [checkpoint intervals, e.g. 10s,1s,200ms]}.
 */
public final class LatencyBenchmark {
    private static final int PARTITIONS = 4;
    private static final int BORROWERS = 50_000;
    private static final int ALERT_EVERY = 100;
    /** Before the measurement; 2 s with -Dkestrel.bench.warm-up=false (the build's toy run, whose figures nobody compares). */
    private static final Duration WARM_UP = Duration.ofSeconds("false".equals(System.getProperty("kestrel.bench.warm-up")) ? 2 : 15);

    public static void main(String[] args) throws Exception {
        int rate = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 60;
        String[] intervals = (args.length > 2 ? args[2] : "10s,1s,200ms").split(",");
        Path work = Files.createTempDirectory("kestrel-latency");
        List<String> rows = new ArrayList<>();
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            for (String interval : intervals) {
                rows.add(run(kafka, work, rate, seconds, interval));
            }
        }
        System.out.printf(Locale.ROOT, "%nOffered %,d events/s for %d s after a %d s warm-up, %d partitions, parallelism 2, "
                + "one alerting event in %d%n%n", rate, seconds, WARM_UP.toSeconds(), PARTITIONS, ALERT_EVERY);
        System.out.println("| Checkpoint interval | Alerts measured | p50 ms | p99 ms | p99.9 ms | max ms | events/s achieved |");
        System.out.println("|---|---|---|---|---|---|---|");
        rows.forEach(System.out::println);
    }

    private static String run(EmbeddedKafka kafka, Path work, int rate, int seconds, String interval) throws Exception {
        String suffix = "-" + UUID.randomUUID().toString().substring(0, 8);
        EngineConfig config = EngineConfig.defaults()
                .with(EngineConfig.BOOTSTRAP_SERVERS, kafka.bootstrapServers())
                .with(EngineConfig.PARALLELISM, "2")
                .with(EngineConfig.CHECKPOINT_INTERVAL, interval)
                .with(EngineConfig.CHECKPOINT_STORAGE, work.resolve("checkpoints" + suffix).toUri().toString())
                .with(EngineConfig.SOURCE_IDLENESS, "1s")
                // -Dkestrel.bench.out-of-orderness: the build's toy run sets 1s. With the default hour, a borrower's first
                // events of a day wait until event time passes the day's start, so from 00:00 to 01:00 UTC no alert came
                // within the run (docs/early-warning-job.md); the figures below are taken with the default.
                .with(EngineConfig.MAX_OUT_OF_ORDERNESS, System.getProperty("kestrel.bench.out-of-orderness",
                        EngineConfig.MAX_OUT_OF_ORDERNESS.defaultText()))
                .with(EngineConfig.CONSUMER_GROUP, "latency" + suffix);
        for (var topic : EngineConfig.TOPICS) {
            config = config.with(topic, config.get(topic) + suffix);
            kafka.createTopic(config.get(topic), PARTITIONS, Map.of());
        }
        sendProfiles(kafka, config.get(EngineConfig.PROFILES_TOPIC), (int) ((long) rate * (seconds + WARM_UP.toSeconds() + 1) / ALERT_EVERY));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(EngineEnvironment.flinkConfiguration(config));
        new EarlyWarningJob(config, EarlyWarningJob.kafkaSources(config), EarlyWarningJob.kafkaSinks(config)).build(env);
        JobClient job = env.executeAsync(EarlyWarningJob.NAME + "-latency");

        Map<String, Long> appendedAt = new ConcurrentHashMap<>();
        Histogram latencyMicros = new Histogram(Duration.ofMinutes(5).toNanos() / 1_000, 3);
        AtomicBoolean reading = new AtomicBoolean(true);
        String alertsTopic = config.get(EngineConfig.ALERTS_TOPIC);
        Thread reader = new Thread(() -> readAlerts(kafka, alertsTopic, appendedAt, latencyMicros, reading), "alert-reader");
        reader.start();

        long sent = produce(kafka, config.get(EngineConfig.TRANSACTIONS_TOPIC), rate, seconds, appendedAt);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!appendedAt.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        reading.set(false);
        reader.join();
        job.cancel().get();
        double achieved = sent / (double) (seconds + WARM_UP.toSeconds());
        String row = String.format(Locale.ROOT, "| %s | %,d (%d not seen) | %.0f | %.0f | %.0f | %.0f | %,.0f |", interval,
                latencyMicros.getTotalCount(), appendedAt.size(), latencyMicros.getValueAtPercentile(50) / 1e3,
                latencyMicros.getValueAtPercentile(99) / 1e3, latencyMicros.getValueAtPercentile(99.9) / 1e3,
                latencyMicros.getMaxValue() / 1e3, achieved);
        System.out.println(row);
        return row;
    }

    /**
     * The profiles of the steady borrowers and of as many fresh ones as the run can overdraw, before the job starts:
     * the engine holds a borrower's events until its profile has come, and the run measures alerts, not that wait.
     */
    private static void sendProfiles(EmbeddedKafka kafka, String topic, int overdrafts) {
        Instant now = Instant.ofEpochMilli(System.currentTimeMillis());
        List<String> borrowers = new ArrayList<>();
        for (int i = 0; i < BORROWERS; i++) {
            borrowers.add("S-" + i);
        }
        for (int i = 0; i <= overdrafts; i++) {
            borrowers.add("L-" + i);
        }
        WireCodec codec = new WireCodec();
        kafka.send(topic, borrowers.stream().map(borrower -> new ProducerRecord<>(topic, borrower.getBytes(StandardCharsets.UTF_8),
                codec.encode(BorrowerProfile.newBuilder().setBorrowerId(borrower).setName("Borrower " + borrower)
                        .setUnifiedSocialCreditCode(null).setLegalRepresentativeName(null).setLegalRepresentativeIdNumber(null)
                        .setLegalRepresentativePhone(null).setIndustry("C").setRegion("CN-SH").setGroupId(null)
                        .setInternalRating("BBB").setSegment(CustomerSegment.MID_CORPORATE).setEventTime(now).build())))
                .toList());
    }

    /**
     * Sends at the offered rate in 10 ms slices, event times from the wall clock; every ALERT_EVERY-th event is an
     * overdraft of a fresh borrower, whose alert id is known in advance. Returns how many events were sent.
     */
    private static long produce(EmbeddedKafka kafka, String topic, int rate, int seconds, Map<String, Long> appendedAt)
            throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "1");
        WireCodec codec = new WireCodec();
        long start = System.nanoTime();
        long measureFrom = start + WARM_UP.toNanos();
        long end = measureFrom + Duration.ofSeconds(seconds).toNanos();
        long sent = 0;
        long overdrafts = 0;
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            while (System.nanoTime() < end) {
                long slice = System.nanoTime();
                long due = (slice - start) * rate / 1_000_000_000L;
                while (sent < due) {
                    Instant now = Instant.ofEpochMilli(System.currentTimeMillis());
                    boolean alerting = sent % ALERT_EVERY == 0;
                    String borrower = alerting ? "L-" + overdrafts++ : "S-" + (sent % BORROWERS);
                    TransactionEvent event = TransactionEvent.newBuilder()
                            .setEventId("E-" + sent).setBorrowerId(borrower).setAccountId("A-" + borrower).setFacilityId(null)
                            .setDirection(alerting ? Direction.DEBIT : Direction.CREDIT).setKind(TransactionKind.TRANSFER)
                            .setAmountMinor(10_000L + sent % 1_000).setCurrency("CNY").setChannel(Channel.ONLINE)
                            .setCounterpartyId("CP-" + sent % 40).setCounterpartyName(null).setPurpose(null)
                            .setBalanceAfterMinor(alerting ? -5_000L : 1_000_000L).setEventTime(now).build();
                    boolean measured = alerting && slice >= measureFrom;
                    String alertId = measured ? AlertIds.forBorrower(borrower, "CF-NEGATIVE-BALANCE", now.toEpochMilli()) : null;
                    producer.send(new ProducerRecord<>(topic, borrower.getBytes(StandardCharsets.UTF_8), codec.encode(event)),
                            (metadata, error) -> {
                                if (alertId != null && error == null) {
                                    appendedAt.put(alertId, System.nanoTime());
                                }
                            });
                    sent++;
                }
                Thread.sleep(10);
            }
            producer.flush();
        }
        return sent;
    }

    private static void readAlerts(EmbeddedKafka kafka, String topic, Map<String, Long> appendedAt, Histogram latencyMicros,
            AtomicBoolean reading) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "latency-reader-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "10");
        WireCodec codec = new WireCodec();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            while (reading.get()) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(10))) {
                    long seenAt = System.nanoTime();
                    Alert alert = (Alert) codec.decode(record.value()).record();
                    if (alert.getLifecycle() != AlertLifecycle.OPENED) {
                        continue;
                    }
                    Long appended = appendedAt.remove(alert.getAlertId());
                    if (appended != null) {
                        latencyMicros.recordValue(Math.max(0, (seenAt - appended) / 1_000));
                    }
                }
            }
        }
    }
}
