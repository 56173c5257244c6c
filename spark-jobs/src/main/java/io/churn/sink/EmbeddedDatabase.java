package io.churn.sink;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * A PostgreSQL server started from binaries shipped in a Maven artifact, its data kept in a work
 * folder so that later commands see earlier sweeps. For laptops and tests; clusters name a server.
 *
 * <p>Locked down as a shared machine needs it: every connection authenticates with a password
 * (SCRAM) generated on first use and kept in {@code DATA.secret}, readable by its owner only; the
 * server listens on loopback only, its Unix socket lives in a private folder (mode 700), and
 * {@code fsync} is on, so the system of record survives a crash.
 *
 * <p>One churn process owns a data folder at a time: it takes an exclusive lock on
 * {@code DATA.owner} (and writes its pid there) before the server starts, and holds it until the
 * server stops; the operating system releases it when the process dies. Only a process holding
 * that lock treats a live server on the folder as an orphan of a killed process and stops it, so a
 * second command never stops the server of a first that is still starting.
 */
public final class EmbeddedDatabase implements AutoCloseable {

    private static final String SUPERUSER = "postgres";
    private static final Set<PosixFilePermission> OWNER_ONLY_FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_ONLY_FOLDER = PosixFilePermissions.fromString("rwx------");
    /** Every connection, over the socket or loopback TCP, shows the password. */
    private static final String PASSWORD_RULES = """
            local all all scram-sha-256
            host all all 127.0.0.1/32 scram-sha-256
            host all all ::1/128 scram-sha-256
            """;

    private final EmbeddedPostgres postgres;
    private final Ownership ownership;
    private final Path socketFolder;
    private final String password;

    private EmbeddedDatabase(EmbeddedPostgres postgres, Ownership ownership, Path socketFolder, String password) {
        this.postgres = postgres;
        this.ownership = ownership;
        this.socketFolder = socketFolder;
        this.password = password;
    }

    /** Starts the server on {@code dataDirectory}, creating it on first use, on a free port. */
    public static EmbeddedDatabase start(Path dataDirectory) {
        return start(dataDirectory, 0);
    }

