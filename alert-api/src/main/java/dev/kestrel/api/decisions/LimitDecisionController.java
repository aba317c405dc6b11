package dev.kestrel.api.decisions;

import dev.kestrel.api.audit.AuditLog;
import dev.kestrel.api.borrowers.BorrowerStore;
import dev.kestrel.api.errors.ApiException;
import dev.kestrel.api.groups.GroupStore;
import dev.kestrel.api.limits.LimitRecommendations;
import dev.kestrel.api.ownership.Owner;
import dev.kestrel.api.ownership.OwnerStore;
import dev.kestrel.api.publication.ApprovalSigner;
import dev.kestrel.api.publication.Checker;
import dev.kestrel.api.publication.PublicationOutbox;
import dev.kestrel.api.security.Roles;
import dev.kestrel.api.store.Database;
import dev.kestrel.api.store.JsonColumns;
import dev.kestrel.contract.EventValidator;
import dev.kestrel.contract.JsonLines;
import dev.kestrel.events.AlertScope;
import dev.kestrel.events.LimitDecision;
import dev.kestrel.events.LimitDecisionAction;
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
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * Limit decisions, four eyes: the borrower's owner (or a supervisor) proposes what to do with a limit, another
 * supervisor approves or rejects it, and an approved decision is signed and published once for the limit system.
 */
@Controller("/api/limit-decisions")
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "Limit decisions")
class LimitDecisionController {
    private static final int MAX_REASON = 1_000;
    private static final List<String> STATUSES = List.of("PROPOSED", "APPROVED", "PUBLISHED", "REJECTED");

    private final Database database;
    private final LimitDecisions decisions;
    private final BorrowerStore borrowers;
    private final GroupStore groups;
    private final OwnerStore owners;
    private final AuditLog audit;
    private final ApprovalSigner signer;
    private final Optional<PublicationOutbox> outbox;
    private final JsonColumns json;
    private final Clock clock;
    private final LimitRecommendations recommendations;

    LimitDecisionController(Database database, LimitDecisions decisions, BorrowerStore borrowers, GroupStore groups,
                            OwnerStore owners, AuditLog audit, ApprovalSigner signer, Optional<PublicationOutbox> outbox,
                            JsonColumns json, Clock clock, LimitRecommendations recommendations) {
        this.recommendations = recommendations;
        this.database = database;
        this.decisions = decisions;
        this.borrowers = borrowers;
        this.groups = groups;
        this.owners = owners;
        this.audit = audit;
        this.signer = signer;
        this.outbox = outbox;
        this.json = json;
        this.clock = clock;
    }

    /** What a proposer sends: the subject (a borrower or a group), the action, the limit after it, and why. */
    @Serdeable
    record Proposal(@Nullable String borrowerId, @Nullable String groupId, @Nullable String action, @Nullable Long limitMinor,
                    @Nullable String currency, @Nullable String recommendationId, @Nullable String reason) {
    }

    @Serdeable
    record Rejection(@Nullable String reason) {
    }

