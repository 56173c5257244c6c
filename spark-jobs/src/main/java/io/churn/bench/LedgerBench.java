package io.churn.bench;

import io.churn.sink.Claim;
import io.churn.sink.ClaimRules;
import io.churn.sink.DatabaseSettings;
import io.churn.sink.PackedHistories;
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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

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

    /**
     * Results written in {@code seconds} by {@code executors} simulated executors of {@code cores}
     * task threads each, every executor's tasks sharing {@code connections} connections as a sweep's
     * do; each result has {@code epochs}-epoch histories of {@code packedBytes} on average;
     * {@code packing}: whether the writers packed each result's histories as they wrote it, or wrote
     * histories packed beforehand. {@code ceilingSeconds}: the same server's time to take as many
     * plain inserts of the same histories into a bare table, the most it takes of such bytes.
     */
    public record Ingest(int results, int executors, int cores, int connections, int epochs, boolean packing,
                         long packedBytes, double seconds, double ceilingSeconds) {
        public double resultsPerSecond() {
            return results / seconds;
        }

        public double ceilingPerSecond() {
            return results / ceilingSeconds;
        }
    }

    /**
     * A full export of {@code results} complete runs, then an incremental one after {@code added}
     * more completed: seconds of each, and the bytes each wrote.
     */
    public record Export(int results, int added, int epochs, double fullSeconds, long fullBytes,
                         double incrementalSeconds, long incrementalBytes, long rowsWritten) {
        public double ratio() {
            return fullSeconds / incrementalSeconds;
        }
    }

    private LedgerBench() {
    }

    /**
     * Records {@code repetitions} runs of one configuration in a fresh database: an embedded
     * PostgreSQL, or one made on {@code server} when it is not null (so for every step).
     */
    public static Result run(int repetitions, DatabaseSettings server) throws IOException, SQLException {
        BenchSpecs.Sweep sweep = sweep(repetitions);
        Stopwatch expanding = new Stopwatch();
        List<RunSpec> planned = GridExpander.expand(sweep.spec());
        double expand = expanding.seconds();
        try (Scratch scratch = new Scratch("churn-bench-ledger", server);
             RunStore store = RunStore.open(scratch.settings())) {
            Stopwatch first = new Stopwatch();
            store.ledger().registerSweep(sweep.spec().name(), sweep.json(), planned);
            double record = first.seconds();
            Stopwatch again = new Stopwatch();
            store.ledger().registerSweep(sweep.spec().name(), sweep.json(), planned);
            return new Result(planned.size(), expand, record, again.seconds());
        }
    }

    /**
     * Records {@code results} runs in a fresh database (as {@link #run} makes it), then times {@code executors}
     * simulated executors of {@code cores} task threads each, the threads of an executor sharing
     * one store of {@code connections} connections as a sweep's tasks do, claiming the runs and
     * writing a complete result with {@code epochs} epochs of every metric. With {@code packing},
     * each writer packs each result's histories, as an executor does; without, the results' few
     * distinct histories are packed before the clock starts, so that on a small machine the
     * writers' packing does not take the CPU the server under test needs (in a cluster, every
     * executor packs its own). Connections are opened before the clock starts.
     */
    public static Ingest ingest(int results, int executors, int cores, int connections, int epochs, boolean packing,
                                DatabaseSettings server) throws Exception {
        BenchSpecs.Sweep sweep = sweep(results);
        List<RunSpec> planned = GridExpander.expand(sweep.spec());
        java.util.Random random = new java.util.Random(17);
        List<List<EpochMetrics>> histories = new ArrayList<>();
        List<byte[]> packed = new ArrayList<>();
        for (int t = 0; t < INGEST_TEMPLATES; t++) {
            histories.add(trainingHistory(random, epochs));
            packed.add(PackedHistories.pack(histories.get(t)));
        }
        long packedBytes = packed.stream().mapToLong(b -> b.length).sum() / INGEST_TEMPLATES;
        int writers = executors * cores;
        try (Scratch scratch = new Scratch("churn-bench-ingest", server)) {
            DatabaseSettings db = scratch.settings();
            try (RunStore store = RunStore.open(db)) {
                store.ledger().registerSweep(sweep.spec().name(), sweep.json(), planned);
            }
            scratch.checkpoint(); // the planned runs on disk first, so that their writes are not the results'
            ClaimRules rules = new ClaimRules("bench-ingest", Set.of(RunStatus.QUEUED), Instant.now(),
                    ClaimRules.DEFAULT_LEASE, ClaimRules.DEFAULT_MAX_ATTEMPTS);
            List<RunStore> stores = new ArrayList<>();
            try {
                for (int e = 0; e < executors; e++) stores.add(RunStore.shared(db, connections));
                Together writing = together(writers, (writer, start) -> {
                    RunStore store = stores.get(writer / cores);
                    Placement placement = new Placement("executor-" + writer / cores, "bench-ingest");
                    store.ledger().completed(Set.of()); // opens the executor's connections, off the clock
                    start.await();
                    int written = 0;
                    for (int i = writer; i < planned.size(); i += writers) {
                        RunSpec run = planned.get(i);
                        Claim claim = store.ledger().claim(run, rules, placement).orElseThrow();
                        Instant now = Instant.now();
                        RunResult r = new RunResult(run, RunStatus.COMPLETE, null, "multiclass", 26, 4,
                                List.of(32, 32, 4), 2052L, "fused", histories.get(i % INGEST_TEMPLATES), 0,
                                Provenance.of(run.datasetSha256()), now, now);
                        boolean saved = packing ? store.results().save(r, claim)
                                : store.results().save(r, packed.get(i % INGEST_TEMPLATES), claim);
                        if (saved) written++;
                    }
                    return written;
                });
                return new Ingest(writing.done(), executors, cores, connections, epochs, packing, packedBytes,
                        writing.seconds(), ceiling(scratch, packed, writing.done()));
            } finally {
                for (RunStore store : stores) store.close();
            }
        }
    }

    /** Connections of the ceiling's inserts: the most the server took of them here (16 to 64 take no more). */
    private static final int CEILING_CONNECTIONS = 16;

    /**
     * Seconds for {@link #CEILING_CONNECTIONS} connections to insert {@code count} of {@code packed}
     * (in turn) into a bare table, one row per transaction, as durably as results: what the server
     * and its disk take of such bytes without a ledger around them.
     */
    private static double ceiling(Scratch scratch, List<byte[]> packed, int count) throws Exception {
        DatabaseSettings db = scratch.settings();
        try (java.sql.Connection c = db.connect(); java.sql.Statement s = c.createStatement()) {
            s.execute("create table ceiling (id integer primary key, histories bytea)");
            s.execute("alter table ceiling alter histories set storage external");
        }
        scratch.checkpoint(); // the results' pages on disk first, so that their writes are not the ceiling's
        return together(CEILING_CONNECTIONS, (writer, start) -> {
            try (java.sql.Connection c = db.connect();
                 java.sql.PreparedStatement insert = c.prepareStatement("insert into ceiling values (?, ?)")) {
                start.await();
                int inserted = 0;
                for (int i = writer; i < count; i += CEILING_CONNECTIONS, inserted++) {
                    insert.setInt(1, i);
                    insert.setBytes(2, packed.get(i % packed.size()));
                    insert.executeUpdate();
                }
                return inserted;
            }
        }).seconds();
    }

    /** One of {@link #together}'s workers: gets ready, calls {@code start.await()}, then does the timed work. */
    @FunctionalInterface
    private interface Worker {
        /** What worker {@code index} did (results written, rows inserted). */
        int work(int index, Start start) throws Exception;
    }

    /** Where a worker waits for the others to be ready. */
    @FunctionalInterface
    private interface Start {
        void await() throws InterruptedException;
    }

    /** What the workers did in all, and the seconds from their common start until the last one ended. */
    private record Together(int done, double seconds) {
    }

    /**
     * Runs {@code workers} workers on threads of their own, timed from when all are ready; a worker
     * that fails before then fails the whole, rather than leaving the others waiting.
     */
    private static Together together(int workers, Worker worker) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        try {
            CountDownLatch ready = new CountDownLatch(workers);
            CountDownLatch go = new CountDownLatch(1);
            Start start = () -> {
                ready.countDown();
                go.await();
            };
            List<Future<Integer>> running = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                int index = w;
                running.add(pool.submit(() -> worker.work(index, start)));
            }
            while (!ready.await(100, TimeUnit.MILLISECONDS)) {
                for (Future<Integer> f : running) {
                    if (f.isDone()) f.get(); // a worker that ended before the start: its error
                }
            }
            Stopwatch clock = new Stopwatch();
            go.countDown();
            int done = 0;
            for (Future<Integer> f : running) done += f.get();
            return new Together(done, clock.seconds());
        } finally {
            pool.shutdownNow();
        }
    }

    /** Distinct histories the ingest's results cycle through: each result is packed on its own, so a few suffice. */
    private static final int INGEST_TEMPLATES = 16;

    /** Distinct histories the synthetic results cycle through: enough that no file compresses them away. */
    private static final int TEMPLATES = 256;

    /**
     * Times a full export of {@code results} complete runs of {@code epochs}-epoch histories, then an
     * incremental export after {@code added} more runs completed. The results are {@link #TEMPLATES}
     * (or {@code results}, if fewer) results written as a task writes them, with histories shaped like a training's (a loss that
     * falls with noise, an accuracy that climbs in steps of one sample), copied by the server to the
     * rest of the runs.
     */
    public static Export export(int results, int added, int epochs, DatabaseSettings server) throws Exception {
        BenchSpecs.Sweep sweep = sweep(results + added);
        List<RunSpec> planned = GridExpander.expand(sweep.spec());
        String name = sweep.spec().name();
        int templates = Math.min(TEMPLATES, results);
        try (Scratch scratch = new Scratch("churn-bench-export", server)) {
            DatabaseSettings db = scratch.settings();
            try (RunStore store = RunStore.open(db)) {
                store.ledger().registerSweep(name, sweep.json(), planned);
                ClaimRules rules = new ClaimRules("bench-export", Set.of(RunStatus.QUEUED), Instant.now(),
                        ClaimRules.DEFAULT_LEASE, ClaimRules.DEFAULT_MAX_ATTEMPTS);
                Placement placement = new Placement("writer", "bench-export");
                java.util.Random random = new java.util.Random(17);
                for (int t = 0; t < templates; t++) {
                    RunSpec run = planned.get(t);
                    Claim claim = store.ledger().claim(run, rules, placement).orElseThrow();
                    Instant now = Instant.now();
                    store.results().save(new RunResult(run, RunStatus.COMPLETE, null, "multiclass", 26, 4,
                            List.of(32, 32, 4), 2052L, "fused", trainingHistory(random, epochs), 0,
                            Provenance.of(run.datasetSha256()), now, now), claim);
                }
            }
            complete(db, name, templates, planned.subList(templates, results));
            String resultsUri = scratch.uri("results");
            String partition = io.churn.sink.ResultDataset.RUNS.partitionUri(resultsUri, name);
            Stopwatch full = new Stopwatch();
            io.churn.sink.SweepExport.export(db, name, resultsUri, true);
            double fullSeconds = full.seconds();
            long fullBytes = bytes(partition);
            complete(db, name, templates, planned.subList(results, results + added));
            Stopwatch incremental = new Stopwatch();
            io.churn.sink.SweepExport.Exported e = io.churn.sink.SweepExport.export(db, name, resultsUri, false);
            double incrementalSeconds = incremental.seconds();
            return new Export(results, added, epochs, fullSeconds, fullBytes, incrementalSeconds,
                    bytes(partition) - fullBytes, e.written());
        }
    }

    /** Completes {@code runs} on the server with the outcomes of the first {@code templates} results, in turn. */
    private static void complete(DatabaseSettings db, String sweep, int templates, List<RunSpec> runs)
            throws SQLException {
        String outcome = String.join(", ", io.churn.sink.ResultColumns.OUTCOME);
        try (java.sql.Connection c = db.connect(); java.sql.PreparedStatement s = c.prepareStatement(
                "with template as materialized (select row_number() over (order by run_id) - 1 as k, " + outcome
                        + " from run where status = 'complete' and run_id in (select run_id from sweep_run"
                        + " where sweep = ?) order by run_id limit " + templates + "),"
                        + " todo as materialized (select run_id, (row_number() over (order by run_id) - 1) % " + templates
                        + " as k from unnest(?::text[]) as u(run_id))"
                        + " update run r set (" + outcome + ") = (" + outcome.replaceAll("(\\w+)", "t.$1") + ")"
                        + " from todo join template t using (k) where r.run_id = todo.run_id")) {
            s.setString(1, sweep);
            s.setArray(2, c.createArrayOf("text", runs.stream().map(RunSpec::runId).toArray()));
            s.executeUpdate();
        }
    }

    /** Bytes of the data files under a local folder. */
    private static long bytes(String uri) throws IOException {
        try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.walk(
                java.nio.file.Path.of(java.net.URI.create(uri)), java.nio.file.FileVisitOption.FOLLOW_LINKS)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".parquet")).mapToLong(f -> f.toFile().length())
                    .sum();
        }
    }

    /**
     * {@code epochs} epochs shaped like a training's: losses falling from about 1 with noise, accuracy
     * climbing in steps of one sample of 1,000, the other metrics following the loss.
     */
    static List<EpochMetrics> trainingHistory(java.util.Random random, int epochs) {
        List<EpochMetrics> history = new ArrayList<>(epochs);
        double scale = 20 + random.nextInt(200);
        int correct = 500;
        for (int e = 0; e < epochs; e++) {
            if (correct < 1000 && random.nextDouble() < 0.3) correct++;
            history.add(new EpochMetrics(evaluation(random, scale, e, correct), evaluation(random, scale, e, correct - 5),
                    0.002 + 0.0005 * random.nextDouble()));
        }
        return history;
    }

    private static Metrics.Evaluation evaluation(java.util.Random random, double scale, int epoch, int correct) {
        double loss = 0.05 + Math.exp(-epoch / scale) * (0.9 + 0.1 * random.nextDouble())
                + 0.01 * random.nextGaussian();
        double mse = loss * loss / 2;
        return new Metrics.Evaluation(loss, correct / 1000.0, mse, Math.sqrt(mse), Math.sqrt(mse),
                Math.log1p(mse), 1 - loss / 2, (1 - loss / 2) * (1 - loss / 2), 1 - mse, loss * 0.7);
    }

    private static BenchSpecs.Sweep sweep(int repetitions) {
        return BenchSpecs.sweep("bench-ledger", repetitions, new BenchSpecs.GridValues(
                "banana", List.of("rectangle"), List.of(3), List.of(1024L), 0.001, 32, 10));
    }
}
