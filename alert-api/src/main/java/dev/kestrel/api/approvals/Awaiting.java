package dev.kestrel.api.approvals;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;

/**
 * A proposal waiting for its second person (four eyes), as the worklist shows it to one user. {@code kind} is
 * LIMIT_DECISION (a borrower's or group's limit; {@code action} FREEZE_UNDRAWN, REDUCE_LIMIT, RESTORE_LIMIT or
 * INCREASE_LIMIT, {@code amountMinor} the limit after it) or DISPOSAL (a non-performing claim's collection case;
 * {@code action} the option, {@code amountMinor} the recovery expected). {@code mayDecide} is the same verdict the
 * approve endpoint reaches for this user; when false, {@code whyNot} says why, in the endpoint's words.
 */
@Serdeable
public record Awaiting(String kind, String decisionId, @Nullable String borrowerId, @Nullable String groupId,
                       @Nullable String caseId, @Nullable String name, String action, @Nullable Long amountMinor,
                       @Nullable String currency, String reason, String proposedBy, Instant proposedAt, boolean yours,
                       boolean mayDecide, @Nullable String whyNot) {
}
