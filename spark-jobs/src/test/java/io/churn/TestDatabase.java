package io.churn;

import io.churn.sink.DatabaseSettings;
import io.churn.sink.EmbeddedDatabase;
import io.churn.sink.SchemaMigration;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import org.flywaydb.core.Flyway;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * One embedded PostgreSQL for every database test in the JVM (surefire and failsafe each run one
 * JVM for all tests), started on first use and stopped when the JVM exits; each test class (or
 * test) gets a database of its own on it, created and migrated on the spot, so tests never see
 * each other's rows. Tests of the embedded server itself (restarts, joining a running server)
 * start their own with {@link EmbeddedDatabase}.
 */
public final class TestDatabase {

    private static final AtomicInteger CREATED = new AtomicInteger();
    private static EmbeddedDatabase server;

    private TestDatabase() {
    }

    /** Every row {@code sql} selects from {@code db}, each as its column values in order. */
    public static List<List<Object>> rows(DatabaseSettings db, String sql) throws SQLException {
        List<List<Object>> out = new ArrayList<>();
        try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                List<Object> row = new ArrayList<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) row.add(rs.getObject(i));
                out.add(row);
            }
        }
        return out;
    }

    /** A new, migrated database named after {@code test}, on the shared server. */
    public static DatabaseSettings create(Class<?> test) {
        DatabaseSettings db = createEmpty(test);
        SchemaMigration.migrate(db);
        return db;
    }

    /** A new database named after {@code test} with the schema as migration {@code version} left it. */
    public static DatabaseSettings createAt(Class<?> test, String version) {
        DatabaseSettings db = createEmpty(test);
        Flyway.configure(SchemaMigration.class.getClassLoader()).dataSource(db.url(), db.user(), db.password())
                .locations("classpath:db/migration").target(version).load().migrate();
        return db;
    }

    private static DatabaseSettings createEmpty(Class<?> test) {
        DatabaseSettings admin = server().settings();
        String name = test.getSimpleName().toLowerCase(Locale.ROOT) + "_" + CREATED.incrementAndGet();
        try (Connection c = admin.connect(); Statement s = c.createStatement()) {
            s.execute("create database " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database " + name + ": " + e.getMessage(), e);
        }
        return new DatabaseSettings(admin.url().replaceFirst("/postgres$", "/" + name), admin.user(),
                admin.password());
    }

    /**
     * The options that name {@code db} on the command line: its URL, user, and a file (mode 600)
     * with its password, as the server asks for one.
     */
    public static List<String> cliOptions(DatabaseSettings db) {
        try {
            Path file = Files.createTempFile("churn-test-password", "",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            file.toFile().deleteOnExit();
            Files.writeString(file, db.password() + "\n");
            return List.of("--jdbc-url", db.url(), "--jdbc-user", db.user(), "--jdbc-password-file", file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the test database's password file", e);
        }
    }

    private static synchronized EmbeddedDatabase server() {
        if (server == null) {
            try {
                Path folder = Files.createTempDirectory("churn-test-postgres");
                server = EmbeddedDatabase.start(folder.resolve("data"));
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    server.close();
                    delete(folder);
                }, "churn-test-postgres-stop"));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot make a folder for the test database", e);
            }
        }
        return server;
    }

    private static void delete(Path folder) {
        try (Stream<Path> files = Files.walk(folder)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary folder; the system cleans it up in time
        }
    }
}
