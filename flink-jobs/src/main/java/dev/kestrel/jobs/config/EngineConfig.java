package dev.kestrel.jobs.config;

import dev.kestrel.contract.RatingScale;
import dev.kestrel.contract.Topic;
import dev.kestrel.jobs.risk.HeldEvents;
import dev.kestrel.jobs.risk.Regime;
import dev.kestrel.jobs.risk.ReviewSchedule;
import dev.kestrel.jobs.risk.RiskSettings;
import dev.kestrel.jobs.rules.RuleFiles;
import java.io.IOException;
import java.io.Reader;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * Every option of the engine in one typed place, with its default. Values come from a properties file
 * ({@code --config FILE}) and/or flags ({@code --key value} or {@code --key=value}); flags win. Unknown keys and
 * unreadable values are rejected at start-up with a message naming the option, never at 3 a.m. in a running job.
 */
public final class EngineConfig implements Serializable {

    public static final EngineOption<String> BOOTSTRAP_SERVERS = EngineOption.text("kafka.bootstrap-servers", "localhost:9092",
            "Kafka bootstrap servers of every input and output topic.");
    public static final EngineOption<String> KAFKA_CLIENT_CONFIG = EngineOption.kafkaClientConfig("kafka.client-config",
            "A Kafka client properties file with security.protocol and the ssl.* and sasl.* settings (TLS truststore and "
                    + "keystore, SCRAM or OAUTHBEARER) every source and sink of the job uses, and config.providers* to read "
                    + "values from mounted secrets; other keys are refused (docs/operations.md, Kafka security). It and the "
                    + "files it names must be on every Flink pod. Empty: plaintext, no sign-in.");
    public static final EngineOption<String> SCHEMA_REGISTRY = EngineOption.optionalUrl("kafka.schema-registry",
            "A schema registry's Confluent-compatible API (Confluent Schema Registry, or Apicurio Registry's /apis/ccompat/v7), "
                    + "to read records in the registry wire format (byte 00 and a 4-byte schema id) beside single-object "
                    + "encoding. A schema id is accepted only if it names a released version of the contract (docs/events.md, "
                    + "Schema registry). Empty: registry-format records are dead-lettered as UNDECODABLE.");
    public static final EngineOption<String> SCHEMA_REGISTRY_CREDENTIALS = EngineOption.optionalText("kafka.schema-registry-credentials",
            "A file holding user:password for HTTP Basic sign-in to the schema registry, on every Flink pod. Empty: none.");
    public static final EngineOption<String> CONSUMER_GROUP = EngineOption.text("kafka.group-id", "kestrel-early-warning",
            "Consumer group id of the job's Kafka sources. Offsets live in checkpoints; started without one, the events and "
                    + "the master data start where the group last committed (the earliest offset for a new group), the rules, "
                    + "scorecards, FX rates and limit decisions at the earliest offset. The group also shows the lag.");
    public static final EngineOption<Boolean> BOUNDED = EngineOption.flag("kafka.bounded", false,
            "Read the input topics up to the offsets they have when the job starts, then finish: a backfill or a replay. "
                    + "Off, the job runs until stopped.");
    public static final EngineOption<String> TRANSACTIONS_TOPIC = EngineOption.topic(Topic.TRANSACTIONS,
            "Input: TransactionEvent, key borrowerId.");
    public static final EngineOption<String> REPAYMENTS_TOPIC = EngineOption.topic(Topic.REPAYMENTS,
            "Input: RepaymentEvent, key borrowerId.");
    public static final EngineOption<String> CREDIT_EVENTS_TOPIC = EngineOption.topic(Topic.CREDIT_EVENTS,
            "Input: CreditEvent, key borrowerId.");
    public static final EngineOption<String> PROFILES_TOPIC = EngineOption.topic(Topic.BORROWER_PROFILES,
            "Input, master data: BorrowerProfile, key borrowerId, compacted.");
    public static final EngineOption<String> STATEMENTS_TOPIC = EngineOption.topic(Topic.FINANCIAL_STATEMENTS,
            "Input, master data: FinancialStatement, key borrowerId.");
    public static final EngineOption<String> COLLATERAL_TOPIC = EngineOption.topic(Topic.COLLATERAL_VALUATIONS,
            "Input, master data: CollateralValuation, key borrowerId.");
    public static final EngineOption<String> GROUP_LIMITS_TOPIC = EngineOption.topic(Topic.GROUP_LIMITS,
            "Input, master data: GroupLimit, key groupId, compacted.");
    public static final EngineOption<String> RULES_TOPIC = EngineOption.topic(Topic.RULES,
            "Input: Rule versions published by risk staff, key ruleId, compacted.");
    public static final EngineOption<String> SCORECARDS_TOPIC = EngineOption.topic(Topic.SCORECARDS,
            "Input: Scorecard versions published by risk staff, key scorecardId, compacted.");
    public static final EngineOption<String> FX_RATES_TOPIC = EngineOption.topic(Topic.FX_RATES,
            "Input, master data: FxRate, key baseCurrency/quoteCurrency (e.g. EUR/CNY). Not compacted: each day's rate "
                    + "converts the amounts of its day.");
    public static final EngineOption<String> LIMIT_DECISIONS_TOPIC = EngineOption.topic(Topic.LIMIT_DECISIONS,
            "Input: LimitDecision, approved on the desk and signed by the alert API, key BORROWER:<id> or GROUP:<id>; "
                    + "read back so that limit recommendations know what was decided.");
    public static final EngineOption<String> REVIEWS_TOPIC = EngineOption.topic(Topic.REVIEWS,
            "Input, master data: BorrowerReview, recorded on the desk and signed by the alert API, key borrowerId, compacted; "
                    + "each borrower's latest review restarts its review schedule.");
    public static final EngineOption<String> PROJECTS_TOPIC = EngineOption.topic(Topic.PROJECTS,
            "Input, master data: Project, key borrowerId (the project company), compacted; the latest replaces the earlier.");
    public static final EngineOption<String> MILESTONES_TOPIC = EngineOption.topic(Topic.PROJECT_MILESTONES,
            "Input, master data: ProjectMilestone, key borrowerId; each report of a milestone replaces the previous one.");
    public static final EngineOption<String> FORECASTS_TOPIC = EngineOption.topic(Topic.CASH_FLOW_FORECASTS,
            "Input, master data: CashFlowForecast, key borrowerId, compacted; the latest base case replaces the earlier.");
    public static final EngineOption<String> COVENANTS_TOPIC = EngineOption.topic(Topic.COVENANTS,
            "Input, master data: FacilityCovenants, key borrowerId/facilityId, compacted; the latest of a facility replaces the earlier.");
    public static final EngineOption<String> ALERTS_TOPIC = EngineOption.topic(Topic.ALERTS,
            "Output: Alert episode changes, key alertId, written exactly once.");
    public static final EngineOption<String> DEAD_LETTERS_TOPIC = EngineOption.topic(Topic.DEAD_LETTERS,
            "Output: DeadLetter for every input record the engine could not use, key the source topic.");
    public static final EngineOption<String> SNAPSHOTS_TOPIC = EngineOption.topic(Topic.BORROWER_SNAPSHOTS,
            "Output: BorrowerRiskSnapshot, key borrowerId, compacted, written exactly once.");
    public static final EngineOption<String> INSTALMENTS_TOPIC = EngineOption.topic(Topic.INSTALMENTS,
            "Output: InstalmentStatus, the engine's word on each instalment as it changes (due, past due, settled, days late), "
                    + "key borrowerId/facilityId/instalmentId, compacted, written exactly once.");
    public static final EngineOption<String> SCORES_TOPIC = EngineOption.topic(Topic.BORROWER_SCORES,
            "Output: BorrowerScore, each change of a borrower's score or watch-list grade, key borrowerId, written exactly once.");
    public static final EngineOption<String> GROUP_SNAPSHOTS_TOPIC = EngineOption.topic(Topic.GROUP_SNAPSHOTS,
            "Output: GroupRiskSnapshot, key groupId, compacted, written exactly once.");
    public static final EngineOption<String> RECOMMENDATIONS_TOPIC = EngineOption.topic(Topic.LIMIT_RECOMMENDATIONS, "Output: LimitRecommendation, key BORROWER:<id> or GROUP:<id>, written exactly once.");
    public static final EngineOption<String> RULE_VERSIONS_TOPIC = EngineOption.topic(Topic.RULE_VERSIONS,
            "Output: RuleVersionStatus, what the job did with each rule and scorecard version, key kind/id, compacted, "
                    + "written exactly once.");
    public static final EngineOption<String> RULE_PACK = EngineOption.text("rules.pack", "classpath:rules/default-rules.jsonl",
            "The rule pack the job starts with (JSON lines of Rule records; classpath: or a file path). Versions published "
                    + "on the rules topic override it rule by rule.");
    public static final EngineOption<String> SCORECARD = EngineOption.text("score.scorecard", RuleFiles.DEFAULT_SCORECARD,
            "The scorecard the job starts with (one JSON line of Scorecard; classpath: or a file path). Higher versions of the "
                    + "same scorecard published on the scorecards topic replace it, each from its publishedAt (docs/scorecard.md).");
    public static final EngineOption<String> PUBLISHED_RULES = EngineOption.optionalText("rules.published",
            "A file of published rule and scorecard versions (JSON lines of Rule and Scorecard), each in force from its "
                    + "publishedAt in event time, loaded before anything on the rules and scorecards topics: how a replay applies "
                    + "the history of its file. Bounded runs only (kafka.bounded), as its versions are not signed. Empty: none.");
    public static final EngineOption<String> SIGNING_KEYS = EngineOption.signingKeys("rules.signing-keys",
            "The public keys that verify the signature the alert API puts on each rule and scorecard version a checker "
                    + "approved, and on each limit decision: keyId=base64 X.509 Ed25519 key, comma-separated (docs/events.md, "
                    + "Signed rules and scorecards). A version on the rules or scorecards topic without a signature one of them "
                    + "verifies is dead-lettered as UNSIGNED_RULE, a limit decision as UNSIGNED_DECISION. Empty: no version "
                    + "from the topics takes effect, and no decision is read back.");
    public static final EngineOption<String> AGE_UNTIL = EngineOption.instantOrNone("events.age-until",
            "Bounded runs: when the input ends, every borrower ages (days past due, reminders, overdue statements) up to "
                    + "this instant and no further, whatever the timing of the run; none: no ageing after the last event. "
                    + "A replay sets it to its file's last event time or --until.");
    public static final EngineOption<Long> MATERIALITY_FLOOR = EngineOption.nonNegativeLong("materiality.floor-minor", 50_000L,
            "Arrears at or below this amount are never material. Under the EU regime it is in euro minor units (cents): the "
                    + "borrower's past-due amount over all facilities, converted to euro at the FX rate in force, is compared "
                    + "with it; EUR 500 for corporates (CRR art. 178(2)(d), Delegated Regulation (EU) 2018/171 arts. 1-2). "
                    + "Under CN or IN alone, which set no money floor, it is read in minor units of the borrower's currency.");
    public static final EngineOption<Long> MATERIALITY_SHARE = EngineOption.nonNegativeLong("materiality.exposure-share-bp", 100L,
            "Arrears at or below this share of the borrower's drawn exposure, in basis points, are never material. EU CRR: 1%.");
    public static final EngineOption<String> CURE_PROBATION = EngineOption.period("cure.probation", "3mo",
            "How long a defaulted borrower must stay free of material arrears before it is no longer in default, in calendar "
                    + "months (3mo) or days (90d). EBA/GL/2016/07 para. 71(a): at least 3 months (EU regime).");
    public static final EngineOption<String> REGIMES = EngineOption.regimes("regulation.regimes", "CN",
            "The regulatory regimes the bank classifies borrowers under, comma-separated: EU (CRR art. 178 default, IFRS 9), "
                    + "CN (2023 five categories, CAS 22), IN (RBI SMA/NPA, Ind AS 109). Only these are evaluated and alerted; "
                    + "the regulatory-status alert lists each one's class. CN by default: the shipped simulator book is in CNY "
                    + "and the founding requirements are Chinese (docs/rules.md, Regulatory regimes).");
    public static final EngineOption<RatingScale> INTERNAL_RATING_SCALE = EngineOption.ratingScale("rating.internal-scale",
            RatingScale.LETTERS_NAME, "The bank's internal rating scale, on which BorrowerProfile.internalRating is given: letters "
                    + "(AAA..D with + and - notches; PRIME to A-, INVESTMENT_GRADE to BBB-, SPECULATIVE to B-, DISTRESSED to D), "
                    + "or the bank's grades best first, grouped by tier, e.g. PRIME: 1, 2, 3; INVESTMENT_GRADE: 4, 5; "
                    + "SPECULATIVE: 6, 7, 8; DISTRESSED: 9, 10. A profile with another grade is dead-lettered as INVALID; "
                    + "snapshots show the grade's tier. Bureau and agency ratings stay on the AAA..D scale "
                    + "(docs/configuration.md, Rating scales).");
    public static final EngineOption<Duration> REMINDER_HORIZON = EngineOption.duration("reminder.horizon", "7d",
            "How far ahead instalments are checked against the borrower's balance and recent inflow.");
    public static final EngineOption<Duration> DIVERSION_WINDOW = EngineOption.duration("diversion.window", "7d",
            "How long after a disbursement payments to never-seen counterparties count as possible diversion of proceeds.");
    public static final EngineOption<Duration> STATEMENT_GRACE = EngineOption.duration("statement.grace", "120d",
            "Days after the end of the next expected period before a missing financial statement counts as overdue.");
    public static final EngineOption<String> REVIEW_GREEN = EngineOption.period("review.every.green", "12mo",
            "How often a borrower on the GREEN watch grade is reviewed (定期复查): the next review is due this long after the "
                    + "latest (before the first, after its first profile), or by the reviewer's earlier date; one not "
                    + "recorded by then raises REVIEW-OVERDUE. Calendar months (12mo) or days (365d); 0d: no periodic review.");
    public static final EngineOption<String> REVIEW_AMBER = EngineOption.period("review.every.amber", "3mo",
            "How often a borrower on the AMBER watch grade is reviewed; as review.every.green.");
    public static final EngineOption<String> REVIEW_RED = EngineOption.period("review.every.red", "1mo",
            "How often a borrower on the RED watch grade is reviewed; as review.every.green.");
    public static final EngineOption<String> REVIEW_BLACK = EngineOption.period("review.every.black", "1mo",
            "How often a borrower on the BLACK watch grade (non-performing) is reviewed; as review.every.green.");
    public static final EngineOption<Duration> SILENCE_CHECK = EngineOption.duration("cash-flow.silence-check", "7d",
            "A borrower with no event for this long, while its 30- and 90-day cash-flow windows still hold money, is evaluated "
                    + "day by day for the days since its clock (then again every such period), so that receipts stopping "
                    + "altogether raise the inflow drop dated the day it crossed, with no event to wake the borrower. Whole "
                    + "days; 0d: only at the borrower's next event.");
    public static final EngineOption<Duration> STATE_TTL = EngineOption.duration("state.ttl", "400d",
            "A borrower with no event for this long (processing time) is forgotten; RocksDB drops its state in compaction.");
    public static final EngineOption<Duration> SNAPSHOT_PERIOD = EngineOption.duration("snapshot.period", "1d",
            "At most one snapshot of a borrower per period of event time (periods from the epoch: a day runs from midnight "
                    + "UTC) unless its classification, segment, rating tier, group or open alerts change; indicators that moved "
                    + "after the period's snapshot are written at the borrower's first evaluation of a later period, at the "
                    + "latest at its silence check.");
    public static final EngineOption<Duration> SNAPSHOT_MIN_INTERVAL = EngineOption.duration("snapshot.min-interval", "1h",
            "Event time between two snapshots of a group or portfolio segment whose classification and alerts did not change.");
    public static final EngineOption<String> PORTFOLIO_CURRENCY = EngineOption.text("portfolio.currency", "CNY",
            "ISO 4217 code of the portfolio's concentration shares; exposure in other currencies is converted into it at "
                    + "the FX rate in force (an exposure with no rate is left out, and counted).");
    public static final EngineOption<String> FX_PIVOT = EngineOption.text("fx.pivot-currency", "EUR",
            "The currency two currencies without a rate of their own are crossed through (USD->EUR->CNY), as the ECB "
                    + "publishes every rate against the euro.");
    public static final EngineOption<Duration> FX_RATE_WAIT = EngineOption.duration("fx.rate-wait", "1d",
            "How long, in event time from the event, a borrower's live event whose amount needs an FX rate no FxRate gave "
                    + "for its day is held for one (with the borrower's later events behind it, so their order holds); "
                    + "when a usable rate comes it applies, otherwise it is dead-lettered as NO_FX_RATE. A day: reference "
                    + "rates are fixed once a business day.");
    public static final EngineOption<String> FX_RATES_FILE = EngineOption.optionalText("fx.rates-file",
            "A file of FxRate JSON lines loaded before anything on the fx-rates topic, each converting from its own day: "
                    + "how a replay applies the rates of its file. Empty: none.");
    public static final EngineOption<Long> LIMIT_CUT = EngineOption.nonNegativeLong("recommendations.limit-cut-bp", 2000L,
            "How much of the limit to recommend cutting while a HIGH alert is open, in basis points (a CRITICAL one "
                    + "recommends freezing the undrawn limit).");
    public static final EngineOption<Integer> MATERIAL_MEMBER_SHARE = EngineOption.basisPoints("group.material-member-share-bp", 500,
            "A group member weighs in the group's watch-list grade when it draws at least this share of the group's drawn "
                    + "total, in basis points; members of a group that draws nothing, and members whose amount no FX rate "
                    + "converts, always weigh. Bank policy, not a regulatory figure.");
    public static final EngineOption<Integer> MATERIAL_MEMBER_EXIT_SHARE = EngineOption.basisPoints(
            "group.material-member-exit-share-bp", 400,
            "A material group member stops weighing in the group's grade only when its share falls below this, in basis "
                    + "points: at or below group.material-member-share-bp, so a sibling's drawing does not take the group "
                    + "in and out of a grade.");
    public static final EngineOption<Integer> PARALLELISM = EngineOption.positiveInteger("job.parallelism", 2,
            "Parallelism of every operator; at most the number of partitions of the input topics is useful.");
    public static final EngineOption<Duration> CHECKPOINT_INTERVAL = EngineOption.duration("checkpoint.interval", "10s",
            "How often state is checkpointed. Alerts become visible to read_committed readers when a checkpoint completes, "
                    + "so this bounds alert latency from below.");
    public static final EngineOption<String> CHECKPOINT_STORAGE = EngineOption.text("checkpoint.storage", "file:///tmp/kestrel/checkpoints",
            "Durable storage for checkpoints and savepoints (file://, s3://, hdfs://). RocksDB checkpoints are incremental.");
    public static final EngineOption<Duration> MAX_OUT_OF_ORDERNESS = EngineOption.duration("events.max-out-of-orderness", "1h",
            "How far event time (the watermark) trails the time events.time-quorum borrowers of each input partition have "
                    + "reached, so that a borrower's day is evaluated only once events of that day can no longer be expected. "
                    + "It delays day-change evaluations (days past due) and a borrower's first events of a new day, which wait "
                    + "until event time passes the day's start; events of the borrower's current day apply at once. Lateness "
                    + "itself is judged per borrower.");
    public static final EngineOption<Integer> TIME_QUORUM = EngineOption.positiveInteger("events.time-quorum", 5,
            "How many distinct borrowers of an input partition must have reached a time before event time follows: fewer, "
                    + "however many records they send, cannot roll anybody else's day, so a producer stamping a few borrowers' "
                    + "records hours ahead (local time written as UTC) does not age the rest of the book early. A partition "
                    + "that has seen fewer borrowers follows the least advanced of them. 5 tolerates four borrowers per "
                    + "partition stamped ahead, while on a live partition of hundreds of borrowers the fifth most advanced is "
                    + "seconds behind the newest; each record is compared with up to this many borrowers. 1: the partition's "
                    + "newest event time.");
    public static final EngineOption<Duration> SOURCE_IDLENESS = EngineOption.duration("events.source-idleness", "30s",
            "A partition silent this long no longer holds back event time, so quiet partitions do not stall alerts. "
                    + "Unbounded runs only: a bounded input holds event time until it ends.");
    public static final EngineOption<Duration> MAX_SOURCE_DRIFT = EngineOption.duration("events.max-source-drift", "0s",
            "How far in event time one input may run ahead of the slowest before it pauses (Flink's watermark alignment); "
                    + "0s turns alignment off. Off by default: in a local run with sparse master data it starved the "
                    + "transactions input (see docs/early-warning-job.md). Unbounded runs only.");
    public static final EngineOption<Duration> UNKNOWN_BORROWER_WAIT = EngineOption.duration("events.unknown-borrower-wait", "1d",
            "How long, in event time from the first of them, the transactions, repayment steps and credit events of a "
                    + "borrower with no BorrowerProfile are held for one; when it comes they apply after it, as if on time, "
                    + "otherwise they are dead-lettered as UNKNOWN_BORROWER (at most "
                    + String.format(Locale.ROOT, "%,d", HeldEvents.MAX_PER_BORROWER) + " are held per borrower). A day: a "
                    + "master-data feed that publishes once a night lags the event feeds by up to a day, and a mistyped "
                    + "borrower id still shows on the dead-letter topic the next day, not weeks later.");
    public static final EngineOption<String> TRANSACTIONAL_ID_PREFIX = EngineOption.text("kafka.transactional-id-prefix", "kestrel",
            "Start of the exactly-once sinks' Kafka transactional ids (<prefix>-alerts, ...): unique per job on a broker, and "
                    + "per JVM, which refuses two sinks with one prefix; keep it across upgrades, so a restarted job aborts "
                    + "what its predecessor left open.");
    public static final EngineOption<Duration> SINK_TRANSACTION_TIMEOUT = EngineOption.duration("kafka.transaction-timeout", "5m",
            "Timeout of the exactly-once sinks' Kafka transactions; above the checkpoint interval and at most the broker's "
                    + "transaction.max.timeout.ms (15m by default).");

