package io.churn.cli;

import static io.churn.cli.CommandOutput.churn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.churn.TestDatabase;
import io.churn.sink.DatabaseSettings;
import io.churn.sink.EmbeddedDatabase;
import io.churn.sink.RunStore;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Malformed specs and arguments: each is refused with a message naming the problem, and none
 * starts Spark or writes anything (no work folder, no database rows).
 */
class BadInputTest {

    static final String GOOD_GRID = "\"dataset\": [\"banana\"], \"shape\": [\"rectangle\"], \"depth\": [2],"
            + " \"size\": [64], \"learning_rate\": [0.01], \"batch_size\": [32], \"epochs\": [1]";

    @TempDir
    static Path dir;
    static DatabaseSettings db;

    @BeforeAll
    static void createDatabase() {
        db = TestDatabase.create(BadInputTest.class);
    }

    static int runRows() throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select (select count(*) from run) + (select count(*) from sweep)")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** Refused with exit code 2 and {@code message}, before the work folder or any ledger row was made. */
    static void assertRefusedBeforeAnythingRuns(CommandOutput r, String message, Path work, int rowsBefore)
            throws Exception {
        assertEquals(Churn.BAD_INPUT, r.code(), r.err() + r.out());
        assertTrue(r.err().contains(message), r.err());
        assertFalse(Files.exists(work), "nothing was started or written");
        assertEquals(rowsBefore, runRows());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "unknown key          | \"epoch\": [1]                   | grids[0].epoch: unknown key; allowed: dataset,",
            "wrong type           | \"depth\": \"three\"             | grids[0].depth: \"three\" is not allowed; use a whole number from 2 to 64",
            "empty list           | \"size\": []                     | grids[0].size: the list is empty",
            "unknown dataset      | \"dataset\": [\"iris\"]          | grids[0].dataset[0]: 'iris' is not a known dataset",
            "zero epochs          | \"epochs\": [0]                  | grids[0].epochs[0]: 0 is not allowed",
            "negative epochs      | \"epochs\": [-3]                 | grids[0].epochs[0]: -3 is not allowed",
            "zero batch           | \"batch_size\": [0]              | grids[0].batch_size[0]: 0 is not allowed",
            "zero size            | \"size\": [0]                    | grids[0].size[0]: 0 is not allowed",
            "depth one            | \"depth\": [1]                   | grids[0].depth[0]: 1 is not allowed",
            "label noise above 1  | \"label_noise\": [1.5]           | grids[0].label_noise[0]: 1.5 is not allowed",
            "negative label noise | \"label_noise\": [-0.1]          | grids[0].label_noise[0]: -0.1 is not allowed",
            "missing file         | \"dataset\": [\"file:///nonexistent/data.tsv.gz\"] | dataset file:///nonexistent/data.tsv.gz: cannot read dataset",
            "unknown shape        | \"shape\": [\"blob\"]            | grids[0].shape[0]: 'blob' is not a shape",
            "impossible budget    | \"dataset\": [\"splice\"], \"depth\": [4], \"size\": [10] | size 10 on dataset splice (287 inputs, 3 outputs): no rectangle network",
    })
    void a_malformed_spec_is_refused_before_anything_runs(String label, String override, String message)
            throws Exception {
        Path work = dir.resolve("work-" + label.replace(' ', '-'));
        String json = "{ \"name\": \"bad\", \"grid\": { " + GOOD_GRID + " }, \"grids\": [ { " + override + " } ] }";
        Path spec = Files.writeString(dir.resolve(label.replace(' ', '-') + ".json"), json);
        int before = runRows();
        CommandOutput r = churn("sweep", spec.toString(), "--work-dir", work.toString());
        assertRefusedBeforeAnythingRuns(r, message, work, before);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "in the spec          | \"sometimes\" | never       | data_parallel: 'sometimes' is not allowed; use \"never\", \"always\", or a number >= 0",
            "negative in the spec | -5            | never       | data_parallel: '-5' is not allowed; use \"never\", \"always\", or a number >= 0",
            "on the command line  | \"never\"     | sometimes   | Invalid value for option '--data-parallel': 'sometimes' is not allowed; use \"never\", \"always\", or a number >= 0",
    })
    void a_bad_data_parallel_value_is_refused_naming_the_allowed_values(String label, String inSpec, String option,
                                                                        String message) throws Exception {
        Path work = dir.resolve("work-dp-" + label.replace(' ', '-'));
        Path spec = Files.writeString(dir.resolve("dp-" + label.replace(' ', '-') + ".json"),
                "{ \"name\": \"dp\", \"data_parallel\": " + inSpec + ", \"grid\": { " + GOOD_GRID + " } }");
        int before = runRows();
        CommandOutput r = churn("sweep", spec.toString(), "--work-dir", work.toString(), "--data-parallel", option);
        assertRefusedBeforeAnythingRuns(r, message, work, before);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "spec key of a sweep | sweep | spec | live_view: 'hdfs://nn/stats' is not allowed; use a local directory",
            "flag of a sweep     | sweep | flag | Invalid value for option '--live-view': 'hdfs://nn/stats' is not allowed",
            "flag of a PBT job   | pbt   | flag | Invalid value for option '--live-view': 'hdfs://nn/stats' is not allowed",
    })
    void a_live_view_on_another_file_system_is_refused_before_anything_runs(String label, String command, String where,
                                                                          String message) throws Exception {
        Path work = dir.resolve("work-live-" + command + "-" + where);
        String view = where.equals("spec") ? "\"live_view\": \"hdfs://nn/stats\", " : "";
        Path spec = command.equals("pbt") ? Path.of("../conf/pbt/wine.json")
                : Files.writeString(dir.resolve("live-" + where + ".json"),
                        "{ \"name\": \"live\", " + view + "\"grid\": { " + GOOD_GRID + " } }");
        int before = runRows();
        CommandOutput r = where.equals("spec") ? churn(command, spec.toString(), "--work-dir", work.toString())
                : churn(command, spec.toString(), "--work-dir", work.toString(), "--live-view", "hdfs://nn/stats");
        assertRefusedBeforeAnythingRuns(r, message, work, before);
    }

    @Test
    void an_unknown_engine_for_a_pbt_job_is_refused_naming_the_engines() throws Exception {
        Path work = dir.resolve("work-pbt-engine");
        int before = runRows();
        CommandOutput r = churn("pbt", "../conf/pbt/wine.json", "--work-dir", work.toString(), "--engine", "gpu");
        assertRefusedBeforeAnythingRuns(r, "'gpu' is not an engine; allowed: auto, fused, dl4j", work, before);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "status of an unknown sweep   | status   | no sweep named 'nope'; recorded sweeps:",
            "resubmit of an unknown sweep | resubmit | no sweep named 'nope'; recorded sweeps:",
    })
    void an_unknown_sweep_is_refused(String label, String command, String message) throws Exception {
        int before = runRows();
        List<String> args = new ArrayList<>(List.of(command, "nope"));
        args.addAll(TestDatabase.cliOptions(db));
        CommandOutput r = churn(args.toArray(String[]::new));
        assertEquals(Churn.BAD_INPUT, r.code(), r.err());
        assertTrue(r.err().contains(message), r.err());
        assertEquals(before, runRows());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "no database in the work folder | status",
            "nothing to resubmit            | resubmit",
    })
    void commands_on_a_work_folder_without_a_database_are_refused(String label, String command) {
        Path work = dir.resolve("empty-" + command);
        CommandOutput r = churn(command, "any", "--work-dir", work.toString());
        assertEquals(Churn.BAD_INPUT, r.code(), r.err());
        assertTrue(r.err().contains("no churn database in " + work), r.err());
        assertFalse(Files.exists(work));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "sweep    | sweep",
            "status   | status",
    })
    void an_unreachable_database_is_a_clear_error_that_never_shows_the_password(String label, String command)
            throws Exception {
        Path secret = Files.writeString(dir.resolve("password"), "s3cr3t-value\n");
        Path spec = Files.writeString(dir.resolve("ok.json"),
                "{ \"name\": \"ok\", \"grid\": { " + GOOD_GRID + " } }");
        String target = command.equals("sweep") ? spec.toString() : "ok";
        CommandOutput r = churn(command, target, "--jdbc-url", "jdbc:postgresql://127.0.0.1:9/churn",
                "--jdbc-password-file", secret.toString());
        assertEquals(Churn.UNAVAILABLE, r.code(), r.err());
        assertTrue(r.err().contains("cannot connect to the results database jdbc:postgresql://127.0.0.1:9/churn as churn"),
                r.err());
        assertFalse((r.out() + r.err()).contains("s3cr3t-value"));
    }
}
