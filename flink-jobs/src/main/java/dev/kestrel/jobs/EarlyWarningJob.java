package dev.kestrel.jobs;

import dev.kestrel.contract.ApprovalSignatures;
import dev.kestrel.contract.Topic;
import dev.kestrel.events.Alert;
import dev.kestrel.events.BorrowerRiskSnapshot;
import dev.kestrel.events.BorrowerScore;
import dev.kestrel.events.DeadLetter;
import dev.kestrel.events.GroupRiskSnapshot;
import dev.kestrel.events.InstalmentStatus;
import dev.kestrel.events.LimitRecommendation;
import dev.kestrel.events.RuleVersionStatus;
import dev.kestrel.jobs.config.EngineConfig;
import dev.kestrel.jobs.config.EngineEnvironment;
import dev.kestrel.jobs.fx.FxInForce;
import dev.kestrel.jobs.fx.FxSettings;
import dev.kestrel.jobs.group.GroupEvent;
import dev.kestrel.jobs.group.GroupRiskFunction;
import dev.kestrel.jobs.group.MemberStatus;
import dev.kestrel.jobs.ingest.BookEventTime;
import dev.kestrel.jobs.ingest.BorrowerEvent;
import dev.kestrel.jobs.ingest.Inbound;
import dev.kestrel.jobs.ingest.Published;
import dev.kestrel.jobs.ingest.RouteInbound;
import dev.kestrel.jobs.kafka.KafkaConnections;
import dev.kestrel.jobs.kafka.KafkaConnections.Start;
import dev.kestrel.jobs.limits.LimitRecommender;
import dev.kestrel.jobs.portfolio.PortfolioConcentrationFunction;
import dev.kestrel.jobs.risk.BorrowerRiskFunction;
import dev.kestrel.jobs.rules.RuleFiles;
import dev.kestrel.jobs.rules.RulesInForce;
import dev.kestrel.jobs.rules.VersionReports;
import dev.kestrel.jobs.score.ScorecardsInForce;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The early-warning job: reads borrowers' live events and master data, keeps per-borrower indicators, evaluates the
 * rules risk staff publish, rolls exposure and distress up to corporate groups and the portfolio, and writes
 * explained alerts, snapshots and limit recommendations exactly once. Sources and sinks are passed in, so tests run
 * the same pipeline as production; {@link #main} only wires the Kafka ones.
 */
public final class EarlyWarningJob {
    public static final String NAME = "kestrel-early-warning";

    /**
     * Where input comes from. Each source yields decoded events, rules, or dead letters for what it could not use;
     * {@code rules} carries what is broadcast to every task: published rule versions and FX rates.
     */
    public record Sources(
            Source<Inbound, ?, ?> transactions,
            Source<Inbound, ?, ?> repayments,
            Source<Inbound, ?, ?> creditEvents,
            Source<Inbound, ?, ?> masterData,
            Source<Inbound, ?, ?> rules) {}

    /** Where output goes. */
    public record Sinks(Sink<Alert> alerts, Sink<BorrowerRiskSnapshot> snapshots, Sink<InstalmentStatus> instalments, Sink<BorrowerScore> scores,
            Sink<GroupRiskSnapshot> groupSnapshots, Sink<LimitRecommendation> recommendations, Sink<RuleVersionStatus> ruleVersions, Sink<DeadLetter> deadLetters) {}

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
        // A bounded run emits event time on every record that moves it, so that it repeats itself (see BookEventTime).
        WatermarkStrategy<Inbound> eventTime = BookEventTime.strategy(config.get(EngineConfig.MAX_OUT_OF_ORDERNESS),
                config.get(EngineConfig.TIME_QUORUM), config.get(EngineConfig.BOUNDED));
        if (!config.get(EngineConfig.BOUNDED)) {
            // Bounded inputs end, and an ended input no longer holds event time back. Idleness there would let a
            // pause in reading (a slow fetch, a GC) count the input as idle while finished ones stand at the end of
            // time: event time would jump to the end mid-replay, and borrowers would age before their own events.
            eventTime = eventTime.withIdleness(config.get(EngineConfig.SOURCE_IDLENESS));
        }
        if (!config.get(EngineConfig.BOUNDED) && !config.get(EngineConfig.MAX_SOURCE_DRIFT).isZero()) {
            // Each borrower's state applies events as they arrive; inputs far apart in event time (a catch-up after an
            // outage) would apply a borrower's later receipts before its earlier repayments, so the faster inputs wait.
            // Not in bounded runs: Flink 2.2 fails a finished source task that still receives alignment events. A
            // replay gets its order from a single time-ordered input instead (see Replay).
            eventTime = eventTime.withWatermarkAlignment("borrower-events", config.get(EngineConfig.MAX_SOURCE_DRIFT),
                    Duration.ofSeconds(1));
        }

        SingleOutputStreamOperator<BorrowerEvent> transactions = route(env, sources.transactions(), eventTime, "transactions");
        SingleOutputStreamOperator<BorrowerEvent> repayments = route(env, sources.repayments(), eventTime, "repayments");
        SingleOutputStreamOperator<BorrowerEvent> creditEvents = route(env, sources.creditEvents(), eventTime, "credit-events");
        SingleOutputStreamOperator<BorrowerEvent> masterData = route(env, sources.masterData(), eventTime, "master-data");
        SingleOutputStreamOperator<BorrowerEvent> rules = route(env, sources.rules(), rulesNeverHoldBackEventTime(), "rules");

        // Rule and scorecard versions and FX rates, one broadcast input: each stage that evaluates rules or sums currencies
        // reads it; the borrower stage also scores.
        DataStream<Published> publishedRules = rules.getSideOutput(RouteInbound.RULES)
                .map(Published::of, TypeInformation.of(Published.class)).uid("published-rules").name("published rules")
                .union(rules.getSideOutput(RouteInbound.SCORECARDS)
                        .map(Published::of, TypeInformation.of(Published.class)).uid("published-scorecards").name("published scorecards"))
                .union(rules.getSideOutput(RouteInbound.FX_RATES)
                        .map(Published::of, TypeInformation.of(Published.class)).uid("published-fx-rates").name("published FX rates"));
        FxSettings fx = new FxSettings(config.get(EngineConfig.FX_PIVOT), config.get(EngineConfig.FX_RATES_FILE),
                config.get(EngineConfig.FX_RATE_WAIT), config.get(EngineConfig.PORTFOLIO_CURRENCY));
        RuleFiles ruleFiles = new RuleFiles(config.get(EngineConfig.RULE_PACK), config.get(EngineConfig.SCORECARD),
                config.get(EngineConfig.PUBLISHED_RULES));
        SingleOutputStreamOperator<Alert> borrowerAlerts = transactions.union(repayments, creditEvents, masterData)
                .keyBy(BorrowerEvent::key, Types.STRING)
                .connect(publishedRules.broadcast(RulesInForce.PUBLISHED, ScorecardsInForce.PUBLISHED, FxInForce.PUBLISHED))
                .process(new BorrowerRiskFunction(config.riskSettings(), ruleFiles,
                        config.get(EngineConfig.STATE_TTL), config.get(EngineConfig.SNAPSHOT_PERIOD), config.ageUntilMillis(),
                        config.get(EngineConfig.UNKNOWN_BORROWER_WAIT), fx))
                .uid("borrower-risk").name("borrower risk: indicators, rules, alerts");
        DataStream<GroupEvent> groupEvents = borrowerAlerts.getSideOutput(BorrowerRiskFunction.GROUP_EVENTS);

        SingleOutputStreamOperator<Alert> groupAlerts = groupEvents
                .filter(event -> event.groupId != null).uid("group-changes").name("changes of groups")
                .keyBy(event -> event.groupId, Types.STRING)
                .connect(publishedRules.broadcast(RulesInForce.PUBLISHED, FxInForce.PUBLISHED))
                .process(new GroupRiskFunction(ruleFiles, config.get(EngineConfig.SNAPSHOT_MIN_INTERVAL), fx,
                        config.get(EngineConfig.MATERIAL_MEMBER_SHARE), config.get(EngineConfig.MATERIAL_MEMBER_EXIT_SHARE)))
                .uid("group-risk").name("group risk: exposure, limit, contagion, grade");

        SingleOutputStreamOperator<Alert> portfolioAlerts = groupEvents
                .filter(event -> event.member != null && !event.member.groupOnly).uid("portfolio-member-changes").name("member changes")
                .map(event -> event.member, TypeInformation.of(MemberStatus.class)).uid("portfolio-member-statuses").name("member statuses")
                .keyBy(PortfolioConcentrationFunction.ONE_PORTFOLIO, Types.STRING)
                .connect(publishedRules.broadcast(RulesInForce.PUBLISHED, FxInForce.PUBLISHED))
                .process(new PortfolioConcentrationFunction(ruleFiles, fx))
                .uid("portfolio-concentration").name("portfolio concentration");

        DataStream<Alert> alerts = borrowerAlerts.union(groupAlerts, portfolioAlerts);
        alerts.sinkTo(sinks.alerts()).uid("sink-alerts").name("alerts");
        alerts.filter(LimitRecommender::concernsALimit).uid("alerts-on-limits").name("alerts on limits")
                .keyBy(LimitRecommender.SUBJECT, Types.STRING)
                .connect(rules.getSideOutput(RouteInbound.LIMIT_DECISIONS).keyBy(LimitRecommender.DECIDED, Types.STRING))
                .process(new LimitRecommender(config.get(EngineConfig.LIMIT_CUT).intValue()))
                .uid("limit-recommendations").name("limit recommendations")
                .sinkTo(sinks.recommendations()).uid("sink-limit-recommendations").name("limit recommendations");
        borrowerAlerts.getSideOutput(BorrowerRiskFunction.SNAPSHOTS).sinkTo(sinks.snapshots()).uid("sink-snapshots").name("borrower snapshots");
        borrowerAlerts.getSideOutput(BorrowerRiskFunction.INSTALMENTS).sinkTo(sinks.instalments()).uid("sink-instalments").name("instalments");
        borrowerAlerts.getSideOutput(BorrowerRiskFunction.SCORES).sinkTo(sinks.scores()).uid("sink-scores").name("borrower scores");
        borrowerAlerts.getSideOutput(VersionReports.RULE_VERSIONS)
                .sinkTo(sinks.ruleVersions()).uid("sink-rule-versions").name("rule and scorecard versions");
        groupAlerts.getSideOutput(GroupRiskFunction.SNAPSHOTS).sinkTo(sinks.groupSnapshots()).uid("sink-group-snapshots").name("group snapshots");
        transactions.getSideOutput(RouteInbound.DEAD_LETTERS)
                .union(repayments.getSideOutput(RouteInbound.DEAD_LETTERS),
                        creditEvents.getSideOutput(RouteInbound.DEAD_LETTERS),
                        masterData.getSideOutput(RouteInbound.DEAD_LETTERS),
                        rules.getSideOutput(RouteInbound.DEAD_LETTERS),
                        borrowerAlerts.getSideOutput(BorrowerRiskFunction.DEAD_LETTERS))
                .sinkTo(sinks.deadLetters()).uid("sink-dead-letters").name("dead letters");
    }

    /** A source and the route right after it, chained, so decoded records are never serialised before the key-by. */
    private SingleOutputStreamOperator<BorrowerEvent> route(StreamExecutionEnvironment env, Source<Inbound, ?, ?> source,
            WatermarkStrategy<Inbound> watermarks, String name) {
        return env.fromSource(source, watermarks, name).uid("source-" + name)
                .process(new RouteInbound(ApprovalSignatures.Verifier.of(config.get(EngineConfig.SIGNING_KEYS)))).uid("route-" + name).name("route " + name);
    }

    /**
     * Rules carry no event time, and an FX rate's converts by its day, not by arrival. Their input joins the
     * borrowers' events at the broadcast, where a silent input would hold event time (and so every day-change timer)
     * back for ever; marked idle, it is left out of the minimum, and a rule or rate arriving later does not pull
     * event time back.
     */
    private WatermarkStrategy<Inbound> rulesNeverHoldBackEventTime() {
        WatermarkStrategy<Inbound> none = WatermarkStrategy.noWatermarks();
        // A bounded rules input ends, which releases event time; see the idleness note in build.
        return config.get(EngineConfig.BOUNDED) ? none : none.withIdleness(config.get(EngineConfig.SOURCE_IDLENESS));
    }

    /** Topics and the only record type each may carry (the contract's catalogue); anything else is dead-lettered as WRONG_TOPIC. */
    private static Map<String, Set<String>> carrying(EngineConfig config, Topic... topics) {
        Map<String, Set<String>> types = new java.util.LinkedHashMap<>();
        for (Topic topic : topics) {
            types.put(config.get(EngineConfig.option(topic)), Set.of(topic.recordType().name()));
        }
        return types;
    }

    /** The production wiring: every source and sink on Kafka, as configured. */
    public static Sources kafkaSources(EngineConfig config) {
        return new Sources(
                KafkaConnections.source(config, carrying(config, Topic.TRANSACTIONS), Start.COMMITTED),
                KafkaConnections.source(config, carrying(config, Topic.REPAYMENTS), Start.COMMITTED),
                KafkaConnections.source(config, carrying(config, Topic.CREDIT_EVENTS), Start.COMMITTED),
                KafkaConnections.source(config, carrying(config, Topic.BORROWER_PROFILES, Topic.FINANCIAL_STATEMENTS,
                        Topic.COLLATERAL_VALUATIONS, Topic.GROUP_LIMITS, Topic.REVIEWS, Topic.PROJECTS, Topic.PROJECT_MILESTONES,
                        Topic.CASH_FLOW_FORECASTS, Topic.COVENANTS), Start.COMMITTED),
                // Rules, scorecards and FX rates, published to every task, and the desk's limit decisions: none holds
                // event time back, and all of them are in force, so a job without its state reads them all again.
                KafkaConnections.source(config, carrying(config, Topic.RULES, Topic.SCORECARDS, Topic.FX_RATES, Topic.LIMIT_DECISIONS),
                        Start.EARLIEST));
    }

    public static Sinks kafkaSinks(EngineConfig config) {
        String prefix = config.get(EngineConfig.TRANSACTIONAL_ID_PREFIX);
        return new Sinks(
                KafkaConnections.exactlyOnceSink(config, config.get(EngineConfig.ALERTS_TOPIC), Alert::getAlertId, prefix + "-alerts"),
                KafkaConnections.exactlyOnceSink(config, config.get(EngineConfig.SNAPSHOTS_TOPIC),
                        BorrowerRiskSnapshot::getBorrowerId, prefix + "-borrower-snapshots"),
                KafkaConnections.exactlyOnceSink(config, config.get(EngineConfig.INSTALMENTS_TOPIC),
                        status -> Topic.INSTALMENTS.keyOf(status), prefix + "-instalments"),
                KafkaConnections.exactlyOnceSink(config, config.get(EngineConfig.SCORES_TOPIC), BorrowerScore::getBorrowerId,
                        prefix + "-borrower-scores"),
                KafkaConnections.exactlyOnceSink(config, config.get(EngineConfig.GROUP_SNAPSHOTS_TOPIC),
                        GroupRiskSnapshot::getGroupId, prefix + "-group-snapshots"),
                KafkaConnections.exactlyOnceSink(config, config.get(EngineConfig.RECOMMENDATIONS_TOPIC),
                        LimitRecommender::subjectOf, prefix + "-limit-recommendations"),
                KafkaConnections.exactlyOnceSink(config, config.get(EngineConfig.RULE_VERSIONS_TOPIC),
                        status -> Topic.RULE_VERSIONS.keyOf(status), prefix + "-rule-versions"),
                KafkaConnections.exactlyOnceSink(config, config.get(EngineConfig.DEAD_LETTERS_TOPIC),
                        DeadLetter::getSourceTopic, prefix + "-dead-letters"));
    }

    public static void main(String[] args) throws Exception {
        EngineConfig config = EngineConfig.fromArgs(args);
        StreamExecutionEnvironment env = EngineEnvironment.create(config);
        new EarlyWarningJob(config, kafkaSources(config), kafkaSinks(config)).build(env);
        env.execute(NAME);
    }
}