    @Operation(summary = "Propose a decision on a borrower's or group's limit: FREEZE_UNDRAWN, or REDUCE_LIMIT, "
            + "RESTORE_LIMIT or INCREASE_LIMIT to limitMinor in currency. A borrower's owner or a supervisor proposes for a "
            + "borrower, a supervisor for a group; another supervisor approves it")
    @Post
    @Secured({Roles.ANALYST, Roles.SUPERVISOR})
    HttpResponse<LimitDecisionView> propose(@Body Proposal proposal, Authentication user) {
        Instant now = clock.instant();
        LimitDecision decision = terms(proposal, user.getName(), now);
        LimitDecisions.Case stored = database.inTransaction(connection -> {
            BorrowerStore.CurrentLimit current;
            if (decision.getScope() == AlertScope.BORROWER) {
                if (!borrowers.known(connection, decision.getBorrowerId())) {
                    throw ApiException.notFound("borrower " + decision.getBorrowerId());
                }
                Owner owner = owners.of(connection, decision.getBorrowerId()).orElse(null);
                boolean owns = owner != null && owner.officer().equals(user.getName());
                if (!owns && !Roles.has(user, Roles.SUPERVISOR)) {
                    throw new ApiException(HttpStatus.FORBIDDEN, "only " + (owner == null ? "the borrower's owner (none is set)"
                            : owner.officer() + ", who owns " + decision.getBorrowerId() + ",") + " or a supervisor may propose a decision on its limit");
                }
                current = borrowers.currentLimit(connection, decision.getBorrowerId());
            } else {
                if (!groups.known(connection, decision.getGroupId())) {
                    throw ApiException.notFound("group " + decision.getGroupId());
                }
                if (!Roles.has(user, Roles.SUPERVISOR)) {
                    throw new ApiException(HttpStatus.FORBIDDEN, "only a supervisor may propose a decision on a group's limit");
                }
                current = groups.currentLimit(connection, decision.getGroupId());
            }
            answersTheEngine(connection, decision);
            String against = againstCurrent(decision, current);
            if (against != null) {
                throw ApiException.badRequest(against);
            }
            decisions.propose(connection, decision, now);
            audit.record(connection, now, user.getName(), "LIMIT_DECISION_PROPOSE", "limit-decision", decision.getDecisionId(),
                    null, json.tree(JsonLines.write(decision)));
            return decisions.find(connection, decision.getDecisionId());
        });
        return HttpResponse.created(LimitDecisionView.of(stored)).header("Location", "/api/limit-decisions/" + decision.getDecisionId());
    }

    @Operation(summary = "Limit decisions, newest first: of one borrower or group, or in one status (PROPOSED, "
            + "APPROVED, PUBLISHED, REJECTED), or all")
    @Get
    @Secured({Roles.ANALYST, Roles.SUPERVISOR, Roles.AUDITOR, Roles.ADMIN})
    List<LimitDecisionView> list(@Nullable @QueryValue String borrowerId, @Nullable @QueryValue String groupId,
                                 @Nullable @QueryValue String status,
                                 @QueryValue(defaultValue = "100") @Min(1) @Max(500) int limit) {
        if (borrowerId != null && groupId != null) {
            throw ApiException.badRequest("borrowerId, groupId: name one subject, not both");
        }
        if (status != null && !STATUSES.contains(status.toUpperCase(Locale.ROOT))) {
            throw ApiException.badRequest("status: '" + status + "' is not one of " + String.join(", ", STATUSES));
        }
        String subject = borrowerId != null ? "BORROWER:" + borrowerId : groupId != null ? "GROUP:" + groupId : null;
        return database.read(connection -> decisions.matching(connection, subject,
                status == null ? null : status.toUpperCase(Locale.ROOT), limit)).stream().map(LimitDecisionView::of).toList();
    }

    @Operation(summary = "One limit decision")
    @Get("/{decisionId}")
    @Secured({Roles.ANALYST, Roles.SUPERVISOR, Roles.AUDITOR, Roles.ADMIN})
    LimitDecisionView decision(@PathVariable String decisionId) {
        return LimitDecisionView.of(stored(decisionId));
    }

