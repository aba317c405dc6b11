package dev.kestrel.api.collections;

import dev.kestrel.api.approvals.Awaiting;
import dev.kestrel.api.approvals.AwaitingApproval;
import dev.kestrel.api.security.Roles;
import io.micronaut.security.authentication.Authentication;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * NPL disposals waiting for a second supervisor ({@link Disposals#whyNotDecider} says who may decide one).
 */
@Singleton
class AwaitingDisposals implements AwaitingApproval {
    private final Disposals disposals;
    private final CollectionCases cases;

    AwaitingDisposals(Disposals disposals, CollectionCases cases) {
        this.disposals = disposals;
        this.cases = cases;
    }

    @Override
    public List<Awaiting> awaiting(Connection connection, Authentication user, int limit) throws SQLException {
        boolean supervisor = Roles.has(user, Roles.SUPERVISOR);
        boolean seesAll = supervisor || Roles.has(user, Roles.AUDITOR) || Roles.has(user, Roles.ADMIN);
        List<Disposals.Decision> proposed = disposals.proposed(connection, seesAll ? null : user.getName(), limit);
        // Who may decide reads each case's steps: read once for all of them (one proposal waits per case).
        Map<String, List<CollectionCases.Step>> steps = supervisor
                ? cases.steps(connection, proposed.stream().map(Disposals.Decision::caseId).toList()) : Map.of();
        List<Awaiting> awaiting = new ArrayList<>();
        for (Disposals.Decision d : proposed) {
            CollectionCases.Case c = cases.find(connection, d.caseId());
            String whyNot = !supervisor ? "a supervisor decides a disposal"
                    : Disposals.whyNotDecider(c, steps.getOrDefault(c.caseId(), List.of()), disposals.progress(connection, c.caseId()),
                            d, user.getName());
            awaiting.add(new Awaiting("DISPOSAL", d.decisionId(), c.borrowerId(), null, c.caseId(), c.name(), d.option(),
                    d.expectedRecoveryMinor(), c.currency(), d.rationale(), d.proposedBy(), d.proposedAt(),
                    d.proposedBy().equals(user.getName()), whyNot == null, whyNot));
        }
        return awaiting;
    }
}
