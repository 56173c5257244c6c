package io.churn.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.churn.SparkTestSession;
import io.churn.TestDatabase;
import io.churn.hadoop.WeightStore;
import io.churn.pbt.Metric;
import io.churn.pbt.PbtRules;
import io.churn.pbt.PbtSpec;
import io.churn.pbt.PbtSpecParser;
import io.churn.sink.DatabaseRestart;
import io.churn.sink.DatabaseSettings;
import io.churn.sink.EmbeddedDatabase;
import io.churn.sink.PbtStatus;
import io.churn.sink.PbtStore;
import io.churn.sink.SchemaMigration;
import io.churn.train.Engine;
import io.churn.train.Provenance;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.spark.api.java.function.Function;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PBT jobs under faults, on local[2] with a real PostgreSQL and real training of a small network
 * (a regression under plain SGD in small batches, whose weights overflow at a huge learning rate):
 * a generation in which every member diverges, a late duplicate of a task attempt, and the
 * database restarting mid-job.
 */
class PbtFaultsTest {

    static final String SPEC = """
            { "name": "%s", "seed": 5, "dataset": "wine_quality_white", "optimizer": "sgd",
              "shape": "rectangle", "depth": 2, "size": 64,
              "population": 2, "generations": 2, "epochs_per_generation": 1,
              "space": { "learning_rate": %s,
                         "batch_size": { "values": [16, 32] } } }
            """;

    @TempDir
    static Path work;
    static DatabaseSettings db;
    static String weights;
    static String results;
    static final PrintStream QUIET = new PrintStream(new ByteArrayOutputStream());

    @BeforeAll
    static void database() {
        db = TestDatabase.create(PbtFaultsTest.class);
        weights = work.resolve("weights").toUri().toString();
        results = work.resolve("results").toUri().toString();
    }

    static String spec(String name) {
        return SPEC.formatted(name, "{ \"lower\": 0.001, \"upper\": 0.01, \"log\": true }");
    }

    static PbtDriver.Summary run(DatabaseSettings settings, String json, Function<MemberTask, Double> members)
            throws Exception {
        PbtSpec spec = PbtSpecParser.parse(json, "t", null);
        return PbtDriver.run(SparkTestSession.get(), spec, json, settings, weights, results, QUIET, members);
    }

    static TrainMember members(DatabaseSettings settings) {
        return new TrainMember(settings, new WeightStore(weights), null, Engine.AUTO);
    }

