package io.churn.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded server as another local user meets it, and two commands starting it at once. */
class EmbeddedDatabaseTest {

    @Test
    void a_connection_needs_the_owners_password_over_a_private_socket_on_loopback(@TempDir Path work)
            throws Exception {
        Path data = work.resolve("postgres");
        try (EmbeddedDatabase db = EmbeddedDatabase.start(data)) {
            DatabaseSettings settings = db.settings();
            Path secret = EmbeddedDatabase.secretFile(data);
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(secret)));
            assertEquals(settings.password(), Files.readString(secret).strip());

            // another user knows the port and the superuser's name, not the password
            Properties noPassword = new Properties();
            noPassword.setProperty("user", "postgres");
            SQLException refused = assertThrows(SQLException.class,
                    () -> DriverManager.getConnection(settings.url(), noPassword).close());
            assertTrue(refused.getMessage().contains("password"), refused.getMessage());
            Properties wrong = new Properties();
            wrong.setProperty("user", "postgres");
            wrong.setProperty("password", "guess");
            assertThrows(SQLException.class, () -> DriverManager.getConnection(settings.url(), wrong).close());

            try (Connection c = settings.connect(); Statement s = c.createStatement()) {
                List<String> rules = new ArrayList<>();
                try (ResultSet rs = s.executeQuery("select type, auth_method from pg_hba_file_rules")) {
                    while (rs.next()) rules.add(rs.getString(1) + " " + rs.getString(2));
                }
                assertEquals(List.of("local scram-sha-256", "host scram-sha-256", "host scram-sha-256"), rules);
                assertEquals("on", show(s, "fsync"));
                assertEquals("on", show(s, "synchronous_commit"));
                assertEquals("localhost", show(s, "listen_addresses"));
                assertEquals("0700", show(s, "unix_socket_permissions"));
                Path sockets = Path.of(show(s, "unix_socket_directories"));
                assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(sockets)));
            }
        }
        // started again, it asks for the same password
        try (EmbeddedDatabase again = EmbeddedDatabase.start(data);
             Connection c = again.settings().connect()) {
            assertTrue(c.isValid(5));
        }
    }

    @Test
    void a_folder_from_before_passwords_gets_one(@TempDir Path work) throws Exception {
        Path data = work.resolve("postgres");
        EmbeddedDatabase.start(data).close();
        Files.delete(EmbeddedDatabase.secretFile(data)); // as a folder made before the superuser had a password
        try (EmbeddedDatabase db = EmbeddedDatabase.start(data); Connection c = db.settings().connect();
             Statement s = c.createStatement()) {
            assertTrue(Files.exists(EmbeddedDatabase.secretFile(data)));
            try (ResultSet rs = s.executeQuery("select count(*) from pg_hba_file_rules where auth_method <> 'scram-sha-256'")) {
                rs.next();
                assertEquals(0, rs.getInt(1));
            }
            Properties noPassword = new Properties();
            noPassword.setProperty("user", "postgres");
            assertThrows(SQLException.class, () -> DriverManager.getConnection(db.settings().url(), noPassword).close());
        }
    }

    @Test
    void of_two_commands_starting_at_once_one_runs_the_server_and_the_other_is_refused(@TempDir Path work)
            throws Exception {
        Path data = work.resolve("postgres");
        ExecutorService pool = Executors.newFixedThreadPool(2);
        CountDownLatch go = new CountDownLatch(1);
        Callable<EmbeddedDatabase> start = () -> {
            go.await();
            return EmbeddedDatabase.start(data);
        };
        List<Future<EmbeddedDatabase>> both = List.of(pool.submit(start), pool.submit(start));
        go.countDown();
        List<EmbeddedDatabase> started = new ArrayList<>();
        List<String> refusals = new ArrayList<>();
        for (Future<EmbeddedDatabase> f : both) {
            try {
                started.add(f.get(120, TimeUnit.SECONDS));
            } catch (java.util.concurrent.ExecutionException e) {
                refusals.add(e.getCause().getMessage());
            }
        }
        pool.shutdown();
        try {
            assertEquals(1, started.size(), "refusals: " + refusals);
            assertTrue(refusals.get(0).contains("is in use"), refusals.get(0));
            try (Connection c = started.get(0).settings().connect()) {
                assertTrue(c.isValid(5), "the winner's server was left running");
            }
        } finally {
            started.forEach(EmbeddedDatabase::close);
        }
    }

    @Test
    void a_folder_claimed_by_another_process_is_refused_and_its_server_left_alone(@TempDir Path work)
            throws Exception {
        Path data = Files.createDirectories(work.resolve("postgres"));
        Path owner = work.resolve("postgres.owner");
        // another churn process: it holds the owner lock, and its server (here: itself) has just started
        Path holder = Files.writeString(work.resolve("Hold.java"), """
                import java.nio.channels.FileChannel;
                import java.nio.file.*;
                public class Hold {
                    public static void main(String[] a) throws Exception {
                        FileChannel c = FileChannel.open(Path.of(a[0]), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                        c.lock();
                        System.out.println("locked");
                        Thread.sleep(120_000);
                    }
                }
                """);
        String java = ProcessHandle.current().info().command().orElse("java");
        Process other = new ProcessBuilder(java, holder.toString(), owner.toString()).redirectErrorStream(true).start();
        try {
            String line = new java.io.BufferedReader(new java.io.InputStreamReader(other.getInputStream())).readLine();
            assertEquals("locked", line);
            Files.writeString(data.resolve("postmaster.pid"), other.pid() + "\n" + data + "\n0\n5432\n");
            DatabaseUnavailableException refused = assertThrows(DatabaseUnavailableException.class,
                    () -> EmbeddedDatabase.start(data).close());
            assertTrue(refused.getMessage().contains("is in use"), refused.getMessage());
            assertTrue(other.isAlive(), "the other process's server was not stopped as an orphan");
        } finally {
            other.destroyForcibly().waitFor();
        }
        Files.delete(data.resolve("postmaster.pid"));
        // once that process is gone, its claim goes with it
        try (EmbeddedDatabase db = EmbeddedDatabase.start(data); Connection c = db.settings().connect()) {
            assertTrue(c.isValid(5));
        }
    }

    private static String show(Statement s, String setting) throws SQLException {
        try (ResultSet rs = s.executeQuery("show " + setting)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
