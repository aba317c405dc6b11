package dev.kestrel.api.collections;

import dev.kestrel.api.audit.AuditLog;
import dev.kestrel.api.errors.ApiException;
import dev.kestrel.api.errors.RequestFields;
import dev.kestrel.api.ownership.Portfolio;
import dev.kestrel.api.security.Roles;
import dev.kestrel.api.store.Database;
import dev.kestrel.api.store.JsonColumns;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

/**
 * NPL disposal (不良资产处置) on a collection case the engine has classified non-performing: the options with their
 * figures, a decision proposed by one person and approved by another, the progress with what it recovered, and the
 * case's disposal report (审计报告) with its full history.
 */
@Controller("/api/collections/{caseId}")
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "Collections")
class DisposalController {
    static final int MAX_TEXT = 4_000;

    private final Database database;
    private final CollectionCases cases;
    private final Disposals disposals;
    private final Portfolio portfolio;
    private final AuditLog audit;
    private final JsonColumns json;
    private final Clock clock;

    DisposalController(Database database, CollectionCases cases, Disposals disposals, Portfolio portfolio, AuditLog audit,
                       JsonColumns json, Clock clock) {
        this.database = database;
        this.cases = cases;
        this.disposals = disposals;
        this.portfolio = portfolio;
        this.audit = audit;
        this.json = json;
        this.clock = clock;
    }

    @Serdeable
    record ProposalRequest(@Nullable String option, @Nullable String rationale, @Nullable Long expectedRecoveryMinor) {
    }

    @Serdeable
    record DecisionRequest(@Nullable String note) {
    }

    @Serdeable
    record ProgressRequest(@Nullable String onDate, @Nullable String note, @Nullable Long recoveredMinor) {
    }

    @Operation(summary = "The disposal of a non-performing case: the engine's figures now, the four options (restructure, "
            + "transfer, litigation, write-off) with the figures behind each, the decisions and the progress")
    @Get("/disposal")
    @Secured({Roles.ANALYST, Roles.SUPERVISOR, Roles.AUDITOR, Roles.ADMIN})
    DisposalView disposal(@PathVariable String caseId) {
        return database.read(connection -> view(connection, nonPerforming(connection, caseId)));
    }

    @Operation(summary = "Propose how to dispose of the claim: an option, the rationale and the recovery expected, in minor "
            + "units of the case's currency. By the borrower's owner, an analyst a grant covers it for, or a supervisor; one "
            + "proposal at a time; another supervisor approves or rejects it. Audited with the figures it rests on")
    @Post("/disposal/decisions")
    @Secured({Roles.ANALYST, Roles.SUPERVISOR})
    HttpResponse<DisposalView> propose(@PathVariable String caseId, @Body ProposalRequest request, Authentication user) {
        Instant now = clock.instant();
        DisposalView view = database.inTransaction(connection -> {
            CollectionCases.Case c = nonPerforming(connection, caseId);
            portfolio.requireForBorrower(connection, user, c.borrowerId(), now, "works its disposal");
            if (!c.status().equals("OPEN")) {
                throw new ApiException(HttpStatus.CONFLICT, "collection case " + caseId + " closed " + c.closeReason()
                        + ": nothing past due is left to dispose of");
            }
            DisposalOptions.Kind option = RequestFields.oneOf(DisposalOptions.Kind.class, request.option(), "option");
            String rationale = RequestFields.text(request.rationale(), "rationale", MAX_TEXT);
            if (rationale == null) {
                throw ApiException.badRequest("missing rationale: why this option, on the figures");
            }
            if (request.expectedRecoveryMinor() == null || request.expectedRecoveryMinor() < 0) {
                throw ApiException.badRequest("expectedRecoveryMinor: the recovery expected, in minor units of "
                        + c.currency() + ", 0 or more");
            }
            Disposals.Figures figures = sameCurrency(c, disposals.figures(connection, c, steps(connection, caseId)));
            // Past-due principal is in the drawn amount too, so the two together bound the claim from above.
            long bound = figures.drawnMinor() + (figures.overdueMinor() == null ? 0 : figures.overdueMinor());
            if (request.expectedRecoveryMinor() > bound) {
                throw ApiException.badRequest("expectedRecoveryMinor " + request.expectedRecoveryMinor()
                        + " is more than the claim can be: the drawn amount and the arrears together come to " + bound);
            }
            Disposals.Decision decision = new Disposals.Decision("DD-" + UUID.randomUUID(), caseId, option.name(), rationale,
                    request.expectedRecoveryMinor(), disposals.write(figures), "PROPOSED",
                    user.getName(), now, null, null, null);
            if (!disposals.propose(connection, decision)) {
                throw new ApiException(HttpStatus.CONFLICT, "a proposal for " + caseId + " waits for a supervisor's decision");
            }
            return view(connection, c);
        });
        return HttpResponse.created(view).header("Location", "/api/collections/" + caseId + "/disposal");
    }

