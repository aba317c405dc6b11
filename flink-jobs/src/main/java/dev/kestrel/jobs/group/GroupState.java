package dev.kestrel.jobs.group;

import dev.kestrel.contract.Indicator;
import dev.kestrel.events.GroupLimit;
import dev.kestrel.events.WatchGrade;
import dev.kestrel.jobs.fx.FxRates;
import dev.kestrel.jobs.risk.Days;
import dev.kestrel.jobs.risk.Episode;
import dev.kestrel.jobs.risk.EventRef;
import dev.kestrel.jobs.indicator.IndicatorValues;
import dev.kestrel.jobs.risk.Ratios;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What the engine remembers about one corporate group besides its members' statuses (those sit in map state, one
 * entry per member): the shared limit, running totals over the members, the open episodes and the group's grade. The
 * totals are kept by adding a member's new status and taking away its old one, so a member's change costs O(1), not
 * O(members); the grade is judged over all members ({@link GroupGrade}), as materiality is a share of the total.
 */
public final class GroupState {
    String groupName;
    /** The limit's currency; before a limit arrives, the first member's. Members' drawn amounts are summed in it. */
    String currency;
    boolean hasLimit;
    long limitMinor;
    long limitAt = Long.MIN_VALUE;
    long clock = Long.MIN_VALUE;

    int members;
    long drawnMinor;
    int distressed;
    int nonPerforming;
    int critical;
    /** Members per loan category 1..5 at index 0..4, for the worst category without a scan. */
    final int[] categories = new int[5];

    /** The group's watch-list grade and what sets it, as {@link GroupGrade} last judged them; null before a member is scored. */
    WatchGrade watchGrade;
    String watchGradeMember;
    Integer weightedScore;
    int scoredMembers;
    int unscoredMaterialMembers;
    /** Digests of the members' grades and materiality (a change writes a snapshot) and of their scores (a move). */
    long gradesDigest;
    long scoresDigest;

    final List<Episode> episodes = new ArrayList<>();
    /** Contagion episodes raised on members, as (member, episode). */
    final List<MemberEpisode> memberEpisodes = new ArrayList<>();
    final List<EventRef> recentEvents = new ArrayList<>();
    long snapshotAt = Long.MIN_VALUE;
    long snapshotKey;

    /** A contagion episode open on one member. */
    record MemberEpisode(String borrowerId, Episode episode) {}

    /**
     * Throws {@link ArithmeticException}, before anything changes, when replacing a member's status would take the
     * drawn total beyond a long. Drawn amounts are not negative, so the total bounds every partial sum.
     */
    void checkRoom(MemberStatus old, MemberStatus status) {
        long total = old != null ? Math.subtractExact(drawnMinor, counted(old)) : drawnMinor;
        if (status != null) {
            Math.addExact(total, counted(status));
        }
    }

    /**
     * What a member adds to the drawn total: its amount converted into the group's currency (see
     * {@link MemberStatus#countedMinor}); a status stored before FX, only an amount in the group's own currency.
     */
    long counted(MemberStatus status) {
        if (status.countedMinor != null) {
            return status.countedMinor;
        }
        return currency == null || Objects.equals(status.currency, currency) ? status.drawnMinor : 0;
    }

    /** Whether the member draws an amount no FX rate converted into the group's currency: listed, counted as nothing. */
    boolean unconverted(MemberStatus status) {
        return status.drawnMinor > 0 && status.countedMinor == null && !Objects.equals(status.currency, currency);
    }

    /**
     * Sets what the member adds to the total, converted into the group's currency at the rate in force on the day of
     * its change; says false when no rate converts it: it is listed, not summed, and its counted amount is null.
     */
    boolean convert(MemberStatus status, FxRates fx) {
        String target = currency != null ? currency : status.currency;
        if (status.currency == null || target == null) {
            status.countedMinor = status.drawnMinor; // no currency known yet: the group's own
            return true;
        }
        try {
            status.countedMinor = fx.convert(status.drawnMinor, status.currency, target, Days.of(status.eventTime));
            return true;
        } catch (FxRates.MissingRate missing) {
            status.countedMinor = null; // counted as nothing (see counted), and known to be unconverted (GroupGrade)
            return false;
        }
    }

    /** Takes a member's previous status out of the totals. */
    void remove(MemberStatus old) {
        members--;
        drawnMinor = Math.subtractExact(drawnMinor, counted(old));
        count(old, -1);
    }

    /** Adds a member's current status to the totals, as {@link #convert} counted it. */
    void add(MemberStatus status) {
        if (currency == null) {
            currency = status.currency;
        }
        members++;
        drawnMinor = Math.addExact(drawnMinor, counted(status));
        count(status, 1);
    }

    private void count(MemberStatus status, int sign) {
        distressed += status.distressed() ? sign : 0;
        nonPerforming += status.nonPerforming() ? sign : 0;
        critical += status.hasCriticalAlert() ? sign : 0;
        categories[Math.max(1, Math.min(5, status.loanCategory)) - 1] += sign;
    }

    /**
     * Takes a newer limit; an older one arriving late is ignored. Returns true when the currency changed, so the
     * caller must recount the members' drawn amounts in the new currency.
     */
    boolean applyLimit(GroupLimit limit) {
        long at = limit.getEventTime().toEpochMilli();
        clock = Math.max(clock, at);
        if (at < limitAt) {
            return false;
        }
        limitAt = at;
        groupName = limit.getGroupName();
        hasLimit = true;
        limitMinor = limit.getLimitMinor();
        boolean currencyChanged = !limit.getCurrency().equals(currency);
        currency = limit.getCurrency();
        return currencyChanged;
    }

    /** Forgets the totals before recounting every member. */
    void resetTotals() {
        members = 0;
        drawnMinor = 0;
        distressed = 0;
        nonPerforming = 0;
        critical = 0;
        java.util.Arrays.fill(categories, 0);
    }

    void remember(MemberStatus status) {
        clock = Math.max(clock, status.eventTime);
        if (status.eventId != null) {
            EventRef.keepLatest(recentEvents, new EventRef(status.eventId, status.eventType, status.eventTime));
        }
    }

    int worstCategory() {
        for (int category = 5; category > 1; category--) {
            if (categories[category - 1] > 0) {
                return category;
            }
        }
        return 1;
    }

    /** Every group indicator as of the group's clock. */
    void indicators(IndicatorValues out) {
        out.clear();
        long now = clock;
        out.set(Indicator.GROUP_MEMBERS, members, now);
        out.set(Indicator.GROUP_DRAWN, drawnMinor, now);
        if (hasLimit) {
            out.set(Indicator.GROUP_LIMIT, limitMinor, now);
            if (limitMinor > 0) {
                out.set(Indicator.GROUP_LIMIT_UTILISATION, Ratios.basisPoints(drawnMinor, limitMinor), now);
            }
        }
        out.set(Indicator.DISTRESSED_MEMBERS, distressed, now);
        out.set(Indicator.NON_PERFORMING_MEMBERS, nonPerforming, now);
        out.set(Indicator.CRITICAL_ALERT_MEMBERS, critical, now);
        if (members > 0) {
            out.set(Indicator.DISTRESSED_MEMBER_SHARE, Ratios.basisPoints(distressed, members), now);
            out.set(Indicator.WORST_MEMBER_CATEGORY, worstCategory(), now);
        }
    }

    /** Nothing left worth keeping: no member, no limit, nothing open. */
    boolean isEmpty() {
        return members == 0 && !hasLimit && episodes.isEmpty() && memberEpisodes.isEmpty();
    }
}
