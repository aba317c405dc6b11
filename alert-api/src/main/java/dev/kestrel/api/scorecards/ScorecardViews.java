package dev.kestrel.api.scorecards;

import io.micronaut.json.tree.JsonNode;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;
import java.util.List;

/** What the scorecards admin returns. */
public final class ScorecardViews {
    private ScorecardViews() {}

    /** The scorecard the job scores with, and every version known: shipped, proposed, approved, published. */
    @Serdeable
    public record ScorecardSummary(String scorecardId, String title, int activeVersion, String activeSource,
                                   List<ScorecardVersion> versions) {}

    /**
     * One version: SHIPPED, PROPOSED, APPROVED (signed with {@code signedWith}, audited, waiting for the topic) or
     * PUBLISHED; {@code contentSha256} is what a checker sends back to publish the version they reviewed.
     */
    @Serdeable
    public record ScorecardVersion(int version, String status, String proposedBy, Instant proposedAt, String publishedBy,
                                   Instant publishedAt, String signedWith, String contentSha256, JsonNode scorecard) {}
}
