package dev.kestrel.api.decisions;

import dev.kestrel.api.approvals.Awaiting;
import dev.kestrel.api.approvals.AwaitingApproval;
import dev.kestrel.api.publication.Checker;
import dev.kestrel.api.security.Roles;
import io.micronaut.security.authentication.Authentication;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * Limit decisions waiting for a second supervisor: a supervisor other than the proposer approves one (the approve
 * endpoint is a supervisor's, and {@link Checker#fourEyes} refuses the proposer).
 */
@Singleton
class AwaitingLimitDecisions implements AwaitingApproval {
    private final LimitDecisions decisions;

    AwaitingLimitDecisions(LimitDecisions decisions) {
        this.decisions = decisions;
    }

    @Override
    public List<Awaiting> awaiting(Connection connection, Authentication user, int limit) throws SQLException {
        boolean supervisor = Roles.has(user, Roles.SUPERVISOR);
        boolean seesAll = supervisor || Roles.has(user, Roles.AUDITOR) || Roles.has(user, Roles.ADMIN);
        return decisions.proposed(connection, seesAll ? null : user.getName(), limit).stream()
                .map(c -> {
                    var d = c.decision();
                    String whyNot = !supervisor ? "a supervisor approves a limit decision" : Checker.fourEyes(c.row(), user.getName());
                    return new Awaiting("LIMIT_DECISION", d.getDecisionId(), d.getBorrowerId(), d.getGroupId(), null, null,
                            d.getAction().name(), d.getLimitMinor(), d.getCurrency(), d.getReason(), c.row().proposedBy(),
                            c.row().proposedAt(), c.row().proposedBy().equals(user.getName()), whyNot == null, whyNot);
                })
                .toList();
    }
}