    /** As {@link #start(Path)} on a given port (0: any free one), so a restarted server keeps its address. */
    static EmbeddedDatabase start(Path dataDirectory, int port) {
        Ownership ownership = null;
        Path sockets = null;
        try {
            Files.createDirectories(dataDirectory.toAbsolutePath().getParent());
            ownership = Ownership.claim(ownerFile(dataDirectory)).orElseThrow(() -> inUse(dataDirectory));
            livePid(dataDirectory.resolve("postmaster.pid"), 0).filter(EmbeddedDatabase::isPostgres)
                    .ifPresent(EmbeddedDatabase::stopOrphan);
            boolean created = !Files.exists(dataDirectory.resolve("postgresql.conf"));
            Path secretFile = secretFile(dataDirectory);
            // a folder made before passwords were kept has a superuser without one: it gets one now
            boolean givePassword = !created && !Files.exists(secretFile);
            String password = created || givePassword ? newSecret(secretFile) : Files.readString(secretFile).strip();
            sockets = Files.createTempDirectory("churn-pg-",
                    PosixFilePermissions.asFileAttribute(OWNER_ONLY_FOLDER));
            String rules = givePassword ? "host all " + SUPERUSER + " 127.0.0.1/32 trust\nhost all " + SUPERUSER
                    + " ::1/128 trust\n" : PASSWORD_RULES;
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDirectory)
                    .setCleanDataDirectory(false)
                    .setLocaleConfig("pwfile", secretFile.toAbsolutePath().toString())
                    .setServerConfig("listen_addresses", "localhost")
                    .setServerConfig("unix_socket_directories", sockets.toString())
                    .setServerConfig("unix_socket_permissions", "0700")
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("full_page_writes", "on")
                    .setServerConfig("password_encryption", "scram-sha-256")
                    .setConnectConfig("password", password)
                    .setDataDirectoryCustomizer(data -> writeRules(data.toPath(), rules));
            if (port > 0) {
                builder.setPort(port);
            }
            EmbeddedPostgres pg = builder.start();
            EmbeddedDatabase db = new EmbeddedDatabase(pg, ownership, sockets, password);
            if (givePassword) {
                db.lockWithPassword(dataDirectory);
            }
            return db;
        } catch (IOException | SQLException | RuntimeException e) {
            if (ownership != null) ownership.release();
            deleteFolder(sockets);
            if (e instanceof DatabaseUnavailableException unavailable) throw unavailable;
            throw new DatabaseUnavailableException("cannot start the embedded PostgreSQL in " + dataDirectory + ": "
                    + e.getMessage(), e);
        }
    }

    /** The settings of a server another churn process is running on {@code dataDirectory}, if any. */
    public static Optional<DatabaseSettings> running(Path dataDirectory) {
        if (!Ownership.held(ownerFile(dataDirectory))) {
            return Optional.empty();
        }
        Optional<Integer> port = livePid(dataDirectory.resolve("postmaster.pid"), 0)
                .flatMap(pid -> line(dataDirectory.resolve("postmaster.pid"), 3))
                .map(text -> Integer.parseInt(text.trim()));
        if (port.isEmpty()) {
            throw inUse(dataDirectory); // claimed, but its server is still starting
        }
        try {
            return Optional.of(settings(port.get(), Files.readString(secretFile(dataDirectory)).strip()));
        } catch (IOException e) {
            throw new DatabaseUnavailableException("cannot read the embedded database's password "
                    + secretFile(dataDirectory) + ": " + e.getMessage(), e);
        }
    }

    public DatabaseSettings settings() {
        return settings(postgres.getPort(), password);
    }

    private static DatabaseSettings settings(int port, String password) {
        return new DatabaseSettings("jdbc:postgresql://localhost:" + port + "/postgres", SUPERUSER, password);
    }

    private static DatabaseUnavailableException inUse(Path dataDirectory) {
        String holder = line(ownerFile(dataDirectory), 0).map(pid -> " by churn process " + pid.strip()).orElse("");
        return new DatabaseUnavailableException("the database in " + dataDirectory + " is in use" + holder
                + "; wait for it to finish, or give another --work-dir", null);
    }

    private static Path ownerFile(Path dataDirectory) {
        return dataDirectory.resolveSibling(dataDirectory.getFileName() + ".owner");
    }

    /** The superuser's password, beside the data folder (never inside it: a copy of the data is not a key). */
    static Path secretFile(Path dataDirectory) {
        return dataDirectory.resolveSibling(dataDirectory.getFileName() + ".secret");
    }

    /** Writes a new random password to {@code file}, created readable by its owner only. */
    private static String newSecret(Path file) throws IOException {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY_FILE));
        Files.writeString(file, secret + "\n");
        return secret;
    }

    private static void writeRules(Path dataDirectory, String rules) {
        try {
            Files.writeString(dataDirectory.resolve("pg_hba.conf"), rules);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dataDirectory.resolve("pg_hba.conf"), e);
        }
    }

    /**
     * A folder from before passwords: it started trusting only its superuser on loopback for as
     * long as this takes; the superuser gets the new password and the server then asks for it.
     */
    private void lockWithPassword(Path dataDirectory) throws SQLException {
        try (Connection c = settings().connect(); Statement s = c.createStatement()) {
            s.execute("alter user " + SUPERUSER + " password '" + password + "'"); // base64url: nothing to escape
            writeRules(dataDirectory, PASSWORD_RULES);
            s.execute("select pg_reload_conf()");
        }
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

    /** A recycled pid in a stale postmaster.pid may be anyone's process: only a postgres one is stopped. */
    private static boolean isPostgres(long pid) {
        return ProcessHandle.of(pid).flatMap(p -> p.info().command())
                .map(command -> Path.of(command).getFileName().toString().startsWith("postgres"))
                .orElse(false);
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

    private static void deleteFolder(Path folder) {
        if (folder == null) return;
        try (Stream<Path> files = Files.walk(folder)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary folder; the system cleans it up in time
        }
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stop the embedded PostgreSQL", e);
        } finally {
            ownership.release();
            deleteFolder(socketFolder);
        }
    }

    /**
     * The exclusive lock on a data folder's owner file. The file is never deleted: a process
     * waiting on it would then lock a file nobody else sees.
     */
    private record Ownership(Path file, FileChannel channel, FileLock lock) {

        /**
         * The owner files this JVM holds. Asked again, the JVM answers from here and never opens a
         * second channel on them: closing any channel on a file drops every lock the process holds on it.
         */
        private static final Set<Path> HELD_HERE = ConcurrentHashMap.newKeySet();

        /** The lock, with this process's pid written under it; empty when another process (or this one) holds it. */
        static Optional<Ownership> claim(Path file) throws IOException {
            Path key = file.toAbsolutePath().normalize();
            if (!HELD_HERE.add(key)) {
                return Optional.empty();
            }
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (IOException | RuntimeException e) {
                channel.close();
                HELD_HERE.remove(key);
                throw e;
            }
            if (lock == null) {
                channel.close();
                HELD_HERE.remove(key);
                return Optional.empty();
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8)));
            channel.force(true);
            return Optional.of(new Ownership(key, channel, lock));
        }

        /** Whether some process holds the lock on {@code file} now. */
        static boolean held(Path file) {
            if (HELD_HERE.contains(file.toAbsolutePath().normalize())) return true;
            if (!Files.exists(file)) return false;
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                FileLock lock = channel.tryLock();
                if (lock == null) return true;
                lock.release();
                return false;
            } catch (IOException | OverlappingFileLockException e) {
                return false;
            }
        }

        void release() {
            try {
                channel.truncate(0);
                lock.release();
                channel.close();
            } catch (IOException e) {
                // closing the channel (or the process ending) releases the lock regardless
            } finally {
                HELD_HERE.remove(file);
            }
        }
    }
}
