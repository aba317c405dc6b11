package dev.kestrel.api.reviews;

import dev.kestrel.events.BorrowerReview;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;
import java.time.LocalDate;

/**
 * A review as the desk shows it. {@code status} is where it stands on its way to the engine: APPROVED (signed, waiting
 * for the reviews topic) or PUBLISHED (the topic has it). {@code ratingChangeProposed}: the reviewer concluded another
 * grade than the one in force, which the rating system decides.
 */
@Serdeable
public record ReviewView(String reviewId, String borrowerId, String kind, LocalDate reviewDate, String findings,
                         @Nullable String ratingInForce, String ratingConcluded, boolean ratingChangeProposed,
                         @Nullable LocalDate nextReviewDate, @Nullable String visitNotes, @Nullable String customerFeedback,
                         String reviewedBy, Instant recordedAt, String status, @Nullable String signedWith) {

    static ReviewView of(BorrowerReviews.Stored stored) {
        BorrowerReview r = stored.review();
        return new ReviewView(r.getEventId(), r.getBorrowerId(), r.getKind().name(), r.getReviewDate(), r.getFindings(),
                r.getRatingInForce(), r.getRatingConcluded(), !r.getRatingConcluded().equals(r.getRatingInForce()),
                r.getNextReviewDate(), r.getVisitNotes(), r.getCustomerFeedback(), r.getReviewedBy(), r.getEventTime(),
                stored.row().status(), stored.row().signedWith());
    }
}
