package io.churn.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.churn.SparkTestSession;
import io.churn.TestDatabase;
import io.churn.data.Datasets;
import io.churn.data.PreparedDataset;
import io.churn.hadoop.HadoopDataSource;
import io.churn.hadoop.WeightStore;
import io.churn.network.Layout;
import io.churn.pbt.Domain;
import io.churn.pbt.PbtRules;
import io.churn.pbt.PbtSpec;
import io.churn.pbt.PbtSpecParser;
import io.churn.report.Notebook;
import io.churn.report.Report;
import io.churn.report.ReportViews;
import io.churn.report.Table;
import io.churn.sink.CandleOutput;
import io.churn.sink.DatabaseSettings;
import io.churn.sink.PbtStore;
import io.churn.train.Checkpoint;
import io.churn.train.Engine;
import io.churn.train.TrainableNetwork;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A PBT job driven by a CANDLE parameter file used as is, under the {@code candle} preset and
 * ranked by test accuracy, on local[2] with a real PostgreSQL: each mapped entry takes effect per
 * member, CANDLE's output.csv is written beside the Parquet, and the report ranks by the job's metric.
 */
class CandlePbtTest {

    static final String PARAMS = """
            [
              {"name": "conv", "type": "constant", "value": "0 0 0", "comment": "no convolutions here"},
              {"name": "feature_subsample", "type": "constant", "value": 500},
              {"name": "dense", "type": "constant", "value": "16 8"},
              {"name": "activation", "type": "categorical", "element_type": "string", "values": ["relu", "tanh", "elu"]},
              {"name": "optimizer", "type": "categorical", "element_type": "string", "values": ["adam", "rmsprop"]},
              {"name": "drop", "type": "categorical", "element_type": "float", "values": [0.0, 0.25]},
              {"name": "lr", "type": "float", "lower": %s, "upper": %s, "sigma": 0.001},
              {"name": "batch_size", "type": "categorical", "element_type": "int", "values": [32, 64]},
              {"name": "epochs", "type": "constant", "value": 6}
            ]
            """;
    static final String SPEC = """
            { "name": "%s", "seed": 4, "dataset": "banana", "population": 5, "epochs_per_generation": 2,
              "metric": "test_accuracy", "preset": "candle", "space_file": "%s" }
            """;
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path work;
    static DatabaseSettings db;
    static String weights;
    static String results;
    static PbtSpec spec;
    static PbtDriver.Summary summary;
    static String printed;

    /** Writes job {@code job}'s CANDLE file with the learning rate's range, and its spec; returns the spec's path. */
    static Path write(String job, String lower, String upper) throws Exception {
        Files.writeString(work.resolve(job + "-params.json"), PARAMS.formatted(lower, upper));
        return Files.writeString(work.resolve(job + ".json"), SPEC.formatted(job, job + "-params.json"));
    }

    @BeforeAll
    static void runTwoJobsThatDifferInTheirLearningRates() throws Exception {
        db = TestDatabase.create(CandlePbtTest.class);
        weights = work.resolve("weights").toUri().toString();
        results = work.resolve("results").toUri().toString();
        Path file = write("tc1", "0.001", "0.01");
        spec = PbtSpecParser.read(file);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        summary = PbtDriver.run(SparkTestSession.get(), spec, Files.readString(file), db, weights, results,
                new PrintStream(out, true));
        printed = out.toString(StandardCharsets.UTF_8);
        Path faster = write("tc1-fast", "0.02", "0.05");
        PbtDriver.run(SparkTestSession.get(), PbtSpecParser.read(faster), Files.readString(faster), db, weights,
                results, new PrintStream(new ByteArrayOutputStream()));
    }

    static List<List<Object>> rows(String sql) throws Exception {
        return TestDatabase.rows(db, sql);
    }

    @Test
    void every_member_trains_every_generation() throws Exception {
        assertEquals(List.of(), rows("select generation, member, error from pbt_score where pbt = 'tc1'"
                + " and error is not null"));
    }

