package io.churn.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.churn.SparkTestSession;
import io.churn.TestDatabase;
import io.churn.data.Datasets;
import io.churn.settings.SweepFile;
import io.churn.sink.DatabaseSettings;
import io.churn.sink.ResultDataset;
import io.churn.spec.GridExpander;
import io.churn.spec.RunSpec;
import io.churn.train.RunStatus;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A dataset file is one dataset by its name and content, on local[2] with a real PostgreSQL and real
 * Parquet: named by path and by URI it is trained once; rewritten, it is a new dataset, trained
 * again, and the results of its old content stay.
 */
class DatasetIdentitySweepTest {

    static final Set<RunStatus> TRAINABLE = Set.of(RunStatus.QUEUED, RunStatus.FAILED, RunStatus.RUNNING);

    @TempDir
    static Path work;
    static DatabaseSettings db;
    static String results;
    static Path houses;

    @BeforeAll
    static void setUp() throws Exception {
        db = TestDatabase.create(DatasetIdentitySweepTest.class);
        results = work.resolve("results").toUri().toString();
        houses = work.resolve("data").resolve("537_houses.tsv");
        Files.createDirectories(houses.getParent());
        writeTable(houses, 60);
    }

    /** A learnable table of {@code rows} rows: two inputs, a binary target. */
    static void writeTable(Path file, int rows) throws Exception {
        StringBuilder text = new StringBuilder("a\tb\ttarget\n");
        for (int i = 0; i < rows; i++) {
            text.append(i % 7).append('\t').append(i % 5).append('\t').append(i % 7 > 3 ? 1 : 0).append('\n');
        }
        Files.writeString(file, text);
    }

    static String spec(String sweep, String... datasets) {
        String names = java.util.Arrays.stream(datasets).map(d -> "\"" + d + "\"").collect(Collectors.joining(", "));
        return "{ \"name\": \"" + sweep + "\", \"seed\": 3, \"grid\": { \"dataset\": [" + names + "],"
                + " \"shape\": [\"rectangle\"], \"depth\": [2, 3], \"size\": [32], \"learning_rate\": [0.01],"
                + " \"batch_size\": [16], \"epochs\": [1] } }";
    }

    static SweepDriver.Summary sweep(String specJson) throws Exception {
        SweepFile file = SweepFile.parse(specJson, "identity.json");
        SweepPlan plan = SweepPlan.of(file.spec(), "identity.json");
        return SweepDriver.run(SparkTestSession.get(), plan, file.settings(), specJson, db, results, 0, TRAINABLE,
                Duration.ofSeconds(60), new PrintStream(new ByteArrayOutputStream()));
    }

    static Set<String> runIds(String specJson) {
        return SweepPlan.of(SweepFile.parse(specJson, "identity.json").spec(), "identity.json").runs().stream()
                .map(RunSpec::runId).collect(Collectors.toSet());
    }

    static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    @Test
    void a_file_named_by_path_and_by_uri_is_one_dataset_trained_once_and_a_rewritten_one_is_another()
            throws Exception {
        String path = houses.toString();
        String uri = houses.toUri().toString();
        assertTrue(uri.startsWith("file:"), uri);
        String oldSha = sha256(houses);

        SweepDriver.Summary byPath = sweep(spec("houses", path));
        assertEquals(2, byPath.trained());
        SweepDriver.Summary byUri = sweep(spec("houses_by_uri", uri));
        assertEquals(2, byUri.runs());
        assertEquals(2, byUri.alreadyComplete());
        assertEquals(0, byUri.trained());
        Set<String> oldIds = runIds(spec("houses", path));
        assertEquals(oldIds, runIds(spec("houses_by_uri", uri)));
        assertEquals(oldIds, runIds(spec("both", path, uri)), "both names in one grid are its runs once");

        // the dataset column says BUTTER's name, the source where it was read, the digest its content
        List<List<Object>> stored = TestDatabase.rows(db, "select dataset, dataset_source, dataset_sha256, status"
                + " from run order by run_id");
        assertEquals(List.of(List.of("537_houses", path, oldSha, "complete"),
                List.of("537_houses", path, oldSha, "complete")), stored);
        List<Row> exported = SparkTestSession.get().read().parquet(ResultDataset.RUNS.uri(results))
                .where("sweep = 'houses_by_uri'").collectAsList();
        assertEquals(2, exported.size());
        for (Row r : exported) {
            assertEquals("537_houses", r.getString(r.fieldIndex("dataset")));
            assertEquals(path, r.getString(r.fieldIndex("dataset_source")));
            assertEquals(oldSha, r.getString(r.fieldIndex("dataset_sha256")));
        }

        writeTable(houses, 90);
        String newSha = sha256(houses);
        SweepDriver.Summary rewritten = sweep(spec("houses", path));
        assertEquals(2, rewritten.runs());
        assertEquals(0, rewritten.alreadyComplete());
        assertEquals(2, rewritten.trained());
        assertEquals(0, rewritten.failed());
        Set<String> newIds = runIds(spec("houses", path));
        Set<String> shared = new HashSet<>(newIds);
        shared.retainAll(oldIds);
        assertEquals(Set.of(), shared, "new content, new runs");
        assertEquals(List.of(List.of(oldSha, 2L), List.of(newSha, 2L)), TestDatabase.rows(db,
                "select dataset_sha256, count(*) from run where dataset = '537_houses' and status = 'complete'"
                        + " group by dataset_sha256 order by dataset_sha256 = '" + newSha + "'"));
        // the sweep is its new runs; the old ones stay where another sweep names them
        assertEquals(newIds, Set.copyOf(TestDatabase.rows(db, "select run_id from sweep_run where sweep = 'houses'")
                .stream().map(r -> (String) r.get(0)).toList()));
        assertEquals(oldIds, Set.copyOf(TestDatabase.rows(db, "select run_id from sweep_run"
                + " where sweep = 'houses_by_uri'").stream().map(r -> (String) r.get(0)).toList()));
    }

    @Test
    void a_bundled_dataset_keeps_its_name_and_its_runs_their_ids() {
        SweepFile file = SweepFile.parse(spec("bundled", "banana"), "bundled.json");
        List<RunSpec> planned = SweepPlan.of(file.spec(), "bundled.json").runs();
        assertEquals(GridExpander.expand(file.spec()).stream().map(RunSpec::runId).toList(),
                planned.stream().map(RunSpec::runId).toList(), "ids as the spec alone gives them");
        for (RunSpec r : planned) {
            assertEquals("banana", r.dataset());
            assertEquals("banana", r.datasetSource());
            assertEquals(Datasets.load("banana").sha256(), r.datasetSha256());
        }
    }
}
