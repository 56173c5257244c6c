package io.churn.bench;

import io.churn.sink.Claim;
import io.churn.sink.ClaimRules;
import io.churn.sink.DatabaseSettings;
import io.churn.sink.Placement;
import io.churn.sink.RunStore;
import io.churn.spec.GridExpander;
import io.churn.spec.RunSpec;
import io.churn.train.EpochMetrics;
import io.churn.train.Metrics;
import io.churn.train.Provenance;
import io.churn.train.RunResult;
import io.churn.train.RunStatus;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * How long submitting a large sweep to the ledger takes (N planned runs recorded, then recorded
 * again), and how fast results come in: W writers, each on its own connection as an executor's
 * task is, claim runs and write their results with synthetic histories of E epochs, as a sweep's
 * tasks do.
 */
public final class LedgerBench {

    /** Seconds to expand the grid, to record its runs in an empty ledger, and to record them again. */
    public record Result(int runs, double expandSeconds, double recordSeconds, double recordAgainSeconds) {
        public double runsPerSecond() {
            return runs / recordSeconds;
        }
    }

    /** Results written by {@code writers} concurrent writers in {@code seconds}, each with {@code epochs}-epoch histories. */
    public record Ingest(int results, int writers, int epochs, double seconds) {
        public double resultsPerSecond() {
            return results / seconds;
        }
    }

    private LedgerBench() {
    }

    /** Records {@code repetitions} runs of one configuration in a fresh embedded PostgreSQL. */
    public static Result run(int repetitions) throws IOException, SQLException {
        BenchSpecs.Sweep sweep = sweep(repetitions);
        Stopwatch expanding = new Stopwatch();
        List<RunSpec> planned = GridExpander.expand(sweep.spec());
        double expand = expanding.seconds();
        try (Scratch scratch = new Scratch("churn-bench-ledger");
             RunStore store = RunStore.open(scratch.db.settings())) {
            Stopwatch first = new Stopwatch();
            store.ledger().registerSweep(sweep.spec().name(), sweep.json(), planned);
            double record = first.seconds();
            Stopwatch again = new Stopwatch();
            store.ledger().registerSweep(sweep.spec().name(), sweep.json(), planned);
            return new Result(planned.size(), expand, record, again.seconds());
        }
    }

    /**
     * Records {@code results} runs in a fresh embedded PostgreSQL, then times {@code writers} threads,
     * each with a connection of its own, claiming them and writing a complete result with
     * {@code epochs} epochs of every metric.
     */
    public static Ingest ingest(int results, int writers, int epochs) throws Exception {
        BenchSpecs.Sweep sweep = sweep(results);
        List<RunSpec> planned = GridExpander.expand(sweep.spec());
        List<EpochMetrics> history = history(epochs);
        try (Scratch scratch = new Scratch("churn-bench-ingest")) {
            DatabaseSettings db = scratch.db.settings();
            try (RunStore store = RunStore.open(db)) {
                store.ledger().registerSweep(sweep.spec().name(), sweep.json(), planned);
            }
            ClaimRules rules = new ClaimRules("bench-ingest", Set.of(RunStatus.QUEUED), Instant.now(),
                    ClaimRules.DEFAULT_LEASE, ClaimRules.DEFAULT_MAX_ATTEMPTS);
            ExecutorService pool = Executors.newFixedThreadPool(writers);
            try {
                List<Future<Integer>> done = new ArrayList<>();
                Stopwatch writing = new Stopwatch();
                for (int w = 0; w < writers; w++) {
                    int writer = w;
                    done.add(pool.submit(() -> {
                        Placement placement = new Placement("writer-" + writer, "bench-ingest");
                        int written = 0;
                        try (RunStore store = RunStore.open(db)) {
                            for (int i = writer; i < planned.size(); i += writers) {
                                RunSpec run = planned.get(i);
                                Claim claim = store.ledger().claim(run, rules, placement).orElseThrow();
                                Instant now = Instant.now();
                                RunResult r = new RunResult(run, RunStatus.COMPLETE, null, "multiclass", 26, 4,
                                        List.of(32, 32, 4), 2052L, "fused", history, 0,
                                        Provenance.of(run.datasetSha256()), now, now);
                                if (store.results().save(r, claim)) written++;
                            }
                        }
                        return written;
                    }));
                }
                int written = 0;
                for (Future<Integer> f : done) written += f.get();
                return new Ingest(written, writers, epochs, writing.seconds());
            } finally {
                pool.shutdownNow();
            }
        }
    }

    private static BenchSpecs.Sweep sweep(int repetitions) {
        return BenchSpecs.sweep("bench-ledger", repetitions, new BenchSpecs.GridValues(
                "banana", List.of("rectangle"), List.of(3), List.of(1024L), 0.001, 32, 10));
    }

    /** {@code epochs} epochs of metrics that differ from epoch to epoch, as a training's do. */
    private static List<EpochMetrics> history(int epochs) {
        List<EpochMetrics> history = new ArrayList<>(epochs);
        for (int e = 0; e < epochs; e++) {
            double x = 1.0 / (e + 1);
            Metrics.Evaluation m = new Metrics.Evaluation(x, 1 - x, x * x, x, Math.sqrt(x * x), x / 2, x, x * x,
                    1 - x, x / 3);
            history.add(new EpochMetrics(m, m, 0.001 * x));
        }
        return history;
    }
}
