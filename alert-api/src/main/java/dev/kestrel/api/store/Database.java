package dev.kestrel.api.store;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * Plain JDBC with explicit transactions: every write of the API is a few statements that must commit together
 * (the change, its history row and its audit row), and seeing them in one method beats an ORM's hidden flushes.
 * There are two, each on its own pool of connections ({@link Databases}): the requests' and the background work's.
 */
public final class Database {
    /** The name of the background work's: the feed, the publication outbox, the three notice watches and the audit check. */
    public static final String BACKGROUND = "background";

    private final DataSource dataSource;

    Database(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @FunctionalInterface
    public interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /** Runs the work in one transaction: all of it commits, or none of it. */
    public <T> T inTransaction(Work<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    /** Runs read-only work on one connection. */
    public <T> T read(Work<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setReadOnly(true);
            try {
                return work.run(connection);
            } finally {
                connection.setReadOnly(false);
            }
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    /**
     * Whether PostgreSQL refused a value rather than failed: SQLSTATE class 22, data exception (a NUL character in
     * text, a number out of range, an invalid date). Retrying cannot help; the value must be refused.
     */
    public static boolean isRefusedValue(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("22")) {
                return true;
            }
        }
        return false;
    }

    /** A database failure: a 503 for the caller and a retry for the feed, unless the database refused a value. */
    public static final class StoreException extends RuntimeException {
        StoreException(SQLException cause) {
            super("database: " + cause.getMessage(), cause);
        }
    }
}
