package io.churn.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.churn.SparkTestSession;
import io.churn.data.Datasets;
import io.churn.data.PreparedDataset;
import io.churn.hadoop.HadoopDataSource;
import io.churn.TestDatabase;
import io.churn.data.Datasets;
import io.churn.hadoop.WeightStore;
import io.churn.pbt.PbtRules;
import io.churn.pbt.PbtSpec;
import io.churn.pbt.PbtSpecParser;
import io.churn.sink.DatabaseSettings;
import io.churn.sink.EmbeddedDatabase;
import io.churn.sink.RunStore;
import io.churn.train.Engine;
import io.churn.train.Trainer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A three-generation PBT on local[2] with a real PostgreSQL: it crashes in generation 2, resumes,
 * and ends with the same decisions as an uninterrupted job of the same seed. Members train on the
 * engine {@code auto} picks; the replay on the other one.
 */
class PbtIntegrationTest {

    static final String SPEC = """
            { "name": "%s", "seed": 21, "dataset": "banana", "shape": "rectangle", "depth": 2, "size": 128,
              "population": 4, "generations": 3, "epochs_per_generation": 1,
              "exploit": { "method": "truncation", "fraction": 0.25 },
              "explore": { "perturb_factors": [0.8, 1.2], "resample_probability": 0.25 },
              "space": { "learning_rate": { "lower": 0.001, "upper": 0.1, "log": true },
                         "batch_size": { "values": [32, 64, 128] } } }
            """;

    @TempDir
    static Path work;
    static DatabaseSettings db;
    static String weights;
    static String results;
    static PbtDriver.Summary resumed;
    static PbtDriver.Summary straight;
    static Exception crash;
    static int completedAtCrash;

    @BeforeAll
    static void runCrashResumeAndAStraightJob() throws Exception {
        db = TestDatabase.create(PbtIntegrationTest.class);
        weights = work.resolve("weights").toUri().toString();
        results = work.resolve("results").toUri().toString();
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
        String crashed = SPEC.formatted("crashed");
        PbtSpec spec = PbtSpecParser.parse(crashed, "t", null);
        FailingGeneration secondLost = new FailingGeneration(
                new TrainMember(db, new WeightStore(weights), null, Engine.AUTO), 1);
        crash = assertThrows(Exception.class, () -> PbtDriver.run(SparkTestSession.get(), spec, crashed, db, weights,
                results, quiet, secondLost));
        completedAtCrash = scalar("select completed_generations from pbt where pbt = 'crashed'");
        // resumed with another engine asked for: every member goes on from saved weights, on the engine that saved them
        resumed = PbtDriver.run(SparkTestSession.get(), spec, crashed, db, weights, results, quiet,
                other(autoEngine(spec)));
        String plain = SPEC.formatted("straight");
        straight = PbtDriver.run(SparkTestSession.get(), PbtSpecParser.parse(plain, "t", null), plain, db, weights,
                results, quiet);
    }

    /** The engine {@code auto} trains the spec's network on, as a sweep's run of the same layout. */
    static String autoEngine(PbtSpec spec) {
        PreparedDataset data = Datasets.load(spec.dataset(), new HadoopDataSource());
        return Engine.AUTO.engineName(Trainer.layout(spec.runSpec(PbtRules.initial(spec).get(0), 0, 1), data));
    }

    static Engine other(String engine) {
        return engine.equals(Engine.DL4J.specName()) ? Engine.FUSED : Engine.DL4J;
    }

    static int scalar(String sql) throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    static List<List<Object>> rows(String sql) throws Exception {
        return TestDatabase.rows(db, sql);
    }

