package io.churn.sink;

import java.sql.Connection;
import java.sql.SQLException;
import org.flywaydb.core.Flyway;

/**
 * Creates or upgrades the whole schema, the run tables and PBT's, with the Flyway migrations in
 * {@code db/migration}. Every command calls it before it reads or writes.
 */
public final class SchemaMigration {

    private SchemaMigration() {
    }

    public static void migrate(DatabaseSettings settings) {
        // reachability first, so an unreachable server gets our message rather than Flyway's
        try (Connection probe = settings.connect()) {
            // reachable
        } catch (SQLException e) {
            throw RetryingConnection.unavailable(settings, e);
        }
        Flyway.configure(SchemaMigration.class.getClassLoader())
                .dataSource(settings.url(), settings.user(), settings.password())
                .locations("classpath:db/migration")
                .load()
                .migrate();
    }
}