    /** Every option, in the order docs/configuration.md lists them. */
    /** The option naming each topic of the contract's catalogue. */
    private static final Map<Topic, EngineOption<String>> TOPIC_OPTIONS = topicOptions(TRANSACTIONS_TOPIC, REPAYMENTS_TOPIC,
            CREDIT_EVENTS_TOPIC, PROFILES_TOPIC, STATEMENTS_TOPIC, COLLATERAL_TOPIC, GROUP_LIMITS_TOPIC, RULES_TOPIC,
            SCORECARDS_TOPIC, FX_RATES_TOPIC, LIMIT_DECISIONS_TOPIC, REVIEWS_TOPIC, PROJECTS_TOPIC, MILESTONES_TOPIC,
            FORECASTS_TOPIC, COVENANTS_TOPIC, ALERTS_TOPIC, DEAD_LETTERS_TOPIC, SNAPSHOTS_TOPIC,
            INSTALMENTS_TOPIC, SCORES_TOPIC, GROUP_SNAPSHOTS_TOPIC, RECOMMENDATIONS_TOPIC, RULE_VERSIONS_TOPIC);
    /** The topics the job reads. */
    public static final List<EngineOption<String>> INPUT_TOPICS = Topic.engineInputs().stream().map(TOPIC_OPTIONS::get).toList();
    /** The topics the job writes. */
    public static final List<EngineOption<String>> OUTPUT_TOPICS = Topic.engineOutputs().stream().map(TOPIC_OPTIONS::get).toList();
    /** The topics whose latest record per key is all that matters: Kafka compacts them. */
    public static final List<EngineOption<String>> COMPACTED_TOPICS = Arrays.stream(Topic.values()).filter(Topic::compacted)
            .filter(TOPIC_OPTIONS::containsKey).map(TOPIC_OPTIONS::get).toList();
    /** Every topic of the job: what a launcher or a test must create. */
    public static final List<EngineOption<String>> TOPICS =
            java.util.stream.Stream.concat(INPUT_TOPICS.stream(), OUTPUT_TOPICS.stream()).toList();

