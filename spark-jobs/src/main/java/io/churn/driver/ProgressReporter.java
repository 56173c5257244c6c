package io.churn.driver;

import io.churn.sink.DatabaseSettings;
import io.churn.sink.RunStore;
import io.churn.train.RunStatus;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Prints runs done / total, failures, diverged runs and an ETA while a sweep trains. It reads the database,
 * where each run lands the moment it finishes, so progress moves per run, not per Spark task.
 */
public final class ProgressReporter implements AutoCloseable {

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "churn-progress");
        t.setDaemon(true);
        return t;
    });
    private final RunStore store;
    private final String sweep;
    private final int total;
    private final Instant start;
    private final PrintStream out;
    private int lastDone = -1;

    ProgressReporter(DatabaseSettings db, String sweep, int total, Instant start, PrintStream out, Duration every) {
        this.store = RunStore.open(db);
        this.sweep = sweep;
        this.total = total;
        this.start = start;
        this.out = out;
        long ms = Math.max(1, every.toMillis());
        timer.scheduleAtFixedRate(this::report, ms, ms, TimeUnit.MILLISECONDS);
    }

    private synchronized void report() {
        try {
            Map<RunStatus, Integer> counts = store.queries().finishedSince(sweep, start);
            int failed = counts.get(RunStatus.FAILED);
            int diverged = counts.get(RunStatus.DIVERGED);
            int done = counts.get(RunStatus.COMPLETE) + diverged + failed;
            if (done == lastDone) {
                return;
            }
            lastDone = done;
            Duration elapsed = Duration.between(start, Instant.now());
            String eta = done == 0 ? "?" : format(elapsed.multipliedBy(total - done).dividedBy(done));
            out.printf("[%s] %d/%d runs done, %d failed%s, %s elapsed, ETA %s%n",
                    sweep, done, total, failed, diverged == 0 ? "" : ", " + diverged + " diverged", format(elapsed),
                    eta);
        } catch (Exception e) {
            out.println("[" + sweep + "] progress unavailable: " + e.getMessage());
        }
    }

    /** A duration as progress lines and summaries print it: 4m05s, or 2h07m past an hour. */
    public static String format(Duration d) {
        long s = d.toSeconds();
        return s >= 3600 ? String.format("%dh%02dm", s / 3600, s % 3600 / 60) : String.format("%dm%02ds", s / 60, s % 60);
    }

    @Override
    public void close() throws Exception {
        timer.shutdownNow();
        timer.awaitTermination(10, TimeUnit.SECONDS);
        store.close();
    }
}
