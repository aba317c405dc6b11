package dev.kestrel.jobs.group;

import dev.kestrel.events.WatchGrade;
import dev.kestrel.jobs.risk.Ratios;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * A group's place on the watch list: the worst grade among its material members, and beside it its members' scores
 * weighted by exposure (docs/early-warning-job.md, "The group's watch-list grade"). A group shares one limit and is
 * one risk (CRR art. 4(1)(39)), but a small subsidiary in workout does not make a large group a workout case; what is
 * small is the bank's policy. Judged over all members after each moment that changed one: O(members), as materiality
 * is a share of the group's total.
 */
final class GroupGrade {
    /** When a member weighs in the grade: from {@code entryBp} of the group's drawings, until below {@code exitBp}. */
    record Materiality(int entryBp, int exitBp) implements java.io.Serializable {
        Materiality {
            if (entryBp < 0 || exitBp < 0 || exitBp > entryBp || entryBp > 10_000) {
                throw new IllegalArgumentException("a member is material from " + entryBp + " bp until below " + exitBp
                        + " bp: the exit must be at or below the entry, both 0 to 10000");
            }
        }
    }

    private GroupGrade() {}

    /**
     * Whether the member weighs in the group's grade now: it draws at least the entry share of the group's drawn total
     * (a share rounded down, so 4.99% is below 5%), or was material and draws at least the exit share, so a sibling's
     * drawing does not take the group in and out of a grade; and always when the group draws nothing, or no FX rate
     * converts its amount.
     */
    static boolean material(MemberStatus member, GroupState state, Materiality materiality) {
        if (state.drawnMinor <= 0 || state.unconverted(member)) { // an exposure not known to be small is not small
            return true;
        }
        long share = Ratios.basisPoints(state.counted(member), state.drawnMinor);
        return share >= materiality.entryBp() || member.material && share >= materiality.exitBp();
    }

    /**
     * Sets each member's materiality, and the group's grade, the member that sets it, the weighted score and the
     * counts from its members; returns the members whose materiality changed, to be stored again.
     */
    static List<MemberStatus> judge(GroupState state, List<MemberStatus> members, Materiality materiality) {
        List<MemberStatus> changed = new ArrayList<>();
        WatchGrade worst = null;
        String worstMember = null;
        long worstCounted = -1;
        BigInteger weighted = BigInteger.ZERO;
        long weight = 0; // at most the group's drawn total, which fits a long
        int scored = 0;
        int unscoredMaterial = 0;
        long grades = 1;
        long scores = 1;
        for (MemberStatus member : members) {
            boolean material = material(member, state, materiality);
            if (material != member.material) {
                member.material = material;
                changed.add(member);
            }
            // Digests that do not depend on the order state hands the members out in: sums of per-member hashes.
            grades += mix(member.borrowerId.hashCode(), (member.watchGrade == null ? 0 : member.watchGrade.ordinal() + 1) * 2 + (material ? 1 : 0));
            if (member.watchGrade == null || member.score == null) {
                unscoredMaterial += material ? 1 : 0;
                continue;
            }
            scored++;
            scores += mix(member.borrowerId.hashCode(), member.score);
            long counted = state.counted(member);
            if (counted > 0) {
                weighted = weighted.add(BigInteger.valueOf(counted).multiply(BigInteger.valueOf(member.score)));
                weight += counted;
            }
            if (!material) {
                continue;
            }
            int worse = worst == null ? 1 : member.watchGrade.compareTo(worst);
            // Of the members in the worst grade, the one drawing most names it; the first by id breaks a tie, so the
            // answer does not depend on the order state hands the members out in.
            if (worse > 0 || worse == 0 && (counted > worstCounted || counted == worstCounted && member.borrowerId.compareTo(worstMember) < 0)) {
                worst = member.watchGrade;
                worstMember = member.borrowerId;
                worstCounted = counted;
            }
        }
        state.watchGrade = worst;
        state.watchGradeMember = worstMember;
        state.scoredMembers = scored;
        state.unscoredMaterialMembers = unscoredMaterial;
        state.weightedScore = weight == 0 ? null
                : new BigDecimal(weighted).divide(BigDecimal.valueOf(weight), 0, RoundingMode.HALF_UP).intValueExact();
        state.gradesDigest = grades;
        state.scoresDigest = mix(scores, state.weightedScore == null ? Integer.MIN_VALUE : state.weightedScore);
        return changed;
    }

    private static long mix(long h, long value) {
        long x = (h ^ value) * 0x9E3779B97F4A7C15L;
        return x ^ (x >>> 29);
    }
}
