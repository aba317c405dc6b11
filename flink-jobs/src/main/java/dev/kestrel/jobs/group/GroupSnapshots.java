package dev.kestrel.jobs.group;

import dev.kestrel.events.GroupMemberStatus;
import dev.kestrel.events.GroupRiskSnapshot;
import dev.kestrel.events.LoanCategory;
import dev.kestrel.events.OpenAlert;
import dev.kestrel.jobs.risk.Episode;
import dev.kestrel.jobs.indicator.IndicatorValues;
import dev.kestrel.jobs.risk.Ratios;
import dev.kestrel.jobs.risk.RiskSnapshots;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The group snapshot the desk reads: exposure against the shared limit, the members, the group's watch-list grade and
 * the open group alerts.
 * Written when the limit, membership, the members' condition or the open alerts change, and otherwise at most once
 * per minimum interval while drawn amounts move, like the borrower snapshots.
 */
final class GroupSnapshots {
    private GroupSnapshots() {}

    /**
     * @param scoresMoved whether the members' scores moved (the weighted score with them): like drawn amounts, a move
     *                    writes a snapshot at most once per minimum interval; a grade or materiality change at once
     */
    static boolean due(GroupState state, IndicatorValues before, IndicatorValues after, boolean scoresMoved, long minIntervalMillis) {
        // Ordinals, not enums' hash codes, which differ from one JVM to the next: the key is kept in state.
        long key = Objects.hash(state.hasLimit, state.limitMinor, state.currency, state.groupName, state.members,
                state.distressed, state.nonPerforming, state.critical, Arrays.hashCode(state.categories),
                state.watchGrade == null ? -1 : state.watchGrade.ordinal(), state.watchGradeMember, state.unscoredMaterialMembers,
                state.gradesDigest);
        key = RiskSnapshots.withEpisodes(key, state.episodes);
        if (RiskSnapshots.due(key, state.snapshotKey, state.snapshotAt, state.clock, !before.sameValues(after) || scoresMoved,
                minIntervalMillis)) {
            state.snapshotKey = key;
            state.snapshotAt = state.clock;
            return true;
        }
        return false;
    }

    static GroupRiskSnapshot of(String groupId, GroupState state, List<MemberStatus> members) {
        List<GroupMemberStatus> statuses = new ArrayList<>();
        members.stream().sorted(Comparator.comparing(m -> m.borrowerId)).forEach(m -> statuses.add(new GroupMemberStatus(
                m.borrowerId, m.drawnMinor, m.limitMinor, m.currency, category(m.loanCategory), m.daysPastDue, m.inDefault,
                m.nonPerforming(), m.hasCriticalAlert() ? List.of(m.criticalAlertRules.split(",")) : List.of(),
                m.score, m.watchGrade, m.material, Instant.ofEpochMilli(m.eventTime))));
        List<OpenAlert> open = new ArrayList<>();
        for (Episode episode : state.episodes) {
            open.add(new OpenAlert(episode.alertId, episode.ruleId, episode.severity));
        }
        return GroupRiskSnapshot.newBuilder()
                .setGroupId(groupId)
                .setGroupName(state.groupName)
                .setAsOf(Instant.ofEpochMilli(state.clock))
                .setCurrency(state.currency)
                .setLimitMinor(state.hasLimit ? state.limitMinor : null)
                .setDrawnMinor(state.drawnMinor)
                .setUtilisationBasisPoints(state.hasLimit && state.limitMinor > 0 ? Ratios.basisPoints(state.drawnMinor, state.limitMinor) : null)
                .setDistressedMembers(state.distressed)
                .setNonPerformingMembers(state.nonPerforming)
                .setWorstLoanCategory(category(state.worstCategory()))
                .setMembers(statuses)
                .setWatchGrade(state.watchGrade)
                .setWatchGradeMemberId(state.watchGradeMember)
                .setExposureWeightedScore(state.weightedScore)
                .setScoredMembers(state.scoredMembers)
                .setUnscoredMaterialMembers(state.unscoredMaterialMembers)
                .setOpenAlerts(open)
                .build();
    }

    private static LoanCategory category(int category) {
        return LoanCategory.values()[Math.max(1, Math.min(5, category)) - 1];
    }
}
