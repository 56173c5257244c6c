package io.churn.sink;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * A PostgreSQL advisory lock on one sweep's export, held while it is open: applications that
 * finish one sweep at once export it one after the other, each from the ledger as it then is, so
 * the last export holds every run once. Released on close, or by the server when the holder dies.
 */
public final class ExportLock implements AutoCloseable {

    private final Connection connection;

    private ExportLock(Connection connection) {
        this.connection = connection;
    }

    /** Waits for and takes the lock on {@code name}'s export. */
    public static ExportLock acquire(DatabaseSettings settings, String name) {
        try {
            Connection c = settings.connect();
            try (PreparedStatement s = c.prepareStatement("select pg_advisory_lock(hashtextextended(?, 0))")) {
                s.setString(1, "churn export " + name);
                s.execute();
            } catch (SQLException e) {
                c.close();
                throw e;
            }
            return new ExportLock(c);
        } catch (SQLException e) {
            throw RetryingConnection.unavailable(settings, e);
        }
    }

    @Override
    public void close() throws SQLException {
        connection.close(); // ends the session, and with it the lock
    }
}
