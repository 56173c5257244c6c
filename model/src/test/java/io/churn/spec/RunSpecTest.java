package io.churn.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.churn.data.DatasetIdentity;
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
        assertEquals("159dcefd3c3755bd76bf3c9c4cf689f6", run(0.001, 1).withDropout(0).runId(),
                "keys added later leave runs at their default with the ids they had");
        assertNotEquals(run(0.001, 1).runId(), run(0.001, 1).withDropout(0.3).runId());
    }

    static RunSpec run(DatasetIdentity dataset) {
        return new RunSpec(dataset, "rectangle", 3, 256, 0.001, 32, 0.0, KernelRegularizer.NONE, KernelRegularizer.NONE,
                Optimizer.ADAM, 0, ActivationFunction.RELU, 5, 0, 0.2, 0, 1);
    }

    @Test
    void a_file_dataset_is_its_name_and_content_not_where_it_was_read() {
        String sha = "ab".repeat(32);
        RunSpec byPath = run(new DatasetIdentity("537_houses", "/data/537_houses.tsv.gz", sha));
        RunSpec byUri = run(new DatasetIdentity("537_houses", "hdfs://nn/data/537_houses.tsv.gz", sha));
        RunSpec rewritten = run(new DatasetIdentity("537_houses", "/data/537_houses.tsv.gz", "cd".repeat(32)));
        assertEquals(byPath.runId(), byUri.runId());
        assertNotEquals(byPath.runId(), rewritten.runId());
        assertEquals("537_houses", byPath.canonical().get("dataset"));
        assertEquals(sha, byPath.canonical().get("dataset_sha256"));
        assertEquals(byPath.datasetIdentity(), byPath.withRepetition(1, 7).datasetIdentity());
    }

    @Test
    void a_bundled_dataset_is_its_name_so_its_runs_keep_their_ids() {
        RunSpec digested = run(new DatasetIdentity("banana", "banana", "ab".repeat(32)));
        assertEquals(run(0.001, 1).runId(), digested.runId());
        assertEquals(false, digested.canonical().containsKey("dataset_sha256"));
    }
}
