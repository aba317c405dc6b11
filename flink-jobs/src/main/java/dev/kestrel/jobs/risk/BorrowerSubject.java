package dev.kestrel.jobs.risk;

import dev.kestrel.contract.Indicator;
import dev.kestrel.events.AlertCategory;
import dev.kestrel.events.AlertScope;
import dev.kestrel.events.EventReference;
import dev.kestrel.jobs.rules.CompiledRule;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/** A borrower as an alert subject. Reused for every event of a task, so the hot path allocates nothing for it. */
final class BorrowerSubject implements AlertSubject {
    private String borrowerId;
    private BorrowerState state;

    BorrowerSubject of(String borrowerId, BorrowerState state) {
        this.borrowerId = borrowerId;
        this.state = state;
        return this;
    }

    @Override
    public AlertScope scope() {
        return AlertScope.BORROWER;
    }

    @Override
    public String borrowerId() {
        return borrowerId;
    }

    @Override
    public String groupId() {
        return state.groupId;
    }

    @Override
    public String subjectId() {
        return borrowerId;
    }

    @Override
    public String currency() {
        return state.currency;
    }

    @Override
    public long clock() {
        return state.clock;
    }

    @Override
    public List<Episode> episodes() {
        return state.episodes;
    }

    @Override
    public List<EventReference> triggeringEvents() {
        return EventRef.references(state.recentEvents);
    }

    /** A financial rule's alert cites the statement its figures come from, not the latest account movements. */
    @Override
    public List<EventReference> triggeringEvents(CompiledRule rule) {
        Financials.Period statement = rule.category() == AlertCategory.FINANCIAL ? state.financials.latest() : null;
        if (statement == null || statement.statementId == null) {
            return triggeringEvents();
        }
        return List.of(new EventReference(statement.statementId, "FinancialStatement", Instant.ofEpochMilli(statement.receivedAt)));
    }

    /**
     * What the indicators alone do not say: for a rule on the regulatory step, each active regime's class; for a
     * financial rule, the statement behind it (its id, the period it covers and when it arrived).
     */
    @Override
    public String context(CompiledRule rule) {
        if (rule.names(Indicator.REGULATORY_STEP) && !state.regulatoryStatus.isEmpty()) {
            return state.regulatoryStatus + ". ";
        }
        Financials.Period statement = rule.category() == AlertCategory.FINANCIAL ? state.financials.latest() : null;
        if (statement == null) {
            return "";
        }
        String period = switch (statement.type) {
            case QUARTER -> "quarter";
            case HALF_YEAR -> "half-year";
            case YEAR -> "year";
        };
        return "Latest statement" + (statement.statementId == null ? "" : " " + statement.statementId) + ": " + period + " to "
                + LocalDate.ofEpochDay(statement.endDay) + ", received " + LocalDate.ofEpochDay(Days.of(statement.receivedAt)) + ". ";
    }
}