    @Operation(summary = "Approve a proposed disposal: a supervisor other than its proposer")
    @Post("/disposal/decisions/{decisionId}/approve")
    @Secured({Roles.SUPERVISOR})
    DisposalView approve(@PathVariable String caseId, @PathVariable String decisionId, @Body DecisionRequest request,
                         Authentication user) {
        return decide(caseId, decisionId, true, request, user);
    }

    @Operation(summary = "Reject a proposed disposal, saying why: a supervisor other than its proposer")
    @Post("/disposal/decisions/{decisionId}/reject")
    @Secured({Roles.SUPERVISOR})
    DisposalView reject(@PathVariable String caseId, @PathVariable String decisionId, @Body DecisionRequest request,
                        Authentication user) {
        return decide(caseId, decisionId, false, request, user);
    }

    private DisposalView decide(String caseId, String decisionId, boolean approve, DecisionRequest request, Authentication user) {
        Instant now = clock.instant();
        return database.inTransaction(connection -> {
            CollectionCases.Case c = nonPerforming(connection, caseId);
            Disposals.Decision decision = disposals.decisions(connection, caseId).stream()
                    .filter(d -> d.decisionId().equals(decisionId)).findFirst()
                    .orElseThrow(() -> ApiException.notFound("disposal decision " + decisionId + " of " + caseId));
            String whyNot = Disposals.whyNotDecider(c, steps(connection, caseId), disposals.progress(connection, caseId),
                    decision, user.getName());
            if (whyNot != null) {
                throw new ApiException(HttpStatus.FORBIDDEN, whyNot);
            }
            if (approve && !c.status().equals("OPEN")) {
                throw new ApiException(HttpStatus.CONFLICT, "collection case " + caseId + " closed " + c.closeReason()
                        + " after this proposal: reject it, and propose again on the figures now if anything is left to do");
            }
            String note = RequestFields.text(request.note(), "note", MAX_TEXT);
            if (!approve && note == null) {
                throw ApiException.badRequest("note: why the proposal is rejected");
            }
            if (!decision.status().equals("PROPOSED") || !disposals.decide(connection, decision, approve, user.getName(), note, now)) {
                throw new ApiException(HttpStatus.CONFLICT, "disposal decision " + decisionId + " is " + decision.status()
                        + " already");
            }
            return view(connection, c);
        });
    }

    @Operation(summary = "Record the progress of the approved disposal: the day, what happened and what it recovered, in "
            + "minor units of the case's currency. Also after the case closed: recoveries go on after a write-off")
    @Post("/disposal/progress")
    @Secured({Roles.ANALYST, Roles.SUPERVISOR})
    HttpResponse<DisposalView> progress(@PathVariable String caseId, @Body ProgressRequest request, Authentication user) {
        Instant now = clock.instant();
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        DisposalView view = database.inTransaction(connection -> {
            CollectionCases.Case c = nonPerforming(connection, caseId);
            portfolio.requireForBorrower(connection, user, c.borrowerId(), now, "works its disposal");
            Disposals.Decision approved = disposals.decisions(connection, caseId).stream()
                    .filter(d -> d.status().equals("APPROVED")).reduce((first, second) -> second)
                    .orElseThrow(() -> new ApiException(HttpStatus.CONFLICT, "no approved disposal of " + caseId
                            + " to record progress against: propose one, and have it approved"));
            LocalDate onDate = RequestFields.date(request.onDate(), "onDate");
            if (onDate == null) {
                throw ApiException.badRequest("missing onDate: the day it happened");
            }
            LocalDate approvedOn = LocalDate.ofInstant(approved.decidedAt(), ZoneOffset.UTC);
            if (onDate.isAfter(today) || onDate.isBefore(approvedOn)) {
                throw ApiException.badRequest("onDate " + onDate + " is not between the approval (" + approvedOn
                        + ") and today (" + today + ")");
            }
            String note = RequestFields.text(request.note(), "note", MAX_TEXT);
            if (note == null) {
                throw ApiException.badRequest("missing note: what happened");
            }
            if (request.recoveredMinor() != null && request.recoveredMinor() < 0) {
                throw ApiException.badRequest("recoveredMinor: what was recovered, in minor units of " + c.currency() + ", 0 or more");
            }
            sameCurrency(c, disposals.figures(connection, c, steps(connection, caseId)));
            if (!disposals.recordProgress(connection, caseId, new Disposals.Progress(0, approved.decisionId(), onDate, note,
                    request.recoveredMinor(), user.getName(), now))) {
                throw new ApiException(HttpStatus.CONFLICT, "this progress (" + onDate + ", the same note and amount) is "
                        + "recorded already: a recovery is counted once");
            }
            return view(connection, c);
        });
        return HttpResponse.created(view).header("Location", "/api/collections/" + caseId + "/disposal");
    }

