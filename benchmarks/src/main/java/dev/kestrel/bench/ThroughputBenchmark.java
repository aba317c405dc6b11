package dev.kestrel.bench;

import com.sun.management.OperatingSystemMXBean;
import dev.kestrel.contract.WireCodec;
import dev.kestrel.events.CreditEvent;
import dev.kestrel.events.RepaymentEvent;
import dev.kestrel.events.TransactionEvent;
import dev.kestrel.jobs.EarlyWarningJob;
import dev.kestrel.jobs.config.EngineConfig;
import dev.kestrel.jobs.config.EngineEnvironment;
import dev.kestrel.jobs.ingest.BorrowerEvent;
import dev.kestrel.jobs.ingest.RouteInbound;
import dev.kestrel.kafka.EmbeddedKafka;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Throughput of the early-warning job against two floors, side by side on one machine and one pre-loaded broker:
 * (a) read, decode and discard; (c) the same plus one RocksDB read-modify-write per event, keyed by borrower; (b) the
 * full job with RocksDB, checkpoints every 10 s and exactly-once sinks. Prints events/s, CPU per event and the ratios.
 * Usage: {@code ./kestrel bench [borrowers] [events] [days of event time]}.
 */
public final class ThroughputBenchmark {
    private static final int PARTITIONS = 4;
    private static final int PARALLELISM = 2;

