package io.churn.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.churn.SparkTestSession;
import io.churn.spec.RunSpec;
import io.churn.train.EpochMetrics;
import io.churn.train.Metrics;
import io.churn.train.Provenance;
import io.churn.train.RunResult;
import io.churn.train.RunStatus;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL restarts while results (of runs and of PBT) are being written: the writes wait,
 * reconnect and land, once each.
 */
class DatabaseOutageTest {

    @Test
    void results_written_during_a_restart_are_retried_and_none_is_lost(@TempDir Path work) throws Exception {
        Path data = work.resolve("postgres");
        AtomicReference<EmbeddedDatabase> server = new AtomicReference<>(EmbeddedDatabase.start(data));
        DatabaseSettings db = server.get().settings();
        SchemaMigration.migrate(db);
        List<RunSpec> runs = RunStoreTest.runs("outage", 1).subList(0, 8);
        try (RunStore store = RunStore.open(db); PbtStore pbt = PbtStore.open(db)) {
            store.ledger().registerSweep("outage", "{}", runs);
            pbt.register("outage", "{}", 1, io.churn.pbt.Metric.TEST_LOSS, "min");
            for (int g = 0; g < runs.size(); g++) {
                pbt.savePlan("outage", g, List.of(new PbtStore.MemberPlan(0, Map.of(), null, "w", 0)));
            }
            CompletableFuture<Void> restart = restartSoon(server, data);
            long slowest = 0;
            for (int i = 0; i < runs.size(); i++) {
                RunSpec run = runs.get(i);
                long t0 = System.nanoTime();
                RunStoreTest.save(store, new RunResult(run, RunStatus.COMPLETE, null, "binary", 2, 1, List.of(3, 1), 13L,
                        "fused", List.of(), 0, Provenance.CURRENT, Instant.now(), Instant.now()));
                // PBT's records follow the same reconnect policy: one member's result per generation
                pbt.saveResult("outage", i, 0, 0, "attempt-" + i, 1.0, null, null, "fused", Provenance.CURRENT,
                        List.of(new PbtStore.Epoch(i, new EpochMetrics(new Metrics.Evaluation(1, null, 1, 1, 1, 1, 1, 1, 1, 1),
                                new Metrics.Evaluation(1, null, 1, 1, 1, 1, 1, 1, 1, 1), 0.1), "h", "7")));
                slowest = Math.max(slowest, System.nanoTime() - t0);
                Thread.sleep(200);
            }
            restart.get(60, TimeUnit.SECONDS);
            assertTrue(slowest > TimeUnit.SECONDS.toNanos(1), "one write waited out the restart");
        }
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet epochs = s.executeQuery("select count(*) from pbt_epoch where pbt = 'outage'")) {
            epochs.next();
            assertEquals(8, epochs.getInt(1));
        }
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select count(*), count(*) filter (where status = 'complete'),"
                     + " max(attempts) from run join sweep_run using (run_id) where sweep = 'outage'")) {
            rs.next();
            assertEquals(8, rs.getInt(1));
            assertEquals(8, rs.getInt(2));
            assertEquals(1, rs.getInt(3));
            String results = work.resolve("results").toUri().toString();
            assertEquals(8, ParquetExport.export(db, "outage", results));
            assertEquals(8, SparkTestSession.get().read().parquet(results + "/runs").select("run_id").distinct().count());
        } finally {
            server.get().close();
        }
    }

    @Test
    void threads_sharing_a_store_wait_out_a_restart_on_their_few_connections(@TempDir Path work) throws Exception {
        Path data = work.resolve("postgres");
        AtomicReference<EmbeddedDatabase> server = new AtomicReference<>(EmbeddedDatabase.start(data));
        DatabaseSettings db = server.get().settings();
        SchemaMigration.migrate(db);
        List<RunSpec> runs = RunStoreTest.runs("shared-outage", 1).subList(0, 16);
        int threads = 4;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try (RunStore store = RunStore.shared(db, 2)) {
            store.ledger().registerSweep("shared-outage", "{}", runs);
            CompletableFuture<Void> restart = restartSoon(server, data);
            List<java.util.concurrent.Future<Object>> writers = new java.util.ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int first = t;
                writers.add(pool.submit(() -> {
                    for (int i = first; i < runs.size(); i += threads) {
                        RunStoreTest.save(store, new RunResult(runs.get(i), RunStatus.COMPLETE, null, "binary", 2, 1,
                                List.of(3, 1), 13L, "fused", List.of(), 0, Provenance.CURRENT, Instant.now(), Instant.now()));
                        Thread.sleep(300);
                    }
                    return null;
                }));
            }
            for (java.util.concurrent.Future<Object> w : writers) w.get(2, TimeUnit.MINUTES);
            restart.get(60, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select count(*) filter (where status = 'complete'), max(attempts)"
                     + " from run join sweep_run using (run_id) where sweep = 'shared-outage'")) {
            rs.next();
            assertEquals(16, rs.getInt(1), "every thread's results landed");
            assertEquals(1, rs.getInt(2), "each once");
        } finally {
            server.get().close();
        }
    }

    /** Stops the server in 0.4 s and starts it again, on the same data and port, 2 s later. */
    private static CompletableFuture<Void> restartSoon(AtomicReference<EmbeddedDatabase> server, Path data) {
        int port = URI.create(server.get().settings().url().substring("jdbc:".length())).getPort();
        return CompletableFuture.runAsync(() -> {
            try {
                Thread.sleep(400);
                server.get().close();
                Thread.sleep(2000);
                server.set(EmbeddedDatabase.start(data, port));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
    }
}
