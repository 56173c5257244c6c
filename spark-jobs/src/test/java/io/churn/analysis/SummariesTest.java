package io.churn.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.churn.SparkTestSession;
import io.churn.TestDatabase;
import io.churn.sink.DatabaseSettings;
import io.churn.sink.ClaimRules;
import io.churn.sink.ParquetExport;
import io.churn.sink.Placement;
import io.churn.sink.RunStore;
import io.churn.spec.GridExpander;
import io.churn.spec.RunSpec;
import io.churn.spec.SpecParser;
import io.churn.train.EpochMetrics;
import io.churn.train.Metrics;
import io.churn.train.Provenance;
import io.churn.train.RunResult;
import io.churn.train.RunStatus;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import io.churn.MiniHdfs;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The experiment summary of a small result set with known awkward cases — a diverged (NaN) epoch,
 * an infinite loss, an early-stopped run, a failed run, tied minima, an experiment of one run,
 * regression without accuracy — stored through the real sinks (PostgreSQL, then Parquet on HDFS)
 * and checked statistic by statistic against plain Java over the same histories.
 */
class SummariesTest {

    static final String SWEEP = "summaries";
    static final int EPOCHS = 4;

    @TempDir
    static Path work;
    static MiniDFSCluster hdfs;
    static String results;
    static final List<RunResult> stored = new ArrayList<>();
    static long written;
    static List<Row> summary;

    @BeforeAll
    static void storeRunsAndSummarize() throws Exception {
        DatabaseSettings db = TestDatabase.create(SummariesTest.class);
        hdfs = MiniHdfs.start(work.resolve("hdfs"));
        results = hdfs.getFileSystem().getUri() + "/churn/results";

        List<RunSpec> runs = GridExpander.expand(SpecParser.parse("""
                { "name": "summaries", "seed": 11, "repetitions": 4,
                  "grid": { "dataset": ["banana", "529_pollen"], "shape": ["rectangle"], "depth": [2, 3],
                            "size": [64], "learning_rate": [0.01], "batch_size": [32], "epochs": [4] } }
                """, "summaries.json"));
        Random random = new Random(3);
        try (RunStore store = RunStore.open(db)) {
            store.ledger().registerSweep(SWEEP, "{}", runs);
            for (RunSpec run : runs) {
                RunResult r = result(run, random);
                Placement driver = new Placement("driver", "test");
                ClaimRules rules = new ClaimRules("test#summaries", Set.of(RunStatus.QUEUED), Instant.now(),
                        ClaimRules.DEFAULT_LEASE, ClaimRules.DEFAULT_MAX_ATTEMPTS);
                store.results().save(r, store.ledger().claim(run, rules, driver).orElseThrow());
                stored.add(r);
            }
        }
        SparkSession spark = SparkTestSession.get();
        ParquetExport.export(db, SWEEP, results);
        written = Summaries.write(spark, results, SWEEP);
        summary = Results.summary(spark, results, SWEEP).collectAsList();
    }

    @AfterAll
    static void stop() {
        if (hdfs != null) hdfs.shutdown();
    }

    /**
     * Random histories, and the awkward cases on fixed runs of the banana experiments (depth 2 and
     * 3) and of 529_pollen at depth 3, where three of four runs fail and the one left has two equal
     * lowest test losses.
     */
    static RunResult result(RunSpec run, Random random) {
        boolean regression = run.dataset().equals("529_pollen");
        int epochs = EPOCHS;
        if (run.dataset().equals("banana") && run.depth() == 2 && run.repetition() == 1) epochs = 2;
        if (regression && run.depth() == 3 && run.repetition() > 0) {
            return new RunResult(run, RunStatus.FAILED, "diverged", null, null, null, null, null, null, List.of(), 0,
                    Provenance.CURRENT, Instant.EPOCH, Instant.EPOCH);
        }
        double[] testLoss = new double[epochs];
        List<EpochMetrics> history = new ArrayList<>();
        for (int e = 0; e < epochs; e++) {
            testLoss[e] = 1.0 / (e + 1) + random.nextDouble();
        }
        if (run.dataset().equals("banana") && run.depth() == 2 && run.repetition() == 0) {
            testLoss[1] = Double.NaN;
        }
        if (run.dataset().equals("banana") && run.depth() == 3 && run.repetition() == 2) {
            testLoss[0] = Double.POSITIVE_INFINITY;
        }
        if (regression && run.depth() == 3) {
            testLoss[2] = 0.01;
            testLoss[3] = 0.01;
        }
        for (int e = 0; e < epochs; e++) {
            history.add(new EpochMetrics(evaluation(random, 2.0 / (e + 1) + random.nextDouble(), regression),
                    evaluation(random, testLoss[e], regression), 0.1));
        }
        List<Integer> widths = run.depth() == 2 ? List.of(20, 1) : List.of(10, 10, 1);
        return new RunResult(run, RunStatus.COMPLETE, null, regression ? "regression" : "binary", 2, 1, widths,
                run.depth() == 2 ? 81L : 151L, "fused", history, 0, Provenance.CURRENT, Instant.EPOCH, Instant.EPOCH);
    }