    @SafeVarargs
    private static Map<Topic, EngineOption<String>> topicOptions(EngineOption<String>... options) {
        Map<Topic, EngineOption<String>> byTopic = new java.util.EnumMap<>(Topic.class);
        for (Topic topic : Topic.values()) {
            if (!Topic.engineInputs().contains(topic) && !Topic.engineOutputs().contains(topic)) {
                continue; // not the engine's: another reader's (the limit system reads limit decisions)
            }
            byTopic.put(topic, Arrays.stream(options).filter(o -> o.key().equals(EngineOption.topicKey(topic))).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no option for topic " + topic)));
        }
        return byTopic;
    }

    /** The option naming a topic of the catalogue. */
    public static EngineOption<String> option(Topic topic) {
        return TOPIC_OPTIONS.get(topic);
    }

    /** Every option, in the order docs/configuration.md lists them. */
    public static final List<EngineOption<?>> OPTIONS = List.of(BOOTSTRAP_SERVERS, KAFKA_CLIENT_CONFIG, SCHEMA_REGISTRY,
            SCHEMA_REGISTRY_CREDENTIALS, CONSUMER_GROUP, BOUNDED, TRANSACTIONS_TOPIC,
            REPAYMENTS_TOPIC, CREDIT_EVENTS_TOPIC, PROFILES_TOPIC, STATEMENTS_TOPIC, COLLATERAL_TOPIC, GROUP_LIMITS_TOPIC, RULES_TOPIC,
            SCORECARDS_TOPIC, FX_RATES_TOPIC, LIMIT_DECISIONS_TOPIC, REVIEWS_TOPIC, PROJECTS_TOPIC, MILESTONES_TOPIC,
            FORECASTS_TOPIC, COVENANTS_TOPIC, ALERTS_TOPIC, DEAD_LETTERS_TOPIC, SNAPSHOTS_TOPIC,
            INSTALMENTS_TOPIC, SCORES_TOPIC, GROUP_SNAPSHOTS_TOPIC, RECOMMENDATIONS_TOPIC, RULE_VERSIONS_TOPIC, PARALLELISM,
            CHECKPOINT_INTERVAL, CHECKPOINT_STORAGE, MAX_OUT_OF_ORDERNESS, TIME_QUORUM, SOURCE_IDLENESS, MAX_SOURCE_DRIFT,
            UNKNOWN_BORROWER_WAIT, TRANSACTIONAL_ID_PREFIX, SINK_TRANSACTION_TIMEOUT, RULE_PACK, SCORECARD, PUBLISHED_RULES, SIGNING_KEYS, AGE_UNTIL, REGIMES, INTERNAL_RATING_SCALE,
            MATERIALITY_FLOOR, MATERIALITY_SHARE, CURE_PROBATION,
            REMINDER_HORIZON,
            DIVERSION_WINDOW, STATEMENT_GRACE, REVIEW_GREEN, REVIEW_AMBER, REVIEW_RED, REVIEW_BLACK, SILENCE_CHECK, STATE_TTL, SNAPSHOT_PERIOD, SNAPSHOT_MIN_INTERVAL, PORTFOLIO_CURRENCY, FX_PIVOT,
            FX_RATE_WAIT, FX_RATES_FILE, LIMIT_CUT, MATERIAL_MEMBER_SHARE,
            MATERIAL_MEMBER_EXIT_SHARE);

    private final Map<String, Object> values;

    private EngineConfig(Map<String, String> settings) {
        Map<String, EngineOption<?>> known = OPTIONS.stream().collect(Collectors.toMap(EngineOption::key, o -> o));
        for (String key : settings.keySet()) {
            if (!known.containsKey(key)) {
                throw new IllegalArgumentException("unknown option '" + key + "'; the options are listed in docs/configuration.md");
            }
        }
        Map<String, Object> parsed = new LinkedHashMap<>();
        for (EngineOption<?> option : OPTIONS) {
            parsed.put(option.key(), option.parse(settings.getOrDefault(option.key(), option.defaultText())));
        }
        this.values = parsed;
        if (get(SINK_TRANSACTION_TIMEOUT).compareTo(get(CHECKPOINT_INTERVAL)) <= 0) {
            throw new IllegalArgumentException("option kafka.transaction-timeout must be longer than checkpoint.interval, "
                    + "or transactions expire before the checkpoint that commits them");
        }
        if (!get(PUBLISHED_RULES).isEmpty() && !get(BOUNDED)) {
            // A file of versions is taken without a signature: a replay's history, never a running job's rules.
            throw new IllegalArgumentException("option rules.published is a replay's history of published versions, and only "
                    + "a bounded run (kafka.bounded=true) takes it; a running job takes versions from the rules topic, "
                    + "signed by the alert API");
        }
        if (get(MATERIAL_MEMBER_EXIT_SHARE) > get(MATERIAL_MEMBER_SHARE)) {
            throw new IllegalArgumentException("option group.material-member-exit-share-bp (" + get(MATERIAL_MEMBER_EXIT_SHARE)
                    + ") must be at or below group.material-member-share-bp (" + get(MATERIAL_MEMBER_SHARE)
                    + "), or a member would stop weighing before it starts");
        }
    }

    public static EngineConfig defaults() {
        return new EngineConfig(Map.of());
    }

    public static EngineConfig of(Map<String, String> settings) {
        return new EngineConfig(settings);
    }

    /**
     * Reads each {@code --config FILE} in order, a later file over an earlier one (the options, then the ones an
     * install keeps apart, such as keys and credentials), then every {@code --key value} / {@code --key=value} flag over them.
     */
    public static EngineConfig fromArgs(String... args) {
        Map<String, String> settings = new LinkedHashMap<>();
        Map<String, String> flags = new LinkedHashMap<>();
        List<String> files = new java.util.ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--") || arg.length() == 2) {
                throw new IllegalArgumentException("expected --option value, got '" + arg + "'");
            }
            String key;
            String value;
            int equals = arg.indexOf('=');
            if (equals > 0) {
                key = arg.substring(2, equals);
                value = arg.substring(equals + 1);
            } else {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("option " + arg.substring(2) + " has no value");
                }
                key = arg.substring(2);
                value = args[++i];
            }
            if (key.equals("config")) {
                files.add(value);
            } else {
                flags.put(key, value);
            }
        }
        for (String file : files) {
            settings.putAll(readProperties(Path.of(file)));
        }
        settings.putAll(flags);
        return new EngineConfig(settings);
    }

    /** The indicator thresholds, as the risk operators take them. */
    public RiskSettings riskSettings() {
        return new RiskSettings(get(MATERIALITY_FLOOR), get(MATERIALITY_SHARE), EngineOption.periodMonths(get(CURE_PROBATION)),
                EngineOption.periodDays(get(CURE_PROBATION)), days(REMINDER_HORIZON), days(DIVERSION_WINDOW), days(STATEMENT_GRACE),
                Regime.parse(get(REGIMES)), get(INTERNAL_RATING_SCALE), days(SILENCE_CHECK),
                new ReviewSchedule(get(REVIEW_GREEN), get(REVIEW_AMBER), get(REVIEW_RED), get(REVIEW_BLACK)));
    }

    /** {@link #AGE_UNTIL} in epoch milliseconds, or {@code Long.MIN_VALUE} for none. */
    public long ageUntilMillis() {
        return EngineOption.instantMillis(get(AGE_UNTIL));
    }

    private int days(EngineOption<Duration> option) {
        return (int) get(option).toDays();
    }

    /** A copy with one option changed; for tests and launchers. */
    public <T> EngineConfig with(EngineOption<T> option, String value) {
        Map<String, String> settings = new LinkedHashMap<>();
        values.forEach((key, current) -> settings.put(key, text(current)));
        settings.put(option.key(), value);
        return new EngineConfig(settings);
    }

    /** Every option as a flag ({@code --key=value}) that {@link #fromArgs} reads back: to submit a job with this configuration. */
    public List<String> toArgs() {
        return values.entrySet().stream().map(e -> "--" + e.getKey() + "=" + text(e.getValue())).toList();
    }

    @SuppressWarnings("unchecked")
    public <T> T get(EngineOption<T> option) {
        return (T) values.get(option.key());
    }

    private static String text(Object value) {
        return value instanceof Duration duration ? duration.toMillis() + "ms" : value.toString();
    }

    private static Map<String, String> readProperties(Path file) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read configuration file " + file + ": " + e.getMessage(), e);
        }
        Map<String, String> settings = new LinkedHashMap<>();
        properties.stringPropertyNames().forEach(name -> settings.put(name, properties.getProperty(name)));
        return settings;
    }

    /** The options as a Markdown table, for docs/configuration.md. */
    public static String markdownTable() {
        StringBuilder table = new StringBuilder("| Option | Type | Default | Meaning |\n|---|---|---|---|\n");
        for (EngineOption<?> option : OPTIONS) {
            table.append("| `").append(option.key()).append("` | ").append(option.typeName()).append(" | `")
                    .append(option.defaultText()).append("` | ").append(option.description()).append(" |\n");
        }
        return table.toString();
    }

    /** Prints the options table that docs/configuration.md holds. */
    public static void main(String[] args) {
        System.out.print(markdownTable());
    }
}
