package dev.kestrel.api.limits;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;

/**
 * What the engine recommends doing with a borrower's or group's limit, and why: FREEZE_UNDRAWN while a CRITICAL alert
 * is open, REDUCE_LIMIT by {@code reductionBasisPoints} while a HIGH one is, WITHDRAWN (shown only while the engine
 * suggests restoring the limit, {@code restoreSuggested}: a freeze or cut the bank decided on its recommendation has no
 * severe alert behind it any more). {@code keepDecisionInForce}: the freeze or cut recommended is the bank's decision in
 * force, taken on the engine's word; the recommendation is to keep it, not to cut again.
 * {@code decisionInForce} is the bank's latest decision on the limit as the engine read it back, or null. A credit
 * officer decides.
 */
@Serdeable
public record LimitRecommendationView(String recommendationId, String action, @Nullable Integer reductionBasisPoints,
                                      String severity, String reason, JsonNode alerts, Instant eventTime, Instant detectedAt,
                                      @Nullable JsonNode decisionInForce, boolean restoreSuggested,
                                      boolean keepDecisionInForce) {
}
