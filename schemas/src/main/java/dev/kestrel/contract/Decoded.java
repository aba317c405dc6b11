package dev.kestrel.contract;

import dev.kestrel.events.DeadLetterReason;
import java.util.Objects;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * The outcome of decoding one payload: the record, or why there is none.
 * A rejection is an ordinary value, not an exception, because bad input is expected and must be routed, not thrown.
 */
public final class Decoded {
    private final SpecificRecordBase record;
    private final DeadLetterReason reasonCode;
    private final String reason;

    private Decoded(SpecificRecordBase record, DeadLetterReason reasonCode, String reason) {
        this.record = record;
        this.reasonCode = reasonCode;
        this.reason = reason;
    }

    public static Decoded of(SpecificRecordBase record) {
        return new Decoded(Objects.requireNonNull(record), null, null);
    }

    public static Decoded rejected(DeadLetterReason reasonCode, String reason) {
        return new Decoded(null, Objects.requireNonNull(reasonCode), Objects.requireNonNull(reason));
    }

    public boolean isRejected() {
        return record == null;
    }

    /** The decoded record; only when not rejected. */
    public SpecificRecordBase record() {
        if (record == null) {
            throw new IllegalStateException("rejected: " + reason);
        }
        return record;
    }

    /** Why the payload was rejected; only when rejected. */
    public DeadLetterReason reasonCode() {
        return reasonCode;
    }

    public String reason() {
        return reason;
    }

    @Override
    public String toString() {
        return isRejected() ? "Rejected[" + reasonCode + ": " + reason + "]" : "Decoded[" + record.getSchema().getName() + "]";
    }
}
