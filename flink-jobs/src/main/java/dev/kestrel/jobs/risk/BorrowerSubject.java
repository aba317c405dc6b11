package dev.kestrel.jobs.risk;

import dev.kestrel.contract.Indicator;
import dev.kestrel.events.AlertScope;
import dev.kestrel.events.EventReference;
import dev.kestrel.jobs.rules.CompiledRule;
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

    /** A rule on the regulatory step says each active regime's class, which the step number alone does not. */
    @Override
    public String context(CompiledRule rule) {
        return rule.names(Indicator.REGULATORY_STEP) && !state.regulatoryStatus.isEmpty() ? state.regulatoryStatus + ". " : "";
    }

    @Override
    public List<EventReference> triggeringEvents() {
        return EventRef.references(state.recentEvents);
    }
}
