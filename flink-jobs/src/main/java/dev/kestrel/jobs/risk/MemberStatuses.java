package dev.kestrel.jobs.risk;

import dev.kestrel.jobs.indicator.IndicatorValues;
import dev.kestrel.contract.Indicator;
import dev.kestrel.events.Severity;
import dev.kestrel.jobs.group.MemberStatus;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Tells the group and portfolio stages about a borrower when what they use changes: its group, drawn amount, limit,
 * currency, industry, region, classification, days past due, default and critical alerts, and, to a group, its
 * score and watch-list grade. A digest of the last announcement sits in the borrower's state, so an unchanged borrower
 * costs nothing downstream.
 */
final class MemberStatuses {
    private MemberStatuses() {}

    /** @param rescored whether this evaluation changed the borrower's score or grade (a score record was written) */
    static void announce(String borrowerId, BorrowerState state, IndicatorValues values, boolean rescored, Consumer<MemberStatus> out) {
        long key = key(state, values);
        boolean moved = !Objects.equals(state.memberGroupId, state.groupId);
        if (key == state.memberKey && !moved) {
            if (rescored && state.groupId != null && state.watch.scored()) { // its group grades it; the portfolio does not care
                MemberStatus status = status(borrowerId, state, values);
                status.groupOnly = true;
                out.accept(status);
            }
            return; // the common case, on every event: nothing the stages use changed, and nothing is allocated
        }
        if (moved && state.memberGroupId != null) {
            MemberStatus departure = status(borrowerId, state, values);
            departure.groupId = state.memberGroupId;
            departure.leftGroup = true;
            out.accept(departure);
        }
        state.memberGroupId = state.groupId;
        state.memberKey = key;
        out.accept(status(borrowerId, state, values));
    }

    private static MemberStatus status(String borrowerId, BorrowerState state, IndicatorValues values) {
        MemberStatus status = new MemberStatus();
        status.borrowerId = borrowerId;
        status.groupId = state.groupId;
        status.eventTime = state.clock;
        if (!state.recentEvents.isEmpty()) {
            EventRef last = state.recentEvents.get(state.recentEvents.size() - 1);
            status.eventId = last.eventId();
            status.eventType = last.eventType();
        }
        status.drawnMinor = state.drawnInBorrowerCurrency();
        status.limitMinor = state.limitInBorrowerCurrency();
        status.currency = state.borrowerCurrency();
        status.industry = state.industry;
        status.region = state.region;
        status.loanCategory = RegulatoryStatus.category(values);
        status.daysPastDue = values.has(Indicator.DAYS_PAST_DUE) ? (int) values.get(Indicator.DAYS_PAST_DUE) : 0;
        status.inDefault = values.has(Indicator.IN_DEFAULT) && values.get(Indicator.IN_DEFAULT) == 1;
        StringBuilder critical = new StringBuilder();
        for (Episode episode : state.episodes) {
            if (episode.severity == Severity.CRITICAL) {
                critical.append(critical.length() == 0 ? "" : ",").append(episode.ruleId);
            }
        }
        status.criticalAlertRules = critical.toString();
        if (state.groupId != null && state.watch.scored()) {
            status.score = state.watch.score;
            status.watchGrade = state.watch.grade;
        }
        return status;
    }

    /**
     * A 64-bit digest of what the stages use; 0 for a borrower with nothing to tell (no group, nothing drawn, in good
     * standing), which is also the initial value, so the many borrowers outside groups without drawings send nothing.
     */
    private static long key(BorrowerState state, IndicatorValues values) {
        long drawn = state.drawnInBorrowerCurrency();
        int category = RegulatoryStatus.category(values);
        long daysPastDue = values.has(Indicator.DAYS_PAST_DUE) ? values.get(Indicator.DAYS_PAST_DUE) : 0;
        long inDefault = values.has(Indicator.IN_DEFAULT) ? values.get(Indicator.IN_DEFAULT) : 0;
        long critical = 0;
        for (Episode episode : state.episodes) {
            if (episode.severity == Severity.CRITICAL) {
                critical = mix(critical, episode.ruleId.hashCode());
            }
        }
        if (state.groupId == null && drawn == 0 && category == 1 && inDefault == 0 && critical == 0) {
            return 0;
        }
        long h = 1;
        h = mix(h, Objects.hashCode(state.groupId));
        h = mix(h, drawn);
        h = mix(h, state.limitInBorrowerCurrency());
        h = mix(h, Objects.hashCode(state.currency));
        h = mix(h, Objects.hashCode(state.industry));
        h = mix(h, Objects.hashCode(state.region));
        h = mix(h, category);
        h = mix(h, daysPastDue);
        h = mix(h, inDefault);
        h = mix(h, critical);
        // Whether a group member is scored, not its score: a score change alone goes to the group only (see announce).
        // Its first scoring, or the first evaluation after an upgrade from an engine that did not send scores, tells all.
        h = mix(h, state.groupId != null && state.watch.scored() ? 1 : 0);
        return h == 0 ? 1 : h;
    }

    private static long mix(long h, long value) {
        long x = (h ^ value) * 0x9E3779B97F4A7C15L;
        return x ^ (x >>> 29);
    }
}
