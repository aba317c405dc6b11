package dev.kestrel.jobs.group;

import dev.kestrel.events.WatchGrade;

/**
 * What the group and portfolio stages know of one borrower: its group, exposure, where it sits in the portfolio and
 * how distressed it is. The borrower stage sends one whenever any of it changes, and a departure to the old group
 * when the borrower moves. A Flink POJO, so it travels and sits in state without Kryo, and may gain fields later.
 */
public class MemberStatus {
    public String borrowerId;
    /** The group this status is for; null for a borrower outside any group. */
    public String groupId;
    /** True when the borrower left {@link #groupId} (moved to another group or to none). */
    public boolean leftGroup;
    public long eventTime;
    /** The input event behind the change, for explanations; null when time alone moved. */
    public String eventId;
    public String eventType;
    public long drawnMinor;
    public long limitMinor;
    public String currency;
    public String industry;
    public String region;
    /**
     * The member's regulatory status on the five-category scale, 1 normal to 5 loss, from the worst step of the active
     * regimes: China's own category under CN; EU default and IN NPA count as substandard, IN doubtful as doubtful.
     */
    public int loanCategory = 1;
    public int daysPastDue;
    public boolean inDefault;
    /** Rule ids of the borrower's open CRITICAL alerts, comma-separated; empty for none. */
    public String criticalAlertRules = "";
    /**
     * What the member adds to its group's drawn total, in the group's currency, converted at the rate in force on the
     * day of {@link #eventTime} when the group stage took it in; null when no rate converts it (listed, not summed)
     * and in statuses stored before FX, which counted only in the group's own currency. Kept, so that taking the
     * member out subtracts exactly what was added, whatever the rates did since.
     */
    public Long countedMinor;
    /**
     * Its early-warning score and watch-list grade as its last scoring gave them; null before it is scored, and in
     * statuses stored before scores reached the group stage. Sent for group members only: the portfolio does not use them.
     */
    public Integer score;
    public WatchGrade watchGrade;
    /**
     * Whether the member weighs in its group's grade, as the group stage last judged it on its own copy
     * ({@link GroupGrade}); the borrower stage leaves it false.
     */
    public boolean material;
    /**
     * True when only what the group stage alone reads moved (the score or grade): the portfolio stage, which sums
     * exposure, is not sent it.
     */
    public boolean groupOnly;

    public MemberStatus() {}

    /** A copy, for a stage that keeps its own view of the member (an amount converted into its currency). */
    public MemberStatus copy() {
        MemberStatus copy = new MemberStatus();
        copy.borrowerId = borrowerId;
        copy.groupId = groupId;
        copy.leftGroup = leftGroup;
        copy.eventTime = eventTime;
        copy.eventId = eventId;
        copy.eventType = eventType;
        copy.drawnMinor = drawnMinor;
        copy.limitMinor = limitMinor;
        copy.currency = currency;
        copy.industry = industry;
        copy.region = region;
        copy.loanCategory = loanCategory;
        copy.daysPastDue = daysPastDue;
        copy.inDefault = inDefault;
        copy.criticalAlertRules = criticalAlertRules;
        copy.countedMinor = countedMinor;
        copy.score = score;
        copy.watchGrade = watchGrade;
        copy.material = material;
        copy.groupOnly = groupOnly;
        return copy;
    }

    /** Special mention or worse, or in default. */
    public boolean distressed() {
        return loanCategory >= 2 || inDefault;
    }

    /**
     * Substandard or worse, or in default. Days past due alone do not count: each active regime decides what is
     * non-performing (EU arrears below the materiality threshold are not), and loanCategory already says it.
     */
    public boolean nonPerforming() {
        return loanCategory >= 3 || inDefault;
    }

    public boolean hasCriticalAlert() {
        return criticalAlertRules != null && !criticalAlertRules.isEmpty();
    }

    /** A member that puts the others at risk: non-performing or with a critical alert. */
    public boolean contagionSource() {
        return nonPerforming() || hasCriticalAlert();
    }

    /**
     * Why the member is a source of contagion, e.g. "SUBSTANDARD, 95 days past due", as of {@code asOf} (the group's
     * clock): unpaid arrears age a day a day, and the member's status of the day before, not yet followed by today's,
     * must not be told one day short.
     */
    public String distressDescription(long asOf) {
        StringBuilder text = new StringBuilder(CATEGORIES[Math.max(1, Math.min(5, loanCategory)) - 1]);
        long days = daysPastDue == 0 ? 0 : daysPastDue + Math.max(0, Math.floorDiv(asOf, DAY) - Math.floorDiv(eventTime, DAY));
        if (days > 0) {
            text.append(", ").append(days).append(days == 1 ? " day" : " days").append(" past due");
        }
        if (inDefault) {
            text.append(", in default");
        }
        if (hasCriticalAlert()) {
            text.append(criticalAlertRules.contains(",") ? ", critical alerts " : ", critical alert ")
                    .append(criticalAlertRules.replace(",", ", "));
        }
        return text.toString();
    }

    private static final long DAY = 86_400_000L;
    private static final String[] CATEGORIES = {"NORMAL", "SPECIAL_MENTION", "SUBSTANDARD", "DOUBTFUL", "LOSS"};

    @Override
    public String toString() {
        return "MemberStatus[" + borrowerId + (leftGroup ? " left " : " in ") + groupId + " drawn " + drawnMinor + " " + currency
                + " category " + loanCategory + " dpd " + daysPastDue + (hasCriticalAlert() ? " critical " + criticalAlertRules : "")
                + (watchGrade != null ? " " + watchGrade + " " + score : "") + "]";
    }
}
