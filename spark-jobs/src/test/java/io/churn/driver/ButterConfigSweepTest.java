package io.churn.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.churn.SparkTestSession;
import io.churn.SqlArrays;
import io.churn.TestDatabase;
import io.churn.data.Datasets;
import io.churn.network.LayoutSolver;
import io.churn.settings.SpecText;
import io.churn.settings.SweepFile;
import io.churn.sink.DatabaseSettings;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** BUTTER's README example config, run as is: it trains BUTTER's network for it. */
class ButterConfigSweepTest {

    static final String README_EXAMPLE = "{'datasets': ['nursery'],'budgets':[500], 'topologies' : [ 'wide_first' ],"
            + " 'depths' : [4],  'run_config' : { 'epochs': 10}, 'test_split': 0.1, 'reps': 1, 'mode':'direct' }";

    @Test
    void butters_example_config_trains_butters_network_and_is_recorded_as_its_churn_spec(@TempDir Path work)
            throws Exception {
        Path config = Files.writeString(work.resolve("nursery.py"), README_EXAMPLE);
        SweepFile file = SweepFile.read(config);
        String specJson = SpecText.read(config).json();
        SweepPlan plan = SweepPlan.of(file.spec(), config.toString());
        assertEquals(1, plan.runs().size());
        DatabaseSettings db = TestDatabase.create(ButterConfigSweepTest.class);
        SweepDriver.Summary s = SweepDriver.run(SparkTestSession.get(), plan, file.settings(), specJson, db,
                work.resolve("results").toUri().toString(), 0, SweepIntegrationTest.TRAINABLE, Duration.ofSeconds(5),
                new PrintStream(new ByteArrayOutputStream()));
        assertEquals(1, s.trained());
        assertEquals(0, s.failed(), s.failures().toString());

        Datasets.Entry nursery = Datasets.catalog().stream().filter(e -> e.name().equals("nursery")).findFirst()
                .orElseThrow();
        List<Integer> butterWidths = LayoutSolver.solve("wide_first", 4, 500, nursery.nIn(), nursery.nOut()).widths();
        try (Connection c = db.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select dataset, shape, depth, size, widths, histories,"
                     + " batch_size, learning_rate, optimizer, test_split from run")) {
            assertTrue(rs.next());
            assertEquals("nursery", rs.getString(1));
            assertEquals("wide_first", rs.getString(2));
            assertEquals(4, rs.getInt(3));
            assertEquals(500, rs.getLong(4));
            assertEquals(butterWidths, Arrays.stream((Integer[]) rs.getArray(5).getArray()).toList());
            assertEquals(10, SqlArrays.history(rs, "train_loss").size(), "run_config's epochs");
            assertEquals(256, rs.getInt(7), "BUTTER's default batch size");
            assertEquals(0.001, rs.getDouble(8), "BUTTER's default learning rate");
            assertEquals("adam", rs.getString(9));
            assertEquals(0.1, rs.getDouble(10));
        }
        try (Connection c = db.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select spec::text from sweep where sweep = 'nursery'")) {
            assertTrue(rs.next(), "the sweep is named after the file");
            assertEquals(file, SweepFile.parse(rs.getString(1), "stored"), "resubmit reads back the same sweep");
        }
    }
}