    static List<List<Object>> rows(DatabaseSettings settings, String sql) throws Exception {
        List<List<Object>> out = new ArrayList<>();
        try (Connection c = settings.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                List<Object> row = new ArrayList<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) row.add(rs.getObject(i));
                out.add(row);
            }
        }
        return out;
    }

    static Object scalar(String sql) throws Exception {
        return rows(db, sql).get(0).get(0);
    }

    @Test
    void a_generation_that_diverges_everywhere_restarts_from_its_starting_weights_and_the_job_completes()
            throws Exception {
        PbtDriver.Summary s = run(db, spec("rescued"), new DivergingTraining(members(db), 1, 1));
        assertTrue(Double.isFinite(s.bestScore()), "the restart trained to a finite score");
        assertEquals(2, scalar("select completed_generations from pbt where pbt = 'rescued'"));
        assertEquals("complete", scalar("select status from pbt where pbt = 'rescued'"));
        // the diverged try is recorded, each member's restart re-explored from its own hyperparameters
        List<List<Object>> restarts = rows(db, "select member, restart, score::text, error,"
                + " hyperparameters_before::text, hyperparameters_after::text, weights_from from pbt_restart"
                + " where pbt = 'rescued' and generation = 1 order by member");
        assertEquals(2, restarts.size());
        for (List<Object> r : restarts) {
            assertEquals(1, r.get(1));
            assertEquals("NaN", r.get(2));
            assertTrue(((String) r.get(3)).contains("training diverged"), (String) r.get(3));
            assertNotEquals(r.get(4), r.get(5), "hyperparameters re-explored");
            int member = (Integer) r.get(0);
            // restarted from the weights generation 1 started from: what the member saved after generation 0
            // (or its donor's), the weights its plan named
            assertEquals(rows(db, "select weights_from from pbt_member where pbt = 'rescued' and generation = 1"
                    + " and member = " + member).get(0).get(0), r.get(6));
            WeightStore store = new WeightStore(weights);
            assertEquals(WeightStore.digest(store.load((String) r.get(6))), scalar("select initial_weights_sha256"
                    + " from pbt_score where pbt = 'rescued' and generation = 1 and member = " + member));
            assertEquals(rows(db, "select hyperparameters::text from pbt_member where pbt = 'rescued'"
                    + " and generation = 1 and member = " + member).get(0).get(0), r.get(5), "the restart's plan");
        }
        assertEquals(List.of(List.of(1, 2L)), rows(db, "select restart, count(*) from pbt_score"
                + " where pbt = 'rescued' and generation = 1 and error is null group by restart"));
        assertEquals(2L, scalar("select count(*) from pbt_epoch where pbt = 'rescued' and generation = 1"),
                "only the restart's epochs");
        try (PbtStore store = PbtStore.open(db)) {
            PbtStatus status = store.status("rescued");
            assertEquals(Map.of(1, 1), status.restarts());
            assertEquals("complete", status.status());
        }
    }

    @Test
    void a_generation_that_diverges_however_often_it_restarts_ends_the_job_with_an_error_naming_it()
            throws Exception {
        PbtDriver.PbtDivergedException e = assertThrows(PbtDriver.PbtDivergedException.class,
                () -> run(db, spec("hopeless"), new DivergingTraining(members(db), 1, Integer.MAX_VALUE)));
        assertTrue(e.getMessage().contains("generation 2/2 diverged"), e.getMessage());
        assertTrue(e.getMessage().contains("training diverged"), e.getMessage());
        assertEquals("failed", scalar("select status from pbt where pbt = 'hopeless'"));
        assertEquals(e.getMessage(), scalar("select error from pbt where pbt = 'hopeless'"));
        assertEquals(1, scalar("select completed_generations from pbt where pbt = 'hopeless'"));
        assertEquals(List.of(List.of(1, 1, 2L), List.of(1, 2, 2L)), rows(db, "select generation, restart, count(*)"
                + " from pbt_restart where pbt = 'hopeless' group by generation, restart order by restart"));
        assertEquals(0L, scalar("select count(*) from pbt_lineage where pbt = 'hopeless' and generation = 1"),
                "nobody copied a diverged member");
        try (PbtStore store = PbtStore.open(db)) {
            PbtStatus status = store.status("hopeless");
            assertEquals(Map.of(1, PbtRules.RESTARTS), status.restarts());
            assertEquals("failed", status.status());
        }
    }


    @Test
    void a_late_duplicate_attempt_does_not_replace_the_recorded_score_epochs_or_weights() throws Exception {
        run(db, spec("plain"), members(db));
        run(db, spec("duplicated"), new DuplicateAttempt(members(db), 0, 1, 0.5));
        String score = "select member, score, engine from pbt_score where pbt = '%s' order by generation, member";
        assertEquals(rows(db, score.formatted("plain")), rows(db, score.formatted("duplicated")));
        double recorded = (Double) scalar("select score from pbt_score where pbt = 'duplicated' and generation = 0"
                + " and member = 1");
        assertNotEquals(recorded, DuplicateAttempt.LATE.get("duplicated"), "the duplicate trained otherwise");
        String epochs = "select generation, member, epoch, train_loss, test_loss from pbt_epoch where pbt = '%s'"
                + " order by generation, member, epoch";
        assertEquals(rows(db, epochs.formatted("plain")), rows(db, epochs.formatted("duplicated")));
        WeightStore store = new WeightStore(weights);
        assertEquals(WeightStore.digest(store.load(store.path("plain", 0, 1))),
                WeightStore.digest(store.load(store.path("duplicated", 0, 1))), "the first attempt's weights stand");
        assertEquals(1L, scalar("select count(distinct attempt) from pbt_score where pbt = 'duplicated'"
                + " and generation = 0 and member = 1"));
    }

    @Test
    void an_attempt_of_a_restarted_generations_earlier_training_records_nothing() throws Exception {
        try (PbtStore store = PbtStore.open(db)) {
            store.register("stale", "{}", 1, Metric.TEST_LOSS, "min");
            store.savePlan("stale", 0, List.of(new PbtStore.MemberPlan(0, Map.of(), null, "w", 1)));
            assertNull(store.saveResult("stale", 0, 0, 0, "old", 1.0, null, null, "fused", Provenance.CURRENT,
                    List.of()));
            assertEquals("new", store.saveResult("stale", 0, 0, 1, "new", 2.0, null, null, "fused",
                    Provenance.CURRENT, List.of()));
            assertEquals("new", store.saveResult("stale", 0, 0, 1, "later", 3.0, null, null, "fused",
                    Provenance.CURRENT, List.of()));
            assertEquals(Map.of(0, 2.0), store.scores("stale", 0));
        }
    }

    @Test
    void a_database_restart_during_a_job_is_waited_out_and_the_job_completes() throws Exception {
        Path data = work.resolve("restarted-postgres");
        AtomicReference<EmbeddedDatabase> server = new AtomicReference<>(EmbeddedDatabase.start(data));
        AtomicInteger restarts = new AtomicInteger();
        try {
            DatabaseSettings own = server.get().settings();
            SchemaMigration.migrate(own);
            RestartingDatabase.RESTART = () -> {
                server.set(DatabaseRestart.restart(server.get(), data));
                restarts.incrementAndGet();
            };
            PbtDriver.Summary s = run(own, spec("outage"), new RestartingDatabase(members(own), 1));
            assertEquals(1, restarts.get(), "the server restarted mid-job");
            assertTrue(Double.isFinite(s.bestScore()));
            assertEquals(List.of(List.of(2, "complete")), rows(own, "select completed_generations, status from pbt"
                    + " where pbt = 'outage'"));
            assertEquals(List.of(List.of(4L, 4L)), rows(own, "select count(*), count(distinct (generation, member))"
                    + " from pbt_score where pbt = 'outage' and error is null"));
            assertEquals(4L, rows(own, "select count(*) from pbt_epoch where pbt = 'outage'").get(0).get(0));
        } finally {
            RestartingDatabase.RESTART = () -> { };
            server.get().close();
        }
    }
}
