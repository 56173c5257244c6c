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

    /**
     * Refused with exit code 2 and {@code message}, before the work folder or any ledger row was
     * made and before Spark started; no stack trace reaches the user.
     */
    static void assertRefusedBeforeAnythingRuns(CommandOutput r, String message, Path work, int rowsBefore)
            throws Exception {
        assertRefusedBeforeAnythingRuns(r, Churn.BAD_INPUT, message, work, rowsBefore, SPARKS_STARTED.get());
    }

    /** Sessions started before the test began; a refused command starts none. */
    static final ThreadLocal<Integer> SPARKS_STARTED = ThreadLocal.withInitial(Sparks::started);

    static void assertRefusedBeforeAnythingRuns(CommandOutput r, int code, String message, Path work, int rowsBefore,
                                                int sparksBefore) throws Exception {
        assertEquals(code, r.code(), r.err() + r.out());
        assertTrue(r.err().contains(message), r.err());
        assertFalse((r.out() + r.err()).contains("\tat "), "no stack trace: " + r.err());
        assertFalse(Files.exists(work), "nothing was started or written");
        assertEquals(rowsBefore, runRows());
        assertEquals(sparksBefore, Sparks.started(), "no Spark session was started");
    }

    @org.junit.jupiter.api.BeforeEach
    void countSparks() {
        SPARKS_STARTED.set(Sparks.started());
    }

    /** A PBT spec as conf/pbt/wine.json, with {@code from} replaced by {@code to}. */
    static String pbtSpec(String from, String to) throws Exception {
        String wine = Files.readString(Path.of("../conf/pbt/wine.json"));
        assertTrue(wine.contains(from), from);
        return wine.replace(from, to);
    }

    static String thousandValues(String format, double first, double step) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            b.append(i == 0 ? "" : ", ").append(String.format(java.util.Locale.ROOT, format, first + i * step));
        }
        return b.toString();
    }

    /**
     * Each input that once slipped through (and a few more), refused before anything runs: the
     * message names the key or option, and never quotes a secret or a file's contents.
     * {@code SPEC} in the arguments is a file of the row's text ({@code sweep:} a sweep grid's
     * override, {@code pbt:FROM=>TO} the PBT example edited, {@code raw:} the file as is).
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "duplicate key in a sweep | sweep SPEC | sweep:\"epochs\": [1], \"epochs\": [2] | Duplicate field 'epochs'",
            "duplicate key in a PBT job | pbt SPEC | pbt:\"seed\": 1,=>\"seed\": 1, \"seed\": 2, | Duplicate field 'seed'",
            "duplicate key in a BUTTER config | sweep SPEC | raw:{ \"datasets\": [\"banana\"], \"reps\": 1, \"reps\": 2 } | Duplicate field 'reps'",
            "mistyped explore key | pbt SPEC | pbt:perturb_factors=>perturb_factor | explore.perturb_factor: unknown key; allowed: perturb_factors, resample_probability",
            "mistyped exploit key | pbt SPEC | pbt:\"fraction\"=>\"fractoin\" | exploit.fractoin: unknown key; allowed: method, fraction",
            "fraction not a number | pbt SPEC | pbt:0.25 }=>\"abc\" } | exploit.fraction: \"abc\" is not a number",
            "log not a boolean | pbt SPEC | pbt:\"log\": true=>\"log\": \"yes\" | space.learning_rate: log must be true or false, not \"yes\"",
            "unknown space entry key | pbt SPEC | pbt:\"log\": true=>\"lg\": true | space.learning_rate.lg: unknown key; allowed: values, lower, upper, log",
            "exploit not an object | pbt SPEC | pbt:{ \"method\": \"truncation\", \"fraction\": 0.25 }=>3 | exploit: must be an object",
            "a grid of 10^9 runs | sweep SPEC --dry-run | grid1e9 | grid: the grids and repetitions name 1.00e+09 runs; one sweep holds at most 5000000",
            "a network of 2^40 parameters | sweep SPEC | sweep:\"dataset\": [\"201_pol\"], \"depth\": [8], \"size\": [1099511627776] | GiB to train; a run may take at most 8 GiB",
            "a spec file over 1 MiB | sweep SPEC | big | a spec holds at most 1048576",
            "partitions below zero | sweep SPEC --partitions -1 | sweep:\"epochs\": [1] | --partitions: -1 is not allowed",
            "progress every 0 s | sweep SPEC --progress-seconds 0 | sweep:\"epochs\": [1] | --progress-seconds: 0 is not allowed",
            "a lease of 0 s | sweep SPEC --lease-seconds 0 | sweep:\"epochs\": [1] | --lease-seconds: 0 is not allowed",
            "no attempts | sweep SPEC --max-attempts 0 | sweep:\"epochs\": [1] | --max-attempts: 0 is not allowed",
            "results on an unreachable file system | sweep SPEC --results hdfs://no-such-host.invalid:8020/r | sweep:\"epochs\": [1] | --results hdfs://no-such-host.invalid:8020/r: cannot reach it",
            "a missing password file | sweep SPEC --jdbc-url jdbc:postgresql://127.0.0.1:9/churn --jdbc-password-file /nonexistent/password | sweep:\"epochs\": [1] | --jdbc-password-file /nonexistent/password: no such readable file",
            "a URL of another database | status any --jdbc-url jdbc:mysql://db/churn | none | --jdbc-url: not a PostgreSQL JDBC URL",
            "a ragged dataset in layout | layout --dataset RAGGED --shape rectangle --depth 2 --size 100 | none | --dataset RAGGED: line 3 has 2 cells, the header 3",
            "a missing dataset in layout | layout --dataset file:///nonexistent/d.tsv --shape rectangle --depth 2 --size 100 | none | --dataset cannot read dataset file:///nonexistent/d.tsv",
            "a space_file that is not CANDLE's | pbt SPEC | pbt:\"space\": {=>\"space_file\": \"SECRETS\", \"unused\": { | space_file: SECRETS is not a JSON list of CANDLE parameter entries",
            "a missing space_file | pbt SPEC | pbt:\"space\": {=>\"space_file\": \"/nonexistent/space.json\", \"unused\": { | space_file: /nonexistent/space.json: cannot read the file",
    })
    void an_input_that_once_slipped_through_is_refused_naming_its_key(String label, String args, String file,
                                                                       String message) throws Exception {
        String slug = label.replaceAll("[^a-z0-9]+", "-");
        Path work = dir.resolve("work-slipped-" + slug);
        Path ragged = Files.writeString(dir.resolve("ragged.tsv"), "a\tb\ttarget\n1\t2\t0\n3\t4\n");
        Path secrets = Files.writeString(dir.resolve("secrets.txt"), "hunter2-top-secret = 1\n");
        String text = file.equals("none") ? null
                : file.equals("grid1e9") ? "{ \"name\": \"huge\", \"grid\": { " + GOOD_GRID.replace("\"size\": [64]",
                        "\"size\": [" + thousandValues("%.0f", 64, 1) + "]").replace("\"learning_rate\": [0.01]",
                        "\"learning_rate\": [" + thousandValues("%.6f", 0.0001, 0.0001) + "]").replace(
                        "\"batch_size\": [32]", "\"batch_size\": [" + thousandValues("%.0f", 1, 1) + "]") + " } }"
                : file.equals("big") ? "{ \"name\": \"big\", \"description\": \"" + "x".repeat(1 << 20) + "\" }"
                : file.startsWith("raw:") ? file.substring("raw:".length())
                : file.startsWith("sweep:") ? "{ \"name\": \"bad\", \"grid\": { " + GOOD_GRID + " }, \"grids\": [ { "
                        + file.substring("sweep:".length()) + " } ] }"
                : pbtSpec(file.substring(4, file.indexOf("=>")), file.substring(file.indexOf("=>") + 2)
                        .replace("SECRETS", secrets.toString()));
        Path spec = text == null ? null : Files.writeString(dir.resolve("slipped-" + slug + ".json"), text);
        List<String> command = new ArrayList<>();
        for (String a : args.trim().split(" +")) {
            command.add(a.equals("SPEC") ? spec.toString() : a.equals("RAGGED") ? ragged.toUri().toString() : a);
        }
        if (!command.get(0).equals("layout")) command.addAll(List.of("--work-dir", work.toString()));
        int before = runRows();
        CommandOutput r = churn(command.toArray(String[]::new));
        String expected = message.replace("RAGGED", ragged.toUri().toString()).replace("SECRETS", secrets.toString());
        assertRefusedBeforeAnythingRuns(r, expected, work, before);
        assertFalse((r.out() + r.err()).contains("hunter2-top-secret"), "the file's contents are never quoted");
    }

    @Test
    void a_password_inside_the_jdbc_url_is_never_printed() throws Exception {
        Path work = dir.resolve("work-url-password");
        Path spec = Files.writeString(dir.resolve("url-password.json"),
                "{ \"name\": \"ok\", \"grid\": { " + GOOD_GRID + " } }");
        int before = runRows();
        int sparks = Sparks.started();
        CommandOutput r = churn("sweep", spec.toString(), "--work-dir", work.toString(),
                "--jdbc-url", "jdbc:postgresql://churn:hunter22@127.0.0.1:9/churn?user=churn&password=hunter22");
        assertRefusedBeforeAnythingRuns(r, Churn.UNAVAILABLE, "cannot connect to the results database"
                + " jdbc:postgresql://churn:***@127.0.0.1:9/churn?user=churn&password=***", work, before, sparks);
        assertFalse((r.out() + r.err()).contains("hunter22"), r.out() + r.err());
    }

    @Test
    void a_password_file_others_can_read_draws_a_warning() throws Exception {
        Path secret = Files.writeString(dir.resolve("open-password"), "s3cr3t-value\n");
        Files.setPosixFilePermissions(secret, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        CommandOutput r = churn("status", "any", "--jdbc-url", "jdbc:postgresql://127.0.0.1:9/churn",
                "--jdbc-password-file", secret.toString());
        assertEquals(Churn.UNAVAILABLE, r.code(), r.err());
        assertTrue(r.out().contains("warning: --jdbc-password-file " + secret + " can be read by other users"),
                r.out());
        assertFalse((r.out() + r.err()).contains("s3cr3t-value"));
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
            "status of an unknown sweep   | status   | no sweep or PBT job named 'nope'; recorded:",
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