    @Operation(summary = "Approve a proposed decision: it is signed, audited and then sent once to the limit-decisions "
            + "topic. Not by its proposer; name the version you reviewed by its contentSha256. 200 when the topic took it, "
            + "202 when it waits in the outbox for the broker")
    @Post("/{decisionId}/approve")
    @Secured(Roles.SUPERVISOR)
    HttpResponse<LimitDecisionView> approve(@PathVariable String decisionId, @Nullable @QueryValue String reviewed,
                                            Authentication user) {
        LimitDecisions.Case proposal = stored(decisionId);
        Checker.mayApprove(proposal.row(), user.getName(), reviewed);
        Instant now = clock.instant();
        LimitDecision signed = signer.sign(LimitDecision.newBuilder(proposal.decision()).setApprovedBy(user.getName())
                .setApprovedAt(now).build());
        String problem = EventValidator.problem(signed, null);
        if (problem != null) {
            throw new ApiException(HttpStatus.CONFLICT, decisionId + " cannot be approved: " + problem);
        }
        // Audit first: the approval, its signature and the audit row commit together; the outbox sends it after.
        database.inTransaction(connection -> {
            if (!decisions.approve(connection, signed)) {
                throw new ApiException(HttpStatus.CONFLICT, decisionId + " was approved or rejected meanwhile");
            }
            audit.record(connection, now, user.getName(), "LIMIT_DECISION_APPROVE", "limit-decision", decisionId,
                    java.util.Map.of("status", "PROPOSED"),
                    json.tree(JsonLines.write(LimitDecision.newBuilder(signed).setSignature(null).build())));
            return null;
        });
        outbox.ifPresent(PublicationOutbox::sendApproved);
        LimitDecisionView after = LimitDecisionView.of(stored(decisionId));
        return after.status().equals("PUBLISHED") ? HttpResponse.ok(after) : HttpResponse.accepted().body(after);
    }

    @Operation(summary = "Reject a proposed decision, with the reason: a supervisor, or its proposer withdrawing it")
    @Post("/{decisionId}/reject")
    @Secured({Roles.ANALYST, Roles.SUPERVISOR})
    LimitDecisionView reject(@PathVariable String decisionId, @Body Rejection rejection, Authentication user) {
        LimitDecisions.Case proposal = stored(decisionId);
        if (!proposal.row().proposedBy().equals(user.getName()) && !Roles.has(user, Roles.SUPERVISOR)) {
            throw new ApiException(HttpStatus.FORBIDDEN, "only a supervisor, or " + proposal.row().proposedBy()
                    + " who proposed it, may reject " + decisionId);
        }
        String reason = rejection.reason() == null ? "" : rejection.reason().strip();
        if (reason.isEmpty() || reason.length() > MAX_REASON) {
            throw ApiException.badRequest("reason: say why, in 1 to " + MAX_REASON + " characters");
        }
        Instant now = clock.instant();
        database.inTransaction(connection -> {
            if (!decisions.reject(connection, decisionId, user.getName(), now, reason)) {
                throw new ApiException(HttpStatus.CONFLICT, decisionId + " is " + proposal.row().status()
                        + "; only a proposal can be rejected");
            }
            audit.record(connection, now, user.getName(), "LIMIT_DECISION_REJECT", "limit-decision", decisionId,
                    java.util.Map.of("status", "PROPOSED"), java.util.Map.of("status", "REJECTED", "reason", reason));
            return null;
        });
        return LimitDecisionView.of(stored(decisionId));
    }

    private LimitDecisions.Case stored(String decisionId) {
        LimitDecisions.Case found = database.read(connection -> decisions.find(connection, decisionId));
        if (found == null) {
            throw ApiException.notFound("limit decision " + decisionId);
        }
        return found;
    }

    /**
     * A decision that says it answers the engine's recommendation must name the subject's latest one, and do what it
     * recommends: the engine reads that link back (a freeze or cut on its word is to be kept while its alerts last, and
     * suggested for restoring after), so a link to another subject's recommendation, or a freeze for fraud linked to a
     * recommended cut, would make it say so wrongly. A restore answers the engine's suggestion to restore.
     */
    private void answersTheEngine(Connection connection, LimitDecision decision) throws SQLException {
        String named = decision.getRecommendationId();
        if (named == null) {
            return;
        }
        String subject = LimitDecisions.subjectOf(decision);
        LimitRecommendations.Latest latest = recommendations.latest(connection, subject);
        if (latest == null || !named.equals(latest.recommendationId())) {
            throw ApiException.badRequest("recommendationId: " + named + " is not the engine's latest recommendation for " + subject
                    + (latest == null ? "; the engine has recommended nothing on it" : "; that is " + latest.recommendationId() + " (reload the page)"));
        }
        String answers = switch (decision.getAction()) {
            case FREEZE_UNDRAWN, REDUCE_LIMIT -> decision.getAction().name();
            case RESTORE_LIMIT -> "WITHDRAWN";
            case INCREASE_LIMIT -> null;
        };
        boolean does = answers != null && answers.equals(latest.action()) && (!"WITHDRAWN".equals(answers) || latest.restoreSuggested());
        if (!does) {
            throw ApiException.badRequest("recommendationId: a " + decision.getAction() + " does not answer the engine's "
                    + (latest.restoreSuggested() ? "suggestion to restore the limit" : latest.action() + " recommendation")
                    + "; link none for a decision on other grounds");
        }
    }