    /**
     * A split's figures: the given loss, random others, accuracy only for classification; each one a
     * float4 holds exactly, as histories are stored, so the summaries match a computation on these.
     */
    static Metrics.Evaluation evaluation(Random random, double loss, boolean regression) {
        return new Metrics.Evaluation((float) loss, regression ? null : (double) random.nextFloat(), random.nextFloat(),
                random.nextFloat(), random.nextFloat(), random.nextFloat(), random.nextFloat(), random.nextFloat(),
                random.nextFloat(), random.nextFloat());
    }

    static final Map<String, Function<EpochMetrics, Double>> METRICS = Map.ofEntries(
            Map.entry("train_loss", EpochMetrics::trainLoss), Map.entry("test_loss", EpochMetrics::testLoss),
            Map.entry("train_accuracy", EpochMetrics::trainAccuracy),
            Map.entry("test_accuracy", EpochMetrics::testAccuracy),
            Map.entry("train_mean_squared_error", EpochMetrics::trainMeanSquaredError),
            Map.entry("test_mean_squared_error", EpochMetrics::testMeanSquaredError),
            Map.entry("train_mean_absolute_error", EpochMetrics::trainMeanAbsoluteError),
            Map.entry("test_mean_absolute_error", EpochMetrics::testMeanAbsoluteError),
            Map.entry("train_root_mean_squared_error", m -> m.train().rootMeanSquaredError()),
            Map.entry("test_root_mean_squared_error", m -> m.test().rootMeanSquaredError()),
            Map.entry("train_mean_squared_logarithmic_error", m -> m.train().meanSquaredLogarithmicError()),
            Map.entry("test_mean_squared_logarithmic_error", m -> m.test().meanSquaredLogarithmicError()),
            Map.entry("train_hinge", m -> m.train().hinge()), Map.entry("test_hinge", m -> m.test().hinge()),
            Map.entry("train_squared_hinge", m -> m.train().squaredHinge()),
            Map.entry("test_squared_hinge", m -> m.test().squaredHinge()),
            Map.entry("train_cosine_similarity", m -> m.train().cosineSimilarity()),
            Map.entry("test_cosine_similarity", m -> m.test().cosineSimilarity()),
            Map.entry("train_kullback_leibler_divergence", m -> m.train().kullbackLeiblerDivergence()),
            Map.entry("test_kullback_leibler_divergence", m -> m.test().kullbackLeiblerDivergence()));

    /** Complete runs by experiment: here the experiments differ only in dataset and depth. */
    static Map<List<Object>, List<RunResult>> experiments() {
        Map<List<Object>, List<RunResult>> experiments = new LinkedHashMap<>();
        for (RunResult r : stored) {
            if (r.status() == RunStatus.COMPLETE) {
                experiments.computeIfAbsent(List.of(r.run().dataset(), r.run().depth()), k -> new ArrayList<>()).add(r);
            }
        }
        return experiments;
    }

    /** Linear interpolation between closest ranks: numpy's default, PostgreSQL's percentile_cont. */
    static Double quantile(double[] sorted, double p) {
        if (sorted.length == 0) return null;
        double h = (sorted.length - 1) * p;
        int lo = (int) Math.floor(h);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }

    /** The statistics of these values, the finite ones only, by summary column suffix. */
    static Map<String, Object> statistics(List<Double> values) {
        double[] v = values.stream().filter(x -> x != null && Double.isFinite(x)).mapToDouble(Double::doubleValue)
                .sorted().toArray();
        Map<String, Object> s = new HashMap<>();
        s.put("num_finite", (long) v.length);
        s.put("min", v.length == 0 ? null : v[0]);
        s.put("q1", quantile(v, 0.25));
        s.put("median", quantile(v, 0.5));
        s.put("q3", quantile(v, 0.75));
        s.put("max", v.length == 0 ? null : v[v.length - 1]);
        double mean = Arrays.stream(v).sum() / v.length;
        s.put("avg", v.length == 0 ? null : mean);
        s.put("stddev", v.length < 2 ? null
                : Math.sqrt(Arrays.stream(v).map(x -> (x - mean) * (x - mean)).sum() / (v.length - 1)));
        return s;
    }

    static Row row(String dataset, int depth, int epoch) {
        List<Row> matches = summary.stream().filter(r -> r.getAs("dataset").equals(dataset)
                && (int) r.getAs("depth") == depth && (int) r.getAs("epoch") == epoch).toList();
        assertEquals(1, matches.size(), dataset + " depth " + depth + " epoch " + epoch);
        return matches.get(0);
    }

    static void assertClose(Object expected, Object actual, String what) {
        if (expected == null) {
            assertNull(actual, what);
            return;
        }
        assertNotNull(actual, what);
        double e = ((Number) expected).doubleValue();
        double a = ((Number) actual).doubleValue();
        assertEquals(e, a, 1e-12 * Math.max(1, Math.abs(e)), what);
    }

