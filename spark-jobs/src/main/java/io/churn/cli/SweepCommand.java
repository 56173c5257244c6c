package io.churn.cli;

import io.churn.driver.RunOutcome;
import io.churn.driver.SweepDriver;
import io.churn.driver.SweepPlan;
import io.churn.sink.DatabaseSettings;
import io.churn.sink.EmbeddedDatabase;
import io.churn.spec.SpecParser;
import io.churn.spec.SweepSpec;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code churn sweep SPEC}: validate, plan, train every run, store and export the results. */
@Command(name = "sweep", mixinStandardHelpOptions = true,
        description = "Run a sweep: every run of SPEC not already complete is trained; results go to"
                + " PostgreSQL and are exported to Parquet.")
final class SweepCommand implements Callable<Integer> {

    @Spec
    CommandSpec command;

    @Parameters(paramLabel = "SPEC", description = "The sweep spec (JSON), e.g. conf/sweeps/quickstart.json.")
    Path specFile;

    @Option(names = "--work-dir", paramLabel = "DIR", defaultValue = "churn-work",
            description = "Local folder for the embedded database and default results (default: ${DEFAULT-VALUE}).")
    Path workDir;

    @Option(names = "--results", paramLabel = "URI",
            description = "Parquet results, any Hadoop URI (hdfs://, s3a://, file:) (default: WORK-DIR/results).")
    String results;

    @Option(names = "--partitions", paramLabel = "N", defaultValue = "0",
            description = "Spark partitions for the runs (default: twice the default parallelism).")
    int partitions;

    @Option(names = "--progress-seconds", paramLabel = "S", defaultValue = "10",
            description = "Seconds between progress lines (default: ${DEFAULT-VALUE}).")
    int progressSeconds;

    @Option(names = "--dry-run", description = "Validate and plan the sweep, print its size, train nothing.")
    boolean dryRun;

    @Mixin
    DatabaseOptions database;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = command.commandLine().getOut();
        SweepSpec spec = SpecParser.read(specFile);
        SweepPlan plan = SweepPlan.of(spec, specFile.toString());
        out.printf("[%s] spec %s: %d runs over %d grid(s) x %d repetition(s)%n",
                spec.name(), specFile, plan.runs().size(), spec.grids().size(), spec.repetitions());
        if (dryRun) {
            out.flush();
            return 0;
        }
        SparkConf conf = new SparkConf();
        // `java -jar` with no master set means a laptop; spark-submit always sets one
        String master = conf.get("spark.master", "local[*]");
        boolean local = master.startsWith("local");
        if (database.url == null && !local) {
            throw new IllegalArgumentException("--jdbc-url is required on master " + master
                    + ": executors cannot reach an embedded database on the driver");
        }
        String resultsUri = results != null ? results : workDir.resolve("results").toAbsolutePath().toUri().toString();
        String specJson = Files.readString(specFile);
        EmbeddedDatabase embedded = null;
        SparkSession spark = null;
        try {
            DatabaseSettings db;
            if (database.url == null) {
                out.printf("[%s] starting embedded PostgreSQL in %s%n", spec.name(), workDir.resolve("postgres"));
                out.flush();
                embedded = EmbeddedDatabase.start(workDir.resolve("postgres"));
                db = embedded.settings();
            } else {
                db = database.server();
            }
            spark = SparkSession.builder()
                    .config(conf.setMaster(master)
                            .setAppName("churn sweep " + spec.name())
                            .setIfMissing("spark.executorEnv.OMP_NUM_THREADS", "1"))
                    .getOrCreate();
            spark.sparkContext().setLogLevel("WARN");
            SweepDriver.Summary s = SweepDriver.run(spark, plan, specJson, db, resultsUri, partitions,
                    Duration.ofSeconds(progressSeconds), new java.io.PrintStream(System.out, true));
            printSummary(out, s, db, resultsUri, embedded != null);
            return s.failed() == 0 ? 0 : 1;
        } finally {
            if (spark != null) spark.stop();
            if (embedded != null) embedded.close();
        }
    }

    private static void printSummary(PrintWriter out, SweepDriver.Summary s, DatabaseSettings db, String resultsUri,
                                     boolean embedded) {
        String partition = resultsUri.replaceAll("/+$", "") + "/sweep=" + s.sweep();
        out.printf("%n[%s] done in %s: %d runs, %d already complete, %d trained (%d failed)%s%n",
                s.sweep(), formatDuration(s.wall()), s.runs(), s.alreadyComplete(), s.trained(), s.failed(),
                s.trained() == 0 ? "" : String.format(", median run %.1f s", s.medianRunSeconds()));
        for (RunOutcome f : s.failures().subList(0, Math.min(5, s.failures().size()))) {
            out.printf("  failed %s: %s%n", f.runId(), f.error());
        }
        out.println("Results:");
        out.printf("  Parquet     %s  (%d rows, one per run)%n", partition, s.exportedRows());
        out.printf("  PostgreSQL  %s%s  (tables run, sweep_run, sweep)%n", db,
                embedded ? ", embedded; started again by the next churn command" : "");
        out.println("Read them:");
        out.printf("  spark.read.parquet(\"%s\").select(\"run_id\", \"dataset\", \"size\", \"test_loss\")%n", partition);
        out.printf("  select dataset, size, test_loss[epochs] from run join sweep_run using (run_id)"
                + " where sweep = '%s';%n", s.sweep());
        out.flush();
    }

    private static String formatDuration(Duration d) {
        long s = d.toSeconds();
        return String.format("%dm%02ds", s / 60, s % 60);
    }
}
