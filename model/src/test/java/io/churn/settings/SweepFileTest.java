package io.churn.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.churn.spec.GridExpander;
import io.churn.spec.LiveView;
import io.churn.spec.SpecException;
import io.churn.spec.SpecParser;
import io.churn.train.Engine;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How a sweep runs, read from its file beside what it runs. */
class SweepFileTest {

    static final String VALID = """
            { "name": "t", "seed": 7, "repetitions": 2, "test_split": 0.25,
              "grid": { "dataset": ["banana", "529_pollen"], "shape": "rectangle", "depth": [2, 3],
                        "size": [64], "learning_rate": [0.001, 0.01], "batch_size": [32], "epochs": [3] } }
            """;

    static SpecException rejected(String json) {
        return assertThrows(SpecException.class, () -> SweepFile.parse(json, "test.json"));
    }

    @Test
    void a_file_without_settings_runs_with_the_defaults_and_holds_the_same_sweep() {
        SweepFile file = SweepFile.parse(VALID, "test.json");
        assertEquals(SweepSettings.DEFAULT, file.settings());
        assertEquals(SpecParser.parse(VALID, "test.json"), file.spec());
        assertEquals(Engine.DL4J, SweepFile.parse(VALID.replace("\"seed\": 7", "\"engine\": \"dl4j\""), "t")
                .settings().engine());
    }

    @Test
    void problems_of_the_sweep_and_of_its_settings_are_reported_together() {
        SpecException e = rejected(VALID.replace("\"seed\": 7", "\"engine\": \"gpu\"")
                .replace("\"test_split\": 0.25", "\"test_split\": 2"));
        assertEquals(2, e.problems().size(), e.getMessage());
        assertTrue(e.problems().get(0).startsWith("test_split: 2 is not allowed"), e.getMessage());
        assertTrue(e.problems().get(1).startsWith("engine: 'gpu' is not an engine; allowed: auto, fused, dl4j"),
                e.getMessage());
    }

    @Test
    void data_parallel_is_never_unless_the_spec_says_always_or_a_least_cost() {
        assertEquals(DataParallel.NEVER, SweepFile.parse(VALID, "test.json").settings().dataParallel());
        DataParallel always = SweepFile.parse(VALID.replace("\"seed\": 7", "\"data_parallel\": \"always\""),
                "test.json").settings().dataParallel();
        assertTrue(always.selects(0));
        DataParallel least = SweepFile.parse(VALID.replace("\"seed\": 7", "\"data_parallel\": 2.5e9"),
                "test.json").settings().dataParallel();
        assertEquals(2.5e9, least.minimumCost());
        assertTrue(least.selects(2.5e9));
        assertTrue(!least.selects(2.4e9));
        assertTrue(!DataParallel.NEVER.selects(Double.MAX_VALUE));
    }

    @Test
    void a_bad_data_parallel_value_is_named_with_the_allowed_values() {
        for (String bad : List.of("\"sometimes\"", "-1", "true", "[1]", "null")) {
            SpecException e = rejected(VALID.replace("\"seed\": 7", "\"data_parallel\": " + bad));
            assertEquals(1, e.problems().size(), e.getMessage());
            String problem = e.problems().get(0);
            assertTrue(problem.startsWith("data_parallel: "), problem);
            assertTrue(problem.contains("is not allowed; use \"never\", \"always\", or a number >= 0: the least"
                    + " estimated cost (parameters x training rows x epochs) of a run trained data-parallel"), problem);
        }
    }

    @Test
    void checkpoint_settings_are_read_and_are_not_part_of_any_run() {
        SweepFile plain = SweepFile.parse(VALID, "test.json");
        assertEquals(CheckpointSettings.NONE, plain.settings().checkpoints());
        SweepFile spec = SweepFile.parse(VALID.replace("\"seed\": 7,", "\"seed\": 7, \"checkpoint_epochs\": 5,"
                + " \"checkpoint_dir\": \"hdfs://nn/churn/checkpoints\", \"keep_checkpoints\": true,"), "test.json");
        assertEquals(new CheckpointSettings(5, "hdfs://nn/churn/checkpoints", true), spec.settings().checkpoints());
        assertEquals(GridExpander.expand(plain.spec()), GridExpander.expand(spec.spec()));
    }

    @Test
    void bad_checkpoint_settings_are_named_with_what_is_allowed() {
        SpecException e = rejected(VALID.replace("\"seed\": 7,", "\"seed\": 7, \"checkpoint_epochs\": 0,"
                + " \"checkpoint_dir\": \"hdfs://nn/a b|c\", \"keep_checkpoints\": \"yes\","));
        assertEquals(3, e.problems().size(), e.getMessage());
        assertTrue(e.problems().get(0).startsWith("checkpoint_epochs: 0 is not allowed; use a whole number from 1"),
                e.getMessage());
        assertTrue(e.problems().get(1).startsWith("checkpoint_dir: ") && e.problems().get(1).contains("Hadoop URI"),
                e.getMessage());
        assertEquals("keep_checkpoints: \"yes\" is not allowed; use true or false", e.problems().get(2));
        assertTrue(rejected(VALID.replace("\"seed\": 7,", "\"seed\": 7, \"checkpoint_epochs\": 2.5,")).problems()
                .get(0).startsWith("checkpoint_epochs: 2.5 is not allowed"));
    }

    @Test
    void live_view_is_off_unless_given_and_takes_a_local_directory_or_a_ui_address() {
        assertEquals(null, SweepFile.parse(VALID, "test.json").settings().liveView());
        String withView = VALID.replace("\"seed\": 7,", "\"seed\": 7, \"live_view\": \"%s\",");
        LiveView url = SweepFile.parse(withView.formatted("http://ui-host:9000/"), "test.json").settings().liveView();
        assertTrue(url.streams());
        assertEquals("http://ui-host:9000", url.target());
        LiveView dir = SweepFile.parse(withView.formatted("stats"), "test.json").settings().liveView();
        assertEquals(java.nio.file.Path.of("stats").toAbsolutePath(), dir.directory());
        assertEquals(java.nio.file.Path.of("/tmp/stats"),
                SweepFile.parse(withView.formatted("file:///tmp/stats"), "test.json").settings().liveView().directory());
        for (String bad : List.of("hdfs://nn/stats", "", "http://")) {
            SpecException e = rejected(withView.formatted(bad));
            assertEquals(List.of("live_view: '" + bad + "' is not allowed; use " + LiveView.ALLOWED), e.problems());
        }
    }
}
