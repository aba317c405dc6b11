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

/**
 * NPL disposals waiting for a second supervisor ({@link Disposals#whyNotDecider} says who may decide one); an analyst
 * sees only their own proposals.
 */
@Singleton
class AwaitingDisposals implements AwaitingApproval {
    /** One proposal per case waits at a time: this is more cases than a workout unit has in disposal at once. */
    private static final int MOST = 500;

    private final Disposals disposals;
    private final CollectionCases cases;

    AwaitingDisposals(Disposals disposals, CollectionCases cases) {
        this.disposals = disposals;
        this.cases = cases;
    }

    @Override
    public List<Awaiting> awaiting(Connection connection, Authentication user) throws SQLException {
        boolean supervisor = Roles.has(user, Roles.SUPERVISOR);
        boolean seesAll = supervisor || Roles.has(user, Roles.AUDITOR) || Roles.has(user, Roles.ADMIN);
        List<Awaiting> awaiting = new ArrayList<>();
        for (Disposals.Decision d : disposals.proposed(connection, MOST)) {
            if (!seesAll && !d.proposedBy().equals(user.getName())) {
                continue;
            }
            CollectionCases.Case c = cases.find(connection, d.caseId());
            String whyNot = !supervisor ? "a supervisor decides a disposal"
                    : Disposals.whyNotDecider(c, cases.steps(connection, List.of(c.caseId())).getOrDefault(c.caseId(), List.of()),
                            disposals.progress(connection, c.caseId()), d, user.getName());
            awaiting.add(new Awaiting("DISPOSAL", d.decisionId(), c.borrowerId(), null, c.caseId(), c.name(), d.option(),
                    d.expectedRecoveryMinor(), c.currency(), d.rationale(), d.proposedBy(), d.proposedAt(),
                    d.proposedBy().equals(user.getName()), whyNot == null, whyNot));
        }
        return awaiting;
    }
}