    public static void main(String[] args) throws Exception {
        int borrowers = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        long events = args.length > 1 ? Long.parseLong(args[1]) : 2_000_000L;
        int days = args.length > 2 ? Integer.parseInt(args[2]) : 30;
        Path work = Files.createTempDirectory("kestrel-bench");
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            EngineConfig config = EngineConfig.defaults()
                    .with(EngineConfig.BOOTSTRAP_SERVERS, kafka.bootstrapServers())
                    .with(EngineConfig.BOUNDED, "true")
                    .with(EngineConfig.PARALLELISM, Integer.toString(PARALLELISM))
                    .with(EngineConfig.CHECKPOINT_INTERVAL, "10s")
                    .with(EngineConfig.CHECKPOINT_STORAGE, work.resolve("checkpoints").toUri().toString())
                    .with(EngineConfig.SNAPSHOT_MIN_INTERVAL, System.getProperty("kestrel.bench.snapshot-interval",
                            EngineConfig.SNAPSHOT_MIN_INTERVAL.defaultText()));
            for (var topic : EngineConfig.TOPICS) {
                kafka.createTopic(config.get(topic), PARTITIONS, Map.of());
            }
            long loadStarted = System.nanoTime();
            preload(kafka, config, new SyntheticPortfolio(borrowers, events, days));
            System.out.printf(Locale.ROOT, "Pre-loaded %,d events for %,d borrowers over %d days of event time in %.1f s "
                            + "(%d partitions per topic, parallelism %d)%n",
                    events, borrowers, days, (System.nanoTime() - loadStarted) / 1e9, PARTITIONS, PARALLELISM);

            if (System.getProperty("kestrel.bench.only-full") != null) {
                run("(b) only", events, (env, c) -> new EarlyWarningJob(c, EarlyWarningJob.kafkaSources(c), EarlyWarningJob.kafkaSinks(c)).build(env), config);
                run("(b) with discarding sinks", events, (env, c) -> new EarlyWarningJob(c, EarlyWarningJob.kafkaSources(c),
                        new EarlyWarningJob.Sinks(new DiscardingSink<>(), new DiscardingSink<>(), new DiscardingSink<>(),
                                new DiscardingSink<>(), new DiscardingSink<>())).build(env), config);
                return;
            }
            // The first job in a JVM pays for class loading and JIT; it is run once and not counted.
            run("warm-up (not counted)", events, (env, c) -> liveEvents(env, c).sinkTo(new DiscardingSink<>()), config);
            Result passThrough = run("(a) read, decode, discard", events, (env, c) -> {
                liveEvents(env, c).sinkTo(new DiscardingSink<>()).name("discard");
            }, config);
            Result floor = run("(c) + one RocksDB read-modify-write per event", events, (env, c) -> {
                liveEvents(env, c).keyBy(e -> e.borrowerId, Types.STRING).process(new CountPerBorrower()).uid("count")
                        .sinkTo(new DiscardingSink<>()).name("discard");
            }, config);
            Result full = run("(b) full early-warning job, exactly-once sinks", events, (env, c) -> {
                new EarlyWarningJob(c, EarlyWarningJob.kafkaSources(c), EarlyWarningJob.kafkaSinks(c)).build(env);
            }, config);

            System.out.println();
            System.out.printf(Locale.ROOT, "| Job | Events/s | CPU µs/event | Wall s |%n|---|---|---|---|%n");
            for (Result r : new Result[] {passThrough, floor, full}) {
                System.out.printf(Locale.ROOT, "| %s | %,.0f | %.1f | %.1f |%n", r.name, r.eventsPerSecond(), r.cpuMicrosPerEvent(), r.wallSeconds());
            }
            System.out.printf(Locale.ROOT, "%n(b)/(c) = %.2f    (b)/(a) = %.2f    target (b)/(c) >= 0.70%n",
                    full.eventsPerSecond() / floor.eventsPerSecond(), full.eventsPerSecond() / passThrough.eventsPerSecond());
        }
    }

    /** The three live topics, decoded and routed exactly as the job does, without event time. */
    private static DataStream<BorrowerEvent> liveEvents(StreamExecutionEnvironment env, EngineConfig config) {
        EarlyWarningJob.Sources sources = EarlyWarningJob.kafkaSources(config);
        RouteInbound route = new RouteInbound(config.get(EngineConfig.MAX_OUT_OF_ORDERNESS));
        return env.fromSource(sources.transactions(), WatermarkStrategy.noWatermarks(), "transactions").process(route)
                .union(env.fromSource(sources.repayments(), WatermarkStrategy.noWatermarks(), "repayments").process(route),
                        env.fromSource(sources.creditEvents(), WatermarkStrategy.noWatermarks(), "credit-events").process(route));
    }

    private static void preload(EmbeddedKafka kafka, EngineConfig config, SyntheticPortfolio portfolio) throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "1");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(512 * 1024));
        WireCodec codec = new WireCodec();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            while (portfolio.hasNext()) {
                SpecificRecordBase event = portfolio.next();
                String topic = event instanceof TransactionEvent ? config.get(EngineConfig.TRANSACTIONS_TOPIC)
                        : event instanceof RepaymentEvent ? config.get(EngineConfig.REPAYMENTS_TOPIC)
                        : config.get(EngineConfig.CREDIT_EVENTS_TOPIC);
                String borrower = event instanceof TransactionEvent t ? t.getBorrowerId()
                        : event instanceof RepaymentEvent r ? r.getBorrowerId() : ((CreditEvent) event).getBorrowerId();
                producer.send(new ProducerRecord<>(topic, borrower.getBytes(StandardCharsets.UTF_8), codec.encode(event)));
            }
            producer.flush();
        }
    }

    interface Pipeline {
        void build(StreamExecutionEnvironment env, EngineConfig config);
    }

    record Result(String name, long events, long wallNanos, long cpuNanos) {
        double eventsPerSecond() {
            return events / (wallNanos / 1e9);
        }

        double cpuMicrosPerEvent() {
            return cpuNanos / 1e3 / events;
        }

        double wallSeconds() {
            return wallNanos / 1e9;
        }
    }

    private static Result run(String name, long events, Pipeline pipeline, EngineConfig shared) throws Exception {
        // A consumer group of its own, or a run would start where the previous one committed its offsets.
        EngineConfig config = shared.with(EngineConfig.CONSUMER_GROUP, "bench-" + System.nanoTime());
        Configuration flink = EngineEnvironment.flinkConfiguration(config);
        // The local MiniCluster's default managed memory (what RocksDB caches in) is sized for laptops' tests, not for
        // 200,000 borrowers; a TaskManager on a cluster is given its own.
        flink.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, MemorySize.parse(System.getProperty("kestrel.bench.managed-memory", "2g")));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(flink);
        pipeline.build(env, config);
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpuBefore = os.getProcessCpuTime();
        long started = System.nanoTime();
        env.execute(name);
        Result result = new Result(name, events, System.nanoTime() - started, os.getProcessCpuTime() - cpuBefore);
        System.out.printf(Locale.ROOT, "%s: %,.0f events/s, %.1f µs CPU per event, %.1f s%n",
                name, result.eventsPerSecond(), result.cpuMicrosPerEvent(), result.wallSeconds());
        return result;
    }

    /** The floor of any per-borrower design: one state read and one write per event. */
    static final class CountPerBorrower extends KeyedProcessFunction<String, BorrowerEvent, Long> {
        private transient ValueState<Long> count;

        @Override
        public void open(OpenContext openContext) {
            count = getRuntimeContext().getState(new ValueStateDescriptor<>("count", Types.LONG));
        }

        @Override
        public void processElement(BorrowerEvent event, Context ctx, Collector<Long> out) throws Exception {
            Long current = count.value();
            count.update(current == null ? 1L : current + 1);
        }
    }
}