    @Test
    void the_job_says_what_each_entry_became_and_names_what_cannot_apply_on_its_own_line() {
        assertEquals(3, spec.generations(), "epochs 6 in all, 2 per generation");
        assertTrue(printed.contains("[tc1] space file: dense -> hidden widths [16, 8], activation, optimizer,"
                + " drop -> dropout, lr -> learning_rate, batch_size, epochs -> the job's 6 epochs: 3 generations of 2"),
                printed);
        assertTrue(printed.contains("[tc1] space file entries that cannot apply to a dense network, ignored: conv,"
                + " feature_subsample\n"), printed);
    }

    @Test
    void each_member_trains_with_its_own_draw_of_every_entry() throws Exception {
        List<Map<String, Object>> initial = PbtRules.initial(spec);
        Set<Object> rates = new HashSet<>();
        for (List<Object> row : rows("select member, hyperparameters::text, learning_rate, batch_size from pbt_member"
                + " where pbt = 'tc1' and generation = 0 order by member")) {
            int m = (Integer) row.get(0);
            JsonNode h = JSON.readTree((String) row.get(1));
            assertEquals(initial.get(m).get("activation"), h.get("activation").asText());
            assertEquals(initial.get(m).get("optimizer"), h.get("optimizer").asText());
            assertEquals((Double) initial.get(m).get("learning_rate"), (Double) row.get(2), 0.0);
            assertEquals(((Long) initial.get(m).get("batch_size")).intValue(), row.get(3));
            assertEquals((Double) initial.get(m).get("dropout"), h.get("dropout").asDouble(), 0.0);
            rates.add(row.get(2));
        }
        assertEquals(5, rates.size());
        assertTrue(initial.stream().map(h -> h.get("activation")).distinct().count() > 1, initial.toString());
        // the learning rate reaches training: another range, otherwise the same job, trains otherwise
        String first = "select train_loss from pbt_epoch where pbt = '%s' and member = 0 and epoch = 0";
        assertNotEquals(rows(first.formatted("tc1")), rows(first.formatted("tc1-fast")));
    }

    @Test
    void members_train_the_widths_dense_names() throws Exception {
        PreparedDataset data = Datasets.load("banana", new HadoopDataSource());
        WeightStore store = new WeightStore(weights);
        Checkpoint saved = store.load(store.path("tc1", 0, 0));
        Map<String, Object> h = PbtRules.initial(spec).get(0);
        Layout dense = PbtSpec.layout(spec.runSpec(h, 0, 1), spec.hiddenWidths(), data);
        assertEquals(List.of(16, 8, data.nOut()), dense.widths());
        try (TrainableNetwork net = Engine.FUSED.create(spec.runSpec(h, 0, 1), dense, data)) {
            net.readState(new DataInputStream(new ByteArrayInputStream(saved.network())));
        }
        Layout other = PbtSpec.layout(spec.runSpec(h, 0, 1), List.of(16, 16), data);
        try (TrainableNetwork net = Engine.FUSED.create(spec.runSpec(h, 0, 1), other, data)) {
            assertThrows(Exception.class, () -> net.readState(new DataInputStream(
                    new ByteArrayInputStream(saved.network()))));
        }
    }

    @Test
    void the_lineage_records_candles_moves_exactly() throws Exception {
        List<List<Object>> lineage = rows("select generation, member, donor, changes::text, hyperparameters_after::text"
                + " from pbt_lineage where pbt = 'tc1' order by generation, member");
        assertEquals(2, lineage.size(), "round(5 / 5) = 1 copy after each of the first two generations");
        for (List<Object> l : lineage) {
            JsonNode changes = JSON.readTree((String) l.get(3));
            assertEquals(1, changes.size(), changes.toString());
            JsonNode c = changes.get(0);
            assertEquals("learning_rate", c.get("name").asText());
            assertTrue(Set.of(0.8, 1.2, 1.0).contains(c.get("factor").asDouble()), c.toString());
            assertEquals(c.get("before").asDouble() * c.get("factor").asDouble(), c.get("after").asDouble(), 0.0);
            assertEquals(false, c.get("resampled").asBoolean());
            assertTrue(c.get("clippedTo").isNull(), c.toString());
        }
    }

