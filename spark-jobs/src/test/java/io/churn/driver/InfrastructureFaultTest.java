package io.churn.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.churn.SparkTestSession;
import io.churn.TestDatabase;
import io.churn.data.Datasets;
import io.churn.network.Layout;
import io.churn.network.LayoutSolver;
import io.churn.settings.SweepFile;
import io.churn.sink.DatabaseSettings;
import io.churn.sink.DatabaseUnavailableException;
import io.churn.sink.Placement;
import io.churn.sink.ResultDataset;
import io.churn.sink.RunStore;
import io.churn.spec.ActivationFunction;
import io.churn.spec.GridExpander;
import io.churn.spec.KernelRegularizer;
import io.churn.spec.Optimizer;
import io.churn.spec.RunSpec;
import io.churn.spec.SweepRuns;
import io.churn.train.Checkpointing;
import io.churn.train.Engine;
import io.churn.train.RunStatus;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.zip.GZIPInputStream;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults that are not a run's own (data that cannot be read, a database that stays away) fail the
 * task, and Spark's retry trains the run; none is stored as a failed run. When the retries run
 * out, what completed is still exported and the rest is named.
 */
class InfrastructureFaultTest {

    @TempDir
    static Path work;
    static DatabaseSettings db;

    @BeforeAll
    static void createDatabase() {
        db = TestDatabase.create(InfrastructureFaultTest.class);
    }

    static RunSpec run(String dataset, long seed) {
        return new RunSpec(dataset, "rectangle", 2, 64, 0.01, 128, 0.0, KernelRegularizer.NONE, KernelRegularizer.NONE,
                Optimizer.ADAM, 0, ActivationFunction.RELU, 2, 0, 0.2, 0, seed);
    }

    /** The bundled banana table as a plain file at {@code file}. */
    static void writeBanana(Path file) throws Exception {
        try (InputStream in = new GZIPInputStream(Datasets.class.getResourceAsStream("pmlb/banana.tsv.gz"))) {
            Files.write(file, in.readAllBytes());
        }
    }

    static List<RunOutcome> train(List<RunSpec> partition, RunSink.Factory sinks) throws Exception {
        try (RunStore store = RunStore.open(db)) {
            store.ledger().registerSweep("faults-" + UUID.randomUUID().toString().substring(0, 8), "{}", partition);
        }
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(SparkTestSession.get().sparkContext());
        return jsc.parallelize(List.of(partition), 1)
                .flatMap(new TrainPartition(db, TrainPartitionTest.rules(), TimeBudget.NONE, Engine.AUTO,
                        Checkpointing.NONE, sinks)).collect();
    }

