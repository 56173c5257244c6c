package io.churn.sink;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;

/**
 * The one reconnect policy of the results database, for runs and PBT alike: a call that meets a
 * lost connection (SQLSTATE class 08, an admin shutdown, a server not yet accepting connections, or
 * a closed connection) reconnects with exponential backoff and is repeated, for up to a minute,
 * then fails. Every call must be safe to repeat: a read, an upsert keyed by id, or a whole
 * transaction. Calls from several threads share at most a fixed number of connections, each call
 * on one of them for its whole length (so a transaction stays on one session); a call waits while
 * all are in use. With one connection, every call runs on the same session while it lives.
 */
final class RetryingConnection implements AutoCloseable {

    private static final Duration RETRY_FOR = Duration.ofSeconds(60);

    /** Work on the live connection; it may run more than once. */
    @FunctionalInterface
    interface SqlCall<T> {
        T call(Connection connection) throws SQLException;
    }

    private final DatabaseSettings settings;
    /** Open connections no call is using; more are opened on demand while fewer than the limit exist. */
    private final BlockingQueue<Connection> idle = new LinkedBlockingQueue<>();
    /** One permit per connection a call may hold. */
    private final Semaphore permits;

    private RetryingConnection(DatabaseSettings settings, int connections, Connection first) {
        this.settings = settings;
        this.permits = new Semaphore(connections, true);
        idle.add(first);
    }

    /** Connects, failing at once with a message that names the server (never the password). */
    static RetryingConnection open(DatabaseSettings settings) {
        return open(settings, 1);
    }

    /**
     * Connects (failing at once as {@link #open(DatabaseSettings)} does), for calls from any number of
     * threads on at most {@code connections} connections, the others opened when first needed.
     */
    static RetryingConnection open(DatabaseSettings settings, int connections) {
        if (connections < 1) {
            throw new IllegalArgumentException("connections: " + connections + "; at least 1");
        }
        try {
            return new RetryingConnection(settings, connections, settings.connect());
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
                return new RetryingConnection(settings, 1, settings.connect());
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

    /**
     * Runs {@code call} on a connection of its own while it runs (waiting for one if all are in use),
     * reconnecting and repeating it while the connection is lost.
     */
    <T> T call(SqlCall<T> call) throws SQLException {
        // as a JDBC call itself, not cut short by an interrupt: a killed task still gives its run back
        permits.acquireUninterruptibly();
        Connection connection = idle.poll();
        try {
            Instant deadline = Instant.now().plus(RETRY_FOR);
            long pauseMs = 250;
            while (true) {
                try {
                    if (connection == null) connection = settings.connect();
                    return call.call(connection);
                } catch (SQLException e) {
                    if (!isConnectionLoss(e, connection) || Instant.now().isAfter(deadline)) {
                        throw e;
                    }
                    sleep(pauseMs);
                    pauseMs = Math.min(pauseMs * 2, 8000);
                    closeQuietly(connection);
                    connection = null; // the next attempt connects again
                }
            }
        } finally {
            if (connection != null && !isClosed(connection)) idle.add(connection);
            permits.release();
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

    private static boolean isConnectionLoss(SQLException e, Connection connection) {
        return isLoss(e.getSQLState()) || connection == null || isClosed(connection);
    }

    private static boolean isClosed(Connection connection) {
        try {
            return connection.isClosed();
        } catch (SQLException unknown) {
            return true;
        }
    }

    private static void closeQuietly(Connection connection) {
        if (connection == null) return;
        try {
            connection.close();
        } catch (SQLException ignored) {
            // the old connection is gone either way
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

    /** Closes the connections no call is using; a call still running closes its own when it ends. */
    @Override
    public void close() throws SQLException {
        SQLException first = null;
        for (Connection c; (c = idle.poll()) != null; ) {
            try {
                c.close();
            } catch (SQLException e) {
                if (first == null) first = e;
            }
        }
        if (first != null) throw first;
    }
}
