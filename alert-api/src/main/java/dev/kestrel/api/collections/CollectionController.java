package dev.kestrel.api.collections;

import dev.kestrel.api.borrowers.BorrowerStore;
import dev.kestrel.api.errors.ApiException;
import dev.kestrel.api.errors.RequestFields;
import dev.kestrel.api.ownership.Portfolio;
import dev.kestrel.api.security.Roles;
import dev.kestrel.api.store.Database;
import io.micronaut.core.annotation.Nullable;
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
import java.util.Locale;

/**
 * Collections (催收): the cases the engine's arrears open, and the ladder steps their officers record. The engine
 * decides when arrears are material and when nothing is past due; the desk keeps the ladder.
 */
@Controller("/api")
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "Collections")
class CollectionController {
    static final int MAX_NOTES = 2_000;
    static final int MAX_REFERENCE = 200;
    /** How far back an analyst may date a step alone; further back, a supervisor records it (as with reviews). */
    static final int ANALYST_DAYS_BACK = 30;
    /** How far ahead of the step a promise to pay may fall: a promise further out is a restructuring, not a promise. */
    static final int MAX_PROMISE_DAYS = 180;

    private final Database database;
    private final CollectionCases cases;
    private final BorrowerStore borrowers;
    private final Portfolio portfolio;
    private final Clock clock;

    CollectionController(Database database, CollectionCases cases, BorrowerStore borrowers, Portfolio portfolio, Clock clock) {
        this.database = database;
        this.cases = cases;
        this.borrowers = borrowers;
        this.portfolio = portfolio;
        this.clock = clock;
    }

    /** What the officer records of a step; dates as ISO text, so that a wrong one is named with its field. */
    @Serdeable
    record StepRequest(@Nullable String outcome, @Nullable String doneOn, @Nullable String notes, @Nullable String reference,
                       @Nullable Long promisedAmountMinor, @Nullable String promisedDate) {
    }

    @Operation(summary = "Collection cases, open (the default: the most pressing next step first) or closed (the latest "
            + "first), of one officer or of everyone, each with its ladder and the engine's current arrears")
    @Get("/collections")
    @Secured({Roles.ANALYST, Roles.SUPERVISOR, Roles.AUDITOR, Roles.ADMIN})
    List<CollectionCaseView> list(@Nullable @QueryValue String status, @Nullable @QueryValue String officer,
                                  @QueryValue(defaultValue = "100") @Min(1) @Max(500) int limit) {
        String wanted = status == null ? "OPEN" : status.strip().toUpperCase(Locale.ROOT);
        if (!wanted.equals("OPEN") && !wanted.equals("CLOSED")) {
            throw ApiException.badRequest("status: '" + status + "' is not one of OPEN, CLOSED");
        }
        RequestFields.officer(officer);
        LocalDate today = today();
        return database.read(connection -> {
            List<CollectionCases.Case> found = cases.list(connection, wanted.equals("OPEN"), officer, limit);
            return CollectionCaseView.of(found, cases.steps(connection, found.stream().map(CollectionCases.Case::caseId).toList()), today);
        });
    }

    @Operation(summary = "One collection case with its ladder")
    @Get("/collections/{caseId}")
    @Secured({Roles.ANALYST, Roles.SUPERVISOR, Roles.AUDITOR, Roles.ADMIN})
    CollectionCaseView get(@PathVariable String caseId) {
        LocalDate today = today();
        return database.read(connection -> {
            CollectionCases.Case found = cases.find(connection, caseId);
            if (found == null) {
                throw ApiException.notFound("collection case " + caseId);
            }
            return CollectionCaseView.of(found, cases.steps(connection, List.of(caseId)).getOrDefault(caseId, List.of()), today);
        });
    }

