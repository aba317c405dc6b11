package dev.kestrel.api.rules;

import dev.kestrel.api.publication.VersionsInForce;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;
import java.util.List;

/** What the rules admin endpoints answer. */
public final class RuleViews {
    private RuleViews() {}

    /**
     * One rule: the version the job reports it runs ({@code activeVersion}, 0 and {@code activeSource} NOT_REPORTED
     * until it reports one), from when it judges events with it ({@code activeFrom}, null for the pack's), and every
     * version known.
     */
    @Serdeable
    public record RuleSummary(String ruleId, String title, String severity, String category, boolean enabled,
                              int activeVersion, String activeSource, @Nullable Instant activeFrom, List<RuleVersion> versions) {
    }

    /**
     * One version: SHIPPED with the job's rule pack, PROPOSED through the API, APPROVED (signed with the key
     * {@code signedWith} and audited, waiting in the outbox for the rules topic) or PUBLISHED (on the topic).
     * {@code rule} is the version in the JSON-lines form of docs/events.md, without its signature; {@code contentSha256}
     * is what a checker sends back to publish the version they reviewed (null for the shipped one); {@code engine} is
     * what the job reported it did with the version, null until it does.
     */
    @Serdeable
    public record RuleVersion(int version, String status, @Nullable String proposedBy, @Nullable Instant proposedAt,
                              @Nullable String publishedBy, @Nullable Instant publishedAt, @Nullable String signedWith,
                              @Nullable String contentSha256, JsonNode rule, @Nullable VersionsInForce.Report engine) {
    }
}
