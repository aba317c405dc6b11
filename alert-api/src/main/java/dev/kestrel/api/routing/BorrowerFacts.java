package dev.kestrel.api.routing;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;

/** The borrower facts routing conditions read; the borrowers feature, which owns them, answers. */
public interface BorrowerFacts {

    /** The borrower's customer segment, from its profile (master data); empty before the first profile. */
    Optional<String> segment(Connection connection, String borrowerId) throws SQLException;
}
