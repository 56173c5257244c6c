package io.churn.sink;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A PostgreSQL server started from binaries shipped in a Maven artifact, its data kept in a work
 * folder so that later commands see earlier sweeps. For laptops and tests; clusters name a server.
 * One churn process owns a data folder at a time ({@code DATA.owner} holds its pid); a server
 * left behind by a killed process is stopped before a new one starts.
 */
public final class EmbeddedDatabase implements AutoCloseable {

    private final EmbeddedPostgres postgres;
    private final Path owner;

    private EmbeddedDatabase(EmbeddedPostgres postgres, Path owner) {
        this.postgres = postgres;
        this.owner = owner;
    }

    /** Starts the server on {@code dataDirectory}, creating it on first use, on a free port. */
    public static EmbeddedDatabase start(Path dataDirectory) {
        return start(dataDirectory, 0);
    }

    /** As {@link #start(Path)} on a given port (0: any free one), so a restarted server keeps its address. */
    static EmbeddedDatabase start(Path dataDirectory, int port) {
        Path owner = ownerFile(dataDirectory);
        try {
            Files.createDirectories(dataDirectory);
            Optional<Long> holder = livePid(owner, 0);
            if (holder.isPresent() && holder.get() != ProcessHandle.current().pid()) {
                throw new DatabaseUnavailableException("the database in " + dataDirectory
                        + " is in use by churn process " + holder.get() + "; wait for it to finish, or give another"
                        + " --work-dir", null);
            }
            livePid(dataDirectory.resolve("postmaster.pid"), 0).ifPresent(EmbeddedDatabase::stopOrphan);
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDirectory)
                    .setCleanDataDirectory(false);
            if (port > 0) {
                builder.setPort(port);
            }
            EmbeddedPostgres pg = builder.start();
            Files.writeString(owner, Long.toString(ProcessHandle.current().pid()));
            return new EmbeddedDatabase(pg, owner);
        } catch (IOException e) {
            throw new DatabaseUnavailableException("cannot start the embedded PostgreSQL in " + dataDirectory + ": "
                    + e.getMessage(), e);
        }
    }

    /** The settings of a server another churn process is running on {@code dataDirectory}, if any. */
    public static Optional<DatabaseSettings> running(Path dataDirectory) {
        if (livePid(ownerFile(dataDirectory), 0).isEmpty()) {
            return Optional.empty();
        }
        return livePid(dataDirectory.resolve("postmaster.pid"), 0)
                .flatMap(pid -> line(dataDirectory.resolve("postmaster.pid"), 3))
                .map(port -> settings(Integer.parseInt(port.trim())));
    }

    public DatabaseSettings settings() {
        return settings(postgres.getPort());
    }

    private static DatabaseSettings settings(int port) {
        return new DatabaseSettings("jdbc:postgresql://localhost:" + port + "/postgres", "postgres", null);
    }

    private static Path ownerFile(Path dataDirectory) {
        return dataDirectory.resolveSibling(dataDirectory.getFileName() + ".owner");
    }

    /** The pid on line {@code index} of {@code file} when that process is alive. */
    private static Optional<Long> livePid(Path file, int index) {
        return line(file, index).flatMap(text -> {
            try {
                return Optional.of(Long.parseLong(text.trim()));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }).filter(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
    }

    private static Optional<String> line(Path file, int index) {
        try {
            List<String> lines = Files.readAllLines(file);
            return lines.size() > index ? Optional.of(lines.get(index)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** A server whose churn process was killed: ask it to shut down (SIGTERM) and wait. */
    private static void stopOrphan(long pid) {
        ProcessHandle.of(pid).ifPresent(p -> {
            p.destroy();
            Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
            while (p.isAlive() && Instant.now().isBefore(deadline)) {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        });
    }

    @Override
    public void close() {
        try {
            postgres.close();
            Files.deleteIfExists(owner);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stop the embedded PostgreSQL", e);
        }
    }
}
