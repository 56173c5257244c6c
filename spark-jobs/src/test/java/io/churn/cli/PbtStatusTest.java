package io.churn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.churn.SparkTestSession;
import io.churn.driver.PbtDriver;
import io.churn.pbt.PbtSpecParser;
import io.churn.sink.DatabaseSettings;
import io.churn.sink.EmbeddedDatabase;
import io.churn.sink.SchemaMigration;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code churn status} on PBT jobs, one ranked by test accuracy (higher is better) and one by test
 * loss (lower is better), trained for real on local[2] into the work folder's embedded PostgreSQL:
 * each job's generation, members, best and median under its own metric and mode, and who copied whom.
 */
class PbtStatusTest {

    static final String SPEC = """
            { "name": "%s", "seed": 8, "dataset": "banana", "shape": "rectangle", "depth": 2, "size": 64,
              "population": 3, "generations": 2, "epochs_per_generation": 1, "metric": "%s",
              "space": { "learning_rate": { "lower": 0.001, "upper": 0.05, "log": true } } }
            """;

    @TempDir
    static Path work;
    static EmbeddedDatabase server;
    static DatabaseSettings db;

    @BeforeAll
    static void trainTwoJobs() throws Exception {
        server = EmbeddedDatabase.start(work.resolve("postgres"));
        db = server.settings();
        SchemaMigration.migrate(db);
        for (String[] job : new String[][] {{"by-accuracy", "test_accuracy"}, {"by-loss", "test_loss"}}) {
            String json = SPEC.formatted(job[0], job[1]);
            PbtDriver.run(SparkTestSession.get(), PbtSpecParser.parse(json, "t", null), json, db,
                    work.resolve("weights").toUri().toString(), work.resolve("results").toUri().toString(),
                    new PrintStream(new ByteArrayOutputStream()));
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** The last generation's scores, best first under {@code order}, and the one copy after generation 1. */
    static List<Double> scores(String job, String order) throws Exception {
        List<Double> scores = new ArrayList<>();
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select score from pbt_score where pbt = '" + job + "' and generation = 1"
                     + " order by score " + order)) {
            while (rs.next()) scores.add(rs.getDouble(1));
        }
        return scores;
    }

    static String copy(String job) throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select member, donor from pbt_lineage where pbt = '" + job + "'")) {
            rs.next();
            String copy = "member " + rs.getInt(1) + " copies member " + rs.getInt(2);
            assertTrue(!rs.next(), "one copy of three members");
            return copy;
        }
    }

    @Test
    void status_lists_each_pbt_job_by_its_own_metric_and_mode() throws Exception {
        CommandOutput r = CommandOutput.churn("status", "--work-dir", work.toString());
        assertEquals(0, r.code(), r.err());
        List<Double> accuracy = scores("by-accuracy", "desc");
        List<Double> loss = scores("by-loss", "asc");
        assertTrue(r.out().contains(String.format("by-accuracy              2/2                 3 complete  "
                + "test_accuracy (max)        %.4f     %.4f  after generation 1: %s", accuracy.get(0), accuracy.get(1),
                copy("by-accuracy"))), r.out());
        assertTrue(r.out().contains(String.format("by-loss                  2/2                 3 complete  "
                + "test_loss (min)            %.4f     %.4f  after generation 1: %s", loss.get(0), loss.get(1),
                copy("by-loss"))), r.out());
    }

    @Test
    void status_of_one_pbt_job_shows_its_last_generation_and_copies() throws Exception {
        for (String[] job : new String[][] {{"by-accuracy", "test_accuracy", "max", "desc"},
                {"by-loss", "test_loss", "min", "asc"}}) {
            CommandOutput r = CommandOutput.churn("status", job[0], "--work-dir", work.toString());
            assertEquals(0, r.code(), r.err());
            List<Double> scores = scores(job[0], job[3]);
            assertTrue(r.out().contains("pbt " + job[0] + ": complete, generation 2/2, population 3, " + job[1]
                    + " (" + job[2] + ")"), r.out());
            assertTrue(r.out().contains(String.format("generation 2: %s best %.4f (member", job[1], scores.get(0))),
                    r.out());
            assertTrue(r.out().contains(String.format("median %.4f, worst %.4f", scores.get(1), scores.get(2))),
                    r.out());
            assertTrue(r.out().contains("copies: after generation 1: " + copy(job[0])), r.out());
        }
    }
}
