package dev.kestrel.contract;

import dev.kestrel.events.Alert;
import dev.kestrel.events.BorrowerProfile;
import dev.kestrel.events.BorrowerReview;
import dev.kestrel.events.BorrowerRiskSnapshot;
import dev.kestrel.events.BorrowerScore;
import dev.kestrel.events.CashFlowForecast;
import dev.kestrel.events.FacilityCovenants;
import dev.kestrel.events.Project;
import dev.kestrel.events.ProjectMilestone;
import dev.kestrel.events.CollateralValuation;
import dev.kestrel.events.CreditEvent;
import dev.kestrel.events.DeadLetter;
import dev.kestrel.events.FinancialStatement;
import dev.kestrel.events.FxRate;
import dev.kestrel.events.GroupLimit;
import dev.kestrel.events.GroupRiskSnapshot;
import dev.kestrel.events.InstalmentStatus;
import dev.kestrel.events.LimitDecision;
import dev.kestrel.events.LimitRecommendation;
import dev.kestrel.events.RepaymentEvent;
import dev.kestrel.events.Rule;
import dev.kestrel.events.RuleVersionStatus;
import dev.kestrel.events.Scorecard;
import dev.kestrel.events.TransactionEvent;
import java.util.Arrays;
import java.util.List;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * The contract's catalogue of topics: each topic's default name, the one record type it carries, its key (and so its
 * partitioning: Kafka's default partitioner hashes the key), whether Kafka compacts it, and who writes it. The
 * engine's options, the API's settings, the simulator, the deploy manifests and docs/events.md all take topic names
 * from here; each deployment may rename a topic, never change what it carries.
 */
public enum Topic {
    TRANSACTIONS("transactions", TransactionEvent.class, "borrowerId", List.of("borrowerId"), false, Writer.UPSTREAM, "core banking"),
    REPAYMENTS("repayments", RepaymentEvent.class, "borrowerId", List.of("borrowerId"), false, Writer.UPSTREAM, "loan servicing"),
    CREDIT_EVENTS("credit-events", CreditEvent.class, "borrowerId", List.of("borrowerId"), false, Writer.UPSTREAM, "bureau, court, tax and news feeds"),
    BORROWER_PROFILES("borrower-profiles", BorrowerProfile.class, "borrowerId", List.of("borrowerId"), true, Writer.UPSTREAM, "customer master data"),
    FINANCIAL_STATEMENTS("financial-statements", FinancialStatement.class, "borrowerId", List.of("borrowerId"), false, Writer.UPSTREAM,
            "credit team's spreading tool"),
    COLLATERAL_VALUATIONS("collateral-valuations", CollateralValuation.class, "borrowerId", List.of("borrowerId"), false, Writer.UPSTREAM,
            "collateral management"),
    // Project finance (项目融资): the project company's project, its construction progress, its model and its covenants.
    PROJECTS("projects", Project.class, "borrowerId", List.of("borrowerId"), true, Writer.UPSTREAM, "project finance's project register"),
    PROJECT_MILESTONES("project-milestones", ProjectMilestone.class, "borrowerId", List.of("borrowerId"), false, Writer.UPSTREAM,
            "construction progress reports (the lenders' technical adviser)"),
    CASH_FLOW_FORECASTS("cash-flow-forecasts", CashFlowForecast.class, "borrowerId", List.of("borrowerId"), true, Writer.UPSTREAM,
            "the project's financial model, base case"),
    COVENANTS("covenants", FacilityCovenants.class, "`borrowerId/facilityId`, e.g. `B-2001/F-2001-SENIOR`",
            List.of("borrowerId", "facilityId"), true, Writer.UPSTREAM, "loan administration's covenant register"),
    GROUP_LIMITS("group-limits", GroupLimit.class, "groupId", List.of("groupId"), true, Writer.UPSTREAM, "limit management"),
    RULES("rules", Rule.class, "ruleId", List.of("ruleId"), true, Writer.ALERT_API, "the alert API's rules admin, signed"),
    SCORECARDS("scorecards", Scorecard.class, "scorecardId", List.of("scorecardId"), true, Writer.ALERT_API, "the alert API's scorecards admin, signed"),
    FX_RATES("fx-rates", FxRate.class, "`baseCurrency/quoteCurrency`, e.g. `EUR/CNY`", List.of("baseCurrency", "quoteCurrency"), false, Writer.UPSTREAM,
            "treasury or a central bank's fixing"),
    ALERTS("alerts", Alert.class, "alertId", List.of("alertId"), false, Writer.ENGINE, "the early-warning job, exactly once"),
    BORROWER_SNAPSHOTS("borrower-snapshots", BorrowerRiskSnapshot.class, "borrowerId", List.of("borrowerId"), true, Writer.ENGINE,
            "the early-warning job, exactly once"),
    // Kept compacted: the latest record of each instalment is the engine's word on it, read by the desk's ledger.
    INSTALMENTS("instalments", InstalmentStatus.class, "`borrowerId/facilityId/instalmentId`, e.g. `B-1001/F-1001-A/07`",
            List.of("borrowerId", "facilityId", "instalmentId"), true, Writer.ENGINE, "the early-warning job, exactly once"),
    BORROWER_SCORES("borrower-scores", BorrowerScore.class, "borrowerId", List.of("borrowerId"), false, Writer.ENGINE, "the early-warning job, exactly once"),
    GROUP_SNAPSHOTS("group-snapshots", GroupRiskSnapshot.class, "groupId", List.of("groupId"), true, Writer.ENGINE, "the early-warning job, exactly once"),
    LIMIT_RECOMMENDATIONS("limit-recommendations", LimitRecommendation.class, "`BORROWER:<borrowerId>` or `GROUP:<groupId>`", List.of(),
            false, Writer.ENGINE, "the early-warning job, exactly once"),
    // Applied by the bank's limit system; read back by the engine, so its recommendations know what was decided.
    LIMIT_DECISIONS("limit-decisions", LimitDecision.class, "`BORROWER:<borrowerId>` or `GROUP:<groupId>`", List.of(),
            false, Writer.ALERT_API, "the alert API's limit decisions, four eyes and signed"),
    // Kept compacted: the last review published for each borrower is what the engine's schedule needs to start again.
    REVIEWS("reviews", BorrowerReview.class, "borrowerId", List.of("borrowerId"), true, Writer.ALERT_API,
            "the alert API's borrower reviews, signed"),
    RULE_VERSIONS("rule-versions", RuleVersionStatus.class, "`kind/id`, e.g. `RULE/CF-INFLOW-DROP`",
            List.of("kind", "id"), true, Writer.ENGINE, "the early-warning job, exactly once"),
    DEAD_LETTERS("dead-letters", DeadLetter.class, "source topic", List.of("sourceTopic"), false, Writer.ENGINE,
            "the jobs, exactly once; the alert API, what its feed cannot read");

    /** Who may write a topic: the principal its ACLs name. */
    public enum Writer { UPSTREAM, ENGINE, ALERT_API }

    private final String shortName;
    private final Class<? extends SpecificRecordBase> recordClass;
    private final String key;
    private final List<String> keyFields;
    private final boolean compacted;
    private final Writer writer;
    private final String writtenBy;
    private final boolean engineReads;

    /** A topic the engine reads unless it writes it. */
    Topic(String shortName, Class<? extends SpecificRecordBase> recordClass, String key, List<String> keyFields, boolean compacted,
          Writer writer, String writtenBy) {
        this(shortName, recordClass, key, keyFields, compacted, writer, writtenBy, writer != Writer.ENGINE);
    }

    Topic(String shortName, Class<? extends SpecificRecordBase> recordClass, String key, List<String> keyFields, boolean compacted,
          Writer writer, String writtenBy, boolean engineReads) {
        this.engineReads = engineReads;
        this.shortName = shortName;
        this.recordClass = recordClass;
        this.key = key;
        this.keyFields = keyFields;
        this.compacted = compacted;
        this.writer = writer;
        this.writtenBy = writtenBy;
    }

    /** The name without the deployment's prefix, e.g. {@code transactions}; the engine's option is {@code topic.<this>}. */
    public String shortName() {
        return shortName;
    }

    /** The default topic name, e.g. {@code kestrel.transactions}. */
    public String defaultName() {
        return "kestrel." + shortName;
    }

    /** The only record type the topic carries; anything else on it is dead-lettered as WRONG_TOPIC. */
    public EventType recordType() {
        return EventType.of(recordClass);
    }

    /** What the key is, in words. */
    public String key() {
        return key;
    }

    /**
     * The key of a record on this topic: its key fields joined by {@value #KEY_SEPARATOR}, e.g. {@code EUR/CNY} for an
     * FX rate. A topic whose key is not made of fields (limit recommendations) has none here.
     */
    public String keyOf(SpecificRecordBase record) {
        if (keyFields.isEmpty() || !record.getClass().equals(recordClass)) {
            throw new IllegalArgumentException(record.getSchema().getName() + " on " + defaultName() + " has no key of fields");
        }
        StringBuilder key = new StringBuilder();
        for (String field : keyFields) {
            key.append(key.isEmpty() ? "" : KEY_SEPARATOR).append(record.get(field));
        }
        return key.toString();
    }

    /** Between the fields of a key made of several. */
    public static final String KEY_SEPARATOR = "/";

    /** Whether Kafka keeps only the latest record per key. */
    public boolean compacted() {
        return compacted;
    }

    public Writer writer() {
        return writer;
    }

    /** Who writes it, in words. */
    public String writtenBy() {
        return writtenBy;
    }

    /** The topic a record type travels on: each type has exactly one. */
    public static Topic carrying(String recordName) {
        return Arrays.stream(values()).filter(t -> t.recordClass.getSimpleName().equals(recordName)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(recordName + " travels on no topic"));
    }

    /** The topics the engine reads. */
    public static List<Topic> engineInputs() {
        return Arrays.stream(values()).filter(t -> t.engineReads).toList();
    }

    /** The topics the engine writes. */
    public static List<Topic> engineOutputs() {
        return Arrays.stream(values()).filter(t -> t.writer == Writer.ENGINE).toList();
    }

    /**
     * The catalogue as JSON, for producers in other languages: {@code schemas/released/catalogue.json}, packaged in the
     * jar beside the released schemas (a test keeps it equal to this enum).
     */
    public static String json() {
        StringBuilder out = new StringBuilder("{\"topics\": [\n");
        for (Topic topic : values()) {
            out.append("  {\"name\": \"").append(topic.defaultName()).append("\", \"record\": \"").append(topic.recordType().name())
                    .append("\", \"keyFields\": [").append(String.join(", ", topic.keyFields.stream().map(f -> "\"" + f + "\"").toList()))
                    .append("], \"keySeparator\": \"").append(KEY_SEPARATOR).append("\", \"compacted\": ").append(topic.compacted)
                    .append(", \"writer\": \"").append(topic.writer).append("\"}").append(topic.ordinal() < values().length - 1 ? "," : "")
                    .append("\n");
        }
        return out.append("]}\n").toString();
    }

    /** The table of docs/events.md, "Topics and keys". */
    public static String markdownTable() {
        StringBuilder table = new StringBuilder("| Topic (default name) | Record | Key | Who writes | Retention |\n|---|---|---|---|---|\n");
        for (Topic topic : values()) {
            table.append("| `").append(topic.defaultName()).append("` | ").append(topic.recordType().name()).append(" | ")
                    .append(topic.key).append(" | ").append(topic.writtenBy).append(" | ")
                    .append(topic.compacted ? "compacted" : "time").append(" |\n");
        }
        return table.toString();
    }
}
