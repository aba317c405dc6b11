package dev.kestrel.bench;

import com.sun.management.OperatingSystemMXBean;
import dev.kestrel.contract.ApprovalSignatures;
import dev.kestrel.jobs.EarlyWarningJob;
import dev.kestrel.jobs.config.EngineConfig;
import dev.kestrel.jobs.config.EngineEnvironment;
import dev.kestrel.jobs.config.EngineOption;
import dev.kestrel.jobs.ingest.BorrowerEvent;
import dev.kestrel.jobs.ingest.RouteInbound;
import dev.kestrel.kafka.EmbeddedKafka;
import dev.kestrel.simulator.Simulator;
import dev.kestrel.simulator.SimulatorOptions;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.state.rocksdb.RocksDBConfigurableOptions;
import org.apache.flink.util.Collector;
import org.rocksdb.CompressionType;

/**
 * Throughput of the early-warning job against two floors, side by side on one machine and one broker pre-loaded by
 * the simulator (its realistic mix of transactions, repayments, credit events and master data, borrowers in groups,
 * some deteriorating): (a) read, decode and discard; (c) the same plus one RocksDB read-modify-write per event, keyed
 * by borrower; (b) the full job with RocksDB, checkpoints every 10 s and exactly-once sinks. Prints events/s, CPU per
 * event and the ratios, and, from CPU samples taken during (b), the share of the borrower stage and of scoring.
 * Usage: {@code ./kestrel bench [borrowers] [days of event time]}.
 */
public final class ThroughputBenchmark {
    /** Frames that put a CPU sample in the borrower stage, and in scoring. */
    private static final String BORROWER_STAGE = "dev.kestrel.jobs.risk.BorrowerRiskFunction";
    private static final String SCORING = "dev.kestrel.jobs.risk.BorrowerScoring.evaluate";
    private static final int PARTITIONS = 4;
    private static final int PARALLELISM = 2;

