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
        IllegalArgumentException problem = new IllegalArgumentException("'" + value + "' is not allowed; use "
                + ALLOWED);
        if (value == null || value.isBlank()) {
            throw problem;
        }
        try {
            if (value.startsWith("http://") || value.startsWith("https://")) {
                if (new URI(value).getHost() == null) {
                    throw problem;
                }
                return new LiveView(value.replaceAll("/+$", ""));
            }
            if (value.startsWith("file:")) {
                return new LiveView(Path.of(new URI(value)).toAbsolutePath().toString());
            }
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw problem;
        }
        if (value.matches("[A-Za-z][A-Za-z0-9+.-]+://.*")) {
            // executors write the files on their own disks: other file systems are not supported
            throw problem;
        }
        try {
            return new LiveView(Path.of(value).toAbsolutePath().toString());
        } catch (IllegalArgumentException e) { // InvalidPathException
            throw problem;
        }
    }
}
