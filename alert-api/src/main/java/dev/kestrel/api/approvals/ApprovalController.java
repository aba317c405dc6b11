package dev.kestrel.api.approvals;

import dev.kestrel.api.security.Roles;
import dev.kestrel.api.store.Database;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The approvals worklist: every limit decision and NPL disposal proposed and not yet decided, the longest waiting
 * first, so that no proposal waits unseen for its second person. Deciding happens on the borrower's or group's page,
 * beside the evidence, through each feature's own endpoint.
 */
@Controller("/api/approvals")
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "Approvals")
class ApprovalController {
    private final Database database;
    private final List<AwaitingApproval> features;

    ApprovalController(Database database, List<AwaitingApproval> features) {
        this.database = database;
        this.features = features;
    }

    /** At most this many of each kind: a desk with more waiting has a backlog to clear, not to page through. */
    static final int MOST = 500;

    @Serdeable
    record Worklist(List<Awaiting> items, int mayDecide, boolean moreWaiting) {
    }

    @Operation(summary = "Proposals waiting for their second person, the longest waiting first: to an analyst their own, "
            + "to anyone else all of them. Each says whether the caller may decide it, and if not why")
    @Get
    @Secured({Roles.ANALYST, Roles.SUPERVISOR, Roles.AUDITOR, Roles.ADMIN})
    Worklist awaiting(Authentication user) {
        List<Awaiting> items = new ArrayList<>();
        boolean more = database.read(connection -> {
            boolean beyond = false;
            for (AwaitingApproval feature : features) {
                List<Awaiting> waiting = feature.awaiting(connection, user, MOST + 1);
                beyond |= waiting.size() > MOST;
                items.addAll(waiting.subList(0, Math.min(MOST, waiting.size())));
            }
            return beyond;
        });
        List<Awaiting> sorted = items.stream()
                .sorted(Comparator.comparing(Awaiting::proposedAt).thenComparing(Awaiting::kind).thenComparing(Awaiting::decisionId))
                .toList();
        return new Worklist(sorted, (int) sorted.stream().filter(Awaiting::mayDecide).count(), more);
    }
}