    @Operation(summary = "A borrower's collection cases, the latest first")
    @Get("/borrowers/{borrowerId}/collections")
    @Secured({Roles.ANALYST, Roles.SUPERVISOR, Roles.AUDITOR, Roles.ADMIN})
    List<CollectionCaseView> ofBorrower(@PathVariable String borrowerId) {
        LocalDate today = today();
        return database.read(connection -> {
            if (!borrowers.known(connection, borrowerId)) {
                throw ApiException.notFound("borrower " + borrowerId);
            }
            List<CollectionCases.Case> found = cases.ofBorrower(connection, borrowerId, 50);
            return CollectionCaseView.of(found, cases.steps(connection, found.stream().map(CollectionCases.Case::caseId).toList()), today);
        });
    }

    @Operation(summary = "Record a step of an open case: its outcome (SENT, CONTACTED, PROMISE_TO_PAY with the amount and "
            + "date promised, PAID, NO_RESPONSE, DISPUTED, REFUSED, FILED for legal action), the day it was done, notes and a "
            + "reference (required: a demand letter's proof of delivery, a legal action's filing number); or WAIVED, by a "
            + "supervisor who neither owns nor has worked the case, with the reason in notes. By the borrower's owner, an analyst a grant covers it "
            + "for, or a supervisor; audited. Steps may be recorded early or out of order")
    @Post("/collections/{caseId}/steps/{position}")
    @Secured({Roles.ANALYST, Roles.SUPERVISOR})
    CollectionCaseView record(@PathVariable String caseId, @PathVariable int position, @Body StepRequest request,
                              Authentication user) {
        Instant now = clock.instant();
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        boolean supervisor = Roles.has(user, Roles.SUPERVISOR);
        return database.inTransaction(connection -> {
            CollectionCases.Case found = cases.find(connection, caseId);
            if (found == null) {
                throw ApiException.notFound("collection case " + caseId);
            }
            List<CollectionCases.Step> steps = cases.steps(connection, List.of(caseId)).getOrDefault(caseId, List.of());
            CollectionCases.Step step = steps.stream().filter(s -> s.position() == position).findFirst()
                    .orElseThrow(() -> ApiException.notFound("step " + position + " of collection case " + caseId));
            portfolio.requireForBorrower(connection, user, found.borrowerId(), now, "records its collection steps");
            if (!found.status().equals("OPEN")) {
                throw new ApiException(HttpStatus.CONFLICT, "collection case " + caseId + " closed " + found.closeReason()
                        + " at " + found.closedAt() + ": its pending steps were cancelled");
            }
            if (!step.status().equals("PENDING")) {
                throw new ApiException(HttpStatus.CONFLICT, "step " + position + " (" + step.kind() + ") is " + step.status()
                        + " already: recorded by " + step.recordedBy() + " on " + step.doneOn());
            }
            CollectionCases.Outcome outcome = outcome(request, step, found, supervisor, today);
            if (outcome.outcome() == StepOutcome.WAIVED && CollectionCases.workedBy(found, steps, user.getName())) {
                throw new ApiException(HttpStatus.FORBIDDEN, user.getName() + " owns or has worked this case: another supervisor waives its steps");
            }
            if (!cases.record(connection, step, outcome, user.getName(), now)) {
                throw new ApiException(HttpStatus.CONFLICT, "step " + position + " of " + caseId + " was recorded meanwhile");
            }
            CollectionCases.Case after = cases.find(connection, caseId);
            return CollectionCaseView.of(after, cases.steps(connection, List.of(caseId)).get(caseId), today);
        });
    }

