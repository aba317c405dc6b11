package dev.kestrel.api.groups;

import dev.kestrel.api.alerts.AlertView;
import dev.kestrel.api.limits.LimitRecommendationView;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;
import java.util.List;

/**
 * A corporate group: its members with their classifications, their drawn exposure against the shared group limit,
 * the engine's watch-list grade of the group (its worst material member, with the exposure-weighted score; each member
 * with the score, grade and materiality the engine gave it, as of {@code engineAsOf}), the standing limit
 * recommendation and the group's open alerts. The totals are the engine's (its group snapshot,
 * as of {@code engineAsOf}, summing only members in the limit's currency) once it has written one; before that they
 * are summed here from the members' snapshots.
 */
@Serdeable
public record GroupView(String groupId, @Nullable String groupName, @Nullable Long limitMinor, @Nullable String currency,
                        long drawnMinor, @Nullable Integer utilisationBasisPoints, int membersInDistress,
                        @Nullable Integer nonPerformingMembers, @Nullable String worstLoanCategory,
                        @Nullable Instant engineAsOf, @Nullable String watchGrade, @Nullable String watchGradeMemberId,
                        @Nullable Integer exposureWeightedScore, int scoredMembers, int unscoredMaterialMembers,
                        @Nullable LimitRecommendationView limitRecommendation,
                        List<Member> members, List<ContagionLink> contagion, List<AlertView> openAlerts) {

    /**
     * A non-performing member (substandard or worse, or over 90 days past due) and the other members it puts at risk
     * through the group: China's 2023 classification rules make the bank reassess them.
     */
    @Serdeable
    public record ContagionLink(String borrowerId, @Nullable String name, String reason, List<String> exposedMembers) {
    }

    @Serdeable
    public record Member(String borrowerId, @Nullable String name, @Nullable String loanCategory, @Nullable String smaClass,
                         @Nullable Integer daysPastDue, @Nullable Long drawnMinor, @Nullable Long limitMinor,
                         @Nullable String ratingTier, int openAlerts, @Nullable Integer score, @Nullable String watchGrade,
                         @Nullable Boolean material) {

        /** The member with the score, grade and materiality the engine's group snapshot gave it. */
        Member graded(EngineGroupMember engine) {
            return new Member(borrowerId, name, loanCategory, smaClass, daysPastDue, drawnMinor, limitMinor, ratingTier,
                    openAlerts, engine.score(), engine.watchGrade(), engine.material());
        }
    }
}
