package io.churn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.churn.spec.GridExpander;
import io.churn.spec.RunSpec;
import io.churn.spec.SpecParser;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunStatusTest {

    @Test
    void the_stored_words_are_the_ledgers_and_read_back_to_the_same_state() {
        assertEquals(List.of("queued", "running", "complete", "diverged", "failed"),
                Arrays.stream(RunStatus.values()).map(RunStatus::specName).toList());
        for (RunStatus s : RunStatus.values()) {
            assertEquals(s, RunStatus.fromSpecName(s.specName()));
        }
        assertThrows(IllegalArgumentException.class, () -> RunStatus.fromSpecName("COMPLETE"));
    }

    @Test
    void only_complete_diverged_and_failed_runs_are_finished_and_only_they_make_a_result() {
        assertEquals(List.of(RunStatus.COMPLETE, RunStatus.DIVERGED, RunStatus.FAILED),
                Arrays.stream(RunStatus.values()).filter(RunStatus::isFinished).toList());
        RunSpec run = GridExpander.expand(SpecParser.parse("""
                { "name": "s", "grid": { "dataset": ["banana"], "shape": ["rectangle"], "depth": [2], "size": [64],
                  "learning_rate": [0.01], "batch_size": [32], "epochs": [1] } }
                """, "t")).get(0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new RunResult(run,
                RunStatus.RUNNING, null, null, null, null, null, null, null, List.of(), 0, Provenance.CURRENT,
                Instant.EPOCH, Instant.EPOCH));
        assertEquals("a result is complete, diverged or failed, not running", e.getMessage());
    }
}