    @Test
    void a_job_ranked_by_a_butter_metric_scores_each_member_by_it() throws Exception {
        String json = """
                { "name": "by-rmse", "seed": 4, "dataset": "banana", "shape": "rectangle", "depth": 2, "size": 64,
                  "population": 2, "generations": 2, "epochs_per_generation": 1,
                  "metric": "test_root_mean_squared_error",
                  "space": { "learning_rate": { "lower": 0.001, "upper": 0.1, "log": true } } }
                """;
        PbtSpec spec = PbtSpecParser.parse(json, "t", null);
        assertTrue(!spec.maximize(), "an error is minimized");
        PbtDriver.run(SparkTestSession.get(), spec, json, db, weights, results,
                new PrintStream(new ByteArrayOutputStream()));
        assertEquals(List.of(List.of("test_root_mean_squared_error", "min")),
                rows("select metric, mode from pbt where pbt = 'by-rmse'"));
        // each score is the member's last epoch's RMSE of its generation, the root of that epoch's MSE
        List<List<Object>> scored = rows("select s.score, e.test_root_mean_squared_error, e.test_mean_squared_error"
                + " from pbt_score s join pbt_epoch e using (pbt, generation, member)"
                + " where pbt = 'by-rmse' order by s.generation, s.member");
        assertEquals(4, scored.size());
        for (List<Object> row : scored) {
            double score = (Double) row.get(0);
            assertEquals((Double) row.get(1), score, 1e-12);
            assertEquals(Math.sqrt((Double) row.get(2)), score, 1e-6 * score);
        }
    }

    @Test
    void the_crashed_job_resumes_after_its_last_completed_generation_without_duplicates() throws Exception {
        assertTrue(crash.getMessage().contains("injected fault"), crash.getMessage());
        assertEquals(1, completedAtCrash);
        assertEquals(1, resumed.resumedFrom());
        assertEquals(3, scalar("select completed_generations from pbt where pbt = 'crashed'"));
        assertEquals(4 * 3, scalar("select count(*) from pbt_epoch where pbt = 'crashed'"));
        assertEquals(4 * 3, scalar("select count(*) from pbt_score where pbt = 'crashed' and error is null"));
        assertEquals(4 * 3, scalar("select count(*) from pbt_member where pbt = 'crashed'"));
        assertEquals(3, scalar("select count(distinct generation) from pbt_epoch where pbt = 'crashed'"));
    }

    @Test
    void every_member_saves_weights_each_generation() throws Exception {
        WeightStore store = new WeightStore(weights);
        for (int g = 0; g < 3; g++) {
            for (int m = 0; m < 4; m++) {
                assertTrue(store.exists(store.path("crashed", g, m)), "gen " + g + " member " + m);
            }
        }
        try (var files = Files.walk(work.resolve("weights"))) {
            assertEquals(0, files.filter(p -> p.getFileName().toString().endsWith(".tmp")).count(),
                    "no temporary files left");
        }
    }

    @Test
    void a_copied_member_starts_the_next_generation_from_its_donors_saved_weights() throws Exception {
        WeightStore store = new WeightStore(weights);
        List<List<Object>> lineage = rows("select generation, member, donor from pbt_lineage where pbt = 'crashed'"
                + " order by generation, member");
        assertEquals(2, lineage.size(), "one exploit per generation boundary with four members at 25%");
        for (List<Object> l : lineage) {
            int g = (Integer) l.get(0);
            int member = (Integer) l.get(1);
            int donor = (Integer) l.get(2);
            assertNotEquals(member, donor);
            String donorDigest = WeightStore.digest(store.load(store.path("crashed", g, donor)));
            List<List<Object>> started = rows("select initial_weights_sha256 from pbt_score where pbt = 'crashed'"
                    + " and generation = " + (g + 1) + " and member = " + member);
            assertEquals(donorDigest, started.get(0).get(0));
            String ownDigest = WeightStore.digest(store.load(store.path("crashed", g, member)));
            assertNotEquals(ownDigest, donorDigest);
        }
        // members that were not copied go on from their own weights
        for (List<Object> kept : rows("select s.generation, s.member, s.initial_weights_sha256 from pbt_score s"
                + " where s.pbt = 'crashed' and s.generation > 0 and not exists (select 1 from pbt_lineage l"
                + " where l.pbt = s.pbt and l.generation = s.generation - 1 and l.member = s.member)")) {
            int g = (Integer) kept.get(0);
            int member = (Integer) kept.get(1);
            assertEquals(WeightStore.digest(store.load(store.path("crashed", g - 1, member))), kept.get(2));
        }
    }

