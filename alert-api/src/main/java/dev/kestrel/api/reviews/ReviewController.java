package dev.kestrel.api.reviews;

import dev.kestrel.api.audit.AuditLog;
import dev.kestrel.api.borrowers.BorrowerStore;
import dev.kestrel.api.config.ReviewSettings;
import dev.kestrel.api.errors.ApiException;
import dev.kestrel.api.errors.RequestFields;
import dev.kestrel.api.ownership.Portfolio;
import dev.kestrel.api.publication.ApprovalSigner;
import dev.kestrel.api.publication.PublicationOutbox;
import dev.kestrel.api.security.Roles;
import dev.kestrel.api.store.Database;
import dev.kestrel.api.store.JsonColumns;
import dev.kestrel.contract.EventValidator;
import dev.kestrel.contract.JsonLines;
import dev.kestrel.events.BorrowerReview;
import dev.kestrel.events.ReviewKind;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Periodic reviews and visits (定期复查, 定期回访): the borrower's officer records what a review found; the API signs it,
 * audits it and publishes it on the reviews topic, where the engine keeps each borrower's schedule. The tasks list is
 * the engine's due dates, read from its snapshots.
 */
@Controller("/api")
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "Reviews")
class ReviewController {
    static final int MAX_TEXT = 4_000;
    static final int MAX_FEEDBACK = 2_000;
    /** How far back a review may be dated: one recorded more than a year after it took place is not a record of it. */
    static final int MAX_DAYS_BACK = 366;
    /**
     * How far back an analyst may date one alone: a review dated further back can end an overdue review's alert that
     * has run for months, which is a supervisor's call.
     */
    static final int ANALYST_DAYS_BACK = 30;
    /** How far ahead a reviewer may set the next one; the engine's schedule brings it forward anyway. */
    static final int MAX_YEARS_AHEAD = 3;

    private final Database database;
    private final BorrowerReviews reviews;
    private final BorrowerStore borrowers;
    private final Portfolio portfolio;
    private final AuditLog audit;
    private final ApprovalSigner signer;
    private final Optional<PublicationOutbox> outbox;
    private final ReviewSettings settings;
    private final JsonColumns json;
    private final Clock clock;

    ReviewController(Database database, BorrowerReviews reviews, BorrowerStore borrowers, Portfolio portfolio, AuditLog audit,
                     ApprovalSigner signer, Optional<PublicationOutbox> outbox, ReviewSettings settings, JsonColumns json,
                     Clock clock) {
        this.database = database;
        this.reviews = reviews;
        this.borrowers = borrowers;
        this.portfolio = portfolio;
        this.audit = audit;
        this.signer = signer;
        this.outbox = outbox;
        this.settings = settings;
        this.json = json;
        this.clock = clock;
    }

    /** What the reviewer sends; dates as ISO text (2026-03-01), so that a wrong one is named with its field. */
    @Serdeable
    record ReviewRequest(@Nullable String kind, @Nullable String reviewDate, @Nullable String findings,
                         @Nullable String ratingConcluded, @Nullable String nextReviewDate, @Nullable String visitNotes,
                         @Nullable String customerFeedback) {
    }

    @Operation(summary = "Record a periodic review or visit of a borrower: kind (DESK_REVIEW, SITE_VISIT, CALL), the day it "
            + "took place, findings, the internal rating concluded, optionally the next review's date, visit notes and the "
            + "customer's feedback. By the borrower's owner (or an analyst its portfolio grant covers) or a supervisor. "
            + "Signed, audited and sent to the reviews topic: 201 when the topic took it, 202 when it waits in the outbox")
    @Post("/borrowers/{borrowerId}/reviews")
    @Secured({Roles.ANALYST, Roles.SUPERVISOR})
    HttpResponse<ReviewView> record(@PathVariable String borrowerId, @Body ReviewRequest request, Authentication user) {
        Instant now = clock.instant();
        BorrowerReview review = database.read(connection -> {
            if (!borrowers.known(connection, borrowerId)) {
                throw ApiException.notFound("borrower " + borrowerId);
            }
            portfolio.requireForBorrower(connection, user, borrowerId, now, "records its reviews");
            return terms(request, borrowerId, borrowers.internalRating(connection, borrowerId).orElse(null), user.getName(),
                    Roles.has(user, Roles.SUPERVISOR), now);
        });
        BorrowerReview signed = signer.sign(review);
        // Audit first: the review, its signature and the audit row commit together; the outbox sends it after.
        database.inTransaction(connection -> {
            reviews.record(connection, signed, now);
            audit.record(connection, now, user.getName(), "REVIEW_RECORD", "borrower-review", signed.getEventId(), null,
                    json.tree(JsonLines.write(BorrowerReview.newBuilder(signed).setSignature(null).build())));
            return null;
        });
        outbox.ifPresent(PublicationOutbox::sendApproved);
        ReviewView stored = ReviewView.of(database.read(connection -> reviews.find(connection, signed.getEventId())));
        String location = "/api/borrowers/" + borrowerId + "/reviews";
        return (stored.status().equals("PUBLISHED") ? HttpResponse.created(stored) : HttpResponse.accepted().body(stored))
                .header("Location", location);
    }