    @Test
    void output_csv_has_candles_columns_one_row_per_member_and_epoch() throws Exception {
        Path csv = Path.of(java.net.URI.create(CandleOutput.uri(results, "tc1")));
        assertEquals(work.resolve("results/pbt_candle/pbt=tc1/output.csv"), csv);
        List<String> lines = Files.readAllLines(csv);
        assertEquals("epoch,rank,lr,score,loss,acc,val_loss,val_acc", lines.get(0));
        List<List<Object>> expected = rows("select e.epoch, e.member, m.learning_rate, e.test_accuracy, e.train_loss,"
                + " e.train_accuracy, e.test_loss, e.test_accuracy from pbt_epoch e join pbt_member m"
                + " using (pbt, generation, member) where pbt = 'tc1' order by e.epoch, e.member");
        assertEquals(5 * 6, expected.size());
        assertEquals(expected.size() + 1, lines.size());
        for (int i = 0; i < expected.size(); i++) {
            String[] cells = lines.get(i + 1).split(",", -1);
            List<Object> row = expected.get(i);
            assertEquals(row.get(0).toString(), cells[0]);
            assertEquals(row.get(1).toString(), cells[1]);
            for (int k = 2; k < 8; k++) {
                assertEquals(((Number) row.get(k)).doubleValue(), Double.parseDouble(cells[k]), 0.0, lines.get(i + 1));
            }
            assertEquals(cells[3], cells[7], "the score is the job's metric, test accuracy");
        }
    }

    @Test
    void the_report_ranks_by_the_jobs_metric_and_mode() throws Exception {
        var spark = SparkTestSession.get();
        Map<String, String> variables = ReportViews.pbt(spark, results, "tc1");
        assertEquals(Map.of("name", "tc1", "metric", "test_accuracy", "better", "higher"), variables);
        List<List<Object>> last = rows("select member, score from pbt_score where pbt = 'tc1' and generation = 2"
                + " and score <> 'NaN' order by score desc, member");
        int mostAccurate = (Integer) last.get(0).get(0);
        assertEquals(mostAccurate, summary.bestMember());
        assertEquals(mostAccurate, spark.sql("SELECT member FROM pbt_score WHERE generation = 2 AND rank = 1")
                .first().getInt(0));
        String definition;
        try (InputStream in = CandlePbtTest.class.getResourceAsStream("/notebooks/pbt.md")) {
            definition = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Report report = Report.run(spark, Notebook.parse(definition, "pbt.md", variables));
        Table schedule = report.cells().get(report.cells().size() - 1).table();
        List<Object> end = schedule.rows().get(schedule.rows().size() - 1);
        assertEquals(3, end.get(schedule.column("generation")));
        assertEquals(mostAccurate, end.get(schedule.column("trained_by")), "the best final member is the most accurate");
        assertEquals(Math.round((Double) last.get(0).get(1) * 1e4) / 1e4,
                ((Number) end.get(schedule.column("test_accuracy"))).doubleValue(), 1e-9);
        List<Map<String, Object>> recorded;
        try (PbtStore store = PbtStore.open(db)) {
            recorded = store.schedule("tc1", 3, summary.bestMember());
        }
        for (int g = 0; g < 3; g++) {
            assertEquals(JSON.valueToTree(recorded.get(g)).get("learning_rate").asDouble(),
                    JSON.readTree((String) schedule.rows().get(g).get(schedule.column("hyperparameters")))
                            .get("learning_rate").asDouble(), 0.0, "generation " + (g + 1));
        }
        assertTrue(report.cells().stream().anyMatch(c -> c.cell() instanceof Notebook.Markdown m
                && m.text().contains("test_accuracy, at a generation's last epoch: higher is better")));
        assertTrue(new Domain.Range(0.001, 0.01, false, false).contains(recorded.get(0).get("learning_rate")));
    }
}