    @Test
    void each_members_engine_is_recorded_and_exported_and_auto_picks_as_for_a_sweep() throws Exception {
        String auto = autoEngine(PbtSpecParser.parse(SPEC.formatted("straight"), "t", null));
        for (String job : List.of("straight", "crashed")) {
            assertEquals(List.of(List.of(auto, 4 * 3L)), rows("select engine, count(*) from pbt_score where pbt = '"
                    + job + "' group by engine"), job);
        }
        List<Row> epochs = SparkTestSession.get().read().parquet(results + "/pbt_epoch").where("pbt = 'crashed'")
                .collectAsList();
        assertTrue(epochs.stream().allMatch(r -> auto.equals(r.getString(r.fieldIndex("engine")))), epochs.toString());
    }

    @Test
    void the_same_seed_gives_the_same_decisions_with_or_without_a_crash() throws Exception {
        String sql = "select generation, member, donor, hyperparameters_after::text, score from pbt_lineage"
                + " where pbt = '%s' order by generation, member";
        assertEquals(rows(sql.formatted("straight")), rows(sql.formatted("crashed")));
        assertEquals(straight.bestMember(), resumed.bestMember());
        assertEquals(straight.bestScore(), resumed.bestScore());
    }

    @Test
    void replay_trains_the_best_members_schedule_from_fresh_weights() throws Exception {
        String plain = SPEC.formatted("straight");
        PbtSpec spec = PbtSpecParser.parse(plain, "t", null);
        Engine engine = other(autoEngine(spec));
        PbtDriver.Replay replay = PbtDriver.replay(SparkTestSession.get(), spec, plain, db, weights, results, straight,
                new PrintStream(new ByteArrayOutputStream()), engine);
        assertEquals(3, replay.schedule().size());
        // the schedule is the ancestry of the best member: its own last plan, then whoever it descends from
        List<List<Object>> last = rows("select hyperparameters::text from pbt_member where pbt = 'straight'"
                + " and generation = 2 and member = " + straight.bestMember());
        ObjectMapper json = new ObjectMapper();
        assertEquals(json.readTree((String) last.get(0).get(0)).toString(),
                json.valueToTree(replay.schedule().get(2)).toString());
        assertEquals(3, scalar("select count(*) from pbt_epoch where pbt = 'straight.replay'"));
        assertEquals(null, rows("select initial_weights_sha256 from pbt_score where pbt = 'straight.replay'"
                + " and generation = 0").get(0).get(0), "generation 0 starts from fresh weights");
        assertTrue(Double.isFinite(replay.score()));
        assertEquals(List.of(List.of(engine.specName(), 3L)), rows("select engine, count(*) from pbt_score"
                + " where pbt = 'straight.replay' group by engine"), "the replay trains on the engine asked for");
    }

    @Test
    void records_and_lineage_are_exported_to_parquet() {
        List<Row> epochs = SparkTestSession.get().read().parquet(results + "/pbt_epoch")
                .where("pbt = 'crashed'").collectAsList();
        assertEquals(12, epochs.size());
        assertTrue(epochs.stream().allMatch(r -> r.getDouble(r.fieldIndex("learning_rate")) > 0));
        assertEquals(2, SparkTestSession.get().read().parquet(results + "/pbt_lineage")
                .where("pbt = 'crashed'").count());
    }

    @Test
    void every_members_generation_records_where_and_with_what_it_trained_in_sql_and_parquet() throws Exception {
        List<Object> expected = List.of(System.getProperty("os.name"), System.getProperty("os.arch"),
                SparkTestSession.get().version(), "1.0.0-M2.1", Datasets.load("banana").sha256());
        String columns = "os_name, os_arch, spark_version, dl4j_version, dataset_sha256";
        assertEquals(List.of(expected), rows("select distinct " + columns + " from pbt_score where pbt = 'crashed'"));
        assertEquals(12, scalar("select count(*) from pbt_score where pbt = 'crashed' and host is not null"
                + " and java_version is not null and churn_revision is not null"));
        List<Row> epochs = SparkTestSession.get().read().parquet(results + "/pbt_epoch")
                .where("pbt = 'crashed'").collectAsList();
        for (Row r : epochs) {
            assertEquals(expected, Stream.of(columns.split(", ")).map(c -> (Object) r.getString(r.fieldIndex(c)))
                    .toList());
        }
    }
}