    /** The proposal as a decision, or a 400 naming the first field that is wrong. */
    private static LimitDecision terms(Proposal p, String proposer, Instant now) {
        boolean borrower = p.borrowerId() != null && !p.borrowerId().isBlank();
        boolean group = p.groupId() != null && !p.groupId().isBlank();
        if (borrower == group) {
            throw ApiException.badRequest("borrowerId, groupId: name the borrower or the group whose limit is decided, one of them");
        }
        LimitDecisionAction action;
        try {
            action = LimitDecisionAction.valueOf(p.action() == null ? "" : p.action().strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("action: '" + p.action() + "' is not one of "
                    + String.join(", ", Arrays.stream(LimitDecisionAction.values()).map(Enum::name).toList()));
        }
        if (p.reason() != null && p.reason().strip().length() > MAX_REASON) {
            throw ApiException.badRequest("reason: at most " + MAX_REASON + " characters; got " + p.reason().strip().length());
        }
        if (p.recommendationId() != null && p.recommendationId().length() > 200) {
            throw ApiException.badRequest("recommendationId: at most 200 characters");
        }
        LimitDecision decision = LimitDecision.newBuilder()
                .setDecisionId("LD-" + UUID.randomUUID())
                .setScope(borrower ? AlertScope.BORROWER : AlertScope.GROUP)
                .setBorrowerId(borrower ? p.borrowerId().strip() : null)
                .setGroupId(group ? p.groupId().strip() : null)
                .setAction(action)
                .setLimitMinor(p.limitMinor())
                .setCurrency(p.currency() == null ? null : p.currency().strip())
                .setRecommendationId(p.recommendationId() == null || p.recommendationId().isBlank() ? null : p.recommendationId().strip())
                .setReason(p.reason() == null ? "" : p.reason().strip())
                .setProposedBy(proposer).setProposedAt(now)
                // Placeholders until a checker approves it; the record is signed only then.
                .setApprovedBy("").setApprovedAt(now)
                .build();
        String problem = EventValidator.limitDecisionTerms(decision);
        if (problem != null) {
            throw ApiException.badRequest(problem);
        }
        return decision;
    }

    /** Why the decision contradicts the limit as it stands: a cut that is no cut, an increase that is none. */
    private static String againstCurrent(LimitDecision d, BorrowerStore.CurrentLimit current) {
        if (current == null || d.getLimitMinor() == null || current.currency() == null || !current.currency().equals(d.getCurrency())) {
            return null; // nothing to compare with in the same currency
        }
        if (d.getAction() == LimitDecisionAction.REDUCE_LIMIT && d.getLimitMinor() >= current.limitMinor()) {
            return "limitMinor: a reduction must be below the current limit of " + current.limitMinor() + " " + current.currency()
                    + "; got " + d.getLimitMinor();
        }
        if (d.getAction() == LimitDecisionAction.INCREASE_LIMIT && d.getLimitMinor() <= current.limitMinor()) {
            return "limitMinor: an increase must be above the current limit of " + current.limitMinor() + " " + current.currency()
                    + "; got " + d.getLimitMinor();
        }
        return null;
    }
}
