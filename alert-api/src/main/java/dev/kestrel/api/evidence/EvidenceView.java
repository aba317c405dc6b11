package dev.kestrel.api.evidence;

import io.micronaut.json.tree.JsonNode;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;

/**
 * The records behind a borrower's verdicts, each in the contract's JSON form (docs/events.md): its financial
 * statements, the latest period first; its bureau, court, tax and news records, the latest first; its repayment
 * events, the latest instalments first and each instalment's events in order (the ledger: schedules, payments, misses,
 * reversals and servicing reports); the engine's word on each instalment (InstalmentStatus: due, past due, settled or
 * superseded, with the day settled and the days late), those past due first (oldest first), then those to pay (soonest
 * first), then the rest (latest due first), and how many more there are; and its collateral valuations by item, the
 * latest first.
 */
@Serdeable
public record EvidenceView(String borrowerId, List<JsonNode> statements, List<JsonNode> creditEvents, List<JsonNode> repayments,
                           List<JsonNode> instalments, int instalmentsNotShown, List<JsonNode> valuations) {
}