    public static void main(String[] args) throws Exception {
        int borrowers = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int days = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        Path work = Files.createTempDirectory("kestrel-bench");
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            EngineConfig config = EngineConfig.defaults()
                    .with(EngineConfig.BOOTSTRAP_SERVERS, kafka.bootstrapServers())
                    .with(EngineConfig.BOUNDED, "true")
                    .with(EngineConfig.PARALLELISM, Integer.toString(PARALLELISM))
                    .with(EngineConfig.CHECKPOINT_INTERVAL, "10s")
                    .with(EngineConfig.CHECKPOINT_STORAGE, work.resolve("checkpoints").toUri().toString())
                    .with(EngineConfig.SNAPSHOT_PERIOD, System.getProperty("kestrel.bench.snapshot-period",
                            EngineConfig.SNAPSHOT_PERIOD.defaultText()));
            for (var topic : EngineConfig.TOPICS) {
                kafka.createTopic(config.get(topic), PARTITIONS, Map.of());
            }
            long loadStarted = System.nanoTime();
            long events = preload(kafka, config, borrowers, days);
            System.out.printf(Locale.ROOT, "Pre-loaded %,d simulated records for %,d borrowers over %d days of event time in %.1f s "
                            + "(%d partitions per topic, parallelism %d)%n",
                    events, borrowers, days, (System.nanoTime() - loadStarted) / 1e9, PARTITIONS, PARALLELISM);

            Pipeline passThrough = (env, c) -> liveEvents(env, c).sinkTo(new DiscardingSink<>()).name("discard");
            Pipeline floor = (env, c) -> liveEvents(env, c).keyBy(BorrowerEvent::key, Types.STRING)
                    .process(new CountPerBorrower()).uid("count").sinkTo(new DiscardingSink<>()).name("discard");
            Pipeline fullWithoutOutput = full(c -> discardingSinks());
            // The first run of each job pays for class loading and JIT compilation (the C2 compiler took a third of
            // a core through most of an unwarmed run of (b)); each is run once, with nothing written, and not counted.

            if (System.getProperty("kestrel.bench.only-full") != null) {
                // Where (b)'s time goes: the same job with its output taken away a part at a time.
                run("warm-up (b), not counted", events, fullWithoutOutput, config);
                run("(b) only", events, full(EarlyWarningJob::kafkaSinks), config);
                printOutput(kafka, config, events);
                run("(b) with borrower snapshots discarded", events, full(c -> {
                    EarlyWarningJob.Sinks kafkaSinks = EarlyWarningJob.kafkaSinks(c);
                    return new EarlyWarningJob.Sinks(kafkaSinks.alerts(), new DiscardingSink<>(), kafkaSinks.instalments(), kafkaSinks.scores(), kafkaSinks.groupSnapshots(),
                            kafkaSinks.recommendations(), kafkaSinks.ruleVersions(), kafkaSinks.deadLetters());
                }), config);
                run("(b) with discarding sinks", events, fullWithoutOutput, config);
                return;
            }
            if (!"false".equals(System.getProperty("kestrel.bench.warm-up"))) {
                run("warm-up (a), not counted", events, passThrough, config);
                run("warm-up (c), not counted", events, floor, config);
                run("warm-up (b), not counted", events, fullWithoutOutput, config);
            }
            Result passThroughResult = run("(a) read, decode, discard", events, passThrough, config);
            Result floorResult = run("(c) + one RocksDB read-modify-write per event", events, floor, config);
            Result fullResult = run("(b) full early-warning job, exactly-once sinks", events, full(EarlyWarningJob::kafkaSinks), config);
            // Scoring's share of (b), from CPU samples of a further run of (b) (the recorder's cost stays out of the
            // figures above): a run of the job without scoring differs from (b) by less than two runs of (b) differ
            // from each other on a shared machine.
            CpuSamples samples = CpuSamples.start();
            run("(b) again, CPU sampled, not counted", events, full(EarlyWarningJob::kafkaSinks), config);
            CpuSamples.Counts counts = samples.stop(List.of(BORROWER_STAGE, SCORING));

            System.out.println();
            System.out.printf(Locale.ROOT, "| Job | Events/s | CPU µs/event | Wall s |%n|---|---|---|---|%n");
            for (Result r : new Result[] {passThroughResult, floorResult, fullResult}) {
                System.out.printf(Locale.ROOT, "| %s | %,.0f | %.1f | %.1f |%n", r.name, r.eventsPerSecond(), r.cpuMicrosPerEvent(), r.wallSeconds());
            }
            printOutput(kafka, config, 2 * events); // (b) ran twice, counted and sampled, writing to the same topics
            System.out.printf(Locale.ROOT, "%n(b)/(c) = %.2f    (b)/(a) = %.2f    target (b)/(c) >= 0.70%n",
                    fullResult.eventsPerSecond() / floorResult.eventsPerSecond(),
                    fullResult.eventsPerSecond() / passThroughResult.eventsPerSecond());
            double stage = counts.share(BORROWER_STAGE);
            double scoring = counts.share(SCORING);
            System.out.printf(Locale.ROOT, "%nCPU samples of (b): %,d of Java code (%,d cut short by the recorder's depth); the "
                            + "borrower stage %.1f%%, scoring %.1f%%%s%nscoring: %.1f µs CPU per event, %.1f%% of (b) (target at "
                            + "most 10%%; native code such as RocksDB is not sampled, so the share is an upper bound)%n",
                    counts.total(), counts.truncated(), 100 * stage, 100 * scoring,
                    stage > 0 ? String.format(Locale.ROOT, " (%.1f%% of the borrower stage)", 100 * scoring / stage) : "",
                    scoring * fullResult.cpuMicrosPerEvent(), 100 * scoring);
        }
    }

    /**
     * What (b) wrote, per output topic: records (end offsets less one commit marker per partition and transaction are
     * not separable here, so this counts both) per input event of every run of (b) together. The output is a large
     * part of (b)'s cost.
     */
    private static void printOutput(EmbeddedKafka kafka, EngineConfig config, long events) {
        System.out.println();
        for (var topic : EngineConfig.OUTPUT_TOPICS) {
            long offsets = kafka.endOffsets(config.get(topic));
            System.out.printf(Locale.ROOT, "output %s: %,d offsets (records and commit markers), %.3f per input record%n",
                    config.get(topic), offsets, offsets / (double) events);
        }
    }

    /** (b): the whole early-warning job, read from Kafka, writing to the given sinks. */
    private static Pipeline full(Function<EngineConfig, EarlyWarningJob.Sinks> sinks) {
        return (env, c) -> new EarlyWarningJob(c, EarlyWarningJob.kafkaSources(c), sinks.apply(c)).build(env);
    }

    private static EarlyWarningJob.Sinks discardingSinks() {
        return new EarlyWarningJob.Sinks(new DiscardingSink<>(), new DiscardingSink<>(), new DiscardingSink<>(), new DiscardingSink<>(),
                new DiscardingSink<>(), new DiscardingSink<>(), new DiscardingSink<>(), new DiscardingSink<>());
    }

    /** Every input topic the job reads, decoded and routed exactly as the job does, without event time. */
    private static DataStream<BorrowerEvent> liveEvents(StreamExecutionEnvironment env, EngineConfig config) {
        EarlyWarningJob.Sources sources = EarlyWarningJob.kafkaSources(config);
        RouteInbound route = new RouteInbound(ApprovalSignatures.Verifier.of(""));
        return env.fromSource(sources.transactions(), WatermarkStrategy.noWatermarks(), "transactions").process(route)
                .union(env.fromSource(sources.repayments(), WatermarkStrategy.noWatermarks(), "repayments").process(route),
                        env.fromSource(sources.creditEvents(), WatermarkStrategy.noWatermarks(), "credit-events").process(route),
                        env.fromSource(sources.masterData(), WatermarkStrategy.noWatermarks(), "master-data").process(route));
    }

    /** The simulator's book, sent to the job's input topics; returns how many records it sent. */
    private static long preload(EmbeddedKafka kafka, EngineConfig config, int borrowers, int days) {
        List<String> args = new ArrayList<>(List.of("--bootstrap-servers", kafka.bootstrapServers(),
                "--borrowers", Integer.toString(borrowers), "--days", Integer.toString(days), "--rate", "0"));
        Map<String, EngineOption<String>> topics = Map.of("transactions", EngineConfig.TRANSACTIONS_TOPIC,
                "repayments", EngineConfig.REPAYMENTS_TOPIC, "credit-events", EngineConfig.CREDIT_EVENTS_TOPIC,
                "borrower-profiles", EngineConfig.PROFILES_TOPIC, "financial-statements", EngineConfig.STATEMENTS_TOPIC,
                "collateral-valuations", EngineConfig.COLLATERAL_TOPIC, "group-limits", EngineConfig.GROUP_LIMITS_TOPIC,
                "fx-rates", EngineConfig.FX_RATES_TOPIC);
        topics.forEach((name, option) -> args.addAll(List.of("--topic." + name, config.get(option))));
        return new Simulator(SimulatorOptions.parse(args.toArray(String[]::new)), null).run().events();
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
        // A failing job must fail the benchmark, not restart for ever and have its retries measured.
        flink.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        String compression = System.getProperty("kestrel.bench.rocksdb-compression");
        if (compression != null) { // e.g. SNAPPY_COMPRESSION, RocksDB's default, to compare with the engine's choice
            flink.set(RocksDBConfigurableOptions.COMPRESSION_PER_LEVEL, List.of(CompressionType.valueOf(compression)));
        }
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
