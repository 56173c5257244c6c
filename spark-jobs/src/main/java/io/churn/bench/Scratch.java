package io.churn.bench;

import io.churn.sink.DatabaseSettings;
import io.churn.sink.EmbeddedDatabase;
import io.churn.sink.SchemaMigration;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A temporary folder and a fresh, migrated database, removed on close: benchmarks leave nothing
 * behind. The database is an embedded PostgreSQL in the folder, or a database of its own made on a
 * named server (whose user may create databases), so that a cluster's own server can be measured.
 */
final class Scratch implements AutoCloseable {

    /** A PostgreSQL JDBC URL: what comes before the database name, the name, and the parameters. */
    private static final Pattern URL = Pattern.compile("(jdbc:postgresql://[^/?]*)(?:/([^?]*))?(\\?.*)?");

    final Path dir;
    private final EmbeddedDatabase embedded;
    private final DatabaseSettings server;
    private final String database;
    private final DatabaseSettings settings;

    /** With a fresh embedded PostgreSQL. */
    Scratch(String name) throws IOException {
        this(name, null);
    }

    /** With a database of its own on {@code server}, or a fresh embedded PostgreSQL when it is null. */
    Scratch(String name, DatabaseSettings server) throws IOException {
        dir = Files.createTempDirectory(name);
        this.server = server;
        if (server == null) {
            embedded = EmbeddedDatabase.start(dir.resolve("postgres"));
            database = null;
            settings = embedded.settings();
        } else {
            embedded = null;
            database = "churn_bench_" + UUID.randomUUID().toString().replace("-", "");
            execute(server, "create database " + database);
            settings = new DatabaseSettings(withDatabase(server.url(), database), server.user(), server.password());
        }
        SchemaMigration.migrate(settings);
    }

    DatabaseSettings settings() {
        return settings;
    }

    /** {@code url} naming {@code database} instead of its own. */
    static String withDatabase(String url, String database) {
        Matcher m = URL.matcher(url);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a PostgreSQL JDBC URL: " + url);
        }
        return m.group(1) + "/" + database + (m.group(3) == null ? "" : m.group(3));
    }

    /** A folder inside the scratch folder as a URI, for the Hadoop stores. */
    String uri(String folder) {
        return dir.resolve(folder).toUri().toString();
    }

    /**
     * Writes the server's dirty pages to disk (a checkpoint), so that one step's writes are not
     * paid by the next; a server that does not let this user do it is measured as it is.
     */
    void checkpoint() {
        try {
            execute(settings, "checkpoint");
        } catch (IllegalStateException notAllowed) {
            // not a superuser (or pg_checkpoint): the step starts with what the last one left
        }
    }

    private static void execute(DatabaseSettings db, String sql) {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + " on " + db + ": " + db.redact(e.getMessage()), e);
        }
    }

    @Override
    public void close() throws IOException {
        if (embedded != null) {
            embedded.close();
        } else {
            execute(server, "drop database if exists " + database + " with (force)");
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
