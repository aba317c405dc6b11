package dev.kestrel.api.scorecards;

import dev.kestrel.api.publication.VersionsInForce;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;
import java.util.List;

/** What the scorecards admin returns. */
public final class ScorecardViews {
    private ScorecardViews() {}

    /**
     * The scorecard the job reports it scores with ({@code activeVersion}, 0 and {@code activeSource} NOT_REPORTED until
     * it reports one), from when ({@code activeFrom}, null for the shipped one), and every version known: shipped,
     * proposed, approved, published.
     */
    @Serdeable
    public record ScorecardSummary(String scorecardId, String title, int activeVersion, String activeSource,
                                   @Nullable Instant activeFrom, List<ScorecardVersion> versions) {}

    /**
     * One version: SHIPPED, PROPOSED, APPROVED (signed with {@code signedWith}, audited, waiting for the topic) or
     * PUBLISHED; {@code contentSha256} is what a checker sends back to publish the version they reviewed; {@code engine}
     * is what the job reported it did with the version, null until it does.
     */
    @Serdeable
    public record ScorecardVersion(int version, String status, String proposedBy, Instant proposedAt, String publishedBy,
                                   Instant publishedAt, String signedWith, String contentSha256, JsonNode scorecard,
                                   @Nullable VersionsInForce.Report engine) {}
}
