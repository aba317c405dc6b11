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

    @Override
    public List<EventReference> triggeringEvents() {
        return EventRef.references(state.recentEvents);
    }

    /**
     * The events behind the facts the rule's indicators follow from (the missed instalment, the statement, the bureau's
     * report, the disbursement); the borrower's latest events when none is known more precisely.
     */
    @Override
    public List<EventReference> triggeringEvents(CompiledRule rule) {
        Evidence evidence = new Evidence();
        state.explain(rule.indicators(), evidence);
        return evidence.events.isEmpty() ? triggeringEvents() : evidence.events;
    }

    /**
     * What the indicators alone do not say: the facts they follow from, as the desk states them, and for a rule on the
     * regulatory step each active regime's class.
     */
    @Override
    public String context(CompiledRule rule) {
        Evidence evidence = new Evidence();
        state.explain(rule.indicators(), evidence);
        String regulatory = rule.names(Indicator.REGULATORY_STEP) ? state.regulatoryStatus() : "";
        String status = regulatory.isEmpty() ? "" : regulatory + ". ";
        return status + evidence.sentences();
    }
}
