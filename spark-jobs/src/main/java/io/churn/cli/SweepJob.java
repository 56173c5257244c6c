package io.churn.cli;

import io.churn.driver.Cooperation;
import io.churn.driver.ProgressReporter;
import io.churn.driver.RunOutcome;
import io.churn.driver.SweepDriver;
import io.churn.driver.SweepPlan;
import io.churn.hadoop.HadoopCheckpointStore;
import io.churn.hadoop.HadoopFiles;
import io.churn.sink.DatabaseSettings;
import io.churn.sink.SchemaMigration;
import io.churn.sink.ResultDataset;
import io.churn.settings.CheckpointSettings;
import io.churn.settings.DataParallel;
import io.churn.settings.SweepSettings;
import io.churn.spec.LiveView;
import io.churn.train.Engine;
import io.churn.train.RunStatus;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Set;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * What {@code sweep} and {@code resubmit} share: the database, which runs to train, how they run
 * (overriding the spec), where results go, and running the Spark job.
 */
final class SweepJob {

    @Mixin
    DatabaseOptions database;

    /** The environment variable naming the checkpoint folder when neither the options nor the spec do. */
    static final String CHECKPOINT_DIR_VARIABLE = "CHURN_CHECKPOINT_DIR";

    @Option(names = "--results", paramLabel = "URI",
            description = "Parquet results, any Hadoop URI (hdfs://, s3a://, file:) (default: WORK-DIR/results).")
    String results;

    @Option(names = "--partitions", paramLabel = "N", defaultValue = "0",
            description = "Spark partitions of equal estimated cost for the runs (default: partitions shrinking"
                    + " from the costliest runs to the cheapest, about 2 x slots x ln(runs), so no slot waits idle at"
                    + " the end).")
    int partitions;

    @Option(names = "--progress-seconds", paramLabel = "S", defaultValue = "10",
            description = "Seconds between progress lines (default: ${DEFAULT-VALUE}).")
    int progressSeconds;

    @Option(names = "--engine", paramLabel = "E", converter = EngineConverter.class,
            description = "Train on this engine instead of the spec's: auto, fused or dl4j (default: the spec's"
                    + " engine, auto unless it says).")
    Engine engine;

    @Option(names = "--data-parallel", paramLabel = "V", converter = DataParallelConverter.class,
            description = "Which runs to train data-parallel, each across all executors, instead of the spec's"
                    + " data_parallel: never, always, or the least estimated cost (parameters x training rows x"
                    + " epochs) of such a run (default: the spec's, never unless it says).")
    DataParallel dataParallel;

    @Option(names = "--checkpoint-dir", paramLabel = "URI", description = "Folder for checkpoints, any Hadoop URI,"
            + " instead of the spec's checkpoint_dir (default: variable " + CHECKPOINT_DIR_VARIABLE
            + ", else WORK-DIR/checkpoints).")
    String checkpointDir;

    @Option(names = "--keep-checkpoints", description = "Keep the checkpoints of complete runs (as keep_checkpoints).")
    boolean keepCheckpoints;

    @Option(names = "--live-view", paramLabel = "DIR|URL", converter = LiveViewConverter.class,
            description = "Show every run's epochs in DL4J's training UI: write a stats file per run under this local"
                    + " directory, or stream them to a running churn ui at http://HOST:PORT (default: the spec's"
                    + " live_view, off unless it says).")
    LiveView liveView;

    @Option(names = "--only-failed", description = "Train only runs whose last attempt failed.")
    boolean onlyFailed;

    @Option(names = "--retry-diverged", description = "Also train again runs that diverged (their loss went"
            + " non-finite); a diverged run is a result and is not retried otherwise.")
    boolean retryDiverged;

    @Option(names = "--include-running", description = "Also train runs left 'running' by an application that died"
            + " (always so with the embedded database, which no other application can be using).")
    boolean includeRunning;

    @Option(names = "--time-limit", paramLabel = "DURATION", converter = TimeLimit.Converter.class,
            description = "Stop claiming runs that cannot end before this much time from the command's start (estimated from the"
                    + " sweep's measured throughput and each run's cost), give back the rest, export and exit 0, e.g."
                    + " 90m, 2h, 1h30m, 2:00:00 (default: inside a Slurm job, the job's end time; else none).")
    Duration timeLimit;

    @Option(names = "--lease-seconds", paramLabel = "S", defaultValue = "60",
            description = "How long a claimed run stays this application's without a heartbeat (renewed every quarter"
                    + " of it); a dead application's runs return to the queue this long after it died"
                    + " (default: ${DEFAULT-VALUE}).")
    int leaseSeconds;

    @Option(names = "--max-attempts", paramLabel = "N", defaultValue = "3",
            description = "Attempts after which a run whose workers keep dying (its lease lapses) is failed"
                    + " (default: ${DEFAULT-VALUE}).")
    int maxAttempts;

