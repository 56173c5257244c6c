package io.churn.train;

import java.util.Arrays;
import java.util.Locale;

/**
 * A run's place in its lifecycle, the whole of it: {@code queued} when its sweep is submitted,
 * {@code running} while a task trains it, then {@code complete}, {@code diverged} or {@code failed}.
 * A diverged run is a result like a complete one: its loss went non-finite, its histories end with
 * that epoch, and training it again would diverge the same way. A failed run is a result too: it
 * carries its error. The lower-case names are the words SQL and Parquet store.
 */
public enum RunStatus {
    QUEUED, RUNNING, COMPLETE, DIVERGED, FAILED;

    /** Whether a run in this state has a result (complete, diverged or failed). */
    public boolean isFinished() {
        return switch (this) {
            case QUEUED, RUNNING -> false;
            case COMPLETE, DIVERGED, FAILED -> true;
        };
    }

    /** The state's word in SQL, Parquet and the command line: queued, running, complete, diverged, failed. */
    public String specName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The state a stored word names. */
    public static RunStatus fromSpecName(String word) {
        return Arrays.stream(values()).filter(s -> s.specName().equals(word)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("not a run status: " + word));
    }
}
