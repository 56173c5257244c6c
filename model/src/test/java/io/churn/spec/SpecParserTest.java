package io.churn.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class SpecParserTest {

    static final String VALID = """
            { "name": "t", "seed": 7, "repetitions": 2, "test_split": 0.25,
              "grid": { "dataset": ["banana", "529_pollen"], "shape": "rectangle", "depth": [2, 3],
                        "size": [64], "learning_rate": [0.001, 0.01], "batch_size": [32], "epochs": [3] } }
            """;

    static SpecException rejected(String json) {
        return assertThrows(SpecException.class, () -> SpecParser.parse(json, "test.json"));
    }

    @Test
    void reads_values_and_applies_defaults() {
        SweepSpec spec = SpecParser.parse(VALID, "test.json");
        assertEquals("t", spec.name());
        assertEquals(7, spec.seed());
        assertEquals(2, spec.repetitions());
        assertEquals(0.25, spec.testSplit());
        Grid g = spec.grids().get(0);
        assertEquals(List.of("banana", "529_pollen"), g.dataset());
        assertEquals(List.of("rectangle"), g.shape());
        assertEquals(List.of(0.0), g.labelNoise());
        assertEquals(List.of(KernelRegularizer.NONE), g.kernelRegularizer());
        assertEquals(List.of(Optimizer.ADAM), g.optimizer());
        assertEquals(8, g.points());
    }

    @Test
    void sub_grids_override_the_base_grid() {
        SweepSpec spec = SpecParser.parse("""
                { "name": "t",
                  "grid": { "dataset": ["banana"], "shape": ["rectangle"], "depth": [2], "size": [64],
                            "learning_rate": [0.001], "batch_size": [32], "epochs": [3] },
                  "grids": [ {}, { "depth": [3, 4], "kernel_regularizer": ["l2:0.001", "l1l2:1e-5:1e-4"] } ] }
                """, "test.json");
        assertEquals(2, spec.grids().size());
        assertEquals(List.of(2), spec.grids().get(0).depth());
        assertEquals(List.of(3, 4), spec.grids().get(1).depth());
        assertEquals(List.of(new KernelRegularizer(0, 0.001), new KernelRegularizer(1e-5, 1e-4)),
                spec.grids().get(1).kernelRegularizer());
        assertEquals(List.of(64L), spec.grids().get(1).size());
    }

    @Test
    void an_unknown_shape_is_named_with_the_allowed_values() {
        SpecException e = rejected(VALID.replace("\"shape\": \"rectangle\"", "\"shape\": [\"rectangle\", \"hexagon\"]"));
        assertEquals(1, e.problems().size());
        String problem = e.problems().get(0);
        assertTrue(problem.startsWith("grid.shape[1]: 'hexagon' is not a shape; allowed: rectangle, trapezoid"), problem);
        assertTrue(e.getMessage().contains("test.json"));
    }

    @Test
    void strict_is_off_unless_the_spec_says_true() {
        assertFalse(SpecParser.parse(VALID, "test.json").strict());
        assertTrue(SpecParser.parse(VALID.replace("\"seed\": 7", "\"seed\": 7, \"strict\": true"), "test.json").strict());
        SpecException e = rejected(VALID.replace("\"seed\": 7", "\"seed\": 7, \"strict\": \"yes\""));
        assertTrue(e.problems().get(0).startsWith("strict: \"yes\" is not allowed; use true"), e.getMessage());
    }

    @Test
    void unknown_keys_are_rejected_at_both_levels() {
        SpecException e = rejected(VALID.replace("\"seed\": 7", "\"sed\": 7").replace("\"epochs\"", "\"epoch\""));
        assertTrue(e.problems().contains(
                "sed: unknown key; allowed: name, description, seed, repetitions, test_split, strict, engine, data_parallel,"
                        + " checkpoint_epochs, checkpoint_dir, keep_checkpoints, live_view, grid, grids"),
                e.getMessage());
        assertTrue(e.problems().stream().anyMatch(p -> p.startsWith("grid.epoch: unknown key; allowed: dataset,")),
                e.getMessage());
        assertTrue(e.problems().stream().anyMatch(p -> p.startsWith("grid: missing [epochs]")), e.getMessage());
    }

    @Test
    void wrong_types_and_impossible_values_each_get_a_problem() {
        SpecException e = rejected(VALID
                .replace("\"depth\": [2, 3]", "\"depth\": [\"3\", 1]")
                .replace("\"learning_rate\": [0.001, 0.01]", "\"learning_rate\": [-0.1]")
                .replace("\"batch_size\": [32]", "\"batch_size\": [32.5]")
                .replace("\"dataset\": [\"banana\", \"529_pollen\"]", "\"dataset\": [\"iris\"]")
                .replace("\"test_split\": 0.25", "\"test_split\": 1.5")
                .replace("\"repetitions\": 2", "\"repetitions\": 0"));
        List<String> p = e.problems();
        assertEquals(7, p.size(), e.getMessage());
        assertTrue(p.contains("repetitions: 0 is not allowed; use a whole number from 1 to 1000000 (repetitions)"), e.getMessage());
        assertTrue(p.contains("test_split: 1.5 is not allowed; use a number strictly between 0 and 1"), e.getMessage());
        assertTrue(p.stream().anyMatch(s -> s.startsWith("grid.dataset[0]: 'iris' is not a known dataset; allowed: a bundled name (201_pol,")), e.getMessage());
        assertTrue(p.contains("grid.depth[0]: \"3\" is not allowed; use a whole number from 2 to 64 (dense layers, counting the output layer)"), e.getMessage());
        assertTrue(p.stream().anyMatch(s -> s.startsWith("grid.depth[1]: 1 is not allowed")));
        assertTrue(p.stream().anyMatch(s -> s.startsWith("grid.learning_rate[0]: -0.1 is not allowed")));
        assertTrue(p.stream().anyMatch(s -> s.startsWith("grid.batch_size[0]: 32.5 is not allowed")));
    }

    @Test
    void bad_regularizer_and_optimizer_name_their_syntax() {
        SpecException e = rejected(VALID.replace("\"epochs\": [3]",
                "\"epochs\": [3], \"kernel_regularizer\": [\"l3:0.1\"], \"optimizer\": [\"adagrad\"]"));
        assertTrue(e.problems().contains("grid.kernel_regularizer[0]: 'l3:0.1' is not a kernel regularizer; allowed: "
                + KernelRegularizer.SYNTAX), e.getMessage());
        assertTrue(e.problems().contains("grid.optimizer[0]: 'adagrad' is not an optimizer; allowed: adam, sgd, rmsprop"),
                e.getMessage());
    }

    @Test
    void malformed_json_and_missing_name_are_reported() {
        SpecException e = rejected("{ \"name\": ");
        assertTrue(e.problems().get(0).startsWith("not valid JSON"), e.getMessage());
        SpecException noName = rejected(VALID.replace("\"name\": \"t\",", ""));
        assertTrue(noName.problems().get(0).startsWith("name: missing"), noName.getMessage());
        SpecException emptyList = rejected(VALID.replace("\"size\": [64]", "\"size\": []"));
        assertEquals(List.of("grid.size: the list is empty; give at least one value"), emptyList.problems());
    }
}