    /** Reads an option as the spec reads the same key, refusing a bad value with the spec's message. */
    abstract static class SpecValueConverter<T> implements ITypeConverter<T> {
        abstract T parse(String value);

        @Override
        public T convert(String value) {
            try {
                return parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    static final class EngineConverter extends SpecValueConverter<Engine> {
        @Override
        Engine parse(String value) {
            return Engine.fromSpecName(value);
        }
    }

    static final class DataParallelConverter extends SpecValueConverter<DataParallel> {
        @Override
        DataParallel parse(String value) {
            return DataParallel.parse(value);
        }
    }

    static final class LiveViewConverter extends SpecValueConverter<LiveView> {
        @Override
        LiveView parse(String value) {
            return LiveView.parse(value);
        }
    }

    /** The ledger states to train: queued and failed runs by default (diverged ones when asked), never complete ones. */
    Set<RunStatus> statuses() {
        boolean embedded = database.embedded();
        Set<RunStatus> s = new LinkedHashSet<>();
        if (!onlyFailed) s.add(RunStatus.QUEUED);
        s.add(RunStatus.FAILED);
        if (retryDiverged) s.add(RunStatus.DIVERGED);
        if (includeRunning || (embedded && !onlyFailed)) s.add(RunStatus.RUNNING);
        return s;
    }

    /**
     * The Spark master: spark-submit's, or {@code local[*]} under plain {@code java}. Refuses an
     * embedded database on a cluster, before anything starts.
     */
    static String master(DatabaseOptions database) {
        String master = Sparks.master();
        if (database.embedded() && !master.startsWith("local")) {
            throw new IllegalArgumentException("--jdbc-url is required on master " + master
                    + ": executors cannot reach an embedded database on the driver");
        }
        return master;
    }

    /** A sweep to train: its plan, how its spec says it runs, and the spec's text as the ledger keeps it. */
    record Submission(SweepPlan plan, SweepSettings settings, String specJson) {
    }

    /** Reads the sweep to train once the database is open (resubmit reads it from there). */
    interface Submitter {
        Submission read(DatabaseSettings db) throws Exception;
    }

    /**
     * Refuses an embedded database on a cluster, opens the database (an embedded one for this
     * command) and migrates it, then trains what {@code submitter} reads on Spark and prints the
     * summary; returns the exit code.
     */
    int run(PrintWriter out, Submitter submitter) throws Exception {
        String master = master(database);
        validate();
        try (DatabaseOptions.Open db = database.open(out)) {
            SchemaMigration.migrate(db.settings());
            Submission submission = submitter.read(db.settings());
            String resultsUri = ResultsOptions.uri(results, database.workDir);
            SweepSettings settings = settings(submission.settings());
            SweepPlan plan = submission.plan();
            // the limit counts from the process's start, as a batch system's does
            Cooperation cooperation = cooperation(Instant.ofEpochMilli(
                    ManagementFactory.getRuntimeMXBean().getStartTime()));
            SparkSession spark = Sparks.start(master, "churn sweep " + plan.spec().name());
            try {
                SweepDriver.Summary s = SweepDriver.run(spark, plan, settings, submission.specJson(), db.settings(),
                        resultsUri, partitions, statuses(), Duration.ofSeconds(progressSeconds),
                        new PrintStream(System.out, true), cooperation);
                printSummary(out, s, db.settings(), resultsUri, database.embedded());
                return s.gaveUp() != null ? Churn.INCOMPLETE : s.failed() == 0 ? 0 : 1;
            } finally {
                spark.stop();
            }
        }
    }

    /** Leases, attempts and the time limit of a command started {@code now} ({@link #validate}d). */
    Cooperation cooperation(Instant now) {
        return new Cooperation(Duration.ofSeconds(leaseSeconds), maxAttempts,
                TimeLimit.end(timeLimit, now, System.getenv()));
    }

    /**
     * Refuses options no sweep can use, before the database opens or Spark starts: partitions,
     * progress intervals, leases and attempts out of range, results on a file system that cannot be
     * reached.
     */
    void validate() {
        if (partitions < 0) {
            throw new IllegalArgumentException("--partitions: " + partitions + " is not allowed; use a whole number"
                    + " >= 1, or 0 for partitions sized by cost");
        }
        if (progressSeconds < 1) {
            throw new IllegalArgumentException("--progress-seconds: " + progressSeconds + " is not allowed; use a whole"
                    + " number of seconds >= 1");
        }
        if (leaseSeconds < 1) {
            throw new IllegalArgumentException("--lease-seconds: " + leaseSeconds + " is not allowed; use a whole"
                    + " number of seconds >= 1");
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("--max-attempts: " + maxAttempts + " is not allowed; use a whole"
                    + " number >= 1");
        }
        if (results != null) {
            try {
                org.apache.hadoop.fs.Path path = HadoopFiles.path(results);
                FileSystem fs = HadoopFiles.fileSystem(path);
                if (fs.exists(path) && !fs.getFileStatus(path).isDirectory()) {
                    throw new IllegalArgumentException("--results " + results + ": a file, not a folder");
                }
            } catch (IOException | RuntimeException e) {
                if (e instanceof IllegalArgumentException refused && refused.getMessage().startsWith("--results")) {
                    throw refused;
                }
                throw new IllegalArgumentException("--results " + results + ": cannot reach it ("
                        + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": "
                        + e.getMessage().lines().findFirst().orElse("")) + ")");
            }
        }
    }

    /** The spec's settings with this command's options in place of the spec's values they override. */
    SweepSettings settings(SweepSettings spec) {
        SweepSettings settings = engine == null ? spec : spec.withEngine(engine);
        settings = dataParallel == null ? settings : settings.withDataParallel(dataParallel);
        settings = liveView == null ? settings : settings.withLiveView(liveView);
        return settings.withCheckpoints(checkpoints(settings.checkpoints()));
    }

    /**
     * The spec's checkpoint settings with the folder settled: {@code --checkpoint-dir}, the spec's
     * {@code checkpoint_dir}, the environment variable, or {@code WORK-DIR/checkpoints}. The folder
     * is created here, so one that cannot be written is refused before Spark starts.
     */
    CheckpointSettings checkpoints(CheckpointSettings spec) {
        String variable = System.getenv(CHECKPOINT_DIR_VARIABLE);
        String directory = checkpointDir != null ? checkpointDir
                : spec.directory() != null ? spec.directory()
                : variable != null && !variable.isBlank() ? variable
                : database.workDir.resolve("checkpoints").toAbsolutePath().toUri().toString();
        directory = directory.replaceAll("(.)/+$", "$1");
        CheckpointSettings settled = new CheckpointSettings(spec.epochs(), directory, spec.keep() || keepCheckpoints);
        if (settled.enabled()) {
            try {
                new HadoopCheckpointStore(directory).createDirectory();
            } catch (IOException | IllegalArgumentException e) {
                throw new IllegalArgumentException("checkpoint folder " + directory + ": " + e.getMessage(), e);
            }
        }
        return settled;
    }

    private static void printSummary(PrintWriter out, SweepDriver.Summary s, DatabaseSettings db, String resultsUri,
                                     boolean embedded) {
        String partition = ResultDataset.RUNS.partitionUri(resultsUri, s.sweep());
        out.printf("%n[%s] done in %s: %d runs, %d already complete, %d trained (%d failed%s%s)%s%s%n",
                s.sweep(), ProgressReporter.format(s.wall()), s.runs(), s.alreadyComplete(), s.trained(), s.failed(),
                s.diverged() == 0 ? "" : ", " + s.diverged() + " diverged",
                s.resumed() == 0 ? "" : ", " + s.resumed() + " resumed from checkpoints",
                s.trained() == 0 ? "" : String.format(", median run %.1f s", s.medianRunSeconds()),
                s.skippedRuns() == 0 ? "" : "; " + s.skippedRuns() + " runs skipped (no conformant layout)");
        for (RunOutcome f : s.failures().subList(0, Math.min(5, s.failures().size()))) {
            out.printf("  failed %s: %s%n", f.runId(), f.error());
        }
        if (s.timeLimited()) {
            out.printf("[%s] time limit reached: %d runs left, queued for any application; continue with:"
                    + " churn resubmit %s%n", s.sweep(), s.left(), s.sweep());
        }
        if (s.failed() > 0) {
            out.printf("  all failures: churn status %s; train them again: churn resubmit %s --only-failed%n",
                    s.sweep(), s.sweep());
        }
        if (s.gaveUp() != null) {
            out.printf("%n[%s] Spark gave up on a task after its retries: %s%n", s.sweep(), s.gaveUp());
            out.printf("  %d runs are not complete: %s%s%n", s.unfinished().size(),
                    String.join(", ", s.unfinished().subList(0, Math.min(10, s.unfinished().size()))),
                    s.unfinished().size() > 10 ? ", ..." : "");
            // the runs this application held went back to the queue (or come back as their leases lapse)
            out.printf("  what completed is stored and exported; finish the rest once the fault is mended:"
                    + " churn resubmit %s%n", s.sweep());
        }
        out.println("Results:");
        out.printf("  Parquet     %s  (%d rows, one per run)%n", partition, s.exportedRows());
        out.printf("  PostgreSQL  %s%s  (tables run, sweep_run, sweep)%n", db,
                embedded ? ", embedded; started again by the next churn command" : "");
        out.println("Read them:");
        out.printf("  spark.read.parquet(\"%s\").select(\"run_id\", \"dataset\", \"size\", \"test_loss\")%n", partition);
        out.printf("  select dataset, size, status, wall_seconds from run join sweep_run using (run_id)"
                + " where sweep = '%s';%n", s.sweep());
        out.flush();
    }
}
