package dev.kestrel.jobs.ingest;

import dev.kestrel.events.DeadLetter;
import dev.kestrel.events.Rule;

/**
 * What a source hands on for one Kafka record: a borrower event, a rule, or the dead letter saying why the record
 * is neither. Bad input is a value here, not an exception, so it can never fail the job.
 */
public class Inbound {
    public BorrowerEvent event;
    public Rule rule;
    public DeadLetter deadLetter;

    public Inbound() {}

    public static Inbound event(BorrowerEvent event) {
        Inbound inbound = new Inbound();
        inbound.event = event;
        return inbound;
    }

    public static Inbound rule(Rule rule) {
        Inbound inbound = new Inbound();
        inbound.rule = rule;
        return inbound;
    }

    public static Inbound deadLetter(DeadLetter deadLetter) {
        Inbound inbound = new Inbound();
        inbound.deadLetter = deadLetter;
        return inbound;
    }

    @Override
    public String toString() {
        return event != null ? event.toString() : rule != null ? "Rule[" + rule.getRuleId() + " v" + rule.getVersion() + "]"
                : "DeadLetter[" + deadLetter.getReasonCode() + ": " + deadLetter.getReason() + "]";
    }
}
