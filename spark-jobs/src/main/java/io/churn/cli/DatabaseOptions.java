package io.churn.cli;

import io.churn.sink.DatabaseSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where results are stored: a named PostgreSQL server, or an embedded one under the work folder. */
final class DatabaseOptions {

    @Option(names = "--jdbc-url", paramLabel = "URL",
            description = "PostgreSQL to store results in, e.g. jdbc:postgresql://db:5432/churn."
                    + " Without it, a local master uses an embedded PostgreSQL under --work-dir.")
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

    /** The named server's settings; the password is read here and never printed. */
    DatabaseSettings server() {
        String password = System.getenv(passwordEnv);
        if (passwordFile != null) {
            try {
                password = Files.readString(passwordFile).strip();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read --jdbc-password-file " + passwordFile, e);
            }
        }
        return new DatabaseSettings(url, user, password);
    }
}
