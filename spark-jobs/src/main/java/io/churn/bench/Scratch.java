package io.churn.bench;

import io.churn.sink.EmbeddedDatabase;
import io.churn.sink.SchemaMigration;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** A temporary folder with a fresh embedded PostgreSQL, removed on close: benchmarks leave nothing behind. */
final class Scratch implements AutoCloseable {

    final Path dir;
    final EmbeddedDatabase db;

    Scratch(String name) throws IOException {
        dir = Files.createTempDirectory(name);
        db = EmbeddedDatabase.start(dir.resolve("postgres"));
        SchemaMigration.migrate(db.settings());
    }

    /** A folder inside the scratch folder as a URI, for the Hadoop stores. */
    String uri(String folder) {
        return dir.resolve(folder).toUri().toString();
    }

    @Override
    public void close() throws IOException {
        db.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
