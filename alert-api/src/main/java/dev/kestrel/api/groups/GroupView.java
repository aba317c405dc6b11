package dev.kestrel.api.groups;

import dev.kestrel.api.alerts.AlertView;
import dev.kestrel.api.limits.LimitRecommendationView;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;
import java.util.List;

/**
 * A corporate group: its members with their classifications, the engine's verdict on the group (exposure against the
 * shared limit, distress, the watch-list grade of its worst material member with the exposure-weighted score, as of
 * {@code engineAsOf}), the contagion the engine has raised, the standing limit recommendation and the group's open
 * alerts. Every verdict is the engine's: before its first group snapshot the totals, distress and grade are null
 * (not assessed yet), never summed or judged here.
 */
@Serdeable
public record GroupView(String groupId, @Nullable String groupName, @Nullable Long limitMinor, @Nullable String currency,
                        @Nullable Long drawnMinor, @Nullable Integer utilisationBasisPoints, @Nullable Integer membersInDistress,
                        @Nullable Integer nonPerformingMembers, @Nullable String worstLoanCategory,
                        @Nullable Instant engineAsOf, @Nullable String watchGrade, @Nullable String watchGradeMemberId,
                        @Nullable Integer exposureWeightedScore, int scoredMembers, int unscoredMaterialMembers,
                        @Nullable LimitRecommendationView limitRecommendation,
                        List<Member> members, List<Contagion> contagion, List<AlertView> openAlerts) {

    /**
     * One contagion episode the engine has open on the group: its group alert, whose summary names the members that are
     * non-performing or critical, and the members carrying its contagion alert, which the bank must reassess (China's
     * 2023 classification rules). The engine decides both; a member the engine has not alerted is not listed.
     */
    @Serdeable
    public record Contagion(String alertId, String ruleId, String severity, String title, String summary, Instant since,
                            List<String> exposedMembers) {
    }

    @Serdeable
    public record Member(String borrowerId, @Nullable String name, @Nullable String loanCategory, @Nullable String smaClass,
                         @Nullable Integer daysPastDue, @Nullable Long drawnMinor, @Nullable Long limitMinor,
                         @Nullable String ratingTier, int openAlerts, @Nullable Integer score, @Nullable String watchGrade,
                         @Nullable Boolean material) {
    }
}
