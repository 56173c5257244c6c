package io.churn.sink;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;

/**
 * The one reconnect policy of the results database, for runs and PBT alike: a call that meets a
 * lost connection (SQLSTATE class 08, an admin shutdown, a server not yet accepting connections, or
 * a closed connection) reconnects with exponential backoff and is repeated, for up to a minute,
 * then fails. Every call must be safe to repeat: a read, an upsert keyed by id, or a whole
 * transaction.
 */
final class RetryingConnection implements AutoCloseable {

    private static final Duration RETRY_FOR = Duration.ofSeconds(60);

    /** Work on the live connection; it may run more than once. */
    @FunctionalInterface
    interface SqlCall<T> {
        T call(Connection connection) throws SQLException;
    }

    private final DatabaseSettings settings;
    private Connection connection;

    private RetryingConnection(DatabaseSettings settings, Connection connection) {
        this.settings = settings;
        this.connection = connection;
    }

    /** Connects, failing at once with a message that names the server (never the password). */
    static RetryingConnection open(DatabaseSettings settings) {
        try {
            return new RetryingConnection(settings, settings.connect());
        } catch (SQLException e) {
            throw unavailable(settings, e);
        }
    }

    /**
     * Connects within a job already under way (a task's store), where a server that cannot be
     * reached is most likely restarting: waits it out as a lost connection is, then fails.
     */
    static RetryingConnection openWaiting(DatabaseSettings settings) {
        Instant deadline = Instant.now().plus(RETRY_FOR);
        long pauseMs = 250;
        while (true) {
            try {
                return new RetryingConnection(settings, settings.connect());
            } catch (SQLException e) {
                if (!isLoss(e.getSQLState()) || Instant.now().isAfter(deadline)) {
                    throw unavailable(settings, e);
                }
                try {
                    sleep(pauseMs);
                } catch (SQLException interrupted) {
                    throw unavailable(settings, e);
                }
                pauseMs = Math.min(pauseMs * 2, 8000);
            }
        }
    }

    static DatabaseUnavailableException unavailable(DatabaseSettings settings, SQLException e) {
        return new DatabaseUnavailableException("cannot connect to the results database " + settings + ": "
                + settings.redact(e.getMessage()), redacted(settings, e));
    }

    /** The driver's exception without its message, which may quote the URL (and its password) when printed as a cause. */
    private static SQLException redacted(DatabaseSettings settings, SQLException e) {
        SQLException copy = new SQLException(settings.redact(e.getMessage()), e.getSQLState(), e.getErrorCode());
        copy.setStackTrace(e.getStackTrace());
        return copy;
    }

    /** The server this connects to. */
    DatabaseSettings settings() {
        return settings;
    }

    /** Runs {@code call}, reconnecting and repeating it while the connection is lost. */
    <T> T call(SqlCall<T> call) throws SQLException {
        Instant deadline = Instant.now().plus(RETRY_FOR);
        long pauseMs = 250;
        while (true) {
            try {
                return call.call(connection);
            } catch (SQLException e) {
                if (!isConnectionLoss(e) || Instant.now().isAfter(deadline)) {
                    throw e;
                }
                sleep(pauseMs);
                pauseMs = Math.min(pauseMs * 2, 8000);
                reconnect();
            }
        }
    }

    /** Runs {@code work} in one transaction, all of it or none; after a lost connection, all of it again. */
    <T> T transaction(SqlCall<T> work) throws SQLException {
        return call(c -> {
            c.setAutoCommit(false);
            try {
                T result = work.call(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                try {
                    c.rollback();
                } catch (SQLException lost) {
                    e.addSuppressed(lost); // a lost connection rolls back by itself
                }
                throw e;
            } finally {
                if (!c.isClosed()) c.setAutoCommit(true);
            }
        });
    }

    private void reconnect() {
        try {
            connection.close();
        } catch (SQLException ignored) {
            // the old connection is gone either way
        }
        try {
            connection = settings.connect();
        } catch (SQLException stillDown) {
            // keep the broken connection: the next call fails fast and we try again
        }
    }

    private boolean isConnectionLoss(SQLException e) {
        if (isLoss(e.getSQLState())) {
            return true;
        }
        try {
            return connection.isClosed();
        } catch (SQLException unknown) {
            return true;
        }
    }

    /** Connection exception, admin shutdown, cannot connect now. */
    private static boolean isLoss(String state) {
        return state != null && (state.startsWith("08") || state.equals("57P01") || state.equals("57P03"));
    }

    private static void sleep(long ms) throws SQLException {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while waiting to reconnect", e);
        }
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
