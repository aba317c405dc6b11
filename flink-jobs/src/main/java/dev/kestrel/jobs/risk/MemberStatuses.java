package dev.kestrel.jobs.risk;

import dev.kestrel.contract.Indicator;
import dev.kestrel.events.Severity;
import dev.kestrel.jobs.group.MemberStatus;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Tells the group and portfolio stages about a borrower when what they use changes: its group, drawn amount, limit,
 * currency, industry, region, classification, days past due, default and critical alerts. A digest of the last
 * announcement sits in the borrower's state, so an unchanged borrower costs nothing downstream.
 */
final class MemberStatuses {
    private MemberStatuses() {}

    static void announce(String borrowerId, BorrowerState state, IndicatorValues values, Consumer<MemberStatus> out) {
        MemberStatus status = status(borrowerId, state, values);
        long key = key(status);
        boolean moved = !Objects.equals(state.memberGroupId, state.groupId);
        if (key == state.memberKey && !moved) {
            return;
        }
        if (moved && state.memberGroupId != null) {
            MemberStatus departure = status(borrowerId, state, values);
            departure.groupId = state.memberGroupId;
            departure.leftGroup = true;
            out.accept(departure);
        }
        state.memberGroupId = state.groupId;
        state.memberKey = key;
        out.accept(status);
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
        status.drawnMinor = state.exposure.totalDrawn();
        status.limitMinor = state.exposure.totalLimit();
        status.currency = state.currency;
        status.industry = state.industry;
        status.region = state.region;
        status.loanCategory = values.has(Indicator.LOAN_CATEGORY) ? (int) values.get(Indicator.LOAN_CATEGORY) : 1;
        status.daysPastDue = values.has(Indicator.DAYS_PAST_DUE) ? (int) values.get(Indicator.DAYS_PAST_DUE) : 0;
        status.inDefault = values.has(Indicator.IN_DEFAULT) && values.get(Indicator.IN_DEFAULT) == 1;
        StringBuilder critical = new StringBuilder();
        for (Episode episode : state.episodes) {
            if (episode.severity == Severity.CRITICAL) {
                critical.append(critical.length() == 0 ? "" : ",").append(episode.ruleId);
            }
        }
        status.criticalAlertRules = critical.toString();
        return status;
    }

    /**
     * A 64-bit digest of what the stages use; 0 for a borrower with nothing to tell (no group, nothing drawn, in good
     * standing), which is also the initial value, so the many borrowers outside groups without drawings send nothing.
     */
    private static long key(MemberStatus s) {
        boolean nothing = s.groupId == null && s.drawnMinor == 0 && !s.distressed() && !s.hasCriticalAlert();
        if (nothing) {
            return 0;
        }
        long h = 1;
        h = mix(h, Objects.hashCode(s.groupId));
        h = mix(h, s.drawnMinor);
        h = mix(h, s.limitMinor);
        h = mix(h, Objects.hashCode(s.currency));
        h = mix(h, Objects.hashCode(s.industry));
        h = mix(h, Objects.hashCode(s.region));
        h = mix(h, s.loanCategory);
        h = mix(h, s.daysPastDue);
        h = mix(h, s.inDefault ? 1 : 0);
        h = mix(h, s.criticalAlertRules.hashCode());
        return h == 0 ? 1 : h;
    }

    private static long mix(long h, long value) {
        long x = (h ^ value) * 0x9E3779B97F4A7C15L;
        return x ^ (x >>> 29);
    }
}
