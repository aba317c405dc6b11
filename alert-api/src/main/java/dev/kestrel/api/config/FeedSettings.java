package dev.kestrel.api.config;

import dev.kestrel.contract.KafkaClientSecurity;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import java.time.Duration;
import java.util.Map;

/**
 * Where the API reads the engine's output and master data from. Topic names default to the job's own defaults
 * ({@code docs/configuration.md}).
 */
@ConfigurationProperties("kestrel.kafka")
public record FeedSettings(
        @NotBlank String bootstrapServers,
        /* A Kafka client properties file with security.protocol, ssl.* and sasl.* (docs/operations.md, "Kafka security"). */
        @Nullable String clientConfig,
        @NotBlank String consumerGroup,
        @NotBlank String alertsTopic,
        @NotBlank String snapshotsTopic,
        @NotBlank String groupSnapshotsTopic,
        @NotBlank String recommendationsTopic,
        @NotBlank String profilesTopic,
        @NotBlank String groupLimitsTopic,
        @NotBlank String rulesTopic,
        @NotBlank String scoresTopic,
        @NotBlank String scorecardsTopic,
        @NotBlank String deadLettersTopic,
        @Min(1) int maxPollRecords,
        Duration pollTimeout,
        /* Readiness turns DOWN above this many unread records: the desk would be looking at stale alerts. */
        @Min(0) long maxReadyLag) {

    public FeedSettings {
        security(clientConfig); // a file that does not read, or holds more than security settings, stops the start
    }

    /** The security settings every Kafka client of the API adds to its own: the feed, its dead letters, the publisher. */
    public Map<String, String> security() {
        return security(clientConfig);
    }

    private static Map<String, String> security(String clientConfig) {
        return KafkaClientSecurity.read(clientConfig);
    }
}
