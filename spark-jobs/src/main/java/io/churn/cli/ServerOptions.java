package io.churn.cli;

import io.churn.sink.DatabaseSettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import picocli.CommandLine.Option;

/** A named PostgreSQL server: its URL, user and where its password is. */
final class ServerOptions {

    @Option(names = "--jdbc-url", paramLabel = "URL",
            description = "PostgreSQL server, e.g. jdbc:postgresql://db:5432/churn. Without it, a local master"
                    + " uses an embedded PostgreSQL.")
    String url;

    @Option(names = "--jdbc-user", paramLabel = "USER", defaultValue = "churn",
            description = "Database user (default: ${DEFAULT-VALUE}).")
    String user;

    @Option(names = "--jdbc-password-env", paramLabel = "VAR", defaultValue = "CHURN_JDBC_PASSWORD",
            description = "Environment variable holding the password (default: ${DEFAULT-VALUE}).")
    String passwordEnv;

    @Option(names = "--jdbc-password-file", paramLabel = "FILE",
            description = "File holding the password; wins over --jdbc-password-env.")
    Path passwordFile;

    /**
     * Refuses what cannot name a server, before anything starts: a URL that is not PostgreSQL's, a
     * password file that cannot be read (never quoting it). A password file others may read draws a warning.
     */
    void validate(PrintWriter out) {
        if (url != null && !url.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("--jdbc-url: not a PostgreSQL JDBC URL; use jdbc:postgresql://HOST:PORT/DB");
        }
        if (passwordFile == null) {
            return;
        }
        if (!Files.isRegularFile(passwordFile) || !Files.isReadable(passwordFile)) {
            throw new IllegalArgumentException("--jdbc-password-file " + passwordFile + ": no such readable file");
        }
        try {
            Set<PosixFilePermission> mode = Files.getPosixFilePermissions(passwordFile);
            if (mode.contains(PosixFilePermission.OTHERS_READ) || mode.contains(PosixFilePermission.GROUP_READ)) {
                out.printf("churn: warning: --jdbc-password-file %s can be read by other users (mode %s);"
                        + " chmod 600 it%n", passwordFile, PosixFilePermissions.toString(mode));
                out.flush();
            }
        } catch (IOException | UnsupportedOperationException e) {
            // no POSIX modes here: nothing to warn about
        }
    }

    /** The named server's settings; the password is read here and never printed. */
    DatabaseSettings settings() {
        String password = System.getenv(passwordEnv);
        if (passwordFile != null) {
            try {
                password = Files.readString(passwordFile).strip();
            } catch (IOException e) {
                throw new IllegalArgumentException("--jdbc-password-file " + passwordFile + ": cannot read it ("
                        + e.getClass().getSimpleName() + ")");
            }
        }
        return new DatabaseSettings(url, user, password);
    }
}
