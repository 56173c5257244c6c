package io.churn.cli;

import io.churn.sink.DatabaseSettings;
import io.churn.sink.EmbeddedDatabase;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Where results are stored: a named PostgreSQL server, or an embedded one under the work folder. */
final class DatabaseOptions {

    @Option(names = "--work-dir", paramLabel = "DIR", defaultValue = "churn-work",
            description = "Local folder for the embedded database and default results (default: ${DEFAULT-VALUE}).")
    Path workDir;

    @Mixin
    ServerOptions server;

    /** An open database: the settings to reach it, and the embedded server to stop after, if any. */
    record Open(DatabaseSettings settings, EmbeddedDatabase embedded) implements AutoCloseable {
        @Override
        public void close() {
            if (embedded != null) embedded.close();
        }
    }

    boolean embedded() {
        return server.url == null;
    }

    Path embeddedDataDirectory() {
        return workDir.resolve("postgres");
    }

    /** The named server, or the embedded one started for this command (which then owns it). */
    Open open(PrintWriter out) {
        server.validate(out);
        if (!embedded()) {
            return new Open(server.settings(), null);
        }
        out.printf("starting embedded PostgreSQL in %s%n", embeddedDataDirectory());
        out.flush();
        EmbeddedDatabase db = EmbeddedDatabase.start(embeddedDataDirectory());
        return new Open(db.settings(), db);
    }

    /** Like {@link #open}, but joins an embedded server another churn process is running (for read-only commands). */
    Open openShared(PrintWriter out) {
        server.validate(out);
        if (embedded()) {
            Optional<DatabaseSettings> running = EmbeddedDatabase.running(embeddedDataDirectory());
            if (running.isPresent()) {
                return new Open(running.get(), null);
            }
            if (!Files.isDirectory(embeddedDataDirectory())) {
                throw new IllegalArgumentException("no churn database in " + workDir
                        + ": run a sweep first, or give --work-dir or --jdbc-url");
            }
        }
        return open(out);
    }
}
