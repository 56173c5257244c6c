package io.churn.sink;

import java.net.URI;
import java.nio.file.Path;

/** Stops an embedded PostgreSQL and starts it again on the same data and port, as an operator's restart. */
public final class DatabaseRestart {

    private DatabaseRestart() {
    }

    /** The server after the restart. */
    public static EmbeddedDatabase restart(EmbeddedDatabase running, Path data) {
        int port = URI.create(running.settings().url().substring("jdbc:".length())).getPort();
        running.close();
        return EmbeddedDatabase.start(data, port);
    }
}
