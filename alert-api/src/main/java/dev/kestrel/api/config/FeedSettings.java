package dev.kestrel.api.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import java.time.Duration;

/**
 * Where the API reads the engine's output and master data from. Topic names default to the job's own defaults
 * ({@code docs/configuration.md}).
 */
@ConfigurationProperties("kestrel.kafka")
public record FeedSettings(
        @NotBlank String bootstrapServers,
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
}
