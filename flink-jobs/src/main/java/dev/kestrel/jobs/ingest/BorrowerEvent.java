package dev.kestrel.jobs.ingest;

import dev.kestrel.contract.WireCodec;
import dev.kestrel.events.DeadLetter;
import dev.kestrel.events.DeadLetterReason;
import java.nio.charset.StandardCharsets;
import dev.kestrel.events.BorrowerProfile;
import dev.kestrel.events.BorrowerReview;
import dev.kestrel.events.CashFlowForecast;
import dev.kestrel.events.FacilityCovenants;
import dev.kestrel.events.Project;
import dev.kestrel.events.ProjectMilestone;
import dev.kestrel.events.CollateralValuation;
import dev.kestrel.events.CreditEvent;
import dev.kestrel.events.FinancialStatement;
import dev.kestrel.events.GroupLimit;
import dev.kestrel.events.RepaymentEvent;
import dev.kestrel.events.TransactionEvent;
import java.util.Objects;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * A valid input event about one borrower: exactly one of the record fields is set. One type for all of them lets
 * a single keyed operator read and write each borrower's state once per event, whatever the event is. A group's
 * limit travels the same way without touching any borrower's state (keyed by its group, see {@link #key()}), so that
 * the group stage hears limits and member changes in one stream, in the order the borrower stage heard them.
 * Sent between tasks by {@link BorrowerEventSerializer}: one tag byte and the record's Avro body.
 */
@TypeInfo(BorrowerEventTypeInfo.Factory.class)
public class BorrowerEvent {
    public String borrowerId;
    public long eventTimeMillis;
    public TransactionEvent transaction;
    public RepaymentEvent repayment;
    public CreditEvent credit;
    public BorrowerProfile profile;
    public FinancialStatement statement;
    public CollateralValuation collateral;
    public GroupLimit groupLimit;
    public BorrowerReview review;
    /** Project finance's master data: a Project, ProjectMilestone, CashFlowForecast or FacilityCovenants. */
    public SpecificRecordBase project;
    /** Where it was read (topic, partition, offset), so that a later stage can still dead-letter it whole. */
    public String sourceTopic;
    public int partition;
    public long offset;

    public BorrowerEvent() {}

    /** Records where the event was read. */
    public BorrowerEvent from(String topic, int partition, long offset) {
        this.sourceTopic = topic;
        this.partition = partition;
        this.offset = offset;
        return this;
    }

    /** One codec per task thread: building one parses every released schema, far too slow for each refusal. */
    private static final ThreadLocal<WireCodec> CODEC = ThreadLocal.withInitial(WireCodec::new);

    /**
     * The dead letter for this event, refused after it was decoded (late for its borrower, held too long without a
     * profile, sums that would overflow): the record re-encoded in the wire format, where it was read, and why.
     */
    public DeadLetter refuse(DeadLetterReason code, String reason) {
        SpecificRecordBase record = record();
        return Inbound.deadLetter(sourceTopic == null ? "" : sourceTopic, partition, offset,
                key() == null ? null : key().getBytes(StandardCharsets.UTF_8), CODEC.get().encode(record),
                record.getSchema().getName(), code, reason);
    }

    /** Wraps a decoded record; null when the borrower stage has no use for it (rules, alerts, ...). */
    public static BorrowerEvent of(SpecificRecordBase record) {
        BorrowerEvent event = new BorrowerEvent();
        if (record instanceof TransactionEvent t) {
            event.transaction = t;
            event.borrowerId = t.getBorrowerId();
            event.eventTimeMillis = t.getEventTime().toEpochMilli();
        } else if (record instanceof RepaymentEvent r) {
            event.repayment = r;
            event.borrowerId = r.getBorrowerId();
            event.eventTimeMillis = r.getEventTime().toEpochMilli();
        } else if (record instanceof CreditEvent c) {
            event.credit = c;
            event.borrowerId = c.getBorrowerId();
            event.eventTimeMillis = c.getEventTime().toEpochMilli();
        } else if (record instanceof BorrowerProfile p) {
            event.profile = p;
            event.borrowerId = p.getBorrowerId();
            event.eventTimeMillis = p.getEventTime().toEpochMilli();
        } else if (record instanceof FinancialStatement s) {
            event.statement = s;
            event.borrowerId = s.getBorrowerId();
            event.eventTimeMillis = s.getEventTime().toEpochMilli();
        } else if (record instanceof CollateralValuation v) {
            event.collateral = v;
            event.borrowerId = v.getBorrowerId();
            event.eventTimeMillis = v.getEventTime().toEpochMilli();
        } else if (record instanceof GroupLimit l) {
            event.groupLimit = l;
            event.eventTimeMillis = l.getEventTime().toEpochMilli();
        } else if (record instanceof BorrowerReview r) {
            event.review = r;
            event.borrowerId = r.getBorrowerId();
            event.eventTimeMillis = r.getEventTime().toEpochMilli();
        } else if (record instanceof Project || record instanceof ProjectMilestone || record instanceof CashFlowForecast
                || record instanceof FacilityCovenants) {
            event.project = record;
            event.borrowerId = (String) record.get("borrowerId");
            event.eventTimeMillis = ((java.time.Instant) record.get("eventTime")).toEpochMilli();
        } else {
            return null;
        }
        return event;
    }

    /** The record this event carries. */
    public SpecificRecordBase record() {
        if (transaction != null) {
            return transaction;
        }
        if (repayment != null) {
            return repayment;
        }
        if (credit != null) {
            return credit;
        }
        if (profile != null) {
            return profile;
        }
        if (statement != null) {
            return statement;
        }
        if (review != null) {
            return review;
        }
        if (project != null) {
            return project;
        }
        return collateral != null ? collateral : groupLimit;
    }

    /** The borrower stage's key: the borrower, or for a group limit passing through, its group. */
    public String key() {
        return groupLimit != null ? groupLimit.getGroupId() : borrowerId;
    }

    /** Live events (transactions, repayments, credit events) are subject to lateness; master data replaces state whenever it comes. */
    public boolean isLive() {
        return transaction != null || repayment != null || credit != null;
    }

    /** The id the upstream system gave the event, for explanations. */
    public String eventId() {
        if (transaction != null) {
            return transaction.getEventId();
        }
        if (repayment != null) {
            return repayment.getEventId();
        }
        if (credit != null) {
            return credit.getEventId();
        }
        if (profile != null) {
            return profile.getBorrowerId() + "@" + eventTimeMillis;
        }
        if (groupLimit != null) {
            return groupLimit.getGroupId() + "@" + eventTimeMillis;
        }
        if (review != null) {
            return review.getEventId();
        }
        if (project instanceof Project p) {
            return p.getProjectId() + "@" + eventTimeMillis;
        }
        if (project instanceof ProjectMilestone m) {
            return m.getReportId();
        }
        if (project instanceof CashFlowForecast f) {
            return f.getForecastId();
        }
        if (project instanceof FacilityCovenants c) {
            return c.getFacilityId() + "@" + eventTimeMillis;
        }
        return statement != null ? statement.getStatementId() : collateral.getValuationId();
    }

    /** Equal when they carry equal records (borrower id and event time come from the record). */
    @Override
    public boolean equals(Object obj) {
        return obj instanceof BorrowerEvent other && Objects.equals(record(), other.record());
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(record());
    }

    @Override
    public String toString() {
        return record().getSchema().getName() + "[" + eventId() + "]";
    }
}
