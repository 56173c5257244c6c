package io.churn.spec;

import java.io.Serializable;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;

/**
 * Where the live training view goes: a local directory that gets one DL4J stats file per run, or
 * the address of a running {@code churn ui} to stream to. Like the engine, it is not part of a
 * run's identity.
 */
public record LiveView(String target) implements Serializable {

    /** What {@code live_view} and {@code --live-view} accept, for messages. */
    public static final String ALLOWED = "a local directory (path or file: URI) for stats files, or http://HOST:PORT"
            + " of a running churn ui";

    /** True when stats stream to a UI server; false when they go to files. */
    public boolean streams() {
        return target.startsWith("http://") || target.startsWith("https://");
    }

    /** The directory of the stats files; only when not streaming. */
    public Path directory() {
        return Path.of(target);
    }

    /**
     * Reads a {@code live_view} value; a relative directory is made absolute here, where the command
     * runs. Throws {@link IllegalArgumentException} saying what is allowed.
     */
    public static LiveView parse(String value) {
        String problem = "'" + value + "' is not allowed; use " + ALLOWED;
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(problem);
        }
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            uri = null; // a plain path with characters a URI does not take
        }
        String scheme = uri == null || uri.getScheme() == null || uri.getScheme().length() == 1 ? null
                : uri.getScheme();
        if ("http".equals(scheme) || "https".equals(scheme)) {
            if (uri.getHost() == null) {
                throw new IllegalArgumentException(problem);
            }
            return new LiveView(value.replaceAll("/+$", ""));
        }
        try {
            if ("file".equals(scheme)) {
                return new LiveView(Path.of(uri).toAbsolutePath().toString());
            }
            if (scheme == null) {
                return new LiveView(Path.of(value).toAbsolutePath().toString());
            }
        } catch (IllegalArgumentException e) { // also InvalidPathException
            throw new IllegalArgumentException(problem);
        }
        // executors write the files on their own disks: other file systems are not supported
        throw new IllegalArgumentException(problem);
    }
}
