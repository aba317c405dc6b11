package dev.kestrel.jobs;

import dev.kestrel.events.DeadLetter;
import dev.kestrel.jobs.config.EngineConfig;
import dev.kestrel.jobs.config.EngineEnvironment;
import dev.kestrel.jobs.config.EngineOption;
import dev.kestrel.jobs.ingest.BorrowerEvent;
import dev.kestrel.jobs.ingest.Inbound;
import dev.kestrel.jobs.ingest.RouteInbound;
import dev.kestrel.jobs.kafka.KafkaConnections;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The early-warning job: reads borrowers' live events and master data, keeps per-borrower indicators, evaluates the
 * rules risk staff publish, and writes explained alerts exactly once. Sources and sinks are passed in, so tests run
 * the same pipeline as production; {@link #main} only wires the Kafka ones.
 */
public final class EarlyWarningJob {
    public static final String NAME = "kestrel-early-warning";

    /** Where input comes from. Each source yields decoded events, rules, or dead letters for what it could not use. */
    public record Sources(
            Source<Inbound, ?, ?> transactions,
            Source<Inbound, ?, ?> repayments,
            Source<Inbound, ?, ?> creditEvents,
            Source<Inbound, ?, ?> masterData,
            Source<Inbound, ?, ?> rules) {}

    /** Where output goes. */
    public record Sinks(Sink<DeadLetter> deadLetters) {}

    private final EngineConfig config;
    private final Sources sources;
    private final Sinks sinks;

    public EarlyWarningJob(EngineConfig config, Sources sources, Sinks sinks) {
        this.config = config;
        this.sources = sources;
        this.sinks = sinks;
    }

    /** Adds the pipeline to the environment; the caller executes it. */
    public void build(StreamExecutionEnvironment env) {
        WatermarkStrategy<Inbound> eventTime = WatermarkStrategy
                .<Inbound>forBoundedOutOfOrderness(config.get(EngineConfig.MAX_OUT_OF_ORDERNESS))
                .withTimestampAssigner((inbound, kafkaTimestamp) -> inbound.event != null ? inbound.event.eventTimeMillis : kafkaTimestamp)
                .withIdleness(config.get(EngineConfig.SOURCE_IDLENESS));

        DataStream<Inbound> inbound = env.fromSource(sources.transactions(), eventTime, "transactions").uid("source-transactions")
                .union(env.fromSource(sources.repayments(), eventTime, "repayments").uid("source-repayments"),
                        env.fromSource(sources.creditEvents(), eventTime, "credit-events").uid("source-credit-events"),
                        env.fromSource(sources.masterData(), eventTime, "master-data").uid("source-master-data"),
                        env.fromSource(sources.rules(), WatermarkStrategy.noWatermarks(), "rules").uid("source-rules"));

        SingleOutputStreamOperator<BorrowerEvent> events = inbound
                .process(new RouteInbound()).uid("route-inbound").name("route inbound: events, rules, dead letters");

        events.getSideOutput(RouteInbound.DEAD_LETTERS)
                .sinkTo(sinks.deadLetters()).uid("sink-dead-letters").name("dead letters");
    }

    /** One topic and the only record type it may carry; anything else on it is dead-lettered as WRONG_TOPIC. */
    private static Map<String, Set<String>> carrying(EngineConfig config, EngineOption<String> topic, String recordType) {
        return Map.of(config.get(topic), Set.of(recordType));
    }

    /** The production wiring: every source and sink on Kafka, as configured. */
    public static Sources kafkaSources(EngineConfig config) {
        return new Sources(
                KafkaConnections.source(config, carrying(config, EngineConfig.TRANSACTIONS_TOPIC, "TransactionEvent")),
                KafkaConnections.source(config, carrying(config, EngineConfig.REPAYMENTS_TOPIC, "RepaymentEvent")),
                KafkaConnections.source(config, carrying(config, EngineConfig.CREDIT_EVENTS_TOPIC, "CreditEvent")),
                KafkaConnections.source(config, Map.of(
                        config.get(EngineConfig.PROFILES_TOPIC), Set.of("BorrowerProfile"),
                        config.get(EngineConfig.STATEMENTS_TOPIC), Set.of("FinancialStatement"),
                        config.get(EngineConfig.COLLATERAL_TOPIC), Set.of("CollateralValuation"))),
                KafkaConnections.source(config, carrying(config, EngineConfig.RULES_TOPIC, "Rule")));
    }

    public static Sinks kafkaSinks(EngineConfig config) {
        return new Sinks(KafkaConnections.exactlyOnceSink(config, config.get(EngineConfig.DEAD_LETTERS_TOPIC),
                DeadLetter::getSourceTopic, "kestrel-dead-letters"));
    }

    public static void main(String[] args) throws Exception {
        EngineConfig config = EngineConfig.fromArgs(args);
        StreamExecutionEnvironment env = EngineEnvironment.create(config);
        new EarlyWarningJob(config, kafkaSources(config), kafkaSinks(config)).build(env);
        env.execute(NAME);
    }
}
