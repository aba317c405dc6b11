package dev.kestrel.api.approvals;

import io.micronaut.security.authentication.Authentication;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * A feature whose proposals another person decides. Each owns who may decide its proposals, and answers for them in
 * the approvals worklist with the verdict its own approve endpoint would give.
 */
public interface AwaitingApproval {
    /**
     * The proposals of this feature still to be decided that {@code user} may see (an analyst their own, anyone else
     * all), the longest waiting first, at most {@code limit}.
     */
    List<Awaiting> awaiting(Connection connection, Authentication user, int limit) throws SQLException;
}
