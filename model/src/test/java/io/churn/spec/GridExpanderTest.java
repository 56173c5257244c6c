package io.churn.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GridExpanderTest {

    @Test
    void a_rectangular_grid_gives_every_combination_times_repetitions() {
        List<RunSpec> runs = GridExpander.expand(SpecParser.parse(SpecParserTest.VALID, "t"));
        assertEquals(2 * 2 * 2 * 2, runs.size());
        assertEquals(runs.size(), new HashSet<>(runs.stream().map(RunSpec::runId).toList()).size());
    }

    @Test
    void overlapping_sub_grids_count_each_run_once() {
        SweepSpec spec = SpecParser.parse("""
                { "name": "u", "repetitions": 3,
                  "grid": { "dataset": ["banana"], "shape": ["rectangle"], "size": [64],
                            "learning_rate": [0.001], "batch_size": [32], "epochs": [2] },
                  "grids": [ { "depth": [2, 3] }, { "depth": [3, 4, 5] } ] }
                """, "t");
        assertEquals(4 * 3, GridExpander.expand(spec).size());
    }

    @Test
    void runs_of_one_repetition_share_a_seed_and_repetitions_differ() {
        List<RunSpec> runs = GridExpander.expand(SpecParser.parse(SpecParserTest.VALID, "t"));
        Set<Long> rep0 = new HashSet<>();
        Set<Long> rep1 = new HashSet<>();
        for (RunSpec r : runs) {
            (r.repetition() == 0 ? rep0 : rep1).add(r.seed());
        }
        assertEquals(1, rep0.size());
        assertEquals(1, rep1.size());
        assertNotEquals(rep0, rep1);
        assertEquals(GridExpander.seedFor(7, 1), rep1.iterator().next());
    }

    @Test
    void momentum_varies_only_sgd_runs() {
        SweepSpec spec = SpecParser.parse("""
                { "name": "m",
                  "grid": { "dataset": ["banana"], "shape": ["rectangle"], "depth": [2], "size": [64],
                            "learning_rate": [0.01], "batch_size": [32], "epochs": [2],
                            "optimizer": ["adam", "sgd", "rmsprop"], "momentum": [0.0, 0.9] } }
                """, "t");
        List<RunSpec> runs = GridExpander.expand(spec);
        assertEquals(4, runs.size());
        assertEquals(2, runs.stream().filter(r -> r.optimizer() == Optimizer.SGD).count());
        assertEquals(0, runs.stream().filter(r -> r.optimizer() != Optimizer.SGD && r.momentum() != 0).count());
    }
}
