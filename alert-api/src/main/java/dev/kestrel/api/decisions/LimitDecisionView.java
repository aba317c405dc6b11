package dev.kestrel.api.decisions;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;

/**
 * A limit decision as the desk sees it: what was proposed, by whom, and what became of it. {@code status} is PROPOSED,
 * APPROVED (signed, waiting for the topic), PUBLISHED (on the limit-decisions topic) or REJECTED; {@code decidedBy} and
 * {@code decidedAt} name who approved or rejected it. A checker approves with the {@code contentSha256} they read.
 */
@Serdeable
public record LimitDecisionView(String decisionId, String status, String scope, @Nullable String borrowerId,
                                @Nullable String groupId, String action, @Nullable Long limitMinor, @Nullable String currency,
                                @Nullable String recommendationId, String reason, String proposedBy, Instant proposedAt,
                                @Nullable String decidedBy, @Nullable Instant decidedAt, @Nullable String rejectionReason,
                                @Nullable String signedWith, String contentSha256) {

    static LimitDecisionView of(LimitDecisions.Case stored) {
        var d = stored.decision();
        var row = stored.row();
        return new LimitDecisionView(d.getDecisionId(), row.status(), d.getScope().name(), d.getBorrowerId(), d.getGroupId(),
                d.getAction().name(), d.getLimitMinor(), d.getCurrency(), d.getRecommendationId(), d.getReason(),
                row.proposedBy(), row.proposedAt(), row.publishedBy(), row.publishedAt(), stored.rejectionReason(),
                row.signedWith(), row.contentSha256());
    }
}
