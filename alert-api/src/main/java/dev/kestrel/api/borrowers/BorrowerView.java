package dev.kestrel.api.borrowers;

import dev.kestrel.api.tags.BorrowerTag;
import dev.kestrel.api.alerts.AlertView;
import dev.kestrel.api.limits.LimitRecommendationView;
import dev.kestrel.api.ownership.Owner;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;
import java.util.List;

/**
 * The customer 360 view: who the borrower is, how risky it is now, what the engine recommends doing with its limit,
 * who on the desk is responsible for it, its alerts, and how its indicators moved.
 */
@Serdeable
public record BorrowerView(String borrowerId, @Nullable Profile profile, @Nullable Risk risk,
                           @Nullable LimitRecommendationView limitRecommendation, @Nullable Owner owner, List<BorrowerTag> tags,
                           List<AlertView> openAlerts,
                           List<AlertView> pastAlerts, List<HistoryPoint> history) {

    /** Master data; personal fields are masked unless the caller's role may see them ({@code masked} says which). */
    @Serdeable
    public record Profile(String name, @Nullable String unifiedSocialCreditCode, @Nullable String legalRepresentativeName,
                          @Nullable String legalRepresentativeIdNumber, @Nullable String legalRepresentativePhone,
                          String industry, String region, @Nullable String groupId, String internalRating,
                          String customerSegment, JsonNode facilities, Instant profileTime, boolean masked) {
    }

    /** The engine's latest snapshot: classification, rating tier, segment and every indicator. */
    @Serdeable
    public record Risk(Instant asOf, @Nullable String groupId, @Nullable String internalRating, String ratingTier,
                       String segment, int ifrs9Stage, String loanCategory, String smaClass, boolean inDefault,
                       int daysPastDue, long drawnMinor, long limitMinor, @Nullable String currency, JsonNode facilities,
                       JsonNode indicators, @Nullable java.time.LocalDate lastReviewDate, @Nullable java.time.LocalDate reviewDueDate) {
    }

    /** One snapshot's figures, for charts. */
    @Serdeable
    public record HistoryPoint(Instant asOf, int daysPastDue, long drawnMinor, long limitMinor, JsonNode indicators) {
    }
}
