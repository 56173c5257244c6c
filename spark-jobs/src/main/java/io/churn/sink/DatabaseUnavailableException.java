package io.churn.sink;

/** The results database cannot be reached; raised before any work starts. */
public final class DatabaseUnavailableException extends RuntimeException {
    public DatabaseUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
