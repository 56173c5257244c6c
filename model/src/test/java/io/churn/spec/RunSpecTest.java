package io.churn.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class RunSpecTest {

    static RunSpec run(double learningRate, long seed) {
        return new RunSpec("banana", "rectangle", 3, 256, learningRate, 32, 0.0, KernelRegularizer.NONE, KernelRegularizer.NONE,
                Optimizer.ADAM, 0, ActivationFunction.RELU, 5, 0, 0.2, 0, seed);
    }

    @Test
    void the_same_spec_gives_the_same_ids_every_time() {
        List<String> first = GridExpander.expand(SpecParser.parse(SpecParserTest.VALID, "a")).stream()
                .map(RunSpec::runId).toList();
        List<String> second = GridExpander.expand(SpecParser.parse(SpecParserTest.VALID, "b")).stream()
                .map(RunSpec::runId).toList();
        assertEquals(first, second);
    }

    @Test
    void the_id_depends_on_values_not_on_how_they_are_written() {
        assertEquals(run(0.001, 1).runId(), run(1e-3, 1).runId());
        assertNotEquals(run(0.001, 1).runId(), run(0.002, 1).runId());
        assertNotEquals(run(0.001, 1).runId(), run(0.001, 2).runId());
    }

    @Test
    void the_id_is_pinned_so_stored_results_stay_addressable() {
        // a change here orphans every run already stored: change the canonical form only on purpose
        assertEquals("159dcefd3c3755bd76bf3c9c4cf689f6", run(0.001, 1).runId());
    }
}
