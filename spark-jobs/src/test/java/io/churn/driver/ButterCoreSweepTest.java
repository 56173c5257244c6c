package io.churn.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.churn.SqlArrays;
import io.churn.settings.SweepFile;
import io.churn.SparkTestSession;
import io.churn.TestDatabase;
import io.churn.data.Datasets;
import io.churn.sink.DatabaseSettings;
import io.churn.sink.EmbeddedDatabase;
import io.churn.sink.RunStore;
import io.churn.spec.SpecParser;
import io.churn.spec.SweepSpec;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipped conf/sweeps/butter-core.json: every bundled dataset × the core shapes, end to end. */
class ButterCoreSweepTest {

    @Test
    void every_bundled_dataset_trains_under_every_core_shape(@TempDir Path work) throws Exception {
        Path specFile = Path.of("..", "conf", "sweeps", "butter-core.json");
        String json = Files.readString(specFile);
        SweepFile file = SweepFile.parse(json, specFile.toString());
        SweepSpec spec = file.spec();
        SweepPlan plan = SweepPlan.of(spec, specFile.toString());
        assertEquals(9 * 5, plan.runs().size());
        DatabaseSettings db = TestDatabase.create(ButterCoreSweepTest.class);
        SweepDriver.Summary s = SweepDriver.run(SparkTestSession.get(), plan, file.settings(), json, db,
                work.resolve("results").toUri().toString(), 0, SweepIntegrationTest.TRAINABLE, Duration.ofSeconds(5),
                new PrintStream(new ByteArrayOutputStream()));
        assertEquals(45, s.trained());
        assertEquals(0, s.failed(), s.failures().toString());
        assertEquals(45, s.exportedRows());
        try (Connection c = db.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select histories from run")) {
            while (rs.next()) {
                assertEquals(1, SqlArrays.history(rs, "train_loss").size());
                assertEquals(1, SqlArrays.history(rs, "test_mean_absolute_error").size());
            }
        }
        try (Connection c = db.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select count(distinct dataset), count(distinct shape),"
                     + " count(*) filter (where histories is not null),"
                     + " count(*) filter (where abs(num_free_parameters - size) <= 0.2 * size),"
                     + " min(dl4j_version), max(dl4j_version), count(host), count(executor),"
                     + " count(spark_application_id), count(churn_revision) from run")) {
            rs.next();
            assertEquals(9, rs.getInt(1));
            assertEquals(5, rs.getInt(2));
            assertEquals(45, rs.getInt(3));
            assertEquals(45, rs.getInt(4));
            assertEquals("1.0.0-M2.1", rs.getString(5));
            assertEquals("1.0.0-M2.1", rs.getString(6));
            for (int i = 7; i <= 10; i++) {
                assertEquals(45, rs.getInt(i), "provenance column " + i + " filled");
            }
        }
        try (Connection c = db.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select dataset, task, n_in, n_out from run where shape = 'rectangle'"
                     + " order by dataset")) {
            int n = 0;
            while (rs.next()) {
                n++;
                String dataset = rs.getString(1);
                Datasets.Entry entry = Datasets.catalog().stream()
                        .filter(e -> e.name().equals(dataset)).findFirst().orElseThrow();
                assertEquals(entry.task().specName(), rs.getString(2));
                assertEquals(entry.nIn(), rs.getInt(3));
                assertEquals(entry.nOut(), rs.getInt(4));
            }
            assertEquals(9, n);
        }
    }
}