    static Map.Entry<String, Integer> statusAndAttempts(RunSpec run) throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select status, attempts from run where run_id = '" + run.runId() + "'")) {
            rs.next();
            return Map.entry(rs.getString(1), rs.getInt(2));
        }
    }

    @Test
    void a_dataset_that_cannot_be_read_fails_the_task_and_the_retry_trains_the_run() throws Exception {
        Path file = work.resolve("flaky-" + UUID.randomUUID() + ".tsv");
        RunSpec flaky = run(file.toUri().toString(), 1);
        // the file is missing on the first attempt (a file system that is away), there on the next
        RunSink.Factory sinks = new AppearsOnRetry(TrainPartitionTest.sinks(), file.toString());
        List<RunOutcome> outcomes = train(List.of(flaky), sinks);
        assertEquals(List.of(RunStatus.COMPLETE), outcomes.stream().map(RunOutcome::status).toList());
        assertEquals(Map.entry("complete", 2), statusAndAttempts(flaky), "failed once as a task, never as a run");
    }

    @Test
    void a_task_that_loses_the_database_is_retried_and_its_runs_complete() throws Exception {
        List<RunSpec> runs = List.of(run("banana", 21), run("banana", 22));
        List<RunOutcome> outcomes = train(runs, new DatabaseLostOnFirstAttempt(TrainPartitionTest.sinks()));
        assertEquals(List.of(runs.get(1).runId()), outcomes.stream().map(RunOutcome::runId).toList(),
                "the retry trains only the run the first attempt did not finish");
        assertEquals(List.of(RunStatus.COMPLETE), outcomes.stream().map(RunOutcome::status).toList());
        for (RunSpec r : runs) {
            assertEquals("complete", statusAndAttempts(r).getKey());
        }
    }

    @Test
    void when_spark_gives_up_what_completed_is_exported_and_the_rest_is_named() throws Exception {
        // a dataset file that is gone when the sweep trains (a file system that went away), planned as the
        // banana table it held: its rows, inputs and outputs
        String gone = work.resolve("gone.tsv").toUri().toString();
        SweepFile file = SweepFile.parse("{ \"name\": \"gives_up\", \"grid\": { \"shape\": [\"rectangle\"],"
                + " \"depth\": [2], \"learning_rate\": [0.01], \"batch_size\": [128], \"epochs\": [2] },"
                + " \"grids\": [ { \"dataset\": [\"banana\"], \"size\": [128] },"
                + " { \"dataset\": [\"" + gone + "\"], \"size\": [64] } ] }", "gives_up.json");
        SweepRuns runs = GridExpander.expand(file.spec());
        Datasets.Entry banana = Datasets.catalog().stream().filter(e -> e.name().equals("banana")).findFirst()
                .orElseThrow();
        Map<SweepPlan.Cell, Layout> layouts = new HashMap<>();
        for (RunSpec r : runs.experiments()) {
            layouts.put(SweepPlan.Cell.of(r), LayoutSolver.solve(r.shape(), r.depth(), r.size(), banana.nIn(),
                    banana.nOut()));
        }
        SweepPlan plan = new SweepPlan(file.spec(), runs, Map.of("banana", banana,
                gone, new Datasets.Entry(gone, banana.task(), banana.rows(), banana.nIn(), banana.nOut())),
                layouts, List.of());
        RunSpec trains = plan.runs().get(0);
        RunSpec neverReadable = plan.runs().get(1);
        assertEquals(List.of("banana", gone), List.of(trains.datasetSource(), neverReadable.datasetSource()));
        // one partition, the costlier run first: it completes before the unreadable one fails every attempt
        assertTrue(plan.cost(trains) > plan.cost(neverReadable));
        String results = work.resolve("results").toUri().toString();
        SweepDriver.Summary s = SweepDriver.run(SparkTestSession.get(), plan, file.settings(), "{}", db, results, 1,
                Set.of(RunStatus.QUEUED, RunStatus.FAILED, RunStatus.RUNNING), Duration.ofSeconds(60),
                new PrintStream(new ByteArrayOutputStream()));
        assertNotNull(s.gaveUp());
        assertTrue(s.gaveUp().contains("failed 3 times"), s.gaveUp());
        assertEquals(List.of(neverReadable.runId()), s.unfinished());
        assertEquals(0, s.failed(), "no run is stored as failed for a fault of the data");
        List<Row> exported = SparkTestSession.get().read().parquet(ResultDataset.RUNS.uri(results))
                .where("sweep = 'gives_up' and status = 'complete'").collectAsList();
        assertEquals(List.of(trains.runId()), exported.stream().map(r -> r.getString(r.fieldIndex("run_id"))).toList());
    }

    /** Sinks that, on a retried attempt, put the dataset file in place before the run starts. */
    record AppearsOnRetry(RunSink.Factory sinks, String file) implements RunSink.Factory {
        @Override
        public RunSink open(Placement placement) throws Exception {
            RunSink sink = sinks.open(placement);
            boolean retry = !TaskFaults.firstAttempt();
            return new TaskFaults.Delegating(sink) {
                @Override
                public void starting(RunSpec run) throws Exception {
                    if (retry && !Files.exists(Path.of(file))) writeBanana(Path.of(file));
                    super.starting(run);
                }
            };
        }
    }

    /**
     * Sinks whose first attempt loses the database (past the store's own retries) as its second run
     * starts; the first run's result is stored by then.
     */
    record DatabaseLostOnFirstAttempt(RunSink.Factory sinks) implements RunSink.Factory {
        @Override
        public RunSink open(Placement placement) throws Exception {
            RunSink sink = sinks.open(placement);
            boolean first = TaskFaults.firstAttempt();
            return new TaskFaults.Delegating(sink) {
                int runs;

                @Override
                public void starting(RunSpec run) throws Exception {
                    if (first && ++runs == 2) {
                        throw new DatabaseUnavailableException("injected fault: the database stayed away", null);
                    }
                    super.starting(run);
                }
            };
        }
    }
}