    @Operation(summary = "The case's disposal report (审计报告): an HTML page with its full history, to download")
    @Get(value = "/report", produces = MediaType.TEXT_HTML)
    @Secured({Roles.SUPERVISOR, Roles.AUDITOR})
    HttpResponse<String> report(@PathVariable String caseId, Authentication user) {
        Instant now = clock.instant();
        String html = database.inTransaction(connection -> {
            CollectionCases.Case c = cases.find(connection, caseId);
            if (c == null) {
                throw ApiException.notFound("collection case " + caseId);
            }
            // The report carries the case's notes and whole history out of the desk: who took it, and when, is audited.
            audit.record(connection, now, user.getName(), "DISPOSAL_REPORT", "collection-case", caseId, null, null);
            List<CollectionCases.Step> steps = steps(connection, caseId);
            Disposals.Figures figures = c.nonPerformingSince() == null ? null : disposals.figures(connection, c, steps);
            return DisposalReport.html(c, steps, figures, figures == null ? List.of() : DisposalOptions.of(figures),
                    disposals.decisions(connection, caseId), disposals.progress(connection, caseId),
                    audit.trail(connection, "collection-case", caseId), json, user.getName(), now);
        });
        return HttpResponse.ok(html).contentType(MediaType.TEXT_HTML_TYPE.getName() + ";charset=utf-8")
                .header("Content-Disposition", "attachment; filename=\"disposal-report-" + caseId.replaceAll("[^A-Za-z0-9._-]", "_")
                        + ".html\"");
    }

    /** The case, or a 404; a 409 unless the engine has classified its borrower non-performing while it was open. */
    private CollectionCases.Case nonPerforming(Connection connection, String caseId) throws SQLException {
        CollectionCases.Case c = cases.find(connection, caseId);
        if (c == null) {
            throw ApiException.notFound("collection case " + caseId);
        }
        if (c.nonPerformingSince() == null) {
            throw new ApiException(HttpStatus.CONFLICT, "collection case " + caseId + " is not non-performing: disposal is "
                    + "for a claim the engine classifies substandard or worse (in default under EU, NPA under IN)");
        }
        return c;
    }

    /**
     * The figures, when the engine's snapshot states the borrower's amounts in the currency the case opened in: the
     * amounts a proposal or a recovery states are in that currency, and the desk converts nothing.
     */
    private static Disposals.Figures sameCurrency(CollectionCases.Case c, Disposals.Figures figures) {
        if (figures == null) {
            throw new ApiException(HttpStatus.CONFLICT, "the engine has no snapshot of " + c.borrowerId() + " to decide on");
        }
        if (c.currency() != null && !c.currency().equals(figures.currency())) {
            throw new ApiException(HttpStatus.CONFLICT, "the engine now states " + c.borrowerId() + "'s amounts in "
                    + figures.currency() + ", the case's in " + c.currency() + ": amounts in two currencies are not added");
        }
        return figures;
    }

    private List<CollectionCases.Step> steps(Connection connection, String caseId) throws SQLException {
        return cases.steps(connection, List.of(caseId)).getOrDefault(caseId, List.of());
    }

    private DisposalView view(Connection connection, CollectionCases.Case c) throws SQLException {
        Disposals.Figures figures = disposals.figures(connection, c, steps(connection, c.caseId()));
        return new DisposalView(c.caseId(), c.borrowerId(), c.name(), c.status(), c.nonPerformingSince(), figures,
                figures == null ? List.of() : DisposalOptions.of(figures),
                disposals.decisions(connection, c.caseId()).stream().map(d -> new DisposalView.DecisionView(d.decisionId(),
                        d.option(), d.rationale(), d.expectedRecoveryMinor(), d.status(), d.proposedBy(), d.proposedAt(),
                        d.decidedBy(), d.decidedAt(), d.decisionNote(), json.tree(d.figures()))).toList(),
                disposals.progress(connection, c.caseId()).stream().map(DisposalView.ProgressView::of).toList());
    }

}