    @Test
    void every_epoch_of_every_experiment_has_one_row() {
        int expected = experiments().values().stream()
                .mapToInt(rs -> rs.stream().mapToInt(r -> r.history().size()).max().orElseThrow()).sum();
        assertEquals(expected, summary.size());
        assertEquals(expected, written);
        assertEquals(4, experiments().size());
        assertTrue(summary.stream().allMatch(r -> r.getAs("sweep").equals(SWEEP)));
    }

    @Test
    void every_statistic_matches_an_independent_computation() {
        int checked = 0;
        for (Map.Entry<List<Object>, List<RunResult>> x : experiments().entrySet()) {
            String dataset = (String) x.getKey().get(0);
            int depth = (int) x.getKey().get(1);
            List<RunResult> runs = x.getValue();
            int epochs = runs.stream().mapToInt(r -> r.history().size()).max().orElseThrow();
            for (int epoch = 1; epoch <= epochs; epoch++) {
                Row row = row(dataset, depth, epoch);
                assertEquals(runs.size(), ((Number) row.getAs("num_runs")).intValue());
                for (String metric : Summaries.METRICS) {
                    List<Double> values = new ArrayList<>();
                    for (RunResult r : runs) {
                        if (r.history().size() >= epoch) values.add(METRICS.get(metric).apply(r.history().get(epoch - 1)));
                    }
                    Map<String, Object> expected = statistics(values);
                    for (String s : Summaries.STATISTICS) {
                        String column = metric + "_" + s;
                        assertClose(expected.get(s), row.getAs(column), dataset + " depth " + depth + " epoch "
                                + epoch + " " + column);
                        checked++;
                    }
                }
            }
        }
        assertEquals(summary.size() * Summaries.METRICS.size() * Summaries.STATISTICS.size(), checked);
    }

    @Test
    void the_epoch_and_value_of_each_runs_lowest_test_loss_are_summarized_over_the_runs() {
        for (Map.Entry<List<Object>, List<RunResult>> x : experiments().entrySet()) {
            List<Double> minEpochs = new ArrayList<>();
            List<Double> minValues = new ArrayList<>();
            for (RunResult r : x.getValue()) {
                int best = -1;
                for (int e = 0; e < r.history().size(); e++) {
                    double v = r.history().get(e).testLoss();
                    // the first epoch of the lowest finite value
                    if (Double.isFinite(v) && (best < 0 || v < r.history().get(best).testLoss())) best = e;
                }
                if (best >= 0) {
                    minEpochs.add((double) best + 1);
                    minValues.add(r.history().get(best).testLoss());
                }
            }
            Map<String, Object> epochStats = statistics(minEpochs);
            Map<String, Object> valueStats = statistics(minValues);
            for (Row row : summary) {
                if (!row.getAs("dataset").equals(x.getKey().get(0)) || !row.getAs("depth").equals(x.getKey().get(1))) {
                    continue;
                }
                for (String s : Summaries.MINIMUM_STATISTICS) {
                    assertClose(epochStats.get(s), row.getAs("test_loss_min_epoch_" + s), x.getKey() + " epoch " + s);
                    assertClose(valueStats.get(s), row.getAs("test_loss_min_value_" + s), x.getKey() + " value " + s);
                }
            }
        }
    }

    @Test
    void the_awkward_cases_are_what_the_comparison_covers() {
        Row nan = row("banana", 2, 2);
        assertEquals(3L, (long) nan.getAs("test_loss_num_finite"), "a NaN is not counted");
        assertEquals(4L, (long) nan.getAs("train_loss_num_finite"));
        Row stopped = row("banana", 2, 3);
        assertEquals(3L, (long) stopped.getAs("train_loss_num_finite"), "a run stopped after 2 epochs");
        assertEquals(4, ((Number) stopped.getAs("num_runs")).intValue());
        Row infinite = row("banana", 3, 1);
        assertEquals(3L, (long) infinite.getAs("test_loss_num_finite"), "infinity is not counted");
        assertEquals(4L, (long) infinite.getAs("train_loss_num_finite"));
        Row alone = row("529_pollen", 3, 1);
        assertEquals(3, (int) alone.getAs("test_loss_min_epoch_max"), "the first of two equal minima");
        assertEquals((float) 0.01, (double) alone.getAs("test_loss_min_value_median"), 0.0);
        assertEquals(1, ((Number) alone.getAs("num_runs")).intValue());
        assertNull(alone.getAs("test_loss_stddev"), "one run has no sample standard deviation");
        assertNull(alone.getAs("test_accuracy_median"), "regression has no accuracy");
        assertEquals(0L, (long) alone.getAs("test_accuracy_num_finite"));
        assertEquals(List.of(10, 10, 1), alone.getList(alone.fieldIndex("widths")));
    }

    @Test
    void summarizing_again_replaces_the_sweeps_summary() {
        SparkSession spark = SparkTestSession.get();
        assertEquals(written, Summaries.write(spark, results, SWEEP));
        assertEquals(written, Results.summary(spark, results, SWEEP).count());
    }
}