    /** The request as an outcome, or a 4xx naming the first field that is wrong. */
    private static CollectionCases.Outcome outcome(StepRequest r, CollectionCases.Step step, CollectionCases.Case c,
                                                   boolean supervisor, LocalDate today) {
        StepOutcome outcome = RequestFields.oneOf(StepOutcome.class, r.outcome(), "outcome");
        String kind = step.kind();
        if (outcome == StepOutcome.FILED && !kind.equals(StepKind.LEGAL_ACTION.name())) {
            throw ApiException.badRequest("outcome: FILED is for a LEGAL_ACTION step; this one is " + kind);
        }
        if (outcome == StepOutcome.SENT && kind.equals(StepKind.CALL.name())) {
            throw ApiException.badRequest("outcome: a CALL is not SENT; say whether the borrower was reached (CONTACTED, NO_RESPONSE, ...)");
        }
        String notes = RequestFields.text(r.notes(), "notes", MAX_NOTES);
        if (outcome == StepOutcome.WAIVED) {
            if (!supervisor) {
                throw new ApiException(HttpStatus.FORBIDDEN, "a supervisor waives a step of the ladder");
            }
            if (notes == null) {
                throw ApiException.badRequest("notes: the reason the step is waived");
            }
        }
        LocalDate doneOn = RequestFields.date(r.doneOn(), "doneOn");
        if (outcome == StepOutcome.WAIVED) {
            if (doneOn != null && !doneOn.equals(today)) {
                throw ApiException.badRequest("doneOn: a waiver takes effect today (" + today + "); leave doneOn out");
            }
            doneOn = today;
        } else {
            if (doneOn == null) {
                throw ApiException.badRequest("missing doneOn: the day the step was done");
            }
            if (doneOn.isAfter(today)) {
                throw ApiException.badRequest("doneOn " + doneOn + " is after today (" + today + "): record a step once done");
            }
            if (doneOn.isBefore(c.arrearsSince())) {
                throw ApiException.badRequest("doneOn " + doneOn + " is before the arrears began (" + c.arrearsSince() + ")");
            }
            if (!supervisor && doneOn.isBefore(today.minusDays(ANALYST_DAYS_BACK))) {
                throw new ApiException(HttpStatus.FORBIDDEN, "doneOn " + doneOn + " is more than " + ANALYST_DAYS_BACK
                        + " days ago: a step dated further back, which may date a demand that interrupts limitation, a supervisor records");
            }
        }
        String reference = RequestFields.text(r.reference(), "reference", MAX_REFERENCE);
        if (reference == null && outcome == StepOutcome.FILED) {
            throw ApiException.badRequest("reference: the court's case or filing number of the legal action");
        }
        boolean demand = kind.equals(StepKind.FORMAL_LETTER.name()) || kind.equals(StepKind.LAWYERS_LETTER.name());
        if (reference == null && outcome == StepOutcome.SENT && demand) {
            throw ApiException.badRequest("reference: the proof of delivery of the " + kind
                    + " (signed receipt or tracking number): its delivery is what interrupts limitation");
        }
        LocalDate promisedDate = RequestFields.date(r.promisedDate(), "promisedDate");
        if (outcome == StepOutcome.PROMISE_TO_PAY) {
            if (r.promisedAmountMinor() == null || r.promisedAmountMinor() <= 0) {
                throw ApiException.badRequest("promisedAmountMinor: the amount promised, in minor units of " + c.currency() + ", above 0");
            }
            if (promisedDate == null) {
                throw ApiException.badRequest("missing promisedDate: the day the borrower promised to pay by");
            }
            if (!promisedDate.isAfter(doneOn) || promisedDate.isAfter(doneOn.plusDays(MAX_PROMISE_DAYS))) {
                throw ApiException.badRequest("promisedDate " + promisedDate + " must be after doneOn and at most "
                        + MAX_PROMISE_DAYS + " days after it; a longer plan is a restructuring");
            }
        } else if (r.promisedAmountMinor() != null || promisedDate != null) {
            throw ApiException.badRequest("promisedAmountMinor and promisedDate go with PROMISE_TO_PAY only");
        }
        return new CollectionCases.Outcome(outcome, doneOn, notes, reference,
                outcome == StepOutcome.PROMISE_TO_PAY ? r.promisedAmountMinor() : null, promisedDate);
    }

    private LocalDate today() {
        return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    }

}
