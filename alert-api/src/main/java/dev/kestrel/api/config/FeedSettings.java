package dev.kestrel.api.config;

import dev.kestrel.contract.KafkaClientSecurity;
import dev.kestrel.contract.Topic;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import java.time.Duration;
import java.util.Map;

/**
 * Where the API reads the engine's output, master data and the evidence behind the verdicts from. A topic not named here has its name from the
 * contract's catalogue ({@link Topic}), as the job's does.
 */
@ConfigurationProperties("kestrel.kafka")
public record FeedSettings(
        @NotBlank String bootstrapServers,
        /* A Kafka client properties file with security.protocol, ssl.* and sasl.* (docs/operations.md, "Kafka security"). */
        @Nullable String clientConfig,
        @NotBlank String consumerGroup,
        @Nullable String alertsTopic,
        @Nullable String snapshotsTopic,
        @Nullable String groupSnapshotsTopic,
        @Nullable String recommendationsTopic,
        @Nullable String profilesTopic,
        @Nullable String groupLimitsTopic,
        @Nullable String rulesTopic,
        @Nullable String scoresTopic,
        @Nullable String scorecardsTopic,
        @Nullable String deadLettersTopic,
        @Nullable String limitDecisionsTopic,
        @Nullable String reviewsTopic,
        @Nullable String repaymentsTopic,
        @Nullable String statementsTopic,
        @Nullable String creditEventsTopic,
        @Nullable String collateralTopic,
        @Nullable String ruleVersionsTopic,
        @Nullable String instalmentsTopic,
        @Nullable String projectsTopic,
        @Nullable String projectMilestonesTopic,
        @Nullable String cashFlowForecastsTopic,
        @Nullable String covenantsTopic,
        @Min(1) int maxPollRecords,
        Duration pollTimeout,
        /* Readiness turns DOWN above this many unread records: the desk would be looking at stale alerts. */
        @Min(0) long maxReadyLag) {

    public FeedSettings {
        security(clientConfig); // a file that does not read, or holds more than security settings, stops the start
        alertsTopic = orDefault(alertsTopic, Topic.ALERTS);
        snapshotsTopic = orDefault(snapshotsTopic, Topic.BORROWER_SNAPSHOTS);
        groupSnapshotsTopic = orDefault(groupSnapshotsTopic, Topic.GROUP_SNAPSHOTS);
        recommendationsTopic = orDefault(recommendationsTopic, Topic.LIMIT_RECOMMENDATIONS);
        profilesTopic = orDefault(profilesTopic, Topic.BORROWER_PROFILES);
        groupLimitsTopic = orDefault(groupLimitsTopic, Topic.GROUP_LIMITS);
        rulesTopic = orDefault(rulesTopic, Topic.RULES);
        scoresTopic = orDefault(scoresTopic, Topic.BORROWER_SCORES);
        scorecardsTopic = orDefault(scorecardsTopic, Topic.SCORECARDS);
        deadLettersTopic = orDefault(deadLettersTopic, Topic.DEAD_LETTERS);
        limitDecisionsTopic = orDefault(limitDecisionsTopic, Topic.LIMIT_DECISIONS);
        reviewsTopic = orDefault(reviewsTopic, Topic.REVIEWS);
        repaymentsTopic = orDefault(repaymentsTopic, Topic.REPAYMENTS);
        statementsTopic = orDefault(statementsTopic, Topic.FINANCIAL_STATEMENTS);
        creditEventsTopic = orDefault(creditEventsTopic, Topic.CREDIT_EVENTS);
        collateralTopic = orDefault(collateralTopic, Topic.COLLATERAL_VALUATIONS);
        ruleVersionsTopic = orDefault(ruleVersionsTopic, Topic.RULE_VERSIONS);
        instalmentsTopic = orDefault(instalmentsTopic, Topic.INSTALMENTS);
        projectsTopic = orDefault(projectsTopic, Topic.PROJECTS);
        projectMilestonesTopic = orDefault(projectMilestonesTopic, Topic.PROJECT_MILESTONES);
        cashFlowForecastsTopic = orDefault(cashFlowForecastsTopic, Topic.CASH_FLOW_FORECASTS);
        covenantsTopic = orDefault(covenantsTopic, Topic.COVENANTS);
    }

    /**
     * The topics the feed reads, by name, each with what the contract says it carries: a record of another type on one
     * (written by whoever may write that topic) is refused, never applied as if its rightful writer had sent it.
     */
    public Map<String, Topic> feedTopics() {
        Map<String, Topic> topics = new java.util.LinkedHashMap<>();
        topics.put(alertsTopic, Topic.ALERTS);
        topics.put(snapshotsTopic, Topic.BORROWER_SNAPSHOTS);
        topics.put(groupSnapshotsTopic, Topic.GROUP_SNAPSHOTS);
        topics.put(recommendationsTopic, Topic.LIMIT_RECOMMENDATIONS);
        topics.put(profilesTopic, Topic.BORROWER_PROFILES);
        topics.put(groupLimitsTopic, Topic.GROUP_LIMITS);
        topics.put(rulesTopic, Topic.RULES);
        topics.put(scoresTopic, Topic.BORROWER_SCORES);
        topics.put(scorecardsTopic, Topic.SCORECARDS);
        topics.put(repaymentsTopic, Topic.REPAYMENTS);
        topics.put(statementsTopic, Topic.FINANCIAL_STATEMENTS);
        topics.put(creditEventsTopic, Topic.CREDIT_EVENTS);
        topics.put(collateralTopic, Topic.COLLATERAL_VALUATIONS);
        topics.put(ruleVersionsTopic, Topic.RULE_VERSIONS);
        topics.put(instalmentsTopic, Topic.INSTALMENTS);
        topics.put(projectsTopic, Topic.PROJECTS);
        topics.put(projectMilestonesTopic, Topic.PROJECT_MILESTONES);
        topics.put(cashFlowForecastsTopic, Topic.CASH_FLOW_FORECASTS);
        topics.put(covenantsTopic, Topic.COVENANTS);
        return topics;
    }

    private static String orDefault(String name, Topic topic) {
        return name == null || name.isBlank() ? topic.defaultName() : name;
    }

    /** The security settings every Kafka client of the API adds to its own: the feed, its dead letters, the publisher. */
    public Map<String, String> security() {
        return security(clientConfig);
    }

    private static Map<String, String> security(String clientConfig) {
        return KafkaClientSecurity.read(clientConfig);
    }
}
