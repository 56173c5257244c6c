package io.churn.pbt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.churn.spec.SpecException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PbtSpecParserTest {

    @Test
    void a_candle_parameter_file_gives_the_space_and_entries_that_cannot_apply_are_listed_as_ignored(@TempDir Path dir)
            throws Exception {
        Files.writeString(dir.resolve("tc1_params_small.json"), """
                [
                  {"name": "activation", "type": "categorical", "element_type": "string", "values": ["relu", "tanh"]},
                  {"name": "dropout", "type": "constant", "value": 0.0, "sigma": 0.045},
                  {"name": "batch_size", "type": "ordered", "element_type": "int", "values": [16, 32, 64], "sigma": 1},
                  {"name": "conv", "type": "constant", "value": "0 0 0", "comment": "no convolution"},
                  {"name": "learning_rate", "type": "float", "lower": 0.00001, "upper": 0.1, "sigma": 0.005},
                  {"name": "momentum", "type": "constant", "value": 0.9}
                ]
                """);
        Path spec = Files.writeString(dir.resolve("pbt.json"), """
                { "name": "candle", "dataset": "splice", "depth": 3, "size": 4096, "optimizer": "sgd",
                  "population": 4, "generations": 2, "space_file": "tc1_params_small.json" }
                """);
        PbtSpec s = PbtSpecParser.read(spec);
        assertEquals(List.of("activation", "dropout", "batch_size", "learning_rate", "momentum"),
                List.copyOf(s.space().keySet()));
        assertEquals(new Domain.Choice(List.of(16L, 32L, 64L)), s.space().get("batch_size"));
        assertEquals(new Domain.Range(0.00001, 0.1, false, false), s.space().get("learning_rate"));
        assertEquals(List.of("conv"), s.ignored());
        assertEquals(Metric.TEST_LOSS, s.metric());
        assertEquals(ExploitMethod.TRUNCATION, s.exploit().method());
        assertEquals(false, s.maximize());
        assertEquals(0.9, s.runSpec(PbtRules.initial(s).get(0), 0, 1).momentum());
    }

    @Test
    void problems_are_reported_together_naming_their_keys() {
        SpecException e = assertThrows(SpecException.class, () -> PbtSpecParser.parse("""
                { "name": "bad", "dataset": "iris", "depth": 3, "size": 4096, "population": 0, "generations": 2,
                  "metric": "score", "exploit": { "method": "roulette" },
                  "space": { "learning_rate": { "lower": 0.1, "upper": 0.01 }, "conv": { "lower": 0, "upper": 1 },
                             "batch_size": { "values": [0, 32] } } }
                """, "bad.json", null));
        String all = String.join("\n", e.problems());
        assertTrue(all.contains("dataset: 'iris' is not a known dataset"), all);
        assertTrue(all.contains("population: 0 is not allowed"), all);
        assertTrue(all.contains("metric: 'score' is not allowed; allowed: test_loss"), all);
        assertTrue(all.contains("exploit.method: 'roulette' is not allowed"), all);
        assertTrue(all.contains("space.learning_rate: a range needs lower <= upper"), all);
        assertTrue(all.contains("space.conv: PBT cannot change it; allowed: learning_rate"), all);
        assertTrue(all.contains("space.batch_size: 0 is not a valid batch_size"), all);
        assertEquals(7, e.problems().size(), all);
    }

    @Test
    void metric_and_exploit_method_are_read_from_their_spec_words_and_accuracy_and_similarity_are_maximized_by_default() {
        for (Metric metric : Metric.values()) {
            for (ExploitMethod method : ExploitMethod.values()) {
                PbtSpec s = PbtSpecParser.parse("""
                        { "name": "words", "dataset": "banana", "depth": 2, "size": 64, "population": 4,
                          "generations": 2, "metric": "%s", "exploit": { "method": "%s" },
                          "space": { "learning_rate": { "lower": 0.001, "upper": 0.1 } } }
                        """.formatted(metric.specName(), method.specName()), "words.json", null);
                assertEquals(metric, s.metric());
                assertEquals(method, s.exploit().method());
                assertEquals(metric.specName().endsWith("accuracy") || metric.specName().endsWith("cosine_similarity"),
                        s.maximize(), metric.specName());
            }
        }
    }
}