    @Operation(summary = "A borrower's reviews, the latest done first")
    @Get("/borrowers/{borrowerId}/reviews")
    @Secured({Roles.ANALYST, Roles.SUPERVISOR, Roles.AUDITOR, Roles.ADMIN})
    List<ReviewView> list(@PathVariable String borrowerId, @QueryValue(defaultValue = "50") @Min(1) @Max(200) int limit) {
        return database.read(connection -> {
            if (!borrowers.known(connection, borrowerId)) {
                throw ApiException.notFound("borrower " + borrowerId);
            }
            return reviews.of(connection, borrowerId, limit);
        }).stream().map(ReviewView::of).toList();
    }

    @Operation(summary = "Review tasks: borrowers whose next review the engine has due within the coming days (overdue "
            + "ones first), of one officer or of everyone; the dates and days overdue are the engine's")
    @Get("/reviews/due")
    @Secured({Roles.ANALYST, Roles.SUPERVISOR, Roles.AUDITOR, Roles.ADMIN})
    List<ReviewTask> due(@Nullable @QueryValue String officer, @QueryValue(defaultValue = "30") @Min(0) @Max(366) int within,
                         @QueryValue(defaultValue = "200") @Min(1) @Max(1000) int limit) {
        RequestFields.officer(officer);
        LocalDate by = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).plusDays(within);
        return database.read(connection -> reviews.dueBy(connection, by, officer, limit)).stream().map(ReviewTask::of).toList();
    }

    /** The request as a review, or a 400 naming the first field that is wrong. */
    private BorrowerReview terms(ReviewRequest r, String borrowerId, String ratingInForce, String reviewer, boolean supervisor,
                                 Instant now) {
        ReviewKind kind = RequestFields.oneOf(ReviewKind.class, r.kind(), "kind");
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        LocalDate reviewDate = RequestFields.date(r.reviewDate(), "reviewDate");
        if (reviewDate == null) {
            throw ApiException.badRequest("missing reviewDate: the day the review or visit took place");
        }
        if (reviewDate.isAfter(today)) {
            throw ApiException.badRequest("reviewDate " + reviewDate + " is after today (" + today + "): record a review once done");
        }
        if (reviewDate.isBefore(today.minusDays(MAX_DAYS_BACK))) {
            throw ApiException.badRequest("reviewDate " + reviewDate + " is more than " + MAX_DAYS_BACK + " days ago");
        }
        if (!supervisor && reviewDate.isBefore(today.minusDays(ANALYST_DAYS_BACK))) {
            throw new ApiException(HttpStatus.FORBIDDEN, "reviewDate " + reviewDate + " is more than " + ANALYST_DAYS_BACK
                    + " days ago: a review dated further back may end an overdue review's alert, and a supervisor records it");
        }
        LocalDate next = RequestFields.date(r.nextReviewDate(), "nextReviewDate");
        if (next != null && !next.isAfter(today)) {
            throw ApiException.badRequest("nextReviewDate " + next + " is not after today (" + today + "): the next review is still to come");
        }
        if (next != null && next.isAfter(reviewDate.plusYears(MAX_YEARS_AHEAD))) {
            throw ApiException.badRequest("nextReviewDate " + next + " is more than " + MAX_YEARS_AHEAD + " years after reviewDate");
        }
        String findings = RequestFields.text(r.findings(), "findings", MAX_TEXT);
        String visitNotes = RequestFields.text(r.visitNotes(), "visitNotes", MAX_TEXT);
        String feedback = RequestFields.text(r.customerFeedback(), "customerFeedback", MAX_FEEDBACK);
        String concluded = r.ratingConcluded() == null ? "" : r.ratingConcluded().strip();
        if (concluded.length() > 20) {
            throw ApiException.badRequest("ratingConcluded: a grade of the internal scale; got " + concluded.length() + " characters");
        }
        BorrowerReview review = BorrowerReview.newBuilder()
                .setEventId("RV-" + UUID.randomUUID()).setBorrowerId(borrowerId).setKind(kind).setReviewDate(reviewDate)
                .setFindings(findings == null ? "" : findings).setRatingInForce(ratingInForce).setRatingConcluded(concluded)
                .setNextReviewDate(next).setVisitNotes(visitNotes).setCustomerFeedback(feedback).setReviewedBy(reviewer)
                .setEventTime(now).build();
        String problem = EventValidator.problem(review, settings.scale());
        if (problem != null) {
            throw ApiException.badRequest(problem);
        }
        return review;
    }


}
